/**
 * Mastra traced both ways its users wire OpenTelemetry: `@mastra/otel-exporter`
 * handed the bridge's exporter (Mastra runs its own batch processor around
 * it), and `@mastra/otel-bridge` creating spans on the app's tracer provider.
 */
import { MASTRA_BRIDGE_SCENARIOS, MASTRA_EXPORTER_SCENARIOS } from "../support/frameworks/mastra.js";
import type { Gaps, ScenarioId } from "../support/frameworks/scenarios.js";
import { defineFrameworkSuite, type Pending } from "../support/frameworks/suite.js";

const ALL: ScenarioId[] = Object.keys(MASTRA_EXPORTER_SCENARIOS) as ScenarioId[];
const everyScenario = (gaps: Gaps) => Object.fromEntries(ALL.map((id) => [id, gaps]));
/** Mastra reports its cached tokens, none here. */
const carried = { usage: { cacheReadTokens: 0 } };
const promptOnGeneration: Pending = {
  reason: "engine: the prompt is on the generation span, whose call has no output and must go before the inference calls it started",
};

defineFrameworkSuite({
  name: "mastra+otel-exporter",
  exporterScenarios: MASTRA_EXPORTER_SCENARIOS,
  // Its GenAI conversion of a response keeps the text and drops the tool calls: they are known from the tool spans.
  gaps: everyScenario({ toolCallsFromToolSpans: true }),
  carried,
  pending: [promptOnGeneration],
});

defineFrameworkSuite({
  name: "mastra+otel-bridge",
  scenarios: MASTRA_BRIDGE_SCENARIOS,
  // Its inference spans carry Mastra's own output (tool calls included) but no model name.
  gaps: everyScenario({ model: true }),
  carried,
  pending: [
    promptOnGeneration,
    { reason: "engine: the bridge sets a span's attributes when it ends, so the processor knows no agent", modes: ["side-by-side"] },
  ],
});
