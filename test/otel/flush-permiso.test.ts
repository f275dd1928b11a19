/**
 * The flush guarantee where `provider.forceFlush()` cannot give it: a full
 * batch is acknowledged before delivery (so a BatchSpanProcessor keeps up
 * with a burst), and a BatchSpanProcessor whose buffer is empty never calls
 * its exporter. `flushPermiso()` (or `exporter.forceFlush()`) settles
 * everything released so far, held spans included, within flushTimeoutMs.
 */
import { ExportResultCode } from "@opentelemetry/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { flushPermiso, PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { expectStopsLast } from "../support/burst-checks.js";
import { BatchSpanProcessor } from "../support/otel-sdk.js";
import { offer, recordBurst, type ReplayedTrace, type SpanBurst } from "../support/span-burst.js";

let burst: SpanBurst;
beforeAll(async () => (burst = await recordBurst()));

/** A receiver that holds every answer until `open()`. */
async function gatedReceiver(): Promise<{ server: DevServer; open(): void }> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const server = await startDevServer({ port: 0, intercept: async () => (await gate, undefined) });
  return { server, open };
}

/** Ended spans of these traces, in the order they ended. */
function endedSpans(traces: ReplayedTrace[]): any[] {
  const ended: any[] = [];
  const collector = { onStart() {}, onEnd: (span: any) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  for (const t of traces) t.feed(collector);
  return ended;
}

let server: DevServer | undefined;
afterEach(async () => server?.close());

describe("a full batch, and flushPermiso()", () => {
  it("a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included", async () => {
    const receiver = await gatedReceiver();
    server = receiver.server;
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const spans = endedSpans(burst.traces(100)).slice(0, 512);
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    // Acknowledged before anything was delivered: the receiver has answered nothing yet.
    expect(exporter.getStats().eventsDelivered).toBe(0);
    expect(exporter.getStats().eventsQueued).toBeGreaterThan(0);
    receiver.open();
    await flushPermiso();
    const stats = exporter.getStats();
    // The last trace's spans cut off by the batch waited for their run: the flush released them too.
    expect(stats.spansSeen).toBe(512);
    expect(stats.eventsDelivered).toBe(stats.eventsQueued);
    expect(server.store.events()).toHaveLength(stats.eventsQueued);
    expectStopsLast(server);
    await exporter.shutdown();
  });

  it("knows a full batch by OTEL_BSP_MAX_EXPORT_BATCH_SIZE, as NodeSDK's BatchSpanProcessor does", async () => {
    const receiver = await gatedReceiver();
    server = receiver.server;
    process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = "100";
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    delete process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE;
    const spans = endedSpans(burst.traces(40));
    const full = await new Promise<{ code: number }>((resolve) => exporter.export(spans.slice(0, 100), resolve));
    expect(full.code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.getStats().eventsDelivered).toBe(0);
    // A smaller batch waits for delivery, of its own events and of the full batch's.
    let smallerAnswered = false;
    exporter.export(spans.slice(100, 150), () => (smallerAnswered = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(smallerAnswered).toBe(false);
    receiver.open();
    await flushPermiso();
    expect(smallerAnswered).toBe(true);
    await exporter.shutdown();
  });

  it("covers what provider.forceFlush() cannot reach: a BatchSpanProcessor whose buffer is empty", async () => {
    const receiver = await gatedReceiver();
    server = receiver.server;
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const batch = new BatchSpanProcessor(exporter as never);
    // Exactly one full batch: the BatchSpanProcessor sends it the moment it fills, and its buffer is empty after.
    const spans = endedSpans(burst.traces(100)).slice(0, 512);
    for (const span of spans) batch.onEnd(span);
    await new Promise((resolve) => setImmediate(resolve));
    await batch.forceFlush();
    // The flush found nothing to export, so it could not wait for the events of the batch sent before it.
    expect(exporter.getStats().eventsDelivered).toBeLessThan(exporter.getStats().eventsQueued);
    receiver.open();
    await flushPermiso();
    const stats = exporter.getStats();
    expect(stats.eventsDelivered).toBe(stats.eventsQueued);
    await batch.shutdown();
  });

  it("flushes every exporter and processor of the process at once", async () => {
    server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    exporter.export(endedSpans(burst.traces(4)), () => {});
    await offer(processor, burst.traces(4));
    await flushPermiso();
    for (const bridge of [exporter, processor]) {
      const stats = bridge.getStats();
      expect(stats.eventsQueued).toBeGreaterThan(0);
      expect(stats.eventsDelivered).toBe(stats.eventsQueued);
    }
    await Promise.all([exporter.shutdown(), processor.shutdown()]);
  });

  it("against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects", async () => {
    server = await startDevServer({ port: 0, intercept: () => ({ hang: true }) });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, flushTimeoutMs: 300, timeoutMs: 60_000 });
    exporter.export(endedSpans(burst.traces(4)), () => {});
    await expect(flushPermiso()).resolves.toBeUndefined();
    const stats = exporter.getStats();
    expect(stats.eventsQueued).toBeGreaterThan(0);
    expect(stats).toMatchObject({ eventsDelivered: 0, eventsFailed: stats.eventsQueued });
    await exporter.shutdown();
  });
});
