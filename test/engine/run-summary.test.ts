import { describe, expect, it } from "vitest";
import type { TokenUsage } from "../../src/otel/model.js";
import { costOf, mapStopReason, toWireUsage } from "../../src/engine/run-summary.js";

describe("mapStopReason", () => {
  it("maps every producer spelling", () => {
    const cases: Record<string, string | undefined> = {
      stop: "end_turn",
      STOP: "end_turn",
      length: "max_tokens",
      tool_calls: "tool_use",
      tool_call: "tool_use",
      "tool-calls": "tool_use",
      content_filter: "content_filter",
      "content-filter": "content_filter",
      stop_sequence: "stop_sequence",
      error: undefined,
      other: undefined,
      interrupted: undefined,
    };
    for (const [spelling, expected] of Object.entries(cases)) expect(mapStopReason(spelling), spelling).toBe(expected);
    expect(mapStopReason(undefined)).toBeUndefined();
  });
});

describe("toWireUsage", () => {
  it("fills required counts and makes bad counts valid", () => {
    expect(toWireUsage({ inputTokens: 10 })).toEqual({ inputTokens: 10, outputTokens: 0, totalTokens: 10 });
    expect(toWireUsage({ inputTokens: -5, outputTokens: Number.NaN, totalTokens: 2.6, cacheReadTokens: 1 })).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 3,
      cacheReadTokens: 1,
    });
  });
});

describe("costOf", () => {
  const usage = new Map<string, TokenUsage>([["m", { inputTokens: 1_000_000, outputTokens: 500_000, cacheReadTokens: 200_000, cacheWriteTokens: 100_000 }]]);

  it("prices uncached input, output and cache tokens per million", () => {
    expect(costOf(usage, { m: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } })).toEqual({
      inputTokensCost: 2.1,
      outputTokensCost: 7.5,
      cacheReadTokensCost: 0.06,
      cacheWriteTokensCost: 0.375,
      currency: "USD",
    });
  });

  it("accepts a lookup function, and gives nothing for unknown models, mixed currencies or a throwing lookup", () => {
    expect(costOf(usage, (model) => (model === "m" ? { input: 1, output: 1 } : undefined))?.currency).toBe("USD");
    expect(costOf(usage, {})).toBeUndefined();
    const two = new Map<string, TokenUsage>([...usage, ["n", { inputTokens: 1 }]]);
    expect(costOf(two, { m: { input: 1, output: 1 }, n: { input: 1, output: 1, currency: "EUR" } })).toBeUndefined();
    expect(
      costOf(usage, () => {
        throw new Error("lookup bug");
      }),
    ).toBeUndefined();
    expect(costOf(usage, { toString: { input: 1, output: 1 } } as never)).toBeUndefined();
  });
});
