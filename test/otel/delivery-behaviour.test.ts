/**
 * How the bridge delivers: per-run order with runs in parallel, export
 * results, deadlines, shutdown, bounded queues and diag reports. Real spans,
 * real loopback receivers.
 */
import { diag, DiagLogLevel, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { orchestratorWithSubAgent, weatherAgent } from "../support/ai-scenarios.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor, type TestProvider } from "../support/otel-sdk.js";
import { deadPort } from "../support/recorder.js";

/** Collects diag output; restored after each test. */
const diagLines: string[] = [];
beforeEach(() => {
  diagLines.length = 0;
  const log = (level: string) => (message: string, ...args: unknown[]) => diagLines.push(`${level} ${message} ${args.join(" ")}`);
  diag.setLogger(
    { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), verbose: log("verbose") },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
});
afterEach(() => diag.disable());

/** Real AI SDK spans for one agent turn, recorded once and replayed into exporters. */
async function recordAgentSpans(count = 1): Promise<any[]> {
  const memory = new InMemorySpanExporter();
  const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
  for (let i = 0; i < count; i++) await weatherAgent("genai", provider);
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

function exportSpans(exporter: PermisoSpanExporter, spans: any[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe("export results", () => {
  let server: DevServer;
  afterEach(async () => server?.close());

  it("reports SUCCESS only once the released events are delivered", async () => {
    let answered = 0;
    server = await startDevServer({ port: 0, intercept: async () => ({ delayMs: 20 }) });
    server.store.subscribe(() => answered++);
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const result = await exportSpans(exporter, await recordAgentSpans());
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(answered).toBe(6);
    await exporter.shutdown();
  });

  it("reports FAILED with a reason when the endpoint refuses, without retrying a 500", async () => {
    let attempts = 0;
    server = await startDevServer({ port: 0, intercept: () => (attempts++, { status: 500, body: "boom" }) });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const result = await exportSpans(exporter, await recordAgentSpans());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe("6 of 6 hook events not delivered");
    expect(attempts).toBe(6);
    expect(exporter.getStats()).toMatchObject({ eventsFailed: 6, eventsDelivered: 0 });
    // Reported once per burst, not once per event.
    expect(diagLines.filter((line) => line.includes("hook events not delivered"))).toEqual([
      "warn @permiso-io/custom-hooks-sdk hook events not delivered: API error: 500 Internal Server Error",
    ]);
    await exporter.shutdown();
  });

  it("reports a refused API key once, as a configuration problem", async () => {
    server = await startDevServer({ port: 0, intercept: () => ({ status: 401, body: '{"error":"Invalid API key"}' }) });
    const exporter = new PermisoSpanExporter({ apiKey: "wrong", baseUrl: server.url });
    await exportSpans(exporter, await recordAgentSpans(2));
    const errors = diagLines.filter((line) => line.startsWith("error"));
    expect(errors).toEqual([
      "error @permiso-io/custom-hooks-sdk Permiso refused the API key (HTTP 401): check apiKey / PERMISO_API_KEY. Events are not being delivered.",
    ]);
    expect(diagLines.join("\n")).not.toContain("wrong");
    await exporter.shutdown();
  });

  it("reports FAILED at exportTimeoutMs while the endpoint hangs", async () => {
    server = await startDevServer({ port: 0, intercept: () => ({ hang: true }) });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, exportTimeoutMs: 300, timeoutMs: 20_000, flushTimeoutMs: 200 });
    const spans = await recordAgentSpans();
    const started = Date.now();
    const result = await exportSpans(exporter, spans);
    // Reported at the export deadline, long before the request's own timeout would end it.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ code: ExportResultCode.FAILED });
    expect(result.error?.message).toBe("hook events not delivered within 300 ms");
    await exporter.shutdown();
  });
});

describe("ordering and parallelism", () => {
  it("sends each run's events one at a time, in order, while runs go in parallel", async () => {
    const active = new Map<string, number>();
    const overlapWithinRun: string[] = [];
    let maxParallel = 0;
    let parallel = 0;
    const server = await startDevServer({
      port: 0,
      intercept: async ({ body }) => {
        const { runId } = JSON.parse(body);
        if ((active.get(runId) ?? 0) > 0) overlapWithinRun.push(runId);
        active.set(runId, (active.get(runId) ?? 0) + 1);
        maxParallel = Math.max(maxParallel, ++parallel);
        await new Promise((resolve) => setTimeout(resolve, 15));
        active.set(runId, active.get(runId)! - 1);
        parallel--;
        return undefined;
      },
    });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, maxConcurrentRequests: 4 });
    const spans = await recordAgentSpans(6);
    await exportSpans(exporter, spans);
    const runs = server.store.runs();
    expect(runs).toHaveLength(6);
    for (const run of runs) {
      expect(run.events.map((event) => event.body.hookEvent)).toEqual([
        "user_prompt",
        "assistant_message",
        "weather",
        "weather",
        "assistant_message",
        "stop",
      ]);
    }
    expect(overlapWithinRun).toEqual([]);
    expect(maxParallel).toBe(4);
    await exporter.shutdown();
    await server.close();
  });

  it("is re-entrant: concurrent exports of interleaved batches deliver every run complete", async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const spans = await recordAgentSpans(4);
    // Chunks cut across traces, exported concurrently, each trace's spans still in end order.
    const chunks = [0, 1, 2, 3, 4].map((index) => spans.slice(index * 5, index * 5 + 5));
    const results = await Promise.all(chunks.map((chunk) => exportSpans(exporter, chunk)));
    await exporter.forceFlush();
    expect(results.every((result) => result.code === ExportResultCode.SUCCESS)).toBe(true);
    expect(server.store.runs().map((run) => run.events.length)).toEqual([6, 6, 6, 6]);
    expect(server.store.runs().every((run) => run.events.at(-1)?.body.hookEvent === "stop")).toBe(true);
    await exporter.shutdown();
    await server.close();
  });
});

describe("sub-agent bursts", () => {
  it("never stall: parents waiting for their children's stops do not hold the slots the children need", async () => {
    const server = await startDevServer({ port: 0, intercept: async () => ({ delayMs: 2 }) });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url, maxConcurrentRequests: 2, flushTimeoutMs: 10_000 });
    const provider = createProvider([processor as never]);
    await Promise.all(Array.from({ length: 12 }, () => orchestratorWithSubAgent("genai", provider)));
    // A stall would leave events pending when the flush deadline passes.
    await processor.forceFlush();
    expect(processor.getStats()).toMatchObject({ eventsQueued: 120, eventsDelivered: 120 });
    expect(server.store.runs().every((run) => run.stop && run.children.every((child) => child.stop))).toBe(true);
    await provider.shutdown();
    await server.close();
  });
});

describe("flush and shutdown", () => {
  it("shutdown() returns within flushTimeoutMs against a dead backend, and later exports fail at once", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl, flushTimeoutMs: 400, exportTimeoutMs: 60_000, maxRetries: 100 });
    const pending = exportSpans(exporter, await recordAgentSpans());
    const started = Date.now();
    await exporter.shutdown();
    // At its own deadline, not when retries against the dead port would give up (a minute away).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await pending).code).toBe(ExportResultCode.FAILED);
    const after = await exportSpans(exporter, await recordAgentSpans());
    expect(after).toMatchObject({ code: ExportResultCode.FAILED });
    expect(after.error?.message).toBe("PermisoSpanExporter is shut down");
    expect(diagLines.some((line) => line.includes("hook events still pending at the flush deadline (400 ms): aborted, counted as failed"))).toBe(true);
    // Nothing is left running past the deadline: every event released was delivered or counted as failed.
    const stats = exporter.getStats();
    expect(stats.eventsFailed + stats.eventsDelivered + stats.eventsDropped).toBe(stats.eventsQueued);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it("forceFlush() delivers what the processor has in flight", async () => {
    let answer!: () => void;
    const answering = new Promise<void>((resolve) => (answer = resolve));
    const server = await startDevServer({ port: 0, intercept: async () => (await answering, undefined) });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    const provider: TestProvider = createProvider([processor as never]);
    await weatherAgent("genai", provider);
    expect(server.store.events()).toHaveLength(0);
    const flushed = processor.forceFlush();
    answer();
    await flushed;
    expect(server.store.events()).toHaveLength(6);
    await provider.shutdown();
    await server.close();
  });

  it("the processor ignores spans after shutdown", async () => {
    const server = await startDevServer({ port: 0 });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    await processor.shutdown();
    const provider = createProvider([processor as never]);
    await weatherAgent("genai", provider);
    await provider.forceFlush();
    expect(server.store.events()).toEqual([]);
    await server.close();
  });
});

describe("bounded queue", () => {
  it("drops beyond maxQueueSize, counts it, reports once per burst, and keeps room for stops", async () => {
    const server = await startDevServer({ port: 0, intercept: async () => ({ delayMs: 200 }) });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, maxQueueSize: 5, maxConcurrentRequests: 1 });
    const result = await exportSpans(exporter, await recordAgentSpans(3));
    await exporter.forceFlush();
    const stats = exporter.getStats();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(stats.eventsDropped).toBeGreaterThan(0);
    expect(stats.eventsDelivered + stats.eventsDropped).toBe(18);
    // Every run still closes.
    expect(server.store.runs().filter((run) => run.stop)).toHaveLength(3);
    expect(diagLines.filter((line) => line.includes("hook events dropped"))).toHaveLength(1);
    await exporter.shutdown();
    await server.close();
  });
});

describe("isolation from the host", () => {
  it("never registers a global tracer provider", async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    await exportSpans(exporter, await recordAgentSpans());
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
    await Promise.all([exporter.shutdown(), processor.shutdown(), server.close()]);
  });

  it("a throwing shouldExportSpan or mask never reaches the host", async () => {
    const server = await startDevServer({ port: 0 });
    const processor = new PermisoSpanProcessor({
      apiKey: "k",
      baseUrl: server.url,
      shouldExportSpan: () => {
        throw new Error("predicate bug");
      },
    });
    const provider = createProvider([processor as never]);
    await expect(weatherAgent("genai", provider)).resolves.toBe("It is sunny in Paris.");
    await provider.shutdown();
    // One line when it starts, one summary when the burst closes (here, at shutdown).
    expect(diagLines.filter((line) => line.includes("shouldExportSpan threw"))).toEqual([
      "warn @permiso-io/custom-hooks-sdk shouldExportSpan threw: Error: predicate bug",
      "warn @permiso-io/custom-hooks-sdk shouldExportSpan threw: 11 more in the last 10 s",
    ]);
    expect(server.store.events()).toEqual([]);
    await server.close();
  });
});
