/**
 * From Permiso's answer (or its absence) to what the host does with the tool
 * call. Pure: the same answer and fail mode always give the same decision.
 */
import type { NoDecision, NoDecisionCause, PermisoAnswer } from "./answer.js";
import type { FailMode } from "./options.js";

export type ToolOutcome =
  /** Permiso allowed the call (`permission: "allow"`, `{}`, an empty body). */
  | "allowed"
  /** Permiso denied the call (`permission: "deny"` or `continue: false`). */
  | "denied"
  /** Permiso gave no decision and the fail mode is `"closed"`: the call is blocked. */
  | "failed-closed"
  /** Permiso gave no decision and the fail mode is `"open"`: the call runs. */
  | "failed-open";

export interface ToolDecision {
  /** Whether the tool may run. */
  allowed: boolean;
  outcome: ToolOutcome;
  /**
   * Why the call was blocked, or why it runs without a decision: the text
   * adapters hand to the model. For a denial, Permiso's `agent_message`.
   */
  reason?: string;
  /** Permiso's message for the model, as sent. */
  agentMessage?: string;
  /** Permiso's message for the person; never given to the model. */
  userMessage?: string;
  /** Permiso answered `continue: false`: the run must end. */
  stopRun: boolean;
  /** Why there was no decision, when the outcome is `failed-closed` or `failed-open`. */
  failure?: NoDecisionCause;
}

export const DEFAULT_DENIAL_REASON = "Permiso denied this tool call.";
export const DEFAULT_STOP_REASON = "Permiso denied this tool call and ended the run.";

export function decisionFromAnswer(answer: PermisoAnswer): ToolDecision {
  const stopRun = answer.continue === false;
  const messages = {
    ...(answer.agentMessage !== undefined && { agentMessage: answer.agentMessage }),
    ...(answer.userMessage !== undefined && { userMessage: answer.userMessage }),
  };
  if (answer.permission === "deny" || stopRun) {
    const fallback = stopRun ? DEFAULT_STOP_REASON : DEFAULT_DENIAL_REASON;
    return { allowed: false, outcome: "denied", reason: answer.agentMessage ?? fallback, ...messages, stopRun };
  }
  return { allowed: true, outcome: "allowed", ...messages, stopRun: false };
}

/** What happened, in words a developer reading the model's transcript understands. */
export function describeNoDecision(noDecision: NoDecision, timeoutMs: number): string {
  switch (noDecision.cause) {
    case "timeout":
      return `Permiso did not answer within ${timeoutMs} ms`;
    case "unreachable":
      return "Permiso could not be reached";
    case "http-error":
      return noDecision.status === 401 || noDecision.status === 403
        ? `Permiso refused the API key (${noDecision.detail})`
        : `Permiso answered ${noDecision.detail}`;
    case "invalid-answer":
      return `Permiso's answer was not a decision (${noDecision.detail})`;
    case "invalid-call":
      return `The tool call could not be checked (${noDecision.detail})`;
    case "no-api-key":
      return "No Permiso API key is configured";
    case "closed":
      return "The Permiso tool guard was closed";
    case "withheld":
      return "The mask withheld the tool call from Permiso";
  }
}

export function decisionWithoutAnswer(noDecision: NoDecision, failMode: FailMode, timeoutMs: number): ToolDecision {
  const what = describeNoDecision(noDecision, timeoutMs);
  return failMode === "closed"
    ? {
        allowed: false,
        outcome: "failed-closed",
        reason: `${what}; the tool was blocked (failMode closed).`,
        stopRun: false,
        failure: noDecision.cause,
      }
    : {
        allowed: true,
        outcome: "failed-open",
        reason: `${what}; the tool was allowed without a decision (failMode open).`,
        stopRun: false,
        failure: noDecision.cause,
      };
}
