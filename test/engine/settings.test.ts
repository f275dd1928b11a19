/**
 * Options are resolved once, into a frozen object; a wrong value throws at
 * construction, naming the option and what it accepts.
 */
import { describe, expect, it } from "vitest";
import { BRIDGE_DEFAULTS, resolveEngineSettings, type EngineOptions } from "../../src/engine/settings.js";
import { ConfigurationError } from "../../src/option-checks.js";

const CASES: Array<[option: string, value: unknown, message: string]> = [
  ["maxConcurrentRequests", 0, "maxConcurrentRequests must be a positive integer (got 0)"],
  ["maxQueueSize", -1, "maxQueueSize must be a positive integer (got -1)"],
  ["maxHeldSpans", 1.5, "maxHeldSpans must be a positive integer (got 1.5)"],
  ["maxQueueSize", "10", 'maxQueueSize must be a positive integer (got "10")'],
  ["maxFieldLength", 0, "maxFieldLength must be a positive integer (got 0)"],
  ["exportTimeoutMs", Number.NaN, "exportTimeoutMs must be a positive number of milliseconds, at most 2147483647 (got NaN)"],
  ["flushTimeoutMs", 0, "flushTimeoutMs must be a positive number of milliseconds, at most 2147483647 (got 0)"],
  ["holdTimeoutMs", 3e9, "holdTimeoutMs must be a positive number of milliseconds, at most 2147483647 (got 3000000000)"],
  ["captureContent", "no", 'captureContent must be true or false (got "no")'],
  ["mask", 5, "mask must be a function (got 5)"],
  ["pricing", [], "pricing must be an object of prices by model, or a function (got an array)"],
  ["pricing", { "gpt-4.1": { input: -1, output: 8 } }, 'pricing["gpt-4.1"].input must be a non-negative number (got -1)'],
  ["pricing", { "gpt-4.1": { input: 2 } }, 'pricing["gpt-4.1"].output must be a non-negative number (got undefined)'],
  ["agent", "bot", 'agent must be an object with string fields name, id, systemPrompt (got "bot")'],
  ["agent", { name: 5 }, "agent.name must be a string (got 5)"],
  ["user", { email: null }, "user.email must be a string (got null)"],
  ["sessionId", 42, "sessionId must be a string (got 42)"],
];

describe("resolveEngineSettings", () => {
  it.each(CASES)("refuses %s = %j", (option, value, message) => {
    const resolve = () => resolveEngineSettings({ [option]: value } as EngineOptions);
    expect(resolve).toThrow(ConfigurationError);
    expect(resolve).toThrow(message);
  });

  it("applies every default, and freezes the result", () => {
    const settings = resolveEngineSettings({});
    expect(settings).toMatchObject({ ...BRIDGE_DEFAULTS, attemptTimeoutMs: 10_000, agent: {}, user: {} });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.agent)).toBe(true);
  });

  it("keeps what it was given, copied: later changes to the caller's objects do not leak in", () => {
    const agent = { name: "a", unknown: "dropped" };
    const settings = resolveEngineSettings({ agent, maxFieldLength: Infinity, pricing: { m: { input: 1, output: 2 } } } as EngineOptions);
    agent.name = "changed";
    expect(settings.agent).toEqual({ name: "a" });
    expect(settings.maxFieldLength).toBe(Infinity);
    expect(settings.pricing).toEqual({ m: { input: 1, output: 2 } });
  });
});
