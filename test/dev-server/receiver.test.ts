/** The receiver's HTTP contract, as a client or a browser sees it. */
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { parseToolPolicy, startDevServer, type DevServer } from "../../src/dev-server/index.js";

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
    expect(server.rejected[1]).toMatchObject({ body: "{not json", issues: [{ path: "body", message: "is not valid JSON" }] });
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

describe("memory bounds", () => {
  // 200 MiB posted: 5 to 12 s on a loaded 2-core machine.
  it("keeps only the problems and a short start of rejected bodies, and frees them on clear", async () => {
    server = await startDevServer({ port: 0 });
    const heapBefore = await settledHeap();
    const junk = `{"hookEvent":"x","runId":"r","bourneVersion":"v2","event":{"source":"user","type":"text","text":"${"x".repeat(5 * 1024 * 1024)}"`;
    for (let i = 0; i < 40; i++) {
      const malformed = i % 2 ? junk : `${junk}}}`.replace('"text":"', '"colour":"');
      expect((await post(malformed)).status).toBe(400);
    }
    expect(server.rejectedCount).toBe(40);
    expect(server.rejected.length).toBeLessThanOrEqual(100);
    for (const rejection of server.rejected) {
      expect(rejection.body.length).toBeLessThanOrEqual(2049);
      expect(rejection.bodyLength).toBeGreaterThan(5 * 1024 * 1024);
    }
    // 40 posts of 5 MiB kept whole would be 200 MiB; what is kept is a few hundred KiB.
    expect((await settledHeap()) - heapBefore).toBeLessThan(48 * 1024 * 1024);
    expect((await fetch(`${server.url}/api/runs`, { method: "DELETE", headers: { origin: server.url } })).status).toBe(200);
    expect(server.rejected).toEqual([]);
    expect(server.rejectedCount).toBe(0);
  }, 60_000);

  it("evicts the oldest runs past maxEvents, counts them and says so", async () => {
    server = await startDevServer({ port: 0, maxEvents: 50 });
    for (let run = 0; run < 12; run++) {
      for (let i = 0; i < 5; i++) expect((await post(body(`run-${run}`, { source: "user", type: "text", text: `m${i}` }))).status).toBe(200);
    }
    const kept = server.store.events();
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(new Set(kept.map((event) => event.body.runId)).has("run-0")).toBe(false);
    expect(kept.at(-1)?.body.runId).toBe("run-11");
    const page = await (await fetch(`${server.url}/api/events`)).json();
    expect(page.evicted.runs).toBeGreaterThan(0);
    expect(page.evicted.events).toBe(60 - kept.length);
    expect(page.limits.maxEvents).toBe(50);
  });

  it("bounds bytes too: one huge run keeps only its newest events", async () => {
    server = await startDevServer({ port: 0, maxBytes: 64 * 1024 });
    for (let i = 0; i < 20; i++) await post(body("big", { source: "user", type: "text", text: `${i} ${"y".repeat(10_000)}` }));
    const texts = server.store.events().map((event) => String(event.body.event.text).split(" ")[0]);
    expect(texts.length).toBeLessThan(7);
    expect(texts.at(-1)).toBe("19");
  });
});

describe("documented defaults", () => {
  it("binds 127.0.0.1, and keeps 100,000 events and 256 MiB unless told otherwise", async () => {
    server = await startDevServer({ port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await (await fetch(`${server.url}/api/events`)).json();
    expect(page.limits).toEqual({ maxEvents: 100_000, maxBytes: 256 * 1024 * 1024 });
  });

  it("keeps the problems of every refused request and the first 2 KB of the last 100 bodies", async () => {
    server = await startDevServer({ port: 0 });
    for (let i = 0; i < 105; i++) {
      const refused = `{"hookEvent":"x","runId":"refused-${i}","bourneVersion":"v2","event":{"source":"user","type":"text","colour":"${"x".repeat(3000)}"}}`;
      expect((await post(refused)).status).toBe(400);
    }
    expect(server.rejectedCount).toBe(105);
    expect(server.rejected).toHaveLength(100);
    expect(server.rejected[0].body).toContain('"runId":"refused-5"');
    expect(server.rejected.at(-1)!.body).toContain('"runId":"refused-104"');
    for (const rejection of server.rejected) {
      expect(rejection.body).toHaveLength(2048 + "…".length);
      expect(rejection.issues.map((issue) => issue.path).join(" ")).toContain("colour");
    }
  });
});

describe("over-deep input", () => {
  it("refuses a tool input nested 5,000 levels with a 400 naming the limit, and keeps serving", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), "permiso-log-")), "events.jsonl");
    server = await startDevServer({ port: 0, logFile });
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const raw = `{"hookEvent":"t","runId":"r","bourneVersion":"v2","event":{"source":"agent","type":"tool_use","name":"t","toolUseId":"u","input":${deep}}}`;
    const response = await post(raw);
    expect(response.status).toBe(400);
    expect((await response.json()).issues).toEqual([
      { path: "event.input", message: "must not nest objects and arrays more than 100 levels deep" },
    ]);
    expect((await post(body("r", { source: "user", type: "text", text: "still here" }))).status).toBe(200);
    expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/events`)).status).toBe(200);
    await server.close();
    expect(readFileSync(logFile, "utf8")).toContain("still here");
  });
});

describe("runs whose parentRunIds form a loop", () => {
  it("are shown as top-level runs with a warning", async () => {
    server = await startDevServer({ port: 0 });
    await post(body("a", { source: "user", type: "text", text: "1" }, { parentRunId: "b" }));
    await post(body("b", { source: "user", type: "text", text: "2" }, { parentRunId: "a" }));
    await post(body("c", { source: "user", type: "text", text: "3" }, { parentRunId: "c" }));
    await post(body("d", { source: "user", type: "text", text: "4" }, { parentRunId: "a" }));
    const { runs } = await (await fetch(`${server.url}/api/runs`)).json();
    expect(runs.map((run: any) => run.runId)).toEqual(["a", "b", "c"]);
    expect(runs[0].warnings).toEqual(["parentRunId forms a loop (a → b → a); shown as a top-level run"]);
    expect(runs[1].warnings).toEqual(["parentRunId forms a loop (b → a → b); shown as a top-level run"]);
    expect(runs[2].warnings).toEqual(["parentRunId forms a loop (c → c); shown as a top-level run"]);
    expect(runs[0].children.map((run: any) => run.runId)).toEqual(["d"]);
  });
});

describe("DNS rebinding", () => {
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(path, server.url);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on("error", reject).end();
    });

  it("answers only loopback names, the bound address and allowed hosts", async () => {
    server = await startDevServer({ port: 0, allowedHosts: ["devbox.test"] });
    await post(body("r", { source: "user", type: "text", text: "secret prompt" }));
    for (const host of ["localhost", "127.0.0.1", "[::1]", "devbox.test", "LOCALHOST."]) {
      expect(await get("/api/runs", { host: `${host}:${server.port}` }), host).toBe(200);
    }
    for (const host of ["attacker.example", "127.0.0.1.attacker.example", "localhost.attacker.example"]) {
      expect(await get("/api/runs", { host: `${host}:${server.port}` }), host).toBe(403);
      expect(await get("/", { host })).toBe(403);
    }
  });

  it("refuses state changes from another origin", async () => {
    server = await startDevServer({ port: 0 });
    await post(body("r", { source: "user", type: "text", text: "keep me" }));
    const cleared = await fetch(`${server.url}/api/runs`, { method: "DELETE", headers: { origin: "http://attacker.example" } });
    expect(cleared.status).toBe(403);
    expect(server.store.events()).toHaveLength(1);
  });
});

describe("the viewer's files", () => {
  it("answers HEAD / and /favicon.ico, and serves the script and style with a strict policy", async () => {
    server = await startDevServer({ port: 0 });
    const head = await fetch(server.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("text/html");
    expect(await head.text()).toBe("");
    const icon = await fetch(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    const page = await fetch(server.url);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const script = await fetch(`${server.url}/viewer.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${server.url}/viewer.css`)).status).toBe(200);
  });
});

describe("the event stream", () => {
  it("reads events after a seq, and streams new ones as deltas with their seq as id", async () => {
    server = await startDevServer({ port: 0 });
    await post(body("r", { source: "user", type: "text", text: "one" }));
    await post(body("r", { source: "user", type: "text", text: "two" }));
    const page = await (await fetch(`${server.url}/api/events?after=1`)).json();
    expect(page).toMatchObject({ lastSeq: 2, generation: 0, evicted: { runs: 0, events: 0 } });
    expect(page.events.map((event: any) => event.body.event.text)).toEqual(["two"]);

    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/live?after=1&generation=0`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    let received = "";
    const readUntil = async (text: string) => {
      while (!received.includes(text)) received += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil('"text":"two"');
    await post(body("r", { source: "user", type: "text", text: "three" }));
    await readUntil('"text":"three"');
    expect(received).toMatch(/id: 3\nevent: hook\ndata: \{"seq":3,/);
    expect(received).not.toContain('"text":"one"');
    await fetch(`${server.url}/api/runs`, { method: "DELETE" });
    await readUntil("event: reset");
    controller.abort();
  });
});

describe("tool decisions", () => {
  const toolUse = (name: string, input: unknown) => body("r", { source: "agent", type: "tool_use", name, toolUseId: `t-${name}`, input });

  it("answers deny for --deny-tool names and matching policy rules, {} otherwise, and records the decision", async () => {
    server = await startDevServer({
      port: 0,
      denyTools: ["delete_file"],
      policy: parseToolPolicy({
        rules: [
          { tool: "web_fetch", input: { url: { matches: "^https?://internal\\." } }, agent_message: "Internal URLs are off limits.", user_message: "Blocked an internal fetch." },
          { tool: "*", input: { $: { contains: "password" } }, agent_message: "No secrets.", continue: false },
        ],
      }),
    });
    const answer = async (payload: unknown) => (await post(payload)).json();
    expect(await answer(toolUse("delete_file", { path: "/" }))).toEqual({
      permission: "deny",
      agent_message: 'The tool "delete_file" is denied by the local receiver (--deny-tool delete_file).',
    });
    expect(await answer(toolUse("web_fetch", { url: "https://internal.example/admin" }))).toEqual({
      permission: "deny",
      agent_message: "Internal URLs are off limits.",
      user_message: "Blocked an internal fetch.",
    });
    expect(await answer(toolUse("web_fetch", { url: "https://example.com" }))).toEqual({});
    expect(await answer(toolUse("login", { user: "ada", password: "x" }))).toEqual({ permission: "deny", agent_message: "No secrets.", continue: false });
    // Only tool_use is decided: a result naming the tool is accepted as usual.
    expect(await answer(body("r", { source: "agent", type: "tool_result", name: "delete_file", toolUseId: "t-delete_file", content: "" }))).toEqual({});
    const decisions = server.store.events().map((event) => event.decision?.rule ?? null);
    expect(decisions).toEqual(["--deny-tool delete_file", "policy rule 1", null, "policy rule 2", null]);
  });
});

async function settledHeap(): Promise<number> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
