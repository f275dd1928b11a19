/**
 * `permisoToolInputGuardrail` and `withPermisoGuard` in real OpenAI Agents JS
 * runs (Chat Completions against a fake OpenAI server), on function tools and
 * on tools from a real MCP server over Streamable HTTP.
 */
import {
  Agent,
  getAllMcpTools,
  MCPServerStreamableHttp,
  OpenAIChatCompletionsModel,
  Runner,
  setTracingDisabled,
  tool,
  type Tool,
} from "@openai/agents";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PermisoRunStoppedError, permisoToolInputGuardrail, withPermisoGuard } from "../../src/guard/index.js";
import { deny } from "../support/deciding-receiver.js";
import { deadPort } from "../support/recorder.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedReply } from "../support/fake-openai.js";
import { toolMessagesSent } from "./support/chat-transcript.js";
import { startRepoToolsServer, type RepoToolsServer } from "./support/mcp-tools-server.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;
let openai: FakeOpenAI;
beforeAll(async () => {
  // The SDK would otherwise export its traces to OpenAI.
  setTracingDisabled(true);
  openai = await startFakeOpenAI();
});
afterAll(() => openai.close());

/** Runs an agent with `tools` on a scripted model; returns what the model was told about each call. */
async function runAgent(tools: Tool[], replies: ScriptedReply[], extra: { mcpServers?: MCPServerStreamableHttp[] } = {}) {
  const apiKey = openai.script(replies);
  const model = new OpenAIChatCompletionsModel(new OpenAI({ apiKey, baseURL: openai.baseURL, maxRetries: 0 }), "gpt-4o-mini");
  const agent = new Agent({ name: "assistant", instructions: "Help.", model, tools, ...extra });
  const outcome = await new Runner().run(agent, "Do it.").then(
    (result) => ({ finalOutput: result.finalOutput, error: undefined }),
    (error: unknown) => ({ finalOutput: undefined, error }),
  );
  return { ...outcome, toolOutputsSeen: toolMessagesSent(openai, apiKey), modelRequests: openai.requestsFor(apiKey).length };
}

function assistantTools(guardrails: { inputGuardrails?: ReturnType<typeof permisoToolInputGuardrail>[] } = {}) {
  const ran: string[] = [];
  const tools = [
    tool({
      name: "weather",
      description: "Current weather",
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        ran.push("weather");
        return `${city}: sunny`;
      },
      ...guardrails,
    }),
    tool({
      name: "send_email",
      description: "Send an e-mail",
      parameters: z.object({ to: z.string() }),
      execute: async () => {
        ran.push("send_email");
        return "sent";
      },
      ...guardrails,
    }),
  ];
  return { ran, tools };
}

const BOTH_CALLS: ScriptedReply[] = [
  {
    toolCalls: [
      { id: "call_w", name: "weather", arguments: { city: "Paris" } },
      { id: "call_e", name: "send_email", arguments: { to: "ceo@rival.example" } },
    ],
  },
  { text: "Paris is sunny; the e-mail was not sent." },
];

describe("OpenAI Agents JS tool input guardrail", () => {
  it("on each tool: the allowed one runs, the denied one's output is Permiso's reason", async () => {
    permiso.receiver.decide = denyTool("send_email", deny("External e-mail is not allowed."));
    const { ran, tools } = assistantTools({ inputGuardrails: [permisoToolInputGuardrail(guardFor())] });
    const { finalOutput, toolOutputsSeen } = await runAgent(tools, BOTH_CALLS);
    expect(ran).toEqual(["weather"]);
    expect(toolOutputsSeen).toEqual({ call_w: "Paris: sunny", call_e: "External e-mail is not allowed." });
    expect(finalOutput).toBe("Paris is sunny; the e-mail was not sent.");
    expect(permiso.receiver.toolUses().map((body) => [body.event.name, body.event.toolUseId, body.event.input, body.agent])).toEqual([
      ["weather", "call_w", { city: "Paris" }, { name: "assistant" }],
      ["send_email", "call_e", { to: "ceo@rival.example" }, { name: "assistant" }],
    ]);
    expect(permiso.receiver.invalid).toEqual([]);
  });

  it("withPermisoGuard adds it to every function tool, once, without changing the originals", async () => {
    permiso.receiver.decide = denyTool("send_email", deny("External e-mail is not allowed."));
    const guard = guardFor();
    const { ran, tools } = assistantTools();
    const guarded = withPermisoGuard(withPermisoGuard(tools, guard), guard);
    expect(guarded.map((candidate) => (candidate as { inputGuardrails?: unknown[] }).inputGuardrails?.length)).toEqual([1, 1]);
    expect(tools.map((candidate) => (candidate as { inputGuardrails?: unknown[] }).inputGuardrails?.length)).toEqual([0, 0]);
    const { toolOutputsSeen } = await runAgent(guarded, BOTH_CALLS);
    expect(ran).toEqual(["weather"]);
    expect(toolOutputsSeen.call_e).toBe("External e-mail is not allowed.");
  });

  it("continue: false trips the guardrail and ends the run", async () => {
    permiso.receiver.decide = denyTool("send_email", { permission: "deny", continue: false, user_message: "Session ended by policy." });
    const { ran, tools } = assistantTools();
    const { error, modelRequests } = await runAgent(withPermisoGuard(tools, guardFor()), BOTH_CALLS);
    expect(PermisoRunStoppedError.find(error)).toMatchObject({ toolName: "send_email", decision: { userMessage: "Session ended by policy." } });
    expect(ran).not.toContain("send_email");
    expect(modelRequests).toBe(1);
  });

  it("a dead Permiso blocks the tools (failMode closed); failMode open lets them run", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    const closed = assistantTools();
    const { toolOutputsSeen } = await runAgent(withPermisoGuard(closed.tools, guardFor({ baseUrl, timeoutMs: 300 })), BOTH_CALLS);
    expect(closed.ran).toEqual([]);
    expect(toolOutputsSeen.call_w).toBe("Permiso could not be reached; the tool was blocked (failMode closed).");
    const open = assistantTools();
    await runAgent(withPermisoGuard(open.tools, guardFor({ baseUrl, timeoutMs: 300, failMode: "open" })), BOTH_CALLS);
    expect(open.ran.sort()).toEqual(["send_email", "weather"]);
  });

  it("a hung Permiso blocks at timeoutMs", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    const { ran, tools } = assistantTools();
    const { toolOutputsSeen } = await runAgent(withPermisoGuard(tools, guardFor({ timeoutMs: 250 })), BOTH_CALLS);
    expect(ran).toEqual([]);
    expect(toolOutputsSeen.call_e).toBe("Permiso did not answer within 250 ms; the tool was blocked (failMode closed).");
  });
});

describe("OpenAI Agents JS with MCP tools", () => {
  let repo: RepoToolsServer;
  let url: string;
  beforeAll(async () => {
    repo = startRepoToolsServer();
    url = await repo.serveHttp();
  });
  afterAll(() => repo.close());
  afterEach(() => {
    repo.calls.length = 0;
  });

  const REPO_CALLS: ScriptedReply[] = [
    {
      toolCalls: [
        { id: "call_r", name: "read_file", arguments: { path: "README.md" } },
        { id: "call_d", name: "delete_repo", arguments: { name: "sdk" } },
      ],
    },
    { text: "Read it; deleting was refused." },
  ];

  it("on the MCP server's toolInputGuardrails", async () => {
    permiso.receiver.decide = denyTool("delete_repo", deny("Deleting repositories is not allowed."));
    const server = new MCPServerStreamableHttp({ url, name: "repo", toolInputGuardrails: [permisoToolInputGuardrail(guardFor())] });
    await server.connect();
    try {
      const { toolOutputsSeen } = await runAgent([], REPO_CALLS, { mcpServers: [server] });
      expect(repo.calls).toEqual(["read_file"]);
      expect(toolOutputsSeen.call_d).toBe("Deleting repositories is not allowed.");
    } finally {
      await server.close();
    }
  });

  it("withPermisoGuard on the tools getAllMcpTools lists", async () => {
    permiso.receiver.decide = denyTool("delete_repo", deny("Deleting repositories is not allowed."));
    const server = new MCPServerStreamableHttp({ url, name: "repo" });
    await server.connect();
    try {
      const tools = withPermisoGuard(await getAllMcpTools([server]), guardFor());
      const { toolOutputsSeen } = await runAgent(tools, REPO_CALLS);
      expect(repo.calls).toEqual(["read_file"]);
      expect(toolOutputsSeen.call_d).toBe("Deleting repositories is not allowed.");
      expect(permiso.receiver.toolUses().map((body) => body.event.input)).toEqual([{ path: "README.md" }, { name: "sdk" }]);
    } finally {
      await server.close();
    }
  });
});
