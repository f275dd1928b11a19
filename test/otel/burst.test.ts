/**
 * A burst: 6,000 real AI SDK gen_ai spans offered as fast as a host
 * produces them (one trace per turn of the event loop), to the exporter
 * behind a BatchSpanProcessor with its default settings (what NodeSDK's
 * `traceExporter` and `@vercel/otel` build) and to the processor, against
 * the strict local receiver. Nothing may be lost anywhere, and the flush
 * that follows must mean delivered: it is checked the moment it resolves.
 */
import { diag } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { captureDiag } from "../support/diag-lines.js";
import { recordBurstWithShape, expectComplete, type CycleShape } from "../support/burst-checks.js";
import { BatchSpanProcessor } from "../support/otel-sdk.js";
import { offer, type SpanBurst } from "../support/span-burst.js";

const SPANS = 6_000;

let burst: SpanBurst;
let shape: CycleShape;
let server: DevServer;
const diagLines: string[] = [];

beforeAll(async () => ({ burst, shape } = await recordBurstWithShape()), 60_000);
beforeEach(async () => {
  server = await startDevServer({ port: 0 });
  captureDiag(diagLines);
});
afterEach(async () => {
  diag.disable();
  await server.close();
});
afterAll(() => diag.disable());

const cycles = () => Math.ceil(SPANS / burst.spansPerCycle);
/**
 * A burst takes 10 to 20 s on a loaded 2-core machine; what is checked is
 * that nothing is lost and that the flush means delivered, not how fast, so
 * neither the test nor the flush may run out of time first.
 */
const BURST_TIMEOUT_MS = 180_000;
const flushTimeoutMs = 120_000;

describe(`a burst of ${SPANS.toLocaleString("en-US")} gen_ai spans`, { timeout: BURST_TIMEOUT_MS }, () => {
  it("behind a default BatchSpanProcessor: every span reaches the exporter, and its flush means every event is delivered", async () => {
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, flushTimeoutMs });
    const batch = new BatchSpanProcessor(exporter as never);
    const offered = await offer(batch as never, burst.traces(cycles() * burst.tracesPerCycle));
    await batch.forceFlush();
    // Checked the moment the flush resolves, as a function frozen right after it would leave things.
    const stats = exporter.getStats();
    expect(stats.spansSeen).toBe(offered);
    expect(stats).toMatchObject({ eventsDropped: 0, eventsFailed: 0, eventsQueued: shape.events * cycles(), eventsDelivered: shape.events * cycles() });
    expectComplete(server, shape, cycles());
    // The BatchSpanProcessor reports its own drops through diag; there were none.
    expect(diagLines.filter((line) => /[Dd]ropped|dropping/.test(line))).toEqual([]);
    await batch.shutdown();
  });

  it("through the processor: every event is delivered, each run's stop last, by the end of its flush", async () => {
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url, flushTimeoutMs });
    const offered = await offer(processor, burst.traces(cycles() * burst.tracesPerCycle));
    await processor.forceFlush();
    const stats = processor.getStats();
    expect(stats.spansSeen).toBe(offered);
    expect(stats).toMatchObject({ eventsDropped: 0, eventsFailed: 0, eventsDelivered: shape.events * cycles() });
    expectComplete(server, shape, cycles());
    await processor.shutdown();
  });
});
