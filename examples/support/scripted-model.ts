/**
 * A language model that replays a script, so the examples run offline and
 * without an API key. Swap it for a real provider model in your own code.
 */
import { MockLanguageModelV4 } from "ai/test";

export type ScriptedStep = {
  text?: string;
  reasoning?: string;
  toolCalls?: Array<{ id: string; name: string; input: unknown }>;
  inputTokens: number;
  outputTokens: number;
};

/** What the model is sent: the conversation so far, tool results included. */
export type ScriptedPrompt = Parameters<MockLanguageModelV4["doGenerate"]>[0]["prompt"];

/**
 * A step is a fixed reply, or a reply made from what the model was sent
 * (to answer with what a tool returned, or why it was not run).
 */
export function scriptedModel(steps: Array<ScriptedStep | ((prompt: ScriptedPrompt) => ScriptedStep)>, modelId = "scripted-model") {
  let next = 0;
  return new MockLanguageModelV4({
    modelId,
    doGenerate: async ({ prompt }) => {
      const step = steps[next++];
      if (!step) throw new Error(`the script has ${steps.length} steps`);
      return reply(typeof step === "function" ? step(prompt) : step);
    },
  });
}

function reply(step: ScriptedStep) {
  return {
    content: [
      ...(step.reasoning ? [{ type: "reasoning" as const, text: step.reasoning }] : []),
      ...(step.text ? [{ type: "text" as const, text: step.text }] : []),
      ...(step.toolCalls ?? []).map((call) => ({
        type: "tool-call" as const,
        toolCallId: call.id,
        toolName: call.name,
        input: JSON.stringify(call.input),
      })),
    ],
    finishReason: step.toolCalls?.length
      ? { unified: "tool-calls" as const, raw: "tool_calls" }
      : { unified: "stop" as const, raw: "stop" },
    usage: {
      inputTokens: { total: step.inputTokens, noCache: step.inputTokens, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: step.outputTokens, text: step.outputTokens, reasoning: undefined },
    },
    warnings: [],
  };
}
