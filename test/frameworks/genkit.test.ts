/**
 * Genkit's own spans (`genkit:*` attributes), created on the app's global
 * tracer provider: a flow calling `ai.generate` with a tool, and the same
 * agent made with `defineAgent` (`genkit/beta`).
 */
import { GENKIT_AGENT_SCENARIOS, GENKIT_SCENARIOS } from "../support/frameworks/genkit.js";
import { EventBuilder, PROMPTS, SCRIPTS } from "../support/frameworks/scenarios.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

// Genkit names a model by its plugin and the model's own name.
const carried = { model: "openai/gpt-4o-mini" };
const weather = new EventBuilder({}, carried, "weather-agent");

/** `@genkit-ai/compat-oai` keeps only the tool calls of a reply that has both text and tool calls. */
const textDropped = { textBesideToolCalls: true };

/** The failing-tool run: its tool's error, then a stop with `stopReason` (undefined when the run's owner span failed). */
function failingToolRun(stopReason: string | undefined) {
  return {
    "failing-tool": [
      {
        agent: "weather-agent",
        events: [
          weather.prompt(PROMPTS.atlantis),
          weather.toolUse("weather", "call_atlantis", { city: "Atlantis" }),
          weather.toolResult("weather", "call_atlantis", "no forecast for Atlantis", true),
          weather.stop(stopReason, 10, 5),
        ],
      },
    ],
  };
}

const genkitWay = {
  gaps: { "one-tool": textDropped, streaming: textDropped },
  carried,
  // A tool that throws fails the whole generate call (and the flow or turn): the model is never asked again.
  scripts: { "failing-tool": SCRIPTS["failing-tool"].slice(0, 1) },
};

// The flow's span, which owns the run, ends in error: the stop says no reason rather than the last reply's.
defineFrameworkSuite({ name: "genkit", scenarios: GENKIT_SCENARIOS, ...genkitWay, expected: failingToolRun(undefined) });

// The turn's owner span does not fail: the run's last finish reason is the tool-calling reply's, which Genkit records as "stop".
defineFrameworkSuite({ name: "genkit-agent", scenarios: GENKIT_AGENT_SCENARIOS, ...genkitWay, expected: failingToolRun("end_turn") });
