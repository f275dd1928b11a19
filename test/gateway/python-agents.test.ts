/**
 * Real Python agents with their real instrumentation (the official
 * openai-v2 instrumentation, OpenInference on the OpenAI Agents SDK,
 * traceloop-sdk) against the fake OpenAI server on loopback, exporting OTLP to
 * the gateway: each turn becomes one Permiso run with the prompt, the tool's
 * use and result, the answer and a stop with usage.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { summarize } from "../support/bridge-harness.js";
import { pythonAgents } from "./support/external-tools.js";
import { startFakeOpenAI } from "../support/fake-openai.js";

const venv = pythonAgents();
const script = resolve(import.meta.dirname, "../../scripts/python-agents/run_agent.py");
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

/** The weather turn: the model asks for the tool, then answers with its result. */
const WEATHER_TURN = [
  { toolCalls: [{ id: "call_weather_1", name: "weather", arguments: { city: "Paris" } }], usage: { input: 10, output: 5 } },
  { text: "It is sunny in Paris.", usage: { input: 20, output: 7 } },
];

async function runAgent(agent: string, protocol: "http/protobuf" | "grpc"): Promise<{ bodies: HookBody[]; modelCalls: number }> {
  const receiver: DevServer = await startDevServer({ port: 0 });
  const gateway: Gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: receiver.url, traceSettleMs: 200 });
  const model = await startFakeOpenAI();
  const openAiKey = model.script(WEATHER_TURN);
  cleanup.push(() => receiver.close(), () => model.close(), () => gateway.close());
  await promisify(execFile)(venv.path!, [script, agent], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: openAiKey,
      OTEL_EXPORTER_OTLP_ENDPOINT: protocol === "grpc" ? `http://${gateway.grpcAddress}` : gateway.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      NO_PROXY: "127.0.0.1,localhost",
    },
    timeout: 120_000,
  });
  await gateway.close();
  expect(receiver.rejected).toEqual([]);
  return { bodies: receiver.store.events().map((event) => event.body), modelCalls: model.requestsFor(openAiKey).length };
}

/** The turn every agent reports; `stop` as each instrumentation allows (OpenInference's Agents bridge records no finish reason). */
const expectedTurn = (stop: Record<string, unknown>) => [
  { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "What is the weather in Paris?" } },
  {
    hookEvent: "weather",
    event: expect.objectContaining({ source: "agent", type: "tool_use", name: "weather", toolUseId: "call_weather_1", input: { city: "Paris" } }),
  },
  {
    hookEvent: "weather",
    event: expect.objectContaining({ source: "agent", type: "tool_result", toolUseId: "call_weather_1", content: expect.stringMatching(/^\{"city": ?"Paris", ?"forecast": ?"sunny"\}$/) }),
  },
  { hookEvent: "assistant_message", event: expect.objectContaining({ source: "agent", type: "text", text: "It is sunny in Paris." }) },
  { hookEvent: "stop", event: { source: "stop", ...stop, usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } } },
];

describe.skipIf(venv.skipReason)("Python agents through the gateway", () => {
  it.each([
    ["openai-v2", "http/protobuf", { stopReason: "end_turn" }, undefined],
    ["openai-agents", "http/protobuf", {}, "weather-agent"],
    ["traceloop", "grpc", { stopReason: "end_turn" }, "weather-agent"],
  ] as const)("%s over OTLP %s becomes one run", async (agent, protocol, stop, agentName) => {
    const { bodies, modelCalls } = await runAgent(agent, protocol);
    expect(modelCalls).toBe(2);
    expect(new Set(bodies.map((body) => body.runId)).size).toBe(1);
    expect(bodies.map(summarize)).toEqual(expectedTurn(stop));
    for (const body of bodies) {
      expect(body.agent).toEqual(agentName ? { name: agentName, systemPrompt: "You are a weather bot." } : { systemPrompt: "You are a weather bot." });
      expect(body.parentRunId).toBeUndefined();
    }
  }, 150_000);
});

const { skipReason } = venv;
if (skipReason) describe("Python agents through the gateway", () => it.skip(skipReason, () => {}));
