/**
 * Mastra traced both ways its users wire OpenTelemetry: `@mastra/otel-exporter`
 * handed the bridge's exporter (Mastra runs its own batch processor around
 * it), and `@mastra/otel-bridge` creating spans on the app's tracer provider.
 */
import { MASTRA_BRIDGE_SCENARIOS, MASTRA_EXPORTER_SCENARIOS } from "../support/frameworks/mastra.js";
import type { Gaps, ScenarioId } from "../support/frameworks/scenarios.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

const ALL: ScenarioId[] = Object.keys(MASTRA_EXPORTER_SCENARIOS) as ScenarioId[];
/** Streaming from an OpenAI-compatible `url`, Mastra does not ask the server for usage: there is none to send. */
const everyScenario = (gaps: Gaps) => Object.fromEntries(ALL.map((id) => [id, id === "streaming" ? { ...gaps, usage: true } : gaps]));
/** Mastra reports its cached tokens, none here. */
const carried = { usage: { cacheReadTokens: 0 } };

defineFrameworkSuite({
  name: "mastra+otel-exporter",
  exporterScenarios: MASTRA_EXPORTER_SCENARIOS,
  // Its GenAI conversion of a response keeps the text and drops the tool calls: they are known from the tool spans.
  gaps: everyScenario({ toolCallsFromToolSpans: true }),
  carried,
});

defineFrameworkSuite({
  name: "mastra+otel-bridge",
  scenarios: MASTRA_BRIDGE_SCENARIOS,
  // Its inference spans carry Mastra's own output (tool calls included) but no model name.
  gaps: everyScenario({ model: true }),
  carried,
});
