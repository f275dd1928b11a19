/**
 * What a burst must leave at the receiver: how many events and runs one
 * cycle of the recorded runs produces (measured once through a processor),
 * and checks that every run arrived whole, its stop last.
 */
import { expect } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { PermisoSpanProcessor } from "../../src/otel/index.js";
import { offer, recordBurst, type SpanBurst } from "./span-burst.js";

export interface CycleShape {
  events: number;
  runs: number;
}

/** Events and runs of one cycle of the recorded traces, through the processor, one trace at a time. */
export async function cycleShape(burst: SpanBurst): Promise<CycleShape> {
  const server = await startDevServer({ port: 0 });
  try {
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    await offer(processor, burst.traces(burst.tracesPerCycle));
    await processor.shutdown();
    expect(server.rejected).toEqual([]);
    return { events: server.store.events().length, runs: runsOf(server).size };
  } finally {
    await server.close();
  }
}

/** The recorded runs, and what one cycle of them produces. */
export async function recordBurstWithShape(): Promise<{ burst: SpanBurst; shape: CycleShape }> {
  const burst = await recordBurst();
  return { burst, shape: await cycleShape(burst) };
}

export function runsOf(server: DevServer): Map<string, HookBody[]> {
  const runs = new Map<string, HookBody[]>();
  for (const { body } of server.store.events()) {
    let events = runs.get(body.runId);
    if (!events) runs.set(body.runId, (events = []));
    events.push(body);
  }
  return runs;
}

/** Every run that has a stop has exactly one, and it is the run's last event. */
export function expectStopsLast(server: DevServer): void {
  expect(server.rejected).toEqual([]);
  for (const [runId, events] of runsOf(server)) {
    const stops = events.filter((body) => body.hookEvent === "stop");
    expect(stops.length, `run ${runId}`).toBeLessThanOrEqual(1);
    if (stops.length === 1) expect(events.at(-1)?.hookEvent, `run ${runId}`).toBe("stop");
  }
}

/** Every event of every trace arrived, each run closed by its stop. */
export function expectComplete(server: DevServer, shape: CycleShape, cycles: number): void {
  expectStopsLast(server);
  const runs = runsOf(server);
  expect(server.store.events().length).toBe(shape.events * cycles);
  expect(runs.size).toBe(shape.runs * cycles);
  for (const events of runs.values()) expect(events.at(-1)?.hookEvent).toBe("stop");
}
