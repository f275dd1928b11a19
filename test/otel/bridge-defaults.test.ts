/**
 * Every default the README documents for the exporter and the processor,
 * checked by its effect on a real loopback receiver: each test leaves the
 * option under test unset, so a changed default fails here. Deadlines of
 * tens of seconds run on vitest's fake timers (`setTimeout` and `Date`, the
 * bridge's clock), while sockets stay real.
 */
import { context, trace, type Span, type Tracer } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter, PermisoSpanProcessor, runIdForTrace } from "../../src/otel/index.js";
import { weatherAgent } from "../support/ai-scenarios.js";
import { capture } from "../support/bridge-harness.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";
import { recordBurst } from "../support/span-burst.js";
import { settle, until } from "../support/real-time.js";

let server: DevServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** A receiver that takes every request and never answers it; `runIds` lists each request's run. */
async function hangingReceiver(): Promise<{ url: string; requests: () => number; runIds: string[] }> {
  const runIds: string[] = [];
  server = await startDevServer({ port: 0, intercept: ({ body }) => (runIds.push(JSON.parse(body).runId), { hang: true }) });
  return { url: server.url, requests: () => runIds.length, runIds };
}

const useFakeClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });

async function weatherAgentSpans(): Promise<any[]> {
  const memory = new InMemorySpanExporter();
  const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
  await weatherAgent("genai", provider);
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** A GenAI model call, ended at once: the prompt and the answer, each one text part. */
function endedModelCall(tracer: Tracer, parent: Span, prompt: string, answer: string): void {
  const messages = (role: string, text: string, finish?: string) => JSON.stringify([{ role, parts: [{ type: "text", content: text }], finish_reason: finish }]);
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "m",
    "gen_ai.input.messages": messages("user", prompt),
    "gen_ai.output.messages": messages("assistant", answer, "stop"),
  };
  tracer.startSpan("chat m", { attributes }, trace.setSpan(context.active(), parent)).end();
}

describe("bridge defaults", () => {
  it("maxFieldLength: 100000", async () => {
    const { bodies } = await capture("processor", async (provider) => {
      const tracer = provider.getTracer("defaults");
      const agent = tracer.startSpan("invoke_agent writer", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "writer" } });
      endedModelCall(tracer, agent, "x".repeat(100_000), "x".repeat(100_001));
      agent.end();
    });
    const [prompt, answer] = bodies.map((body) => (body.event as { text: string }).text);
    expect(prompt).toBe("x".repeat(100_000));
    expect(answer).toHaveLength(100_000);
    expect(answer.endsWith("…[truncated 22 chars]")).toBe(true);
  });

  it("maxConcurrentRequests: 8", async () => {
    const receiver = await hangingReceiver();
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: receiver.url, flushTimeoutMs: 100 });
    const provider = createProvider([processor as never]);
    // Twelve runs, each with events to send: eight go at once, the rest wait.
    await Promise.all(Array.from({ length: 12 }, () => weatherAgent("genai", provider)));
    await until(() => receiver.requests() === 8, "8 requests in flight");
    // Give a ninth every chance to arrive: it must not.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests()).toBe(8);
    await provider.shutdown();
  });

  it("maxQueueSize: 10000, and a reserve of max(16, maxQueueSize / 10) = 1000 more for stops", async () => {
    const receiver = await hangingReceiver();
    const burst = await recordBurst();
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: receiver.url, flushTimeoutMs: 100 });
    // Enough runs that the queue fills with events, then with stops, then refuses both.
    for (const replayed of burst.traces(3_000)) replayed.feed(processor as never);
    // Eight runs' first events in flight (the default maxConcurrentRequests), never answered.
    await until(() => receiver.requests() === 8, "8 requests in flight");
    const stats = processor.getStats();
    expect(stats.eventsQueued).toBeGreaterThan(13_000);
    // Accepted: those in flight, 10,000 waiting, and the stops' 1,000; the rest dropped and counted.
    expect(stats.eventsQueued - stats.eventsDropped).toBe(8 + 10_000 + 1_000);
    // What the flush could not deliver is aborted and counted, never left waiting.
    await processor.forceFlush();
    expect(processor.getStats().eventsFailed).toBe(8 + 11_000);
    await processor.shutdown();
  });

  it("exportTimeoutMs: 25000", async () => {
    const receiver = await hangingReceiver();
    const spans = await weatherAgentSpans();
    useFakeClock();
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: receiver.url, flushTimeoutMs: 100 });
    let result: { code: number; error?: Error } | undefined;
    exporter.export(spans, (answer) => (result = answer));
    await until(() => receiver.requests() === 1, "the first event in flight");
    await vi.advanceTimersByTimeAsync(24_999);
    await settle();
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await until(() => result !== undefined, "the export's result");
    expect(result).toMatchObject({ code: ExportResultCode.FAILED });
    expect(result?.error?.message).toBe("hook events not delivered within 25000 ms");
    expect(exporter.getStats()).toMatchObject({ eventsQueued: 6, eventsFailed: 6, eventsDelivered: 0 });
    vi.useRealTimers();
    await exporter.shutdown();
  });

  it("flushTimeoutMs: 30000", async () => {
    const receiver = await hangingReceiver();
    useFakeClock();
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: receiver.url });
    const provider = createProvider([processor as never]);
    await weatherAgent("genai", provider);
    await until(() => receiver.requests() === 1, "the first event in flight");
    let flushed = false;
    void processor.forceFlush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(29_999);
    await settle();
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => flushed, "the flush");
    expect(processor.getStats()).toMatchObject({ eventsQueued: 6, eventsFailed: 6, eventsDelivered: 0 });
    let shutDown = false;
    void processor.shutdown().then(() => (shutDown = true));
    await vi.advanceTimersByTimeAsync(30_000);
    await until(() => shutDown, "the shutdown");
  });

  it("holdTimeoutMs: 60000, checked every 5 s", async () => {
    const receiver = await hangingReceiver();
    // The agent span never arrives: its model calls and tool wait for their run.
    const spans = (await weatherAgentSpans()).filter((span) => !span.name.startsWith("invoke_agent"));
    useFakeClock();
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: receiver.url, flushTimeoutMs: 100 });
    await new Promise((resolve) => exporter.export(spans, resolve));
    await vi.advanceTimersByTimeAsync(59_999);
    await settle();
    expect(receiver.requests()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_001);
    await until(() => receiver.requests() === 1, "the held spans' first event");
    vi.useRealTimers();
    await exporter.shutdown();
  });

  it("maxHeldSpans: 20000", async () => {
    const receiver = await hangingReceiver();
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: receiver.url, flushTimeoutMs: 100 });
    const memory = new InMemorySpanExporter();
    const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
    const tracer = provider.getTracer("held");
    /** A trace whose root never ends: a model call and `others` plain spans, all waiting for their run. */
    const heldTrace = (others: number) => {
      const root = tracer.startSpan("request");
      const inRoot = trace.setSpan(context.active(), root);
      endedModelCall(tracer, root, "hi", "hello");
      for (let i = 0; i < others; i++) tracer.startSpan("work", {}, inRoot).end();
      const spans = memory.getFinishedSpans();
      memory.reset();
      return { spans, runTraceId: root.spanContext().traceId };
    };
    const exportInBatches = async (spans: any[]) => {
      for (let i = 0; i < spans.length; i += 500) await new Promise((resolve) => exporter.export(spans.slice(i, i + 500), resolve));
    };
    const first = heldTrace(9_999);
    const second = heldTrace(9_999);
    await exportInBatches(first.spans);
    await exportInBatches(second.spans);
    await settle();
    // 20,000 spans wait: at the limit, not past it.
    expect(receiver.requests()).toBe(0);
    expect(exporter.getStats().eventsQueued).toBe(0);
    // One more, and the oldest trace goes with what is known (the export then waits for its delivery, which hangs).
    exporter.export(heldTrace(0).spans, () => {});
    await until(() => receiver.requests() === 1, "the oldest trace's first event");
    expect(receiver.runIds).toEqual([runIdForTrace(first.runTraceId)]);
    expect(exporter.getStats().eventsQueued).toBe(2);
    await exporter.shutdown();
    await provider.shutdown();
  });
});
