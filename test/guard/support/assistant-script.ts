/**
 * The turn most guard tests script: the model asks for the weather in Paris
 * (`call_w`) and for an e-mail to a rival's CEO (`call_e`) in one step, then
 * answers. A mock model from `ai/test` (Mastra takes it too).
 */
import { scriptedModel } from "../../support/ai-scenarios.js";

export const WEATHER_AND_EMAIL_CALLS = [
  { type: "tool-call" as const, toolCallId: "call_w", toolName: "weather", input: JSON.stringify({ city: "Paris" }) },
  { type: "tool-call" as const, toolCallId: "call_e", toolName: "send_email", input: JSON.stringify({ to: "ceo@rival.example" }) },
];

/** `preamble` is text the model says before calling the tools. */
export function weatherAndEmailModel(answer: string, preamble?: string) {
  return scriptedModel([
    {
      content: [...(preamble === undefined ? [] : [{ type: "text" as const, text: preamble }]), ...WEATHER_AND_EMAIL_CALLS],
      finish: "tool-calls",
      input: 10,
      output: 5,
    },
    { content: [{ type: "text", text: answer }], finish: "stop", input: 20, output: 7 },
  ]);
}
