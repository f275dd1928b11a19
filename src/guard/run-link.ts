/**
 * Which run a guarded tool call belongs to. With the bridge's processor: the
 * run holding back the model's call of this tool (the processor read it from
 * the model's output; hooks such as the AI SDK's `toolApproval` run with no
 * span of the call active), else the run the processor gives the active span
 * (child runs included), each with the context the bridge puts on that
 * run's events. Otherwise the run of the active span's trace, or, with no
 * span at all, the guard's own run.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";
import { runIdForTrace } from "../engine/run-ids.js";
import { guardLinkOf, toolUseEventId, type GuardLink } from "../otel/guard-link.js";
import type { PermisoSpanProcessor } from "../otel/processor.js";
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";

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
  /** Permiso has the guard's `tool_use`: the bridge must not send it again. */
  delivered(): void;
}

const nothingToTell = () => undefined;

/** The link a processor carries; `undefined` for anything else. */
export function linkOf(processor: unknown): GuardLink | undefined {
  return guardLinkOf(processor);
}

/** The run for a tool call about to run in the current context. */
export function runForToolCall(toolUseId: string, ownRunId: string, link: GuardLink | undefined): ToolCallRun {
  const spanContext = trace.getActiveSpan()?.spanContext();
  const active = spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
  const linked = link && (link.runOfToolCall(toolUseId) ?? (active && link.runOfSpan(active.traceId, active.spanId)));
  if (linked) {
    return {
      ...linked,
      eventId: toolUseEventId(linked.runId, toolUseId),
      delivered: () => link.markToolUseReported(linked.runId, toolUseId),
    };
  }
  const runId = active ? runIdForTrace(active.traceId) : ownRunId;
  return { runId, eventId: toolUseEventId(runId, toolUseId), delivered: nothingToTell };
}
