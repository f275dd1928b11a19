/**
 * The bridge under injected faults: bursts of 5xx, 429 with Retry-After,
 * resets, hung and slow requests, lost responses, then recovery. Whatever
 * happens, nothing is lost once the endpoint recovers, each run's stop comes
 * last, and the host sees no stall and no unhandled rejection.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HookBody } from "../../src/protocol/body.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { DEFAULT_TIMEOUT_MS } from "../../src/transport/endpoint.js";
import { orchestratorWithSubAgent, weatherAgent } from "../support/ai-scenarios.js";
import { BatchSpanProcessor, createProvider, type TestProvider } from "../support/otel-sdk.js";
import { deadPort } from "../support/recorder.js";
import { burstThenRecover, startFaultReceiver, type Fault, type FaultReceiver } from "./fault-receiver.js";
import { stallOf, watchHost, type HostGuards } from "./host-guards.js";

const ALL_TRANSIENT: Fault[] = ["503", "502", "504", "reset", "429", "hang", "slow", "lost-response"];
/** 10 weather runs (6 events each) and 10 orchestrations (two runs, 5 events each). */
const EXPECTED_EVENTS = 10 * 6 + 10 * 10;
const EXPECTED_RUNS = 10 + 10 * 2;

let guards: HostGuards;
const diagLines: string[] = [];
beforeEach(() => {
  guards = watchHost();
  diagLines.length = 0;
  const log = (message: string, ...args: unknown[]) => diagLines.push([message, ...args].join(" "));
  diag.setLogger({ error: log, warn: log, info: log, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
});
afterEach(() => {
  guards.stop();
  diag.disable();
});

/**
 * Twenty agent turns. Between rounds the host yields to the event loop, as a
 * real one does while it waits for its model; the mock models never wait,
 * and without it the whole workload would be one stall of the host's own.
 */
async function workload(provider: TestProvider): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.all([weatherAgent("genai", provider), orchestratorWithSubAgent("legacy", provider)]);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The longest stall of the same workload without the bridge: the host's own share, which is not ours to bound. */
const hostAlone = () => stallOf(() => workload(createProvider([])));

/** Each hung request was cut at the bridge's timeoutMs, not left to the default one: its event came again sooner. */
function expectHungRequestsCut(receiver: FaultReceiver): void {
  const { requests } = receiver;
  const hung = requests.filter((request) => request.fault === "hang");
  expect(hung.length).toBeGreaterThan(0);
  for (const request of hung) {
    const again = requests.find((later) => later.at >= request.at && later !== request && later.body?.event?.eventId === request.body.event.eventId);
    expect(again, `event ${request.body.event.eventId} sent again`).toBeDefined();
    expect(again!.at - request.at).toBeLessThan(DEFAULT_TIMEOUT_MS);
  }
}

function expectCompleteAndOrdered(receiver: FaultReceiver): void {
  expect(receiver.server.rejected).toEqual([]);
  const accepted = receiver.server.store.events().map((event) => event.body);
  const byId = new Map<string, HookBody[]>();
  for (const body of accepted) {
    const id = (body.event as { eventId: string }).eventId;
    byId.set(id, [...(byId.get(id) ?? []), body]);
  }
  // At least once: every event arrived; a duplicate is the same event, recognisable by its id.
  expect(byId.size).toBe(EXPECTED_EVENTS);
  for (const copies of byId.values()) {
    const [first, ...rest] = copies.map(({ clientSentAtMs: _sent, ...body }) => body);
    for (const copy of rest) expect(copy).toEqual(first);
  }
  const runs = new Map<string, HookBody[]>();
  for (const body of accepted) runs.set(body.runId, [...(runs.get(body.runId) ?? []), body]);
  expect(runs.size).toBe(EXPECTED_RUNS);
  for (const events of runs.values()) {
    const stops = events.filter((body) => body.hookEvent === "stop");
    expect(new Set(stops.map((body) => (body.event as { eventId: string }).eventId)).size).toBe(1);
    expect(events.at(-1)?.hookEvent).toBe("stop");
  }
}

describe("bridge under faults", () => {
  it.each(["exporter", "processor"] as const)("%s: nothing lost after a burst of every transient fault", async (attachment) => {
    const receiver = await startFaultReceiver(burstThenRecover(ALL_TRANSIENT, { ms: 1_500, requests: 16 }));
    const options = { apiKey: "k", baseUrl: receiver.url, timeoutMs: 400, maxRetries: 6 };
    const bridge = attachment === "exporter" ? new PermisoSpanExporter(options) : new PermisoSpanProcessor(options);
    const processor = bridge instanceof PermisoSpanExporter ? new BatchSpanProcessor(bridge as never, { scheduledDelayMillis: 50 }) : bridge;
    const provider = createProvider([processor as never]);
    const host = await hostAlone();
    await workload(provider);
    await provider.forceFlush();
    await bridge.forceFlush();
    await provider.shutdown();

    expect(receiver.requests.filter((request) => request.fault).length).toBeGreaterThan(10);
    expectCompleteAndOrdered(receiver);
    const stats = bridge.getStats();
    expect(stats.eventsDelivered).toBe(EXPECTED_EVENTS);
    expect(stats.eventsFailed + stats.eventsDropped).toBe(0);
    expectHungRequestsCut(receiver);
    expect(guards.unhandled).toEqual([]);
    // What the bridge adds to the host's longest stall.
    expect(guards.maxStallMs() - host).toBeLessThan(50);
    await receiver.close();
  });

  it("a 400 is not retried, is summarised once per burst, and does not block the run", async () => {
    const receiver = await startFaultReceiver((attempt) => (attempt === 2 ? "400" : undefined));
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: receiver.url });
    const provider = createProvider([new BatchSpanProcessor(exporter as never, { scheduledDelayMillis: 20 }) as never]);
    await weatherAgent("genai", provider);
    // The export reports the failure, so the SDK's batch processor rejects its flush.
    await expect(provider.forceFlush()).rejects.toBeDefined();
    await provider.shutdown().catch(() => {});
    expect(receiver.requests).toHaveLength(6);
    expect(receiver.server.store.events().map((event) => event.body.hookEvent)).toEqual([
      "user_prompt",
      "weather",
      "weather",
      "assistant_message",
      "stop",
    ]);
    expect(diagLines).toContain("@permiso-io/custom-hooks-sdk hook events not delivered: API error: 400 Bad Request: event.text: Required");
    await receiver.close();
  });
});

describe("bridge against a dead backend", () => {
  it("keeps queues bounded, counts drops, reports once per burst, and shuts down within its deadline", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl, maxQueueSize: 20, flushTimeoutMs: 1_000, maxRetries: 10 });
    const provider = createProvider([processor as never]);
    const host = await hostAlone();
    await workload(provider);
    const stats = processor.getStats();
    expect(stats.eventsDropped).toBeGreaterThan(0);
    expect(stats.eventsQueued).toBe(EXPECTED_EVENTS);
    const started = Date.now();
    await processor.shutdown();
    // At its deadline, not after the retries (0.5 + 1 + 2 + 4 + 6 × 5 s of backoff): far sooner, however loaded the machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(diagLines.filter((line) => line.includes("hook events dropped: the delivery queue is full"))).toHaveLength(1);
    expect(diagLines.filter((line) => line.includes("hook events not delivered: connect ECONNREFUSED"))).toHaveLength(1);
    expect(guards.unhandled).toEqual([]);
    expect(guards.maxStallMs() - host).toBeLessThan(50);
    await provider.shutdown();
  });
});
