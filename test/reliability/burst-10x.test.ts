/**
 * Ten times the burst (60,000 real AI SDK gen_ai spans, one trace per turn
 * of the event loop) against a healthy local receiver. Delivery cannot keep
 * up, so something gives: it must be only our own bounded queue, never the
 * BatchSpanProcessor's, counted in getStats(), reported once through diag,
 * with stops still closing runs from their reserve.
 */
import { diag } from "@opentelemetry/api";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { BURST_WINDOW_MS } from "../../src/engine/burst-reporter.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { captureDiag } from "../support/diag-lines.js";
import { recordBurstWithShape, expectStopsLast, runsOf, type CycleShape } from "../support/burst-checks.js";
import { BatchSpanProcessor } from "../support/otel-sdk.js";
import { offer, type SpanBurst } from "../support/span-burst.js";

const SPANS = 60_000;

let burst: SpanBurst;
let shape: CycleShape;
let server: DevServer;
const diagLines: string[] = [];

beforeAll(async () => ({ burst, shape } = await recordBurstWithShape()));
beforeEach(async () => {
  // Large enough for the whole burst: what the receiver keeps is what arrived.
  server = await startDevServer({ port: 0, maxEvents: 1_000_000 });
  captureDiag(diagLines);
});
afterEach(async () => {
  diag.disable();
  await server.close();
});

describe(`ten times the burst: ${SPANS.toLocaleString("en-US")} gen_ai spans`, () => {
  it.each(["exporter behind a default BatchSpanProcessor", "processor"] as const)("%s: loses only in its own bounded queue, counted and reported once per burst, stops kept", async (attachment) => {
    const cycles = Math.ceil(SPANS / burst.spansPerCycle);
    // The flush must outlast delivery of what the queue kept (up to a minute on a loaded machine): an event it
    // gave up on would count as failed, which only the machine's speed would have caused.
    const options = { apiKey: "k", baseUrl: server.url, flushTimeoutMs: 150_000 };
    const bridge = attachment === "processor" ? new PermisoSpanProcessor(options) : new PermisoSpanExporter(options);
    const processor = bridge instanceof PermisoSpanExporter ? new BatchSpanProcessor(bridge as never) : bridge;
    const started = Date.now();
    const offered = await offer(processor as never, burst.traces(cycles * burst.tracesPerCycle));
    await processor.forceFlush().catch(() => undefined);
    await bridge.forceFlush();
    const stats = bridge.getStats();
    const burstWindows = Math.ceil((Date.now() - started) / BURST_WINDOW_MS);

    // Every span reached the bridge: nothing was lost in the BatchSpanProcessor's queue.
    expect(stats.spansSeen).toBe(offered);
    expect(diagLines.filter((line) => /maxQueueSize reached/.test(line))).toEqual([]);
    // Whatever was lost, was lost in our queue, and is counted.
    expect(stats.eventsQueued).toBe(shape.events * cycles);
    expect(stats.eventsDelivered + stats.eventsDropped).toBe(stats.eventsQueued);
    expect(stats.eventsFailed).toBe(0);
    expect(server.store.events()).toHaveLength(stats.eventsDelivered);
    // Reported through diag once for the burst, not once per event. (An export that lost events also
    // reports FAILED, which the BatchSpanProcessor logs once per batch: never success for what was not sent.)
    const dropLines = diagLines.filter((line) => line.includes("hook events dropped: the delivery queue is full"));
    if (stats.eventsDropped > 0) expect(dropLines.length).toBeGreaterThanOrEqual(1);
    expect(dropLines.length).toBeLessThanOrEqual(burstWindows);

    // Stops have a reserve: runs keep closing while events are dropped, each stop its run's last event.
    expectStopsLast(server);
    const runs = runsOf(server);
    const stops = [...runs.values()].filter((events) => events.at(-1)?.hookEvent === "stop").length;
    const others = stats.eventsDelivered - stops;
    const expectedRuns = shape.runs * cycles;
    if (stats.eventsDropped > 0) expect(stops / expectedRuns).toBeGreaterThan(others / (stats.eventsQueued - expectedRuns));
    else expect(stops).toBe(expectedRuns);
    await (processor === bridge ? bridge.shutdown() : (processor as { shutdown(): Promise<void> }).shutdown().catch(() => bridge.shutdown()));
  }, 180_000);
});
