/** The one error type the SDK surfaces. It never carries the API key. */

export type PermisoErrorKind =
  | "configuration"
  | "validation"
  | "serialization"
  | "http"
  | "network"
  | "timeout"
  | "invalid_response";

export interface PermisoCustomHooksErrorOptions {
  status?: number;
  body?: string;
  cause?: unknown;
  kind?: PermisoErrorKind;
}

export class PermisoCustomHooksError extends Error {
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Raw response body, when the server answered. */
  readonly body?: string;
  /** The underlying error (network failure, timeout, …). */
  override readonly cause?: unknown;
  /** What went wrong, for programmatic handling. */
  readonly kind?: PermisoErrorKind;

  constructor(message: string, options: PermisoCustomHooksErrorOptions = {}) {
    super(message);
    this.name = "PermisoCustomHooksError";
    this.status = options.status;
    this.body = options.body;
    this.cause = options.cause;
    this.kind = options.kind;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
