/**
 * OpenAI Agents JS: a tool input guardrail (the shape
 * `defineToolInputGuardrail` returns), which the runner calls before a
 * function tool runs. Allowed calls go on; denied ones are rejected with the
 * reason as the tool's output, and the run goes on; `continue: false` trips
 * the guardrail (`throwException`), which ends the run.
 */
import type { ToolDecision } from "../decision.js";
import type { PermisoToolGuard } from "../guard.js";
import { PermisoRunStoppedError } from "../run-stopped.js";

/** The part of the Agents SDK's `ToolInputGuardrailData` the guard reads. */
export interface OpenAIAgentsToolInputGuardrailData {
  toolCall: { name: string; callId: string; arguments: string };
  agent?: { name?: string };
}

/** The Agents SDK's `ToolGuardrailFunctionOutput`; `outputInfo` is the decision. */
export interface OpenAIAgentsToolGuardrailOutput {
  outputInfo: ToolDecision | PermisoRunStoppedError;
  behavior: { type: "allow" } | { type: "rejectContent"; message: string } | { type: "throwException" };
}

export interface PermisoToolInputGuardrail {
  type: "tool_input";
  name: string;
  run(data: OpenAIAgentsToolInputGuardrailData): Promise<OpenAIAgentsToolGuardrailOutput>;
}

export const PERMISO_GUARDRAIL_NAME = "permiso_tool_guard";

/** Arguments arrive as JSON text; Permiso gets them parsed (or as sent, if they are not JSON). */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function permisoToolInputGuardrail(guard: PermisoToolGuard): PermisoToolInputGuardrail {
  return {
    type: "tool_input",
    name: PERMISO_GUARDRAIL_NAME,
    async run({ toolCall, agent }) {
      const { name, callId } = toolCall;
      const decision = await guard.check({
        toolName: name,
        toolCallId: callId,
        input: parseArguments(toolCall.arguments),
        agent: { name: agent?.name },
      });
      if (decision.stopRun) {
        return { outputInfo: new PermisoRunStoppedError(decision, name, callId), behavior: { type: "throwException" } };
      }
      if (decision.allowed) return { outputInfo: decision, behavior: { type: "allow" } };
      return { outputInfo: decision, behavior: { type: "rejectContent", message: decision.reason ?? "" } };
    },
  };
}

/** Any tool; only function tools (`type: "function"`) take input guardrails. */
interface AgentTool {
  type: string;
  inputGuardrails?: Array<{ name: string }>;
}

/**
 * Copies of `tools` with the Permiso guardrail added to every function tool
 * (MCP-derived ones included: list them with `getAllMcpTools`); other tools
 * pass through. Tools that have it already are not given it twice.
 */
export function withPermisoGuard<TOOL extends AgentTool>(tools: readonly TOOL[], guard: PermisoToolGuard): TOOL[] {
  const guardrail = permisoToolInputGuardrail(guard);
  return tools.map((tool) => {
    if (tool.type !== "function") return tool;
    const existing = tool.inputGuardrails ?? [];
    if (existing.some((candidate) => candidate.name === PERMISO_GUARDRAIL_NAME)) return tool;
    return { ...tool, inputGuardrails: [...existing, guardrail] };
  });
}
