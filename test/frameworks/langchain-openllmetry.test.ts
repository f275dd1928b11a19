/**
 * LangChain v1 `createAgent` traced by `@traceloop/instrumentation-langchain`
 * (OpenLLMetry), registered under ESM with `manuallyInstrument`. Its spans
 * nest only under an active span, so each agent runs inside one, as the
 * README says.
 */
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@traceloop/instrumentation-langchain";
import { expect } from "vitest";
import { callInAgentSpan, langChainScenarios } from "../support/frameworks/langchain.js";
import { EventBuilder, PROMPTS, type Gaps } from "../support/frameworks/scenarios.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

const instrumentation = new LangChainInstrumentation();
instrumentation.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });

// The chat spans keep the model's text but not its tool calls (nor the tool messages' call ids):
// the calls are known from the tool spans, whose ToolMessage names the call.
const fromToolSpans: Gaps = { toolCallsFromToolSpans: true };
const weather = new EventBuilder(fromToolSpans, {}, "weather-agent");
/** A tool that throws returns no ToolMessage: its span names the tool's class, and no call. */
const spanMadeId = expect.stringMatching(/^span-[0-9a-f]{16}$/) as unknown as string;

defineFrameworkSuite({
  name: "langchain+openllmetry",
  scenarios: langChainScenarios(callInAgentSpan),
  instrument: (provider) => instrumentation.setTracerProvider(provider as never),
  fetchesTokenizer: true,
  gaps: {
    "one-tool": fromToolSpans,
    "two-tools": fromToolSpans,
    // Nor any usage when the model streams.
    streaming: { ...fromToolSpans, usage: true },
    "agent-as-tool": fromToolSpans,
  },
  expected: {
    "failing-tool": [
      {
        agent: "weather-agent",
        events: [
          weather.prompt(PROMPTS.atlantis),
          weather.toolUse("DynamicStructuredTool", spanMadeId, { city: "Atlantis" }),
          weather.toolResult("DynamicStructuredTool", spanMadeId, "no forecast for Atlantis", true),
          weather.text("I could not get the weather for Atlantis."),
          weather.stop("end_turn", 35, 14),
        ],
      },
    ],
  },
});
