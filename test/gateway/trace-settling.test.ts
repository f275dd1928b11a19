/** The settling stage in front of the engine, and the intake's drain. */
import { describe, expect, it } from "vitest";
import type { SpanEngine } from "../../src/gateway/engine.js";
import { EnginePool } from "../../src/gateway/engine-pool.js";
import { Intake } from "../../src/gateway/intake.js";
import { GatewayMetrics } from "../../src/gateway/metrics.js";
import { OTLP_CODEC } from "../../src/gateway/otlp/codec.js";
import { settlingEngine } from "../../src/gateway/trace-settling.js";
import type { SpanRecord } from "../../src/engine/span-record.js";
import { spanView } from "../otel/conventions/span-fixture.js";
import { waitFor } from "../support/wait-for.js";

function recordingEngine(): SpanEngine & { batches: string[][]; closed: boolean } {
  const engine = {
    batches: [] as string[][],
    closed: false,
    accept: (spans: readonly SpanRecord[]) => void engine.batches.push(spans.map((span) => `${span.traceId.slice(0, 1)}:${span.name}`)),
    room: 10,
    queueDepth: 0,
    heldSpans: 0,
    heldTraces: 0,
    counters: () => ({ spansAccepted: 0, spansDuplicate: 0, eventsDelivered: 0, eventsFailed: 0, eventsDropped: 0 }),
    close: async () => void (engine.closed = true),
  };
  return engine;
}

const span = (trace: "a" | "b", name: string) => ({ ...spanView({ name }), traceId: trace.repeat(32) });

describe("settlingEngine", () => {
  it("hands a trace over whole once no span of it arrived for settleMs, the root last or not", async () => {
    const inner = recordingEngine();
    const engine = settlingEngine(inner, { settleMs: 30, maxWaitMs: 10_000, maxSettlingSpans: 100 });
    engine.accept([span("a", "root"), span("b", "b1")]);
    engine.accept([span("a", "child")]);
    expect(inner.batches).toEqual([]);
    expect(engine.heldSpans).toBe(3);
    expect(engine.heldTraces).toBe(2);
    await waitFor(() => inner.batches.flat().length === 3, "three spans released");
    // Each trace whole, in one batch (settled traces go together; which settles first depends on its last span).
    const batchOf = (name: string) => inner.batches.findIndex((batch) => batch.includes(name));
    expect(batchOf("a:root")).toBe(batchOf("a:child"));
    expect(inner.batches.flat().sort()).toEqual(["a:child", "a:root", "b:b1"]);
    expect(inner.batches.flat().indexOf("a:root")).toBeLessThan(inner.batches.flat().indexOf("a:child"));
    expect(engine.heldSpans).toBe(0);
  });

  it("counts settling spans against the engine's room", () => {
    const engine = settlingEngine(recordingEngine(), { settleMs: 60_000, maxWaitMs: 60_000, maxSettlingSpans: 100 });
    engine.accept([span("a", "1"), span("a", "2"), span("b", "3")]);
    expect(engine.room).toBe(7);
  });

  it("hands the oldest traces over early past maxSettlingSpans, and everything on close", async () => {
    const inner = recordingEngine();
    const engine = settlingEngine(inner, { settleMs: 60_000, maxWaitMs: 60_000, maxSettlingSpans: 2 });
    engine.accept([span("a", "1"), span("a", "2")]);
    expect(engine.room).toBe(0);
    engine.accept([span("b", "3")]);
    expect(inner.batches).toEqual([["a:1", "a:2"]]);
    await engine.close();
    expect(inner.batches).toEqual([["a:1", "a:2"], ["b:3"]]);
    expect(inner.closed).toBe(true);
  });
});

describe("Intake", () => {
  it("refuses everything as unavailable once draining", () => {
    const pool = new EnginePool({ apiKey: "k" }, () => recordingEngine(), 4);
    const intake = new Intake(undefined, OTLP_CODEC, pool, new GatewayMetrics());
    expect("engine" in intake.admit({ authorization: undefined, apiKey: undefined })).toBe(true);
    intake.drain();
    expect(intake.admit({ authorization: undefined, apiKey: undefined })).toEqual({ kind: "unavailable", message: "the gateway is shutting down" });
  });

  it("takes a request whole or not at all: larger than the room left, it is refused unless nothing waits", () => {
    const engine = { ...recordingEngine(), room: 3, queueDepth: 1 };
    const intake = new Intake(undefined, OTLP_CODEC, new EnginePool({ apiKey: "k" }, () => engine, 4), new GatewayMetrics());
    const spans = [1, 2, 3, 4, 5].map((n) => ({ traceId: "a".repeat(32), spanId: String(n).repeat(16), name: `s${n}` }));
    const body = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
    expect(intake.receive(engine, body, "json")).toEqual({ kind: "throttled", message: "the delivery queue is full; retry later" });
    expect(engine.batches).toEqual([]);
    engine.queueDepth = 0;
    expect(intake.receive(engine, body, "json")).toEqual({ kind: "accepted", partial: undefined });
    expect(engine.batches[0]).toHaveLength(5);
  });

  it("serves at most maxApiKeys sender keys, the gateway's own key always", () => {
    const pool = new EnginePool({ apiKey: "own" }, () => recordingEngine(), 1);
    expect(typeof pool.engineFor("sender-1")).toBe("object");
    expect(pool.engineFor("sender-2")).toBe("too-many-keys");
    expect(typeof pool.engineFor(undefined)).toBe("object");
  });
});
