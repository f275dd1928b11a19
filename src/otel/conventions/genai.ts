/**
 * OpenTelemetry GenAI conventions, newest form: content in
 * `gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions` and `gen_ai.tool.call.*`. The AI SDK 7
 * `OpenTelemetry` integration emits exactly this.
 */
import type { SpanView } from "../span-view.js";
import type { ConventionReader } from "./reader.js";
import { GEN_AI, genAiMeaning, genAiRole, type GenAiContent } from "./genai-common.js";
import { parseGenAiMessages, parseSystemInstructions } from "./genai-messages.js";

export const genAiReader: ConventionReader = {
  name: "genai",
  matches: (span) => span.attributes[GEN_AI.OPERATION_NAME] !== undefined || genAiRole(span) !== "none",
  classify: (span) => {
    const role = genAiRole(span);
    return role === "none" ? "none" : role;
  },
  read: (span) => genAiMeaning(span, contentOf, systemPromptOf),
};

function contentOf({ attributes }: SpanView): GenAiContent {
  const input = parseGenAiMessages(attributes[GEN_AI.INPUT_MESSAGES]);
  const output = parseGenAiMessages(attributes[GEN_AI.OUTPUT_MESSAGES]);
  const systemPrompt =
    parseSystemInstructions(attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ?? (input.system.length > 0 ? input.system.join("\n") : undefined);
  return { input: input.messages, output: output.messages, systemPrompt, finishReason: output.finishReason };
}

/** Said apart from the messages, an agent's system prompt needs none of them read. */
function systemPromptOf(span: SpanView): string | undefined {
  return parseSystemInstructions(span.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ?? contentOf(span).systemPrompt;
}
