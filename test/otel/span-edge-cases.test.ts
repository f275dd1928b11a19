/**
 * Spans the SDK hands over that must not become events: unsampled ones
 * (a record-only sampler), ones whose parents form a loop (a custom
 * IdGenerator reusing ids), and ones the engine cannot take at all, which
 * are reported through diag once per burst and never thrown into the host;
 * and AI work no event can express (embeddings), skipped and counted.
 */
import { diag, DiagLogLevel, SpanKind } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { embed } from "ai";
import { MockEmbeddingModelV4 } from "ai/test";
import { integrationFor, weatherAgent, WEATHER_EVENT_KINDS, type AiConvention } from "../support/ai-scenarios.js";
import { capture } from "../support/bridge-harness.js";
import { createProvider, SimpleSpanProcessor } from "../support/otel-sdk.js";

const diagLines: string[] = [];
beforeEach(() => {
  diagLines.length = 0;
  const log = (level: string) => (...args: unknown[]) => diagLines.push(`${level} ${args.join(" ")}`);
  diag.setLogger({ error: log("error"), warn: log("warn"), info: log("info"), debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
});
afterEach(() => diag.disable());

/** Records every span but samples none (SamplingDecision.RECORD). */
const recordOnly = { shouldSample: () => ({ decision: 1 }), toString: () => "RecordOnlySampler" };

/** Sees every ended span, sampled or not, as a custom processor would. */
function everySpan() {
  const ended: any[] = [];
  return { ended, processor: { onStart() {}, onEnd: (span: any) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} } };
}

describe("a record-only sampler", () => {
  it("the processor and the exporter both skip unsampled spans", async () => {
    const server = await startDevServer({ port: 0 });
    const options = { apiKey: "k", baseUrl: server.url };
    const processor = new PermisoSpanProcessor(options);
    const exporter = new PermisoSpanExporter(options);
    const all = everySpan();
    const provider = createProvider([processor as never, all.processor], { sampler: recordOnly });
    await weatherAgent("genai", provider);
    expect(all.ended).toHaveLength(6);
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(all.ended, resolve));
    await Promise.all([processor.forceFlush(), exporter.forceFlush()]);
    expect(result.code).toBe(0);
    expect(processor.getStats()).toMatchObject({ spansSeen: 0, eventsQueued: 0 });
    expect(exporter.getStats()).toMatchObject({ spansSeen: 0, eventsQueued: 0 });
    expect(server.store.events()).toEqual([]);
    await Promise.all([provider.shutdown(), exporter.shutdown(), server.close()]);
  });
});

describe.each<AiConvention>(["genai", "legacy"])("AI work no event expresses (%s spans)", (convention) => {
  it("an embedding is skipped and counted, and the run around it is sent whole", async () => {
    const { bodies, stats } = await capture("processor", async (provider) => {
      await provider.getTracer("http").startActiveSpan("POST /ask", { kind: SpanKind.SERVER }, async (request) => {
        const model = new MockEmbeddingModelV4({ doEmbed: [{ embeddings: [[0.1, 0.2]], warnings: [] }] });
        await embed({ model, value: "tides", telemetry: { functionId: "search", integrations: [integrationFor(convention, provider)] } });
        await weatherAgent(convention, provider);
        request.end();
      });
    });
    expect(bodies.map((body) => `${body.hookEvent}:${(body.event as { type?: string }).type ?? "stop"}`)).toEqual(WEATHER_EVENT_KINDS);
    // The AI SDK's embed operation, and the model call inside it.
    expect(stats.spansSkipped).toBe(2);
  });
});

describe("parents that form a loop", () => {
  it("are counted as skipped and never sent", async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    // Reuses ids: the grandchild gets its grandparent's id, so parent links go round.
    const ids = ["00000000000000aa", "00000000000000bb", "00000000000000aa"];
    let next = 0;
    const idGenerator = { generateTraceId: () => "4bf92f3577b34da6a3ce929d0e0e4736", generateSpanId: () => ids[next++ % ids.length] };
    const provider = createProvider([new SimpleSpanProcessor(exporter as never) as never], { idGenerator });
    const tracer = provider.getTracer("looping");
    const genAi = (operation: string) => ({ "gen_ai.operation.name": operation, "gen_ai.request.model": "m", "gen_ai.agent.name": "a" });
    tracer.startActiveSpan("root", { attributes: genAi("invoke_agent") }, (root) => {
      tracer.startActiveSpan("middle", { attributes: genAi("invoke_agent") }, (middle) => {
        tracer.startSpan("leaf", { kind: SpanKind.CLIENT, attributes: genAi("chat") }).end();
        middle.end();
      });
      root.end();
    });
    await provider.forceFlush();
    await exporter.forceFlush();
    expect(exporter.getStats()).toMatchObject({ spansSeen: 3, spansSkipped: 2, eventsQueued: 0 });
    expect(server.store.events()).toEqual([]);
    expect(diagLines.filter((line) => line.includes("spans in a parent loop skipped"))).toHaveLength(1);
    await Promise.all([provider.shutdown(), server.close()]);
  });
});

describe("a span the engine cannot take", () => {
  it("is reported through diag once per burst, and the host goes on", async () => {
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: "http://127.0.0.1:9" });
    // No SDK produces this (its ids are validated); a broken custom one could.
    const broken = {
      name: "broken",
      kind: 0,
      spanContext: () => ({ traceId: "not-hex", spanId: "also-not-hex", traceFlags: 1 }),
      startTime: [1, 0],
      endTime: [2, 0],
      ended: true,
      attributes: {},
      events: [],
      status: { code: 0 },
    };
    for (let i = 0; i < 3; i++) {
      expect(() => processor.onStart(broken as never, undefined)).not.toThrow();
      expect(() => processor.onEnd(broken as never)).not.toThrow();
    }
    await processor.shutdown();
    expect(diagLines.filter((line) => line.includes("span processing failed"))).toEqual([
      'warn @permiso-io/custom-hooks-sdk span processing failed: traceId must be 32 hex digits (got "not-hex")',
      "warn @permiso-io/custom-hooks-sdk span processing failed: 5 more in the last 10 s",
    ]);
  });
});
