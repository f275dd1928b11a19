/**
 * What Permiso said about a tool call, or why it said nothing. Only a 2xx
 * with a readable body is a decision; everything else is a `NoDecision`
 * whose cause the fail mode turns into an outcome.
 */
import { HttpStatusError, RequestTimeoutError, type SendResult } from "../transport/types.js";

/** Permiso's decision, as the endpoint answered it (DESIGN §7). */
export interface PermisoAnswer {
  kind: "answer";
  permission: "allow" | "deny" | undefined;
  /** `false` asks for the run to end. */
  continue: boolean | undefined;
  agentMessage: string | undefined;
  userMessage: string | undefined;
}

export type NoDecisionCause =
  /** No answer within `timeoutMs`. */
  | "timeout"
  /** The connection failed (refused, reset, DNS). */
  | "unreachable"
  /** A status other than 2xx (after any retries that fit). */
  | "http-error"
  /** A 2xx whose body is not a decision (not JSON, not an object, fields of the wrong type). */
  | "invalid-answer"
  /** The call could not be checked: a bad argument, or input JSON cannot encode. */
  | "invalid-call"
  /** No API key is configured. */
  | "no-api-key"
  /** The guard was closed. */
  | "closed"
  /** The mask withheld the call (returned `null`): Permiso was not asked. */
  | "withheld";

export interface NoDecision {
  kind: "no-decision";
  cause: NoDecisionCause;
  /** For logs and the reason: what happened, without secrets. */
  detail: string;
  /** The HTTP status, for `http-error`. */
  status?: number;
}

/** The decision's fields: which values each accepts, and how to say so. */
const DECISION_FIELDS: ReadonlyArray<{ name: string; accepts: (value: unknown) => boolean; expected: string }> = [
  { name: "permission", accepts: (value) => value === "allow" || value === "deny", expected: '"allow" or "deny"' },
  { name: "continue", accepts: (value) => typeof value === "boolean", expected: "a boolean" },
  { name: "agent_message", accepts: (value) => typeof value === "string", expected: "a string" },
  { name: "user_message", accepts: (value) => typeof value === "string", expected: "a string" },
];

const NO_OBJECTION: PermisoAnswer = Object.freeze({
  kind: "answer",
  permission: undefined,
  continue: undefined,
  agentMessage: undefined,
  userMessage: undefined,
});

/** Reads a 2xx body. An empty body (204 included) and `{}` allow. */
export function readDecisionBody(body: string): PermisoAnswer | NoDecision {
  // The common answer, read without parsing.
  if (body === "" || body === "{}") return NO_OBJECTION;
  const invalid = (detail: string): NoDecision => ({ kind: "no-decision", cause: "invalid-answer", detail });
  let parsed: unknown = {};
  if (body.trim() !== "") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return invalid("the answer is not JSON");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return invalid(`the answer is ${Array.isArray(parsed) ? "an array" : `JSON ${parsed === null ? "null" : typeof parsed}`}, not an object`);
  }
  const answer = parsed as Record<string, unknown>;
  for (const { name, accepts, expected } of DECISION_FIELDS) {
    const value = answer[name];
    // A null field is an absent one (servers that serialise every optional field).
    if (value !== undefined && value !== null && !accepts(value)) {
      return invalid(`${name} must be ${expected} (got ${JSON.stringify(value)?.slice(0, 40)})`);
    }
  }
  const present = <T>(value: unknown) => (value === null ? undefined : (value as T | undefined));
  return {
    kind: "answer",
    permission: present(answer.permission),
    continue: present(answer.continue),
    agentMessage: present(answer.agent_message),
    userMessage: present(answer.user_message),
  };
}

/** Turns what the transport returned into an answer or the cause of its absence. */
export function readSendResult(result: SendResult): PermisoAnswer | NoDecision {
  if (result.status === "success") return readDecisionBody(result.response.body);
  const { error } = result;
  if (error instanceof HttpStatusError) {
    const { statusCode, statusText } = error.response;
    return { kind: "no-decision", cause: "http-error", status: statusCode, detail: `${statusCode} ${statusText}`.trimEnd() };
  }
  if (error instanceof RequestTimeoutError) return { kind: "no-decision", cause: "timeout", detail: error.message };
  return { kind: "no-decision", cause: "unreachable", detail: error.message || error.name };
}
