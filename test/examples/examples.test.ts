/**
 * Every example runs as its own process, against the built package, with a
 * strict local receiver standing in for Permiso.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { chooseDestination } from "../../examples/demo/destination.js";

const run = promisify(execFile);
let server: DevServer;

beforeAll(async () => {
  if (!existsSync("dist/otel/index.js")) await run("npx", ["tsup", "--silent"]);
}, 120_000);
beforeEach(async () => {
  server = await startDevServer({ port: 0 });
});
afterEach(async () => server.close());

async function runExample(file: string, env: Record<string, string> = {}): Promise<string> {
  const args = file.endsWith(".cjs") ? [file] : ["--import", "tsx", file];
  const { stdout } = await run(process.execPath, args, {
    env: {
      ...process.env,
      PERMISO_API_KEY: "example-key",
      PERMISO_BASE_URL: server.url,
      ...env,
    },
    timeout: 60_000,
  });
  expect(server.rejected).toEqual([]);
  return stdout;
}

const hookEvents = () => server.store.events().map((event) => event.body.hookEvent);

describe("examples", () => {
  it("direct-client.ts: a hand-reported turn, a background send, endRun, a refused event", async () => {
    const stdout = await runExample("examples/direct-client.ts");
    expect(hookEvents()).toEqual(["user_prompt", "lookup_invoices", "lookup_invoices", "assistant_message", "stop"]);
    const [run] = server.store.runs();
    expect(run).toMatchObject({ sessionId: "conversation-8812", user: { id: "customer-42", email: "ada@example.com" } });
    expect(run.agent).toEqual({ name: "support-bot", id: "support-bot-v3", systemPrompt: "You answer billing questions." });
    expect(stdout).toContain(`run ${run.runId} ended`);
    expect(stdout).toContain('refused: Invalid event: event.toolUseId is required for type "tool_use"');
  });

  it("node-sdk.ts: NodeSDK with traceExporter, and no metrics or logs exporter holding the exit", async () => {
    // Where NodeSDK's default OTLP exporters would send: nothing may arrive.
    const otlpRequests: string[] = [];
    const collector = createServer((request, response) => {
      otlpRequests.push(request.url ?? "");
      response.end();
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      expect(await runExample("examples/node-sdk.ts", { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` })).toContain("It is sunny in Paris.");
    } finally {
      collector.close();
    }
    expect(otlpRequests).toEqual([]);
    expect(hookEvents()).toEqual(["user_prompt", "assistant_message", "weather", "weather", "assistant_message", "stop"]);
    expect(server.store.runs()[0].agent).toEqual({ name: "weather-agent", systemPrompt: "You are a weather bot." });
  });

  it("node-tracer-provider.ts: NodeTracerProvider with PermisoSpanProcessor, legacy ai.* spans", async () => {
    await runExample("examples/node-tracer-provider.ts");
    expect(server.store.events().map((event) => event.body.event)).toMatchObject([
      { source: "user", type: "text", text: "Hi there" },
      { source: "agent", type: "text", text: "Hello! How can I help?", model: "scripted-model" },
      { source: "stop", stopReason: "end_turn", usage: { inputTokens: 8, outputTokens: 6, totalTokens: 14 } },
    ]);
  });

  it("node-tracer-provider.ts with content capture off", async () => {
    await runExample("examples/node-tracer-provider.ts", { CAPTURE_CONTENT: "false" });
    expect(JSON.stringify(server.store.events())).not.toContain("Hi there");
    expect(hookEvents()).toEqual(["user_prompt", "assistant_message", "stop"]);
  });

  it("vercel-otel.ts: registerOTel with traceExporter", async () => {
    expect(await runExample("examples/vercel-otel.ts")).toContain("Your order ships tomorrow.");
    expect(hookEvents()).toEqual(["user_prompt", "assistant_message", "stop"]);
    expect(server.store.runs()[0].agent).toEqual({ name: "shop-assistant", systemPrompt: "You are a shop assistant." });
  });

  it("manual-genai.ts: hand-written GenAI spans", async () => {
    await runExample("examples/manual-genai.ts");
    expect(server.store.events().map((event) => event.body.event)).toMatchObject([
      { source: "user", type: "text", text: "How much is 100 EUR in USD?" },
      { source: "agent", type: "tool_use", name: "fx_rate", toolUseId: "call_fx", input: { from: "EUR", to: "USD" }, model: "my-model" },
      { source: "agent", type: "tool_result", toolUseId: "call_fx", name: "fx_rate", content: '{"rate":1.08}' },
      { source: "agent", type: "text", text: "100 EUR is 108 USD.", model: "my-model" },
      { source: "stop", stopReason: "end_turn", usage: { inputTokens: 73, outputTokens: 17, totalTokens: 90 } },
    ]);
    const [run] = server.store.runs();
    expect(run).toMatchObject({ sessionId: "chat-19", agent: { name: "fx-agent", systemPrompt: "You convert currencies." } });
  });

  it("commonjs.cjs: the CommonJS build", async () => {
    const stdout = await runExample("examples/commonjs.cjs");
    expect(stdout.trim()).toBe("function 4bf92f35-77b3-8da6-a3ce-929d0e0e4736");
    expect(hookEvents()).toEqual(["user_prompt", "stop"]);
  });

  it("demo: follows PERMISO_BASE_URL, and shows the trip planner, its sub-agent and the run tree", async () => {
    const stdout = await runExample("examples/demo/main.ts", { PERMISO_API_KEY: "", CI: "1" });
    expect(stdout).toContain(`Reporting to ${server.url} (from PERMISO_BASE_URL).`);
    expect(stdout).toMatch(/sub-agent\n│  run [0-9a-f-]{36}  agent=research-agent/);
    expect(stdout).toContain("└─ stop end_turn, 952 tokens (in 830, out 122), 0.00432 USD");
    // 20 from the bridge, and the guard's 2 tool calls; this receiver has no policy, so it allows both.
    expect(stdout).toContain("20 events delivered.");
    expect(stdout).toContain("Tool guard: 2 allowed, 0 denied by Permiso.");
    expect(stdout).toContain("and I have refunded 180 EUR to your card.");
    expect(server.store.events()).toHaveLength(22);
    const planner = server.store.runs().find((run) => run.agent?.name === "trip-planner");
    expect(planner?.children[0].agent?.name).toBe("research-agent");
  });

  it("demo: the guarded support agent, one tool allowed and one denied, the model answering with the reason", async () => {
    const stdout = await runExample("examples/demo/main.ts", { PERMISO_BASE_URL: "", PERMISO_API_KEY: "", CI: "1", DEMO_PORT: "0" });
    const reason = "Refunds need a manager's approval; offer to pass the case to a manager.";
    expect(stdout).toContain(`Agent answer: Your order A-1042 (hiking boots, 180 EUR) is confirmed as damaged, but I could not refund it myself: ${reason}`);
    expect(stdout).toContain("Tool guard: 1 allowed, 1 denied by Permiso.");
    // Each tool call once in the support agent's run (the guard's), the refund marked denied.
    const support = stdout.slice(stdout.indexOf("agent=support-agent"));
    expect(support.match(/tool_use {4}lookup_order /g)).toHaveLength(1);
    expect(support.match(/tool_use {4}issue_refund .*/g)).toEqual([
      `tool_use    issue_refund {"orderId":"A-1042","amount":180,"currency":"EUR"}  DENIED ${reason}`,
    ]);
  });

  it("demo: without PERMISO_BASE_URL or PERMISO_API_KEY, its own receiver; never a viewer link that is already gone", async () => {
    const stdout = await runExample("examples/demo/main.ts", { PERMISO_BASE_URL: "", PERMISO_API_KEY: "", CI: "1", DEMO_PORT: "0" });
    expect(stdout).toMatch(/^Reporting to a local receiver started by the demo at http:\/\/127\.0\.0\.1:\d+ \(set PERMISO_BASE_URL or PERMISO_API_KEY to report elsewhere\)\.$/m);
    expect(stdout).toContain("20 events delivered.");
    // stdout is not a terminal here: the receiver stops with the demo, so no link to it is printed.
    expect(stdout).not.toMatch(/Run viewer|http:\/\/127\.0\.0\.1:\d+\/\s/);
    expect(stdout).toContain("start `npx permiso-hooks dev`");
    expect(server.store.events()).toHaveLength(0);
  });

  it("demo: with PERMISO_API_KEY and no PERMISO_BASE_URL, Permiso itself, with that key", async () => {
    // Chosen, not sent: the bridge's own default URL applies (baseUrl left unset), and no receiver is started.
    const destination = await chooseDestination({ PERMISO_API_KEY: "real-key", PERMISO_BASE_URL: "" });
    expect(destination).toEqual({ apiKey: "real-key", baseUrl: undefined, description: "Permiso at https://alb.permiso.io (PERMISO_API_KEY is set)" });
  });
});
