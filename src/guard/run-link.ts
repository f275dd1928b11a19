/**
 * Which run a guarded tool call belongs to. With the bridge's processor, the
 * run it gives the active span (child runs included) with that run's context;
 * without it, the run of the active span's trace; with no span at all, the
 * guard's own run.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import type { PermisoSpanProcessor } from "../otel/processor.js";
import { runIdForTrace } from "../engine/run-ids.js";

/** The processor a guard can be linked to. */
export type LinkableProcessor = PermisoSpanProcessor;

export interface ToolCallRun {
  runId: string;
  parentRunId?: string;
  /** What the bridge puts on that run's events; the guard's own options fill the gaps. */
  agent?: PermisoAgentContext;
  sessionId?: string;
  user?: PermisoUser;
  /** `<runId>:tool_use:<toolUseId>`, the bridge's own eventId for this call. */
  eventId: string;
  /**
   * Hands the `tool_use` back to the bridge when the guard's request did not
   * get through, so the run still shows the call. No-op without a processor.
   */
  release(): void;
}

export function toolUseEventId(runId: string, toolUseId: string): string {
  return `${runId}:tool_use:${toolUseId}`;
}

const noRelease = () => undefined;

/** The run for a tool call about to run in the current context. */
export function runForToolCall(toolUseId: string, ownRunId: string): ToolCallRun {
  const span = trace.getActiveSpan();
  const spanContext = span?.spanContext();
  const runId = spanContext && isSpanContextValid(spanContext) ? runIdForTrace(spanContext.traceId) : ownRunId;
  return { runId, eventId: toolUseEventId(runId, toolUseId), release: noRelease };
}
