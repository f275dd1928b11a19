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

const genkitWay = {
  gaps: { "one-tool": textDropped, streaming: textDropped },
  carried,
  // A tool that throws fails the whole generate call (and the flow or turn): the model is never asked again.
  scripts: { "failing-tool": SCRIPTS["failing-tool"].slice(0, 1) },
  expected: {
    "failing-tool": [
      {
        agent: "weather-agent",
        events: [
          weather.prompt(PROMPTS.atlantis),
          weather.toolUse("weather", "call_atlantis", { city: "Atlantis" }),
          weather.toolResult("weather", "call_atlantis", "no forecast for Atlantis", true),
          // The run's last finish reason is the tool-calling reply's, which Genkit records as "stop".
          weather.stop("end_turn", 10, 5),
        ],
      },
    ],
  },
};

defineFrameworkSuite({ name: "genkit", scenarios: GENKIT_SCENARIOS, ...genkitWay });

defineFrameworkSuite({ name: "genkit-agent", scenarios: GENKIT_AGENT_SCENARIOS, ...genkitWay });
