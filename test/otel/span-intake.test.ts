/**
 * The host's calls only record spans: the processor's onStart/onEnd and the
 * exporter's export() leave the engine's work (conventions, composition,
 * requests) to a microtask right after, and a flush, a shutdown or a
 * guard's question hands over what was recorded first.
 */
import { describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import { guardLinkOf } from "../../src/otel/guard-link.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { recordBurst } from "../support/span-burst.js";

describe("the intake", () => {
  it("the processor's onStart and onEnd only record; the work happens right after the host's code", async () => {
    const burst = await recordBurst();
    const server = await startDevServer({ port: 0 });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    const [weather] = burst.traces(1);
    weather.feed(processor);
    expect(processor.getStats()).toMatchObject({ spansSeen: 0, eventsQueued: 0 });
    // A host that never leaves the microtask queue still has its spans taken as it goes: nothing piles up.
    await Promise.resolve();
    expect(processor.getStats()).toMatchObject({ spansSeen: weather.spans, eventsQueued: 6 });
    await processor.shutdown();
    await server.close();
  });

  it("forceFlush() hands over what was just recorded, and delivers it", async () => {
    const burst = await recordBurst();
    const server = await startDevServer({ port: 0 });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    burst.traces(1)[0].feed(processor);
    await processor.forceFlush();
    expect(server.store.events()).toHaveLength(6);
    await processor.shutdown();
    await server.close();
  });

  it("a guard's question about a span first hands over what was recorded", async () => {
    const burst = await recordBurst();
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: "http://127.0.0.1:9", flushTimeoutMs: 100 });
    const answers: Array<string | undefined> = [];
    const spy = {
      // As a guard does when a tool is about to run: ask about the span that just started, in the same turn.
      onStart: (span: any, parent: any) => {
        processor.onStart(span, parent);
        const { traceId, spanId } = span.spanContext();
        answers.push(guardLinkOf(processor)?.runOfSpan(traceId, spanId)?.runId);
      },
      onEnd: (span: any) => processor.onEnd(span),
      forceFlush: () => processor.forceFlush(),
      shutdown: () => processor.shutdown(),
    };
    burst.traces(1)[0].feed(spy);
    expect(answers.length).toBeGreaterThan(0);
    for (const runId of answers) expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await processor.shutdown();
  });

  it("export() returns before the spans are read", async () => {
    const burst = await recordBurst();
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: "http://127.0.0.1:9", flushTimeoutMs: 100 });
    const ended: any[] = [];
    burst.traces(1)[0].feed({ onStart() {}, onEnd: (span: any) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} });
    exporter.export(ended, () => {});
    expect(exporter.getStats().spansSeen).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exporter.getStats().spansSeen).toBe(ended.length);
    await exporter.shutdown();
  });
});
