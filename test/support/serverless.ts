/**
 * A serverless invocation, as the tests shape it: the agent runs, its spans
 * end, the provider is flushed, and the function freezes the moment the
 * flush resolves. The freeze is simulated by the receiver refusing every
 * request from then on; what the receiver and the bridge's counters say at
 * that moment is what a frozen function would have left behind.
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { expect } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import type { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { weatherAgentWithGlobalTracer } from "./ai-scenarios.js";
import { runsOf } from "./burst-checks.js";

export interface Freezable {
  server: DevServer;
  /** From now on every request hangs (`"hang"`), as a frozen function's would. */
  freeze(): void;
}

/** The strict receiver; `hangFromStart` makes it hang on every request (an endpoint that never answers). */
export async function startFreezableReceiver(hangFromStart = false): Promise<Freezable> {
  let frozen = hangFromStart;
  const server = await startDevServer({ port: 0, intercept: () => (frozen ? { hang: true } : undefined) });
  return { server, freeze: () => (frozen = true) };
}

/** The global provider a setup registered (NodeSDK, @vercel/otel). */
export function globalProvider(): { forceFlush(): Promise<void> } {
  const proxy = trace.getTracerProvider() as unknown as { getDelegate?: () => { forceFlush(): Promise<void> } };
  return proxy.getDelegate?.() ?? (proxy as never);
}

/** Lets the next test register its own globals. */
export function clearGlobals(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Agent turns running at once in one invocation. */
export const INVOCATION_RUNS = 5;

export async function runInvocation(): Promise<void> {
  await Promise.all(Array.from({ length: INVOCATION_RUNS }, () => weatherAgentWithGlobalTracer("genai")));
}

/** At the freeze: every run arrived whole, and the bridge has nothing left in flight. */
export function expectDeliveredAtFreeze(receiver: Freezable, bridge: PermisoSpanExporter | PermisoSpanProcessor): void {
  const stats = bridge.getStats();
  expect(receiver.server.rejected).toEqual([]);
  const runs = runsOf(receiver.server);
  expect(runs.size).toBe(INVOCATION_RUNS);
  for (const events of runs.values()) {
    expect(events.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "weather", "weather", "assistant_message", "stop"]);
  }
  expect(stats).toMatchObject({ eventsQueued: 6 * INVOCATION_RUNS, eventsDelivered: 6 * INVOCATION_RUNS, eventsFailed: 0, eventsDropped: 0 });
}

/** Against an endpoint that never answers: every event released was aborted at the deadline and counted. */
export function expectAbortedAndCounted(bridge: PermisoSpanExporter | PermisoSpanProcessor): void {
  const stats = bridge.getStats();
  expect(stats.eventsQueued).toBe(6 * INVOCATION_RUNS);
  expect(stats).toMatchObject({ eventsDelivered: 0, eventsFailed: stats.eventsQueued });
}
