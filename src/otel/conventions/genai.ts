/**
 * OpenTelemetry GenAI conventions, newest form: content in
 * `gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions` and `gen_ai.tool.call.*`. The AI SDK 7
 * `OpenTelemetry` integration emits exactly this.
 */
import type { ConventionReader } from "./reader.js";
import { GEN_AI, genAiMeaning, genAiRole } from "./genai-common.js";
import { parseGenAiMessages, parseSystemInstructions } from "./genai-messages.js";

export const genAiReader: ConventionReader = {
  name: "genai",
  matches: (span) => span.attributes[GEN_AI.OPERATION_NAME] !== undefined || genAiRole(span) !== "none",
  classify: (span) => {
    const role = genAiRole(span);
    return role === "none" ? "none" : role;
  },
  read(span) {
    const attributes = span.attributes;
    const input = parseGenAiMessages(attributes[GEN_AI.INPUT_MESSAGES]);
    const output = parseGenAiMessages(attributes[GEN_AI.OUTPUT_MESSAGES]);
    const systemPrompt =
      parseSystemInstructions(attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ??
      (input.system.length > 0 ? input.system.join("\n") : undefined);
    const meaning = genAiMeaning(span, { input: input.messages, output: output.messages, systemPrompt });
    if (meaning.kind === "model" && meaning.call.finishReason === undefined) {
      meaning.call.finishReason = output.finishReason;
    }
    return meaning;
  },
};
