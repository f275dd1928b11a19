/**
 * The `openai` client driven the way applications drive it without a
 * framework: a request handler's span around a loop that calls the model,
 * runs the tools it asks for and sends their answers back.
 */
import { SpanKind } from "@opentelemetry/api";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall, ChatCompletionTool } from "openai/resources/chat/completions";
import type { FunctionTool, Response, ResponseFunctionToolCall, ResponseInputItem } from "openai/resources/responses/responses";
import type { TestProvider } from "../otel-sdk.js";
import { EventBuilder, FIRST_TURN, forecastFor, MODEL, PROMPTS, type ExpectedRun, type Gaps, type ScenarioId } from "./scenarios.js";
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

const WEATHER_FUNCTION: FunctionTool = {
  type: "function",
  name: "weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

/** The same loop on the Responses API: function calls out, their outputs back as input items. */
async function responsesLoop(client: OpenAI, conversation: ResponseInputItem[], stream: boolean): Promise<string> {
  const input = [...conversation];
  for (let step = 0; step < 5; step++) {
    const request = { model: MODEL, instructions: PROMPTS.weatherSystem, input, tools: [WEATHER_FUNCTION] };
    const response: Response = stream ? await client.responses.stream(request).finalResponse() : await client.responses.create(request);
    input.push(...(response.output as ResponseInputItem[]));
    const calls = response.output.filter((item): item is ResponseFunctionToolCall => item.type === "function_call");
    if (calls.length === 0) return response.output_text;
    for (const call of calls) {
      const output = runTool({ id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } });
      input.push({ type: "function_call_output", call_id: call.call_id, output });
    }
  }
  return "";
}

type Api = "chat" | "responses";

/** A request handler's span around one turn. */
function turn(conversation: ChatCompletionMessageParam[], stream = false, api: Api = "chat"): ProviderScenario {
  return async ({ provider, server, apiKey }: ScenarioEnv & { provider: TestProvider }) => {
    const client = new OpenAI({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
    const tracer = provider.getTracer("app");
    await tracer.startActiveSpan("POST /chat", { kind: SpanKind.SERVER }, async (span) => {
      try {
        if (api === "responses") await responsesLoop(client, conversation as ResponseInputItem[], stream);
        else await chatLoop(client, [{ role: "system", content: PROMPTS.weatherSystem }, ...conversation], stream);
      } finally {
        span.end();
      }
    });
  };
}

function scenarios(api: Api): Partial<Record<ScenarioId, ProviderScenario>> {
  return {
    "one-tool": turn([{ role: "user", content: PROMPTS.weather }], false, api),
    "two-tools": turn([{ role: "user", content: PROMPTS.twoCities }], false, api),
    "failing-tool": turn([{ role: "user", content: PROMPTS.atlantis }], false, api),
    streaming: turn([{ role: "user", content: PROMPTS.weather }], true, api),
    "second-turn": turn([...FIRST_TURN, { role: "user", content: PROMPTS.followUp }], false, api),
    "no-tool": turn([{ role: "user", content: PROMPTS.hello }], false, api),
  };
}

export type ClientInstrumentation = "openinference" | "openllmetry";

/** The suite for the client on one API under one instrumentation. */
export function openAiClientSuite(
  instrumentationName: ClientInstrumentation,
  api: Api,
  instrumentation: { setTracerProvider(provider: never): void },
): ProviderSuite {
  const gaps = api === "chat" ? CHAT_GAPS : RESPONSES_GAPS[instrumentationName];
  return {
    name: `openai-client${api === "chat" ? "" : "-responses"}+${instrumentationName}`,
    scenarios: scenarios(api),
    instrument: (provider) => instrumentation.setTracerProvider(provider as never),
    // No agent spans: the application names its agent.
    bridgeOptions: { agent: { name: "weather-agent" } },
    carried: {
      // What the application reports to the model when a tool fails: text, with nothing marking it an error.
      failedToolContent: "Error: no forecast for Atlantis",
      // A Responses API reply reports its cached tokens, which OpenInference records.
      ...(api === "responses" && instrumentationName === "openinference" ? { usage: { cacheReadTokens: 0 } } : {}),
    },
    gaps: Object.fromEntries(Object.keys(scenarios(api)).map((id) => [id, { ...gaps.all, ...gaps[id as ScenarioId] }])),
    expected: api === "responses" && instrumentationName === "openllmetry" ? { streaming: OPENLLMETRY_RESPONSES_STREAM } : undefined,
  };
}

type GapTable = Partial<Record<ScenarioId | "all", Gaps>>;

const CHAT_GAPS: GapTable = {
  "failing-tool": { toolError: true },
  // Neither instrumentation reads the usage a stream ends with.
  streaming: { usage: true },
};

const RESPONSES_GAPS: Record<ClientInstrumentation, GapTable> = {
  // No finish reason is recorded for a Responses API reply.
  openinference: { all: { stopReason: true }, "failing-tool": { toolError: true } },
  // The instructions are not recorded, nor the reply's function calls: they are known from the next request's input.
  openllmetry: { all: { systemPrompt: true, toolUseModel: true }, "failing-tool": { toolError: true } },
};

/**
 * OpenLLMetry records nothing of a streamed Responses API reply: what the
 * first reply said is known from the next request's input; the last reply
 * is lost, and no usage or finish reason is sent for it.
 */
const OPENLLMETRY_RESPONSES_STREAM: ExpectedRun[] = (() => {
  const weather = new EventBuilder({ model: true }, {}, "weather-agent");
  return [
    {
      agent: "weather-agent",
      noSystemPrompt: true,
      events: [
        weather.prompt(PROMPTS.weather),
        weather.text("Let me check."),
        weather.toolUse("weather", "call_1", { city: "Paris" }),
        weather.toolResult("weather", "call_1", JSON.stringify(forecastFor("Paris"))),
        { hookEvent: "stop", event: { source: "stop" }, agent: "weather-agent" },
      ],
    },
  ];
})();
