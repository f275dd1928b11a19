/** What every transport returns: it never throws, callers switch on `status`. */

export interface HttpResponse {
  statusCode: number;
  statusText: string;
  /** The response body as text, capped at MAX_RESPONSE_BYTES. */
  body: string;
  /** The raw `Retry-After` header, when the server sent one. */
  retryAfter?: string;
}

export type SendResult =
  | { status: "success"; response: HttpResponse }
  | { status: "failure"; error: Error; response?: HttpResponse }
  | { status: "retryable"; error: Error; response?: HttpResponse; retryAfterMs?: number };

export interface SendOptions {
  /** Per-attempt limit, covering connect, upload and the whole response. */
  timeoutMs: number;
  /** Epoch ms after which no new attempt starts (retrying transport only). */
  deadline?: number;
  /** Cancels waiting and in-flight requests (shutdown). */
  signal?: AbortSignal;
}

export interface HookTransport {
  send(payload: string, options: SendOptions): Promise<SendResult>;
  /** Releases pooled sockets. */
  close(): void;
}

export interface HttpTarget {
  /** Full endpoint URL, e.g. `https://alb.permiso.io/hooks`. */
  url: URL;
  headers: Record<string, string>;
  /** Upper bound on open sockets to the endpoint. */
  maxSockets: number;
}

/** Responses are read up to this size; the endpoint's answers are small. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export class RequestTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(timeoutMs: number) {
    super(`Request timed out after ${timeoutMs} ms`);
    this.name = "RequestTimeoutError";
  }
}

export class RequestAbortedError extends Error {
  readonly code = "ABORTED";
  /** `reason`: why the sender gave up (an AbortSignal's reason, when it is a string). */
  constructor(reason?: unknown) {
    super(`Request aborted: ${typeof reason === "string" ? reason : "the sender was shut down"}`);
    this.name = "RequestAbortedError";
  }
}

/** A non-2xx answer, as an error value carried in a failed SendResult. */
export class HttpStatusError extends Error {
  constructor(readonly response: HttpResponse) {
    super(`API error: ${response.statusCode} ${response.statusText}`.trimEnd());
    this.name = "HttpStatusError";
  }
}
