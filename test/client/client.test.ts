/** The documented 0.1.x behaviours, against a real loopback server. */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError } from "../../src/index.js";
import { startRecorder, type Recorder } from "../support/recorder.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const API_KEY = "sk-test-secret-123";

let recorder: Recorder;
beforeEach(async () => {
  recorder = await startRecorder();
});
afterEach(async () => {
  await recorder.close();
});

const client = (config: ConstructorParameters<typeof PermisoCustomHooksClient>[0] = {}) =>
  new PermisoCustomHooksClient({ apiKey: API_KEY, baseUrl: recorder.url, onError: () => {}, ...config });

describe("request shape", () => {
  it("posts the documented body and headers to {baseUrl}/hooks", async () => {
    const hooks = client();
    const before = Date.now();
    await hooks.sendEvent("user_prompt", { source: "user", type: "text", text: "Hello World" });
    const [request] = recorder.requests;
    expect(Object.keys(request.body).sort()).toEqual(
      ["bourneVersion", "clientSentAtMs", "event", "hookEvent", "runId"].sort(),
    );
    expect(request.body).toMatchObject({
      hookEvent: "user_prompt",
      runId: hooks.getRunId(),
      bourneVersion: "v2",
      event: { source: "user", type: "text", text: "Hello World" },
    });
    expect(request.body.clientSentAtMs).toBeGreaterThanOrEqual(before);
    expect(Number.isInteger(request.body.clientSentAtMs)).toBe(true);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-api-key"]).toBe(API_KEY);
    expect(request.headers["x-hook-source"]).toBe("custom");
    expect(request.headers["user-agent"]).toMatch(/^permiso-io-custom-hooks-sdk\/\d+\.\d+\.\d+ \(node v/);
    expect(request.headers.connection).toBe("keep-alive");
  });

  it("strips one trailing slash from baseUrl", async () => {
    await client({ baseUrl: `${recorder.url}/` }).sendEvent("x", { source: "user", type: "text", text: "a" });
    expect(recorder.requests).toHaveLength(1);
  });

  it("sends event {} when data is omitted, and a shallow copy otherwise", async () => {
    const hooks = client();
    await hooks.sendEvent("session_start");
    const data = { kind: "latency_ms", value: 42 };
    await hooks.sendEvent("my_metric", data);
    expect(recorder.requests[0].body.event).toEqual({});
    expect(recorder.requests[1].body.event).toEqual(data);
  });

  it("includes parentRunId, sessionId, user and agent only when set", async () => {
    const hooks = client({
      parentRunId: "parent-1",
      sessionId: "session-a",
      user: { email: "a@x.com", id: "u-1" },
      agent: { name: "A", systemPrompt: "from-agent" },
      systemPrompt: "from-top",
    });
    await hooks.sendEvent("e1", { source: "user", type: "text", text: "hi" });
    expect(recorder.requests[0].body).toMatchObject({
      parentRunId: "parent-1",
      sessionId: "session-a",
      user: { email: "a@x.com", id: "u-1" },
      agent: { name: "A", systemPrompt: "from-top" },
    });
  });
});

describe("runs", () => {
  it("creates a v4 run id in the constructor and keeps it across events", async () => {
    const hooks = client();
    const runId = hooks.getRunId();
    expect(runId).toMatch(UUID_V4);
    await hooks.sendEvent("a", { source: "user", type: "text", text: "1" });
    await hooks.sendEvent("b", { source: "user", type: "text", text: "2" });
    expect(recorder.requests.map((r) => r.body.runId)).toEqual([runId, runId]);
  });

  it("endRun sends stop with end_turn by default, then rotates the run id", async () => {
    const hooks = client();
    const first = hooks.getRunId();
    await hooks.endRun();
    expect(recorder.requests[0].body).toMatchObject({
      hookEvent: "stop",
      runId: first,
      event: { source: "stop", stopReason: "end_turn" },
    });
    expect(hooks.getRunId()).not.toBe(first);
    expect(hooks.getRunId()).toMatch(UUID_V4);
    await hooks.endRun("max_tokens");
    expect(recorder.requests[1].body.event).toEqual({ source: "stop", stopReason: "max_tokens" });
  });

  it("endRun keeps the run id when the stop fails (returns {} or throws)", async () => {
    const quiet = client();
    const before = quiet.getRunId();
    recorder.script.push({ status: 500 });
    await expect(quiet.endRun()).resolves.toEqual({});
    expect(quiet.getRunId()).toBe(before);

    const loud = client({ raiseOnError: true });
    const loudBefore = loud.getRunId();
    recorder.script.push({ status: 500 });
    await expect(loud.endRun()).rejects.toBeInstanceOf(PermisoCustomHooksError);
    expect(loud.getRunId()).toBe(loudBefore);
  });

  it("endRun waits for background sends of the run, so stop arrives last", async () => {
    const hooks = client();
    recorder.script.push({ delayMs: 150 });
    hooks.sendEventBackground("slow", { source: "user", type: "text", text: "slow" });
    await hooks.endRun();
    expect(recorder.requests.map((r) => r.body.hookEvent)).toEqual(["slow", "stop"]);
  });

  it("a sub-agent client carries the parent's run id", async () => {
    const parent = client();
    const sub = client({ parentRunId: parent.getRunId(), agent: { name: "ResearchSubAgent", id: "sub-1" } });
    await sub.sendEvent("user_prompt", { source: "user", type: "text", text: "Dig" });
    expect(recorder.requests[0].body).toMatchObject({
      parentRunId: parent.getRunId(),
      agent: { name: "ResearchSubAgent", id: "sub-1" },
    });
    expect(sub.getRunId()).not.toBe(parent.getRunId());
  });
});

describe("setters", () => {
  it("setSystemPrompt sets and clears; agent is omitted when empty", async () => {
    const hooks = client();
    hooks.setSystemPrompt("Be brief.");
    await hooks.sendEvent("a", { source: "user", type: "text", text: "1" });
    hooks.setSystemPrompt(undefined);
    await hooks.sendEvent("b", { source: "user", type: "text", text: "2" });
    expect(recorder.requests[0].body.agent).toEqual({ systemPrompt: "Be brief." });
    expect(recorder.requests[1].body).not.toHaveProperty("agent");
  });

  it("setAgent merges; an explicit undefined clears a field", async () => {
    const hooks = client({ agent: { name: "A", id: "1" } });
    hooks.setAgent({ id: "2" });
    await hooks.sendEvent("a", { source: "user", type: "text", text: "1" });
    hooks.setAgent({ name: undefined });
    await hooks.sendEvent("b", { source: "user", type: "text", text: "2" });
    expect(recorder.requests[0].body.agent).toEqual({ name: "A", id: "2" });
    expect(recorder.requests[1].body.agent).toEqual({ id: "2" });
  });

  it("setUser merges and keeps fields not given", async () => {
    const hooks = client({ user: { email: "a@x.com", id: "u-1", name: "Ann" } });
    hooks.setUser({ name: "Bea", id: "u-2" });
    await hooks.sendEvent("a", { source: "user", type: "text", text: "1" });
    expect(recorder.requests[0].body.user).toEqual({ email: "a@x.com", id: "u-2", name: "Bea" });
  });

  it("setSessionId sets, replaces and clears", async () => {
    const hooks = client();
    for (const id of ["session-a", "session-b", undefined]) {
      hooks.setSessionId(id);
      await hooks.sendEvent("e", { source: "user", type: "text", text: "x" });
    }
    expect(recorder.requests.map((r) => r.body.sessionId)).toEqual(["session-a", "session-b", undefined]);
    expect(recorder.requests[2].body).not.toHaveProperty("sessionId");
  });
});

describe("responses", () => {
  it("returns the server's decision to the caller", async () => {
    recorder.script.push({ status: 200, body: JSON.stringify({ permission: "deny", user_message: "blocked" }) });
    const answer = await client().sendEvent("web_fetch", {
      source: "agent",
      type: "tool_use",
      name: "WebFetch",
      toolUseId: "toolu_1",
      input: { url: "https://example.com" },
    });
    expect(answer).toEqual({ permission: "deny", user_message: "blocked" });
  });

  it("treats an empty body and 204 as {}", async () => {
    recorder.script.push({ status: 200, body: "" }, { status: 204 });
    const hooks = client({ raiseOnError: true });
    await expect(hooks.sendEvent("a", {})).resolves.toEqual({});
    await expect(hooks.sendEvent("b", {})).resolves.toEqual({});
  });
});

describe("background sends", () => {
  it("sendEventBackground returns at once, never throws, and flush() waits for it", async () => {
    const hooks = client({ raiseOnError: true });
    recorder.script.push({ delayMs: 100 }, { status: 401, body: '{"error":"Invalid API key"}' });
    expect(hooks.sendEventBackground("bg_evt", { source: "user", type: "text", text: "1" })).toBeUndefined();
    expect(() => hooks.sendEventBackground("bg_evt", { source: "user", type: "text", text: "2" })).not.toThrow();
    expect(recorder.requests.length).toBeLessThan(2);
    await hooks.flush();
    expect(recorder.requests).toHaveLength(2);
  });

  it("reports background failures through onError", async () => {
    const errors: PermisoCustomHooksError[] = [];
    const hooks = client({ raiseOnError: true, onError: (error) => errors.push(error) });
    recorder.script.push({ status: 401, body: '{"error":"Invalid API key"}' });
    hooks.sendEventBackground("bg", { source: "user", type: "text", text: "x" });
    await hooks.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 401, message: "API error: 401 Unauthorized" });
  });
});

describe("secrecy", () => {
  it("never shows the API key in the default onError's console warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const hooks = new PermisoCustomHooksClient({ apiKey: API_KEY, baseUrl: recorder.url });
      recorder.script.push({ status: 401, body: '{"error":"Invalid API key"}' });
      await hooks.sendEvent("a", {});
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toBe("[permiso] hook event not delivered: API error: 401 Unauthorized");
    } finally {
      warn.mockRestore();
    }
  });

  it("never shows the API key in inspect, JSON or errors", async () => {
    const hooks = client({ raiseOnError: true });
    expect(inspect(hooks, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(hooks)).not.toContain(API_KEY);
    recorder.script.push({ status: 401, body: '{"error":"Invalid API key"}' });
    const error = await hooks.sendEvent("a", {}).catch((e: unknown) => e);
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY);
  });
});
