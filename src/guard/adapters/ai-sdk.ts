/**
 * Vercel AI SDK 7: the `toolApproval` option of `generateText`, `streamText`
 * and `ToolLoopAgent`. Allowed calls run (`undefined` leaves any other
 * approval setting out of it); denied ones become an `execution-denied`
 * result carrying the reason, and the loop goes on. `continue: false` throws,
 * which ends the call.
 */
import type { PermisoToolGuard } from "../guard.js";
import { PermisoRunStoppedError } from "../run-stopped.js";

/** The part of the AI SDK's `GenericToolApprovalFunction` argument the guard reads. */
export interface AiSdkToolApprovalRequest {
  toolCall: { toolCallId: string; toolName: string; input: unknown };
}

/** A subset of the AI SDK's `ToolApprovalStatus`. */
export type AiSdkToolApprovalStatus = undefined | { type: "denied"; reason: string };

export function permisoToolApproval(
  guard: PermisoToolGuard,
): (request: AiSdkToolApprovalRequest) => Promise<AiSdkToolApprovalStatus> {
  return async ({ toolCall }) => {
    const { toolName, toolCallId, input } = toolCall;
    const decision = await guard.check({ toolName, toolCallId, input });
    if (decision.stopRun) throw new PermisoRunStoppedError(decision, toolName, toolCallId);
    return decision.allowed ? undefined : { type: "denied", reason: decision.reason ?? "" };
  };
}
