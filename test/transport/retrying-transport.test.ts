/** The retry decorator alone, with a scripted inner transport and a virtual clock. */
import { describe, expect, it } from "vitest";
import { RetryingTransport, type Clock } from "../../src/transport/retrying-transport.js";
import type { HookTransport, SendResult } from "../../src/transport/types.js";

function scripted(results: SendResult[]) {
  const calls: number[] = [];
  const transport: HookTransport = {
    send: async (_payload, options) => {
      calls.push(options.timeoutMs);
      return results.shift() ?? { status: "success", response: { statusCode: 200, statusText: "OK", body: "" } };
    },
    close: () => {},
  };
  return { transport, calls };
}

function virtualClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return false;
      slept.push(ms);
      now += ms;
      return true;
    },
  };
}

const retryable = (retryAfterMs?: number): SendResult => ({ status: "retryable", error: new Error("503"), retryAfterMs });

describe("RetryingTransport", () => {
  it("retries with exponential backoff up to maxRetries", async () => {
    const { transport, calls } = scripted([retryable(), retryable(), retryable(), retryable()]);
    const clock = virtualClock();
    const result = await new RetryingTransport(transport, { maxRetries: 3, clock }).send("x", { timeoutMs: 100 });
    expect(result.status).toBe("retryable");
    expect(calls).toHaveLength(4);
    expect(clock.slept).toEqual([500, 1000, 2000]);
  });

  it("lets Retry-After win, and gives up when it is longer than a minute", async () => {
    const clock = virtualClock();
    const first = scripted([retryable(2500)]);
    await new RetryingTransport(first.transport, { clock }).send("x", { timeoutMs: 100 });
    expect(clock.slept).toEqual([2500]);
    const second = scripted([retryable(120_000)]);
    const result = await new RetryingTransport(second.transport, { clock: virtualClock() }).send("x", { timeoutMs: 100 });
    expect(result.status).toBe("retryable");
    expect(second.calls).toHaveLength(1);
  });

  it("stops at the deadline and shortens the last attempt's timeout to fit", async () => {
    const clock = virtualClock();
    const { transport, calls } = scripted([retryable(), retryable(), retryable()]);
    const deadline = clock.now() + 1_700;
    await new RetryingTransport(transport, { maxRetries: 5, clock }).send("x", { timeoutMs: 1000, deadline });
    expect(clock.slept).toEqual([500, 1000]);
    expect(calls).toEqual([1000, 1000, 200]);
  });

  it("does not retry failures, and stops when aborted", async () => {
    const failure = scripted([{ status: "failure", error: new Error("400") }]);
    await new RetryingTransport(failure.transport, { clock: virtualClock() }).send("x", { timeoutMs: 1 });
    expect(failure.calls).toHaveLength(1);
    const controller = new AbortController();
    controller.abort();
    const aborted = scripted([retryable(), retryable()]);
    await new RetryingTransport(aborted.transport, { clock: virtualClock() }).send("x", { timeoutMs: 1, signal: controller.signal });
    expect(aborted.calls).toHaveLength(1);
  });

  it("tells onRetry about each scheduled retry", async () => {
    const notices: number[] = [];
    const { transport } = scripted([retryable(), retryable()]);
    await new RetryingTransport(transport, { clock: virtualClock(), onRetry: (notice) => notices.push(notice.delayMs) }).send("x", {
      timeoutMs: 1,
    });
    expect(notices).toEqual([500, 1000]);
  });
});
