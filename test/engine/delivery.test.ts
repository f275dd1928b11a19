/** The delivery queue alone, with a scripted send. */
import { describe, expect, it } from "vitest";
import { closeWithClientSentAt, DeliveryQueue, openJson, type DeliveryOptions } from "../../src/engine/delivery.js";
import type { SendResult } from "../../src/transport/types.js";
import { systemClock } from "../../src/engine/clock.js";

/** The system's timers, with a fixed reading of the time. */
const fixedTime = (now: number) => ({ now: () => now, setTimer: systemClock.setTimer });

const ok: SendResult = { status: "success", response: { statusCode: 200, statusText: "OK", body: "" } };

function queue(send: DeliveryOptions["send"], overrides: Partial<DeliveryOptions> = {}) {
  const counts = { dropped: 0, failed: 0, delivered: 0 };
  const delivery = new DeliveryQueue({
    send,
    maxConcurrentRuns: 2,
    maxQueuedEvents: 20,
    deliveryTimeoutMs: 1000,
    attemptTimeoutMs: 100,
    onSuccess: () => counts.delivered++,
    onFailure: () => counts.failed++,
    onDrop: () => counts.dropped++,
    ...overrides,
  });
  return { delivery, counts };
}

describe("DeliveryQueue", () => {
  it("sends one run's events in order, one at a time, and stamps clientSentAtMs at send", async () => {
    const sent: string[] = [];
    const { delivery } = queue(async (payload) => {
      sent.push(payload);
      await new Promise((resolve) => setTimeout(resolve, 2));
      return ok;
    }, { clock: fixedTime(42) });
    const results = await Promise.all(
      [1, 2, 3].map((n) => delivery.enqueue({ runId: "r", openBody: openJson(`{"n":${n}}`), isStop: n === 3 })),
    );
    expect(results).toEqual(["delivered", "delivered", "delivered"]);
    expect(sent).toEqual(['{"n":1,"clientSentAtMs":42}', '{"n":2,"clientSentAtMs":42}', '{"n":3,"clientSentAtMs":42}']);
  });

  it("a send that throws, or a callback that throws, fails that event and never stalls the run or escapes", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let calls = 0;
      const { delivery } = queue(
        (payload) => {
          calls++;
          if (payload.startsWith('{"n":1')) throw new Error("transport bug");
          return Promise.resolve(ok);
        },
        {
          onSuccess: () => {
            throw new Error("callback bug");
          },
        },
      );
      const results = await Promise.all([1, 2, 3].map((n) => delivery.enqueue({ runId: "r", openBody: openJson(`{"n":${n}}`), isStop: false })));
      // The first throws in the transport; the others were sent, and their callback threw.
      expect(results).toEqual(["failed", "failed", "failed"]);
      expect(calls).toBe(3);
      expect(delivery.pending).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("bounds waiting events, keeps a reserve for stops, and bounds that too", async () => {
    const { delivery, counts } = queue(() => new Promise<SendResult>(() => {}), { maxConcurrentRuns: 1 });
    const results: Array<Promise<string>> = [];
    for (let i = 0; i < 30; i++) results.push(delivery.enqueue({ runId: `run-${i}`, openBody: openJson(`{"n":${i}}`), isStop: false }));
    for (let i = 0; i < 30; i++) results.push(delivery.enqueue({ runId: `stop-${i}`, openBody: openJson(`{"n":${i}}`), isStop: true }));
    // One in flight, 20 waiting events, then 16 stops in the reserve.
    expect(counts.dropped).toBe(30 - 21 + 30 - 16);
    expect(delivery.pending).toBe(1 + 20 + 16);
    delivery.abort();
  });

  it("skips a withheld body, waits for gates, and reports idleness", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    const { delivery } = queue(async (payload) => (sent.push(payload), ok));
    const skipped = delivery.enqueue({ runId: "a", openBody: Promise.resolve(null), isStop: false });
    const gated = delivery.enqueue({ runId: "b", openBody: openJson('{"stop":1}'), isStop: true, after: [gate] });
    expect(await skipped).toBe("skipped");
    expect(await delivery.whenIdle(Date.now() + 50)).toBe(false);
    release();
    expect(await gated).toBe("delivered");
    expect(await delivery.whenIdle(Date.now() + 50)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it("a stop waiting for its children does not hold a slot they need", async () => {
    const sent: string[] = [];
    const { delivery } = queue(async (payload) => (sent.push(payload), ok), { maxConcurrentRuns: 1, clock: fixedTime(1) });
    let childStop!: Promise<unknown>;
    const parentStop = delivery.enqueue({ runId: "parent", openBody: openJson('{"run":"parent"}'), isStop: true, after: [new Promise((resolve) => setTimeout(() => resolve(childStop), 5))] });
    childStop = delivery.enqueue({ runId: "child", openBody: openJson('{"run":"child"}'), isStop: true });
    // A stall never ends: the bound only has to outlast a loaded machine's slowest turn.
    let stallTimer: NodeJS.Timeout | undefined;
    const stalled = new Promise((resolve) => (stallTimer = setTimeout(() => resolve("stalled"), 10_000)));
    expect(await Promise.race([parentStop, stalled])).toBe("delivered");
    clearTimeout(stallTimer);
    expect(sent).toEqual(['{"run":"child","clientSentAtMs":1}', '{"run":"parent","clientSentAtMs":1}']);
  });

  it("many parents waiting on children never stall the queue", async () => {
    const { delivery, counts } = queue(async () => ok, { maxConcurrentRuns: 2 });
    const stops: Array<Promise<string>> = [];
    for (let i = 0; i < 20; i++) {
      let release!: (value: unknown) => void;
      const childDone = new Promise((resolve) => (release = resolve));
      stops.push(delivery.enqueue({ runId: `parent-${i}`, openBody: openJson(`{"n":${i}}`), isStop: true, after: [childDone] }));
      setTimeout(() => release(delivery.enqueue({ runId: `child-${i}`, openBody: openJson(`{"n":${i}}`), isStop: true })), 1);
    }
    await Promise.all(stops);
    expect(await delivery.whenIdle(Date.now() + 1000)).toBe(true);
    expect(counts.delivered).toBe(40);
  });

  it("a waiting body is closed with clientSentAtMs when it is sent", () => {
    expect(JSON.parse(closeWithClientSentAt(openJson('{"a":{"b":1}}'), 7))).toEqual({ a: { b: 1 }, clientSentAtMs: 7 });
  });
});
