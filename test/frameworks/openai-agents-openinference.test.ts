/**
 * OpenAI Agents JS traced by `@arizeai/openinference-instrumentation-openai-agents`,
 * registered as a user does under ESM (`manuallyInstrument(agents)`).
 */
import { OpenAIAgentsInstrumentation } from "@arizeai/openinference-instrumentation-openai-agents";
import * as agents from "@openai/agents";
import { OPENAI_AGENTS_CHAT_SCENARIOS, OPENAI_AGENTS_SCENARIOS } from "../support/frameworks/openai-agents.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

// The Agents SDK turns its tracing off when NODE_ENV is "test"; a user's app has it on.
agents.setTracingDisabled(false);
const instrumentation = new OpenAIAgentsInstrumentation();
instrumentation.manuallyInstrument(agents);

defineFrameworkSuite({
  name: "openai-agents+openinference",
  scenarios: OPENAI_AGENTS_SCENARIOS,
  instrument: (provider) => instrumentation.setTracerProvider(provider as never),
  // A Responses API reply reports the temperature and top_p it used, and its cached tokens.
  carried: {
    settings: { temperature: 1, topP: 1 },
    usage: { cacheReadTokens: 0 },
    // What the SDK tells the model when a tool throws (it redacts the error itself).
    failedToolContent: "An error occurred while running the tool. Please try again.",
  },
});

defineFrameworkSuite({
  name: "openai-agents-chat+openinference",
  scenarios: OPENAI_AGENTS_CHAT_SCENARIOS,
  instrument: (provider) => instrumentation.setTracerProvider(provider as never),
});
