/**
 * Records the span workload every benchmark replays: real AI SDK 7 agent
 * runs (mock models, real `generateText`/`streamText`, real `@ai-sdk/otel`
 * GenAI telemetry on a real sdk-trace-base 2.x provider), captured once as
 * plain data: each span's final state, its attributes as they were when it
 * started, and the exact order of every start and end.
 *
 * Recording once and replaying the same data means every pipeline in every
 * round sees byte-identical spans, and no benchmark pays for (or is slowed
 * by) the AI SDK itself.
 *
 * Usage: node --import tsx bench/support/record-workload.mjs [out.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { orchestratorWithSubAgent, secondTurn, streamingAgent, weatherAgent } from "../../test/support/ai-scenarios.ts";
import { RESULTS_DIR } from "./harness.mjs";

/** The agents users write (the test suite's scenarios); only the model's answers are scripted. */
const SCENARIOS = { weatherAgent, orchestratorWithSubAgent, secondTurn, streamingAgent };

/** Notes every start and end, in order, with the attributes a span had when it started. */
class RecordingProcessor {
  order = [];
  started = new Map();
  onStart(span) {
    this.started.set(span, { ...span.attributes });
    this.order.push(["start", span]);
  }
  onEnd(span) {
    this.order.push(["end", span]);
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

function toTemplate(span, startAttributes) {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    startAttributes,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, time: e.time, attributes: e.attributes ?? {} })),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version, schemaUrl: span.instrumentationScope.schemaUrl },
  };
}

export async function recordWorkload() {
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  const traces = [];
  let resourceAttributes;
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const recorder = new RecordingProcessor();
    const provider = new BasicTracerProvider({ spanProcessors: [recorder] });
    await scenario("genai", { getTracer: (tracerName) => provider.getTracer(tracerName) });
    await provider.shutdown();
    const spans = [...recorder.started.keys()];
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    if (traceIds.size !== 1) throw new Error(`${name}: expected one trace, got ${traceIds.size}`);
    if (recorder.order.filter(([op]) => op === "end").length !== spans.length) throw new Error(`${name}: a span never ended`);
    resourceAttributes ??= spans[0].resource.attributes;
    const index = new Map(spans.map((s, i) => [s, i]));
    traces.push({
      name,
      spans: spans.map((s) => toTemplate(s, recorder.started.get(s))),
      ops: recorder.order.map(([op, span]) => [op === "start" ? 1 : 0, index.get(span)]),
    });
  }
  manager.disable();
  return { recordedWith: "ai@7 + @ai-sdk/otel OpenTelemetry (GenAI convention), sdk-trace-base 2.x", resourceAttributes, traces };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? join(RESULTS_DIR, "workload.json");
  const workload = await recordWorkload();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(workload));
  for (const t of workload.traces) process.stderr.write(`recorded ${t.name}: ${t.spans.length} spans\n`);
}
