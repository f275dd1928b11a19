/**
 * The `openai` client driven the way applications drive it without a
 * framework: a request handler's span around a loop that calls the model,
 * runs the tools it asks for and sends their answers back.
 */
import { SpanKind } from "@opentelemetry/api";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall, ChatCompletionTool } from "openai/resources/chat/completions";
import type { TestProvider } from "../otel-sdk.js";
import { FIRST_TURN, forecastFor, MODEL, PROMPTS, type ScenarioId } from "./scenarios.js";
import type { ProviderScenario, ProviderSuite, ScenarioEnv } from "./suite.js";

const WEATHER_TOOL: ChatCompletionTool = {
  type: "function",
  function: {
    name: "weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** The answer a tool message carries: the tool's JSON, or the error the application reports to the model. */
function runTool(call: ChatCompletionMessageToolCall): string {
  if (call.type !== "function") return "unsupported tool";
  try {
    return JSON.stringify(forecastFor(JSON.parse(call.function.arguments).city));
  } catch (error) {
    return `Error: ${(error as Error).message}`;
  }
}

/** One streamed completion, put back together as the message it is. */
async function streamedMessage(client: OpenAI, messages: ChatCompletionMessageParam[]) {
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages,
    tools: [WEATHER_TOOL],
    stream: true,
    stream_options: { include_usage: true },
  });
  let content = "";
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) content += delta.content;
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { id: "", name: "", arguments: "" };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].name += call.function.name;
      if (call.function?.arguments) calls[call.index].arguments += call.function.arguments;
    }
  }
  return {
    role: "assistant" as const,
    content: content || null,
    tool_calls: calls.length
      ? calls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.name, arguments: call.arguments } }))
      : undefined,
  };
}

async function chatLoop(client: OpenAI, messages: ChatCompletionMessageParam[], stream: boolean): Promise<string | null> {
  for (let step = 0; step < 5; step++) {
    const message = stream
      ? await streamedMessage(client, messages)
      : (await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] })).choices[0].message;
    messages.push(message);
    if (!message.tool_calls?.length) return message.content;
    for (const call of message.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: runTool(call) });
  }
  return null;
}

/** A request handler's span around one turn. */
function turn(conversation: ChatCompletionMessageParam[], stream = false): ProviderScenario {
  return async ({ provider, server, apiKey }: ScenarioEnv & { provider: TestProvider }) => {
    const client = new OpenAI({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
    const tracer = provider.getTracer("app");
    await tracer.startActiveSpan("POST /chat", { kind: SpanKind.SERVER }, async (span) => {
      try {
        await chatLoop(client, [{ role: "system", content: PROMPTS.weatherSystem }, ...conversation], stream);
      } finally {
        span.end();
      }
    });
  };
}

const SCENARIOS: Partial<Record<ScenarioId, ProviderScenario>> = {
  "one-tool": turn([{ role: "user", content: PROMPTS.weather }]),
  "two-tools": turn([{ role: "user", content: PROMPTS.twoCities }]),
  "failing-tool": turn([{ role: "user", content: PROMPTS.atlantis }]),
  streaming: turn([{ role: "user", content: PROMPTS.weather }], true),
  "second-turn": turn([...FIRST_TURN, { role: "user", content: PROMPTS.followUp }]),
  "no-tool": turn([{ role: "user", content: PROMPTS.hello }]),
};

/** The suite for the client under one instrumentation; both read the same from it. */
export function openAiClientSuite(name: string, instrumentation: { setTracerProvider(provider: never): void }): ProviderSuite {
  return {
    name,
    scenarios: SCENARIOS,
    instrument: (provider) => instrumentation.setTracerProvider(provider as never),
    // No agent spans: the application names its agent.
    bridgeOptions: { agent: { name: "weather-agent" } },
    // What the application reports to the model when a tool fails: text, with nothing marking it an error.
    carried: { failedToolContent: "Error: no forecast for Atlantis" },
    gaps: {
      "failing-tool": { toolError: true },
      // Neither instrumentation reads the usage a stream ends with.
      streaming: { usage: true },
    },
  };
}
