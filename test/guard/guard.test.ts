/**
 * The guard core against a real loopback receiver: Permiso's decisions, the
 * request it sends, and every way of getting no decision, in both fail modes.
 */
import { context, diag, DiagLogLevel, trace } from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";
import { afterEach, describe, expect, it } from "vitest";
import { PermisoToolGuard } from "../../src/guard/index.js";
import { UNTRACED_CONTEXT } from "../../src/guard/untraced.js";
import { runIdForTrace } from "../../src/engine/run-ids.js";
import { allow, deny } from "../support/deciding-receiver.js";
import { createProvider } from "../support/otel-sdk.js";
import { deadPort } from "../support/recorder.js";
import { usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;
afterEach(() => diag.disable());

const weatherCall = { toolName: "weather", toolCallId: "call_1", input: { city: "Paris" } };

/** Collects diag lines at `level` and above. */
function captureDiag(): { warn: string[]; error: string[] } {
  const lines = { warn: [] as string[], error: [] as string[] };
  diag.setLogger(
    {
      error: (message) => lines.error.push(message),
      warn: (message) => lines.warn.push(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return lines;
}

describe("Permiso's decisions", () => {
  it.each([
    ["permission allow", { status: 200, body: JSON.stringify(allow) }],
    ["an empty object", { status: 200, body: "{}" }],
    ["an empty 204", { status: 204, body: "" }],
    ["null fields", { status: 200, body: '{"permission":null,"continue":null,"agent_message":null,"user_message":null}' }],
    ["continue true", { status: 200, body: '{"continue":true}' }],
  ])("%s allows the call", async (_, answer) => {
    permiso.receiver.decide = () => answer;
    const guard = guardFor();
    expect(await guard.check(weatherCall)).toEqual({ allowed: true, outcome: "allowed", stopRun: false });
    expect(guard.getStats()).toMatchObject({ checks: 1, allowed: 1, denied: 0, failedClosed: 0 });
  });

  it("a denial gives the model agent_message and keeps user_message for the person", async () => {
    permiso.receiver.decide = () => deny("Refunds above $100 need a manager.", { user_message: "Blocked by policy R-7." });
    const guard = guardFor();
    expect(await guard.check(weatherCall)).toEqual({
      allowed: false,
      outcome: "denied",
      reason: "Refunds above $100 need a manager.",
      agentMessage: "Refunds above $100 need a manager.",
      userMessage: "Blocked by policy R-7.",
      stopRun: false,
    });
    expect(guard.getStats()).toMatchObject({ checks: 1, denied: 1, runsStopped: 0 });
  });

  it("a denial without a message names Permiso", async () => {
    permiso.receiver.decide = () => deny();
    expect((await guardFor().check(weatherCall)).reason).toBe("Permiso denied this tool call.");
  });

  it("continue: false denies and stops the run, even with permission allow", async () => {
    permiso.receiver.decide = () => ({ permission: "allow", continue: false });
    const guard = guardFor();
    const decision = await guard.check(weatherCall);
    expect(decision).toMatchObject({ allowed: false, outcome: "denied", stopRun: true });
    expect(decision.reason).toBe("Permiso denied this tool call and ended the run.");
    expect(guard.getStats()).toMatchObject({ denied: 1, runsStopped: 1 });
  });
});

describe("the request", () => {
  it("is the tool_use event, strictly valid, with the guard's context", async () => {
    const guard = guardFor({ agent: { name: "support-bot" }, sessionId: "s-1", user: { id: "u-1" } });
    const before = Date.now();
    await guard.check(weatherCall);
    const [body] = permiso.receiver.toolUses();
    expect(permiso.receiver.invalid).toEqual([]);
    expect(body).toMatchObject({
      hookEvent: "weather",
      bourneVersion: "v2",
      agent: { name: "support-bot" },
      sessionId: "s-1",
      user: { id: "u-1" },
      event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", input: { city: "Paris" } },
    });
    expect(body.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.event.eventId).toBe(`${body.runId}:tool_use:call_1`);
    expect(body.event.timestamp).toBeGreaterThanOrEqual(before);
    await guard.check({ ...weatherCall, toolCallId: "call_2" });
    expect(permiso.receiver.toolUses()[1].runId).toBe(body.runId);
  });

  it("names the agent the hook reports, over the configured one, keeping the rest", async () => {
    const guard = guardFor({ agent: { name: "configured", systemPrompt: "Be brief." } });
    await guard.check({ ...weatherCall, agent: { name: "from-hook", id: undefined } });
    expect(permiso.receiver.toolUses()[0].agent).toEqual({ name: "from-hook", systemPrompt: "Be brief." });
  });

  it("goes to the run of the active span's trace", async () => {
    const provider = createProvider([]);
    const guard = guardFor();
    const traceId = await provider.tracer.startActiveSpan("agent", async (span) => {
      await guard.check(weatherCall);
      span.end();
      return span.spanContext().traceId;
    });
    expect(permiso.receiver.toolUses()[0].runId).toBe(runIdForTrace(traceId));
    expect(permiso.receiver.toolUses()[0].event.eventId).toBe(`${runIdForTrace(traceId)}:tool_use:call_1`);
  });

  it("is sent with tracing suppressed", () => {
    expect(isTracingSuppressed(UNTRACED_CONTEXT)).toBe(true);
    expect(trace.getSpan(UNTRACED_CONTEXT)).toBeUndefined();
    expect(context.active()).not.toBe(UNTRACED_CONTEXT);
  });

  it("takes the key and URL from PERMISO_API_KEY and PERMISO_BASE_URL", async () => {
    const saved = { key: process.env.PERMISO_API_KEY, url: process.env.PERMISO_BASE_URL };
    process.env.PERMISO_API_KEY = "from-env";
    process.env.PERMISO_BASE_URL = permiso.receiver.url;
    try {
      const guard = new PermisoToolGuard();
      expect(await guard.check(weatherCall)).toMatchObject({ outcome: "allowed" });
      expect(permiso.receiver.toolUses()).toHaveLength(1);
      await guard.close();
    } finally {
      for (const [name, value] of [["PERMISO_API_KEY", saved.key], ["PERMISO_BASE_URL", saved.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe("no decision: the fail mode decides, and says so", () => {
  it("a dead Permiso blocks the tool (failMode closed, the default)", async () => {
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300 });
    expect(guard.failMode).toBe("closed");
    expect(await guard.check(weatherCall)).toEqual({
      allowed: false,
      outcome: "failed-closed",
      reason: "Permiso could not be reached; the tool was blocked (failMode closed).",
      stopRun: false,
      failure: "unreachable",
    });
    expect(guard.getStats()).toMatchObject({ checks: 1, allowed: 0, denied: 0, failedClosed: 1, noDecision: { unreachable: 1 } });
  });

  it("a dead Permiso lets the tool run with failMode open, as failed-open", async () => {
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300, failMode: "open" });
    expect(await guard.check(weatherCall)).toEqual({
      allowed: true,
      outcome: "failed-open",
      reason: "Permiso could not be reached; the tool was allowed without a decision (failMode open).",
      stopRun: false,
      failure: "unreachable",
    });
    expect(guard.getStats()).toMatchObject({ allowed: 0, failedOpen: 1, failedClosed: 0 });
  });

  it.each(["closed", "open"] as const)("a hung Permiso is cut at timeoutMs (failMode %s)", async (failMode) => {
    permiso.receiver.decide = () => ({ hang: true });
    const guard = guardFor({ timeoutMs: 250, failMode });
    const started = Date.now();
    const decision = await guard.check(weatherCall);
    expect(decision).toMatchObject({ allowed: failMode === "open", outcome: `failed-${failMode}`, failure: "timeout" });
    expect(decision.reason).toMatch(/^Permiso did not answer within 250 ms; the tool was (blocked|allowed)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(permiso.receiver.toolUses()).toHaveLength(1);
  });

  it.each([
    ["500", { status: 500, body: "" }, "Permiso answered 500 Internal Server Error", "http-error"],
    ["a 503 past the budget", { status: 503, body: "" }, "Permiso answered 503 Service Unavailable", "http-error"],
    ["401", { status: 401, body: '{"error":"Invalid API key"}' }, "Permiso refused the API key (401 Unauthorized)", "http-error"],
    ["a 400", { status: 400, body: "{}" }, "Permiso answered 400 Bad Request", "http-error"],
    ["text", { status: 200, body: "OK" }, "Permiso's answer was not a decision (the answer is not JSON)", "invalid-answer"],
    ["an array", { status: 200, body: "[]" }, "Permiso's answer was not a decision (the answer is an array, not an object)", "invalid-answer"],
    [
      "an unknown permission",
      { status: 200, body: '{"permission":"ask"}' },
      `Permiso's answer was not a decision (permission must be "allow" or "deny" (got "ask"))`,
      "invalid-answer",
    ],
    [
      "a non-boolean continue",
      { status: 200, body: '{"continue":"no"}' },
      `Permiso's answer was not a decision (continue must be a boolean (got "no"))`,
      "invalid-answer",
    ],
  ])("%s is no decision", async (_, answer, what, cause) => {
    permiso.receiver.decide = () => answer;
    const guard = guardFor({ timeoutMs: 300 });
    expect(await guard.check(weatherCall)).toEqual({
      allowed: false,
      outcome: "failed-closed",
      reason: `${what}; the tool was blocked (failMode closed).`,
      stopRun: false,
      failure: cause,
    });
    expect(guard.getStats().noDecision[cause as "http-error"]).toBe(1);
  });

  it("retries a 503 when the retry fits in timeoutMs", async () => {
    let attempts = 0;
    permiso.receiver.decide = () => (++attempts === 1 ? { status: 503, body: "" } : deny("no"));
    const decision = await guardFor({ timeoutMs: 5_000 }).check(weatherCall);
    expect(decision.outcome).toBe("denied");
    expect(permiso.receiver.toolUses()).toHaveLength(2);
  });

  it("does not retry when the backoff would not fit", async () => {
    permiso.receiver.decide = () => ({ status: 503, body: "" });
    // The first backoff is at least 400 ms; nothing fits in 300.
    expect((await guardFor({ timeoutMs: 300 }).check(weatherCall)).failure).toBe("http-error");
    expect(permiso.receiver.toolUses()).toHaveLength(1);
  });

  it("without an API key, checks fail by the fail mode and nothing is sent", async () => {
    const saved = process.env.PERMISO_API_KEY;
    delete process.env.PERMISO_API_KEY;
    const lines = captureDiag();
    try {
      const guard = guardFor({ apiKey: undefined });
      for (let i = 0; i < 3; i++) {
        expect(await guard.check(weatherCall)).toMatchObject({
          outcome: "failed-closed",
          reason: "No Permiso API key is configured; the tool was blocked (failMode closed).",
          failure: "no-api-key",
        });
      }
      expect(permiso.receiver.requests).toEqual([]);
      expect(lines.error).toHaveLength(1);
      expect(lines.error[0]).toBe(
        "Permiso tool guard: tool calls blocked (failMode closed): no-api-key: No Permiso API key is configured (set apiKey or PERMISO_API_KEY)",
      );
    } finally {
      if (saved !== undefined) process.env.PERMISO_API_KEY = saved;
    }
  });

  it("reports failures through diag once per burst, never the key", async () => {
    const lines = captureDiag();
    permiso.receiver.decide = () => ({ status: 500, body: "" });
    const guard = guardFor({ apiKey: "secret-key-123" });
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await guard.check(weatherCall));
    expect(JSON.stringify(decisions)).not.toContain("secret-key-123");
    expect(lines.warn).toHaveLength(1);
    expect(lines.warn[0]).toBe("Permiso tool guard: tool calls blocked (failMode closed): http-error: Permiso answered 500 Internal Server Error");
    await guard.close();
    expect(lines.warn[1]).toMatch(/4 more in the last \d+ s/);
    expect(JSON.stringify(lines)).not.toContain("secret-key-123");
    expect(guard.getStats()).toMatchObject({ checks: 5, failedClosed: 5, noDecision: { "http-error": 5 } });
  });

  it.each([401, 403])("a %i is reported at error level, as configuration", async (status) => {
    const lines = captureDiag();
    permiso.receiver.decide = () => ({ status, body: "" });
    await guardFor().check(weatherCall);
    expect(lines.error).toHaveLength(1);
    expect(lines.warn).toEqual([]);
  });
});

describe("bad calls", () => {
  it.each([
    [null, "check() takes { toolName, toolCallId, input }"],
    [{ toolName: "", toolCallId: "c" }, "toolName must be a non-empty string"],
    [{ toolName: "weather" }, "toolCallId must be a non-empty string"],
  ])("%j is not checked and never throws", async (call, detail) => {
    const decision = await guardFor().check(call as never);
    expect(decision).toMatchObject({ outcome: "failed-closed", failure: "invalid-call" });
    expect(decision.reason).toBe(`The tool call could not be checked (${detail}); the tool was blocked (failMode closed).`);
    expect(permiso.receiver.requests).toEqual([]);
  });

  it("input JSON cannot encode is named", async () => {
    const input: Record<string, unknown> = { city: "Paris" };
    input.self = input;
    const decision = await guardFor({ failMode: "open" }).check({ ...weatherCall, input });
    expect(decision).toMatchObject({ allowed: true, outcome: "failed-open", failure: "invalid-call" });
    expect(decision.reason).toContain("input.self is a circular reference");
  });

  it("a closed guard gives no decision", async () => {
    const guard = guardFor();
    await guard.close();
    expect(await guard.check(weatherCall)).toMatchObject({ outcome: "failed-closed", failure: "closed" });
  });
});

describe("options", () => {
  it.each([
    [{ failMode: "opn" }, 'failMode must be "closed" or "open" (got "opn")'],
    [{ timeoutMs: 0 }, "timeoutMs must be a positive integer of milliseconds (got 0)"],
    [{ timeoutMs: Number.NaN }, "timeoutMs must be a positive integer of milliseconds (got NaN)"],
    [{ baseUrl: "not a url" }, 'baseUrl must be an absolute http(s) URL (got "not a url")'],
    [{ user: { role: "admin" } }, "user.role is not an option; expected email, id, name"],
    [{ agent: "bot" }, "agent must be an object with systemPrompt, name, id (got bot)"],
    [{ sessionId: 42 }, "sessionId must be a string (got number)"],
    [{ maxSockets: -1 }, "maxSockets must be a positive integer (got -1)"],
  ])("%j throws at construction, naming the option", (options, message) => {
    expect(() => new PermisoToolGuard({ apiKey: "k", ...(options as object) })).toThrow(message);
  });
});
