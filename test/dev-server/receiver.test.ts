/** The receiver's HTTP contract, as a client or a browser sees it. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";

let server: DevServer;
afterEach(async () => server?.close());

const post = (body: unknown, headers: Record<string, string> = { "x-api-key": "dev" }) =>
  fetch(`${server.url}/hooks`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const body = (runId: string, event: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  hookEvent: event.source === "stop" ? "stop" : "user_prompt",
  runId,
  bourneVersion: "v2",
  clientSentAtMs: Date.now(),
  event,
  ...extra,
});

describe("POST /hooks", () => {
  it("answers 400 listing every problem by path: missing, unknown and mistyped fields", async () => {
    server = await startDevServer({ port: 0 });
    const response = await post({ hookEvent: "x", runId: "r", bourneVersion: "v2", extra: 1, event: { source: "agent", type: "tool_use", name: 3, colour: "red" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "Invalid request body",
      issues: [
        { path: "extra", message: "is not a known field" },
        { path: "event.name", message: "must be a non-empty string (got number 3)" },
        { path: "event.toolUseId", message: 'is required for type "tool_use"' },
        { path: "event.colour", message: 'is not a known field for type "tool_use"' },
      ],
    });
    expect((await post("{not json")).status).toBe(400);
    expect(server.store.events()).toEqual([]);
    expect(server.rejected).toHaveLength(2);
  });

  it("answers 401 without x-api-key, and 200 {} for a valid request", async () => {
    server = await startDevServer({ port: 0 });
    expect((await post(body("r", { source: "stop" }), {})).status).toBe(401);
    const response = await post(body("r", { source: "user", type: "text", text: "hi" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });
});

describe("GET /api/runs and the log", () => {
  it("nests child runs under their parents, keeps events in order, and appends JSON lines", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), "permiso-log-")), "events.jsonl");
    server = await startDevServer({ port: 0, logFile });
    await post(body("parent", { source: "user", type: "text", text: "plan" }, { agent: { name: "planner" } }));
    await post(body("child", { source: "user", type: "text", text: "research" }, { parentRunId: "parent" }));
    await post(body("child", { source: "stop", stopReason: "end_turn" }, { parentRunId: "parent" }));
    await post(body("parent", { source: "stop" }));
    const { runs } = await (await fetch(`${server.url}/api/runs`)).json();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: "parent", agent: { name: "planner" }, afterStop: 0 });
    expect(runs[0].events.map((event: any) => event.body.event.source)).toEqual(["user", "stop"]);
    expect(runs[0].children).toHaveLength(1);
    expect(runs[0].children[0]).toMatchObject({ runId: "child", parentRunId: "parent" });
    expect(runs[0].children[0].stop.body.event).toEqual({ source: "stop", stopReason: "end_turn" });
    await server.close();
    const lines = readFileSync(logFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((line) => line.runId)).toEqual(["parent", "child", "child", "parent"]);
    expect(typeof lines[0].receivedAt).toBe("number");
  });
});
