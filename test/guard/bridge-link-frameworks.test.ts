/**
 * One run with the bridge on real framework traces: LangChain v1 and OpenAI
 * Agents JS traced by their OpenInference instrumentations, Mastra by its
 * OpenTelemetry bridge, all into the bridge's processor, each guarded on its
 * own hook by a guard linked to that processor, against the fake OpenAI
 * server. Each tool call reaches Permiso once, from the guard, in the run the
 * bridge reports the rest of the turn in, and every event of that run names
 * the agent and its system prompt, though these frameworks' spans say what is
 * an agent only when it ends, after the guard was asked.
 */
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { OpenAIAgentsInstrumentation } from "@arizeai/openinference-instrumentation-openai-agents";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { ChatOpenAI } from "@langchain/openai";
import { Agent as MastraAgent } from "@mastra/core/agent";
import { Mastra } from "@mastra/core/mastra";
import { createTool } from "@mastra/core/tools";
import { Observability } from "@mastra/observability";
import { OtelBridge } from "@mastra/otel-bridge";
import * as agents from "@openai/agents";
import { createAgent, tool as langChainTool, ToolMessage } from "langchain";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { permisoBeforeToolCall, permisoMiddleware, withPermisoGuard } from "../../src/guard/index.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedReply } from "../support/fake-openai.js";
import { expectGuardedRuns, useLinkedBridge, type LinkedBridge } from "./support/linked-bridge.js";

const langChainInstrumentation = new LangChainInstrumentation();
langChainInstrumentation.manuallyInstrument(CallbackManagerModule);
// The Agents SDK turns its tracing off when NODE_ENV is "test"; a user's app has it on.
agents.setTracingDisabled(false);
const agentsInstrumentation = new OpenAIAgentsInstrumentation();
agentsInstrumentation.manuallyInstrument(agents);

const bridge = useLinkedBridge();
let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI();
});
afterAll(() => openai.close());

const WEATHER_AND_EMAIL: ScriptedReply[] = [
  {
    text: "Let me check, then send it.",
    toolCalls: [
      { id: "call_w", name: "weather", arguments: { city: "Paris" } },
      { id: "call_e", name: "send_email", arguments: { to: "ceo@rival.example" } },
    ],
  },
  { text: "Sunny in Paris; the e-mail was not sent." },
];

/** The agent of every test here. */
const ASSISTANT = { name: "assistant", systemPrompt: "Help." };

/**
 * Every tool call once, from the guard, in the one run of the turn, with the
 * bridge's eventId; every event naming the assistant and its instructions.
 */
async function expectOneRunOneToolUseEach({ permiso, provider, toolUsesById }: LinkedBridge, checks: number) {
  await provider.forceFlush();
  const byId = toolUsesById();
  expect(Object.keys(byId).sort()).toEqual(["call_e", "call_w"]);
  expect(checks).toBe(2);
  const runId = permiso.requests[0]?.runId;
  expectGuardedRuns(permiso.requests, { [runId]: ASSISTANT });
  for (const [toolUseId, [body]] of Object.entries(byId)) expect(body.event.eventId).toBe(`${runId}:tool_use:${toolUseId}`);
  expect(permiso.requests.filter((body) => body.event.type === "tool_result").map((body) => body.event.toolUseId)).toContain("call_w");
  expect(permiso.invalid).toEqual([]);
}

describe("LangChain v1, OpenInference", () => {
  it("each tool call once, from the guard, in the agent's run", async () => {
    langChainInstrumentation.setTracerProvider(bridge.provider as never);
    const guard = bridge.linkedGuard();
    const apiKey = openai.script(WEATHER_AND_EMAIL);
    const agent = createAgent({
      ...ASSISTANT,
      model: new ChatOpenAI({ model: "gpt-4o-mini", apiKey, configuration: { baseURL: openai.baseURL }, maxRetries: 0 }),
      tools: [
        langChainTool(async ({ city }: { city: string }) => `${city}: sunny`, { name: "weather", description: "Weather", schema: z.object({ city: z.string() }) }),
        langChainTool(async () => "sent", { name: "send_email", description: "E-mail", schema: z.object({ to: z.string() }) }),
      ],
      middleware: [permisoMiddleware(guard, { ToolMessage })],
    });
    await agent.invoke({ messages: [{ role: "user", content: "Weather in Paris, then e-mail it." }] });
    await expectOneRunOneToolUseEach(bridge, guard.getStats().checks);
    expect(guard.getStats().denied).toBe(1);
  });
});

describe.each([
  ["Chat Completions", false],
  ["Responses", true],
] as const)("OpenAI Agents JS (%s), OpenInference", (_, useResponses) => {
  it("each tool call once, from the guard, in the agent's run", async () => {
    agentsInstrumentation.setTracerProvider(bridge.provider as never);
    const guard = bridge.linkedGuard();
    const apiKey = openai.script(WEATHER_AND_EMAIL);
    const tools = withPermisoGuard(
      [
        agents.tool({ name: "weather", description: "Weather", parameters: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: sunny` }),
        agents.tool({ name: "send_email", description: "E-mail", parameters: z.object({ to: z.string() }), execute: async () => "sent" }),
      ],
      guard,
    );
    const runner = new agents.Runner({
      modelProvider: new agents.OpenAIProvider({ openAIClient: new OpenAI({ apiKey, baseURL: openai.baseURL, maxRetries: 0 }), useResponses }),
      model: "gpt-4o-mini",
    });
    await runner.run(new agents.Agent({ name: ASSISTANT.name, instructions: ASSISTANT.systemPrompt, tools }), "Weather in Paris, then e-mail it.");
    await expectOneRunOneToolUseEach(bridge, guard.getStats().checks);
    expect(guard.getStats().denied).toBe(1);
  });
});

describe("Mastra, @mastra/otel-bridge", () => {
  it("each tool call once, from the guard, in the agent's run", async () => {
    const guard = bridge.linkedGuard();
    const apiKey = openai.script(WEATHER_AND_EMAIL);
    const observability = new Observability({
      configs: { default: { serviceName: "assistant-service", bridge: new OtelBridge({ tracerProvider: bridge.provider as never }) } },
    });
    const assistant = new MastraAgent({
      id: ASSISTANT.name,
      name: ASSISTANT.name,
      instructions: ASSISTANT.systemPrompt,
      model: { id: "openai/gpt-4o-mini", url: openai.baseURL, apiKey },
      tools: {
        weather: createTool({ id: "weather", description: "Weather", inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: sunny` }),
        send_email: createTool({ id: "send_email", description: "E-mail", inputSchema: z.object({ to: z.string() }), execute: async () => "sent" }),
      },
      hooks: { beforeToolCall: permisoBeforeToolCall(guard) },
    });
    const mastra = new Mastra({ agents: { assistant }, observability, logger: false });
    await mastra.getAgent("assistant").generate("Weather in Paris, then e-mail it.");
    await observability.flush();
    await expectOneRunOneToolUseEach(bridge, guard.getStats().checks);
    expect(guard.getStats().denied).toBe(1);
  });
});
