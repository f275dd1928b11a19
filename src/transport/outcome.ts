/**
 * Turns a SendResult into what callers see: the server's decision, or a
 * PermisoCustomHooksError with the same messages as the 0.1.x client.
 */
import { PermisoCustomHooksError } from "../errors.js";
import { summarizeErrorBody } from "../protocol/error-summary.js";
import { HttpStatusError, RequestTimeoutError, type SendResult } from "./types.js";

/** The endpoint's answer; every field is optional and the body may be empty. */
export interface CustomHooksResponse {
  continue?: boolean;
  permission?: "allow" | "deny" | (string & {});
  user_message?: string;
  agent_message?: string;
  [key: string]: unknown;
}

export type DeliveryOutcome =
  | { ok: true; response: CustomHooksResponse }
  | { ok: false; error: PermisoCustomHooksError };

export function toOutcome(result: SendResult): DeliveryOutcome {
  if (result.status === "success") {
    const { body, statusCode } = result.response;
    if (body.trim() === "") return { ok: true, response: {} };
    try {
      const parsed: unknown = JSON.parse(body);
      return {
        ok: true,
        response: typeof parsed === "object" && parsed !== null ? (parsed as CustomHooksResponse) : {},
      };
    } catch (cause) {
      return {
        ok: false,
        error: new PermisoCustomHooksError("Invalid JSON response from Custom Hooks API", {
          status: statusCode,
          body,
          cause,
          kind: "invalid_response",
        }),
      };
    }
  }
  const { error } = result;
  if (error instanceof HttpStatusError) {
    const { statusCode, statusText, body } = error.response;
    const summary = statusCode === 400 ? summarizeErrorBody(body) : "";
    const message = `API error: ${statusCode} ${statusText}`.trimEnd() + (summary ? `: ${summary}` : "");
    return { ok: false, error: new PermisoCustomHooksError(message, { status: statusCode, body, kind: "http" }) };
  }
  const kind = error instanceof RequestTimeoutError ? "timeout" : "network";
  return {
    ok: false,
    error: new PermisoCustomHooksError(error.message || "Custom Hooks request failed", { cause: error, kind }),
  };
}
