/**
 * Mastra: the agent's `hooks.beforeToolCall` (also accepted per call by
 * `generate`/`stream`). Allowed calls run; denied ones are skipped with the
 * reason as the tool's output (`{ proceed: false, output }`), and the agent
 * goes on. Mastra turns an error thrown from a hook into a tool result, so
 * `continue: false` uses Mastra's own way for a tool to end a run: it
 * suspends the run at that call (`finishReason: "suspended"`, the payload
 * `{ permiso: decision }`); resuming asks Permiso again.
 */
import { randomUUID } from "node:crypto";
import type { ToolDecision } from "../decision.js";
import type { PermisoToolGuard } from "../guard.js";

/** The part of Mastra's `ToolHookContext` the guard reads. */
export interface MastraToolHookContext {
  toolName: string;
  input: unknown;
  context?: unknown;
  metadata?: Record<string, unknown>;
}

/** Mastra's `ToolBeforeHookResult`; `output` is the reason. */
export interface MastraBeforeToolCallResult {
  proceed: false;
  output: string;
}

/** What a suspended run carries as its `suspendPayload` when Permiso ends it. */
export interface PermisoSuspendPayload {
  permiso: ToolDecision;
}

/** Where Mastra puts the model's call id, the run's suspend function and its tracing context. */
interface MastraExecutionContext {
  toolCallId?: string;
  agent?: { toolCallId?: string };
  suspend?: (payload: PermisoSuspendPayload) => Promise<void>;
  tracingContext?: { currentSpan?: MastraTracingSpan };
}

/** A span of Mastra's own tracing (`AnySpan`), as far as the guard reads it. */
interface MastraTracingSpan {
  type?: string;
  attributes?: { instructions?: unknown };
  parent?: MastraTracingSpan;
}

/** Mastra's `SpanType.AGENT_RUN`. */
const AGENT_RUN = "agent_run";
/** Bounds the walk up Mastra's spans. */
const MAX_DEPTH = 64;

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * The agent's instructions, from the nearest agent run above the hook in
 * Mastra's tracing (present when observability is configured). Its
 * OpenTelemetry spans say them only when they end, after the tool ran.
 */
function agentInstructions(span: MastraTracingSpan | undefined): string | undefined {
  for (let current = span, depth = 0; current && depth < MAX_DEPTH; current = current.parent, depth++) {
    if (current.type === AGENT_RUN) return text(current.attributes?.instructions);
  }
  return undefined;
}

export function permisoBeforeToolCall(
  guard: PermisoToolGuard,
): (hook: MastraToolHookContext) => Promise<MastraBeforeToolCallResult | undefined> {
  return async ({ toolName, input, context, metadata }) => {
    const execution = (context ?? {}) as MastraExecutionContext;
    const toolCallId = execution.toolCallId ?? execution.agent?.toolCallId ?? `call_${randomUUID()}`;
    const decision = await guard.check({
      toolName,
      toolCallId,
      input,
      agent: {
        name: text(metadata?.agentName),
        id: text(metadata?.agentId),
        systemPrompt: agentInstructions(execution.tracingContext?.currentSpan),
      },
    });
    if (decision.allowed) return undefined;
    const denial: MastraBeforeToolCallResult = { proceed: false, output: decision.reason ?? "" };
    if (decision.stopRun && typeof execution.suspend === "function") {
      try {
        await execution.suspend({ permiso: decision });
      } catch {
        // A tool whose suspendSchema refuses the payload: the call is still denied.
      }
    }
    return denial;
  };
}
