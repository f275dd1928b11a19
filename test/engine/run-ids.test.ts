import { describe, expect, it } from "vitest";
import { runIdForSpan, runIdForTrace } from "../../src/otel/index.js";

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("run ids", () => {
  it("keeps the trace id's digits except version and variant", () => {
    expect(runIdForTrace("4bf92f3577b34da6a3ce929d0e0e4736")).toBe("4bf92f35-77b3-8da6-a3ce-929d0e0e4736");
    expect(runIdForTrace("4BF92F3577B34DA6A3CE929D0E0E4736")).toBe("4bf92f35-77b3-8da6-a3ce-929d0e0e4736");
    expect(runIdForTrace("00000000000000000000000000000001")).toBe("00000000-0000-8000-8000-000000000001");
    expect(runIdForTrace("ffffffffffffffffffffffffffffffff")).toBe("ffffffff-ffff-8fff-bfff-ffffffffffff");
  });

  it("is a valid RFC 9562 version 8 UUID for any trace id, and deterministic", () => {
    for (let i = 0; i < 200; i++) {
      const traceId = Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
      const runId = runIdForTrace(traceId);
      expect(runId).toMatch(UUID_V8);
      expect(runIdForTrace(traceId)).toBe(runId);
      expect(runIdForSpan(traceId, traceId.slice(8, 24))).toMatch(UUID_V8);
    }
  });

  it("derives a child run from the trace's first half and the agent span id", () => {
    expect(runIdForSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")).toBe("4bf92f35-77b3-8da6-80f0-67aa0ba902b7");
    expect(runIdForSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8")).not.toBe(
      runIdForSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
    );
  });

  it("refuses ids that are not hex of the right length", () => {
    expect(() => runIdForTrace("xyz")).toThrow('traceId must be 32 hex digits (got "xyz")');
    expect(() => runIdForSpan("4bf92f3577b34da6a3ce929d0e0e4736", "12")).toThrow('spanId must be 16 hex digits (got "12")');
  });
});
