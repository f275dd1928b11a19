/**
 * Real agent runs with the AI SDK 7 and its mock models, traced through
 * `@ai-sdk/otel` in either convention. Each scenario is what a user's
 * agent code looks like; only the model is scripted.
 */
import { LegacyOpenTelemetry, OpenTelemetry } from "@ai-sdk/otel";
import { SpanKind, type Tracer } from "@opentelemetry/api";
import { generateText, isStepCount, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { z } from "zod";
import type { TestProvider } from "./otel-sdk.js";

export type AiConvention = "genai" | "legacy";

type Content = Array<
  | { type: "text"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: string }
  | { type: "reasoning"; text: string }
>;

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/** A scripted model: one response per step. */
export function scriptedModel(steps: Array<{ content: Content; finish: "stop" | "tool-calls" | "length"; input: number; output: number }>) {
  return new MockLanguageModelV4({
    doGenerate: steps.map((step) => ({
      content: step.content,
      finishReason: { unified: step.finish, raw: step.finish },
      usage: usage(step.input, step.output),
      warnings: [],
    })),
  });
}

/** The `@ai-sdk/otel` integration on the provider's tracers, or without one on the app's global provider. */
export function integrationFor(convention: AiConvention, provider?: TestProvider) {
  if (!provider) return convention === "genai" ? new OpenTelemetry() : new LegacyOpenTelemetry();
  return convention === "genai"
    ? new OpenTelemetry({ tracer: provider.getTracer("gen_ai") })
    : new LegacyOpenTelemetry({ tracer: provider.getTracer("ai") });
}

/** The worked example's model: "Let me check." with a `weather` call, then the answer. */
export function weatherModel() {
  return scriptedModel([
    {
      content: [
        { type: "text", text: "Let me check." },
        { type: "tool-call", toolCallId: "call_1", toolName: "weather", input: JSON.stringify({ city: "Paris" }) },
      ],
      finish: "tool-calls",
      input: 10,
      output: 5,
    },
    { content: [{ type: "text", text: "It is sunny in Paris." }], finish: "stop", input: 20, output: 7 },
  ]);
}

/** The worked example's events, as `hookEvent:type`. */
export const WEATHER_EVENT_KINDS = [
  "user_prompt:text",
  "assistant_message:text",
  "weather:tool_use",
  "weather:tool_result",
  "assistant_message:text",
  "stop:stop",
];

/** The weather agent of the design's worked example. */
export async function weatherAgent(convention: AiConvention, provider?: TestProvider): Promise<string> {
  const result = await generateText({
    model: weatherModel(),
    system: "You are a weather bot.",
    prompt: "What is the weather in Paris?",
    tools: {
      weather: tool({
        description: "Current weather for a city",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, forecast: "sunny" }),
      }),
    },
    stopWhen: isStepCount(5),
    telemetry: { functionId: "weather-agent", integrations: [integrationFor(convention, provider)] },
  });
  return result.text;
}

/** An orchestrator whose `research` tool runs a sub-agent. */
export async function orchestratorWithSubAgent(convention: AiConvention, provider: TestProvider): Promise<string> {
  const integration = integrationFor(convention, provider);
  const orchestrator = scriptedModel([
    {
      content: [{ type: "tool-call", toolCallId: "call_research", toolName: "research", input: JSON.stringify({ topic: "tides" }) }],
      finish: "tool-calls",
      input: 12,
      output: 6,
    },
    { content: [{ type: "text", text: "Tides follow the moon." }], finish: "stop", input: 30, output: 9 },
  ]);
  const researcher = scriptedModel([
    {
      content: [{ type: "tool-call", toolCallId: "call_lookup", toolName: "lookup", input: JSON.stringify({ q: "tides" }) }],
      finish: "tool-calls",
      input: 8,
      output: 4,
    },
    { content: [{ type: "text", text: "The moon pulls the oceans." }], finish: "stop", input: 15, output: 6 },
  ]);
  const result = await generateText({
    model: orchestrator,
    system: "You coordinate research.",
    prompt: "Why are there tides?",
    tools: {
      research: tool({
        description: "Ask the research agent",
        inputSchema: z.object({ topic: z.string() }),
        execute: async ({ topic }) => {
          const sub = await generateText({
            model: researcher,
            system: "You research topics.",
            prompt: `Research: ${topic}`,
            tools: {
              lookup: tool({
                description: "Encyclopedia lookup",
                inputSchema: z.object({ q: z.string() }),
                execute: async ({ q }) => `${q}: caused by the moon's gravity`,
              }),
            },
            stopWhen: isStepCount(5),
            telemetry: { functionId: "research-agent", integrations: [integration] },
          });
          return sub.text;
        },
      }),
    },
    stopWhen: isStepCount(5),
    telemetry: { functionId: "orchestrator", integrations: [integration] },
  });
  return result.text;
}

/** The weather agent inside an HTTP server span, with a session and a user on it. */
export async function agentInHttpSpan(convention: AiConvention, provider: TestProvider): Promise<void> {
  const tracer: Tracer = provider.getTracer("http");
  await tracer.startActiveSpan(
    "POST /chat",
    { kind: SpanKind.SERVER, attributes: { "http.request.method": "POST", "session.id": "sess-42", "user.id": "user-7" } },
    async (span) => {
      await weatherAgent(convention, provider);
      span.end();
    },
  );
}

/** An ordinary request: spans, but no AI. */
export async function requestWithoutAi(provider: TestProvider): Promise<void> {
  const tracer = provider.getTracer("http");
  await tracer.startActiveSpan("GET /health", { kind: SpanKind.SERVER }, async (span) => {
    await tracer.startActiveSpan("SELECT 1", { kind: SpanKind.CLIENT, attributes: { "db.system": "postgresql" } }, async (db) => {
      db.end();
    });
    span.end();
  });
}


/** A second turn: the prompt carries the first turn as history. */
export async function secondTurn(convention: AiConvention, provider: TestProvider): Promise<string> {
  const model = scriptedModel([{ content: [{ type: "text", text: "Still sunny." }], finish: "stop", input: 40, output: 3 }]);
  const result = await generateText({
    model,
    system: "You are a weather bot.",
    messages: [
      { role: "user", content: "What is the weather in Paris?" },
      { role: "assistant", content: "It is sunny in Paris." },
      { role: "user", content: "And now?" },
    ],
    telemetry: { functionId: "weather-agent", integrations: [integrationFor(convention, provider)] },
  });
  return result.text;
}

/** A model that reasons before answering, an image in the prompt, and a tool that fails. */
export async function reasoningImageAndToolError(convention: AiConvention, provider: TestProvider): Promise<string> {
  const model = scriptedModel([
    {
      content: [
        { type: "reasoning", text: "The user wants the photo checked." },
        { type: "tool-call", toolCallId: "call_scan", toolName: "scan", input: JSON.stringify({ target: "photo" }) },
      ],
      finish: "tool-calls",
      input: 50,
      output: 10,
    },
    { content: [{ type: "text", text: "The scan failed." }], finish: "stop", input: 70, output: 4 },
  ]);
  const result = await generateText({
    model,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "Check this photo." },
          { type: "file", data: "iVBORw0KGgo=", mediaType: "image/png" },
        ],
      },
    ],
    tools: {
      scan: tool({
        description: "Scan an image",
        inputSchema: z.object({ target: z.string() }),
        execute: async ({ target }): Promise<string> => {
          throw new Error(target === "photo" ? "scanner offline" : "unknown target");
        },
      }),
    },
    stopWhen: isStepCount(5),
    telemetry: { functionId: "vision-agent", integrations: [integrationFor(convention, provider)] },
  });
  return result.text;
}

/** streamText with a tool call, consumed to the end. */
export async function streamingAgent(convention: AiConvention, provider: TestProvider): Promise<string> {
  const { streamText } = await import("ai");
  const { convertArrayToReadableStream } = await import("ai/test");
  const { MockLanguageModelV4: Mock } = await import("ai/test");
  const finish = (unified: "stop" | "tool-calls", input: number, output: number) => ({
    type: "finish" as const,
    finishReason: { unified, raw: unified },
    usage: usage(input, output),
  });
  const streams = [
    [
      { type: "stream-start" as const, warnings: [] },
      { type: "text-start" as const, id: "t1" },
      { type: "text-delta" as const, id: "t1", delta: "Checking " },
      { type: "text-delta" as const, id: "t1", delta: "now." },
      { type: "text-end" as const, id: "t1" },
      { type: "tool-call" as const, toolCallId: "call_s", toolName: "weather", input: JSON.stringify({ city: "Oslo" }) },
      finish("tool-calls", 9, 4),
    ],
    [
      { type: "stream-start" as const, warnings: [] },
      { type: "text-start" as const, id: "t2" },
      { type: "text-delta" as const, id: "t2", delta: "Snowing in Oslo." },
      { type: "text-end" as const, id: "t2" },
      finish("stop", 18, 5),
    ],
  ];
  let call = 0;
  const model = new Mock({
    doStream: async () => ({ stream: convertArrayToReadableStream(streams[call++] as never[]) as never }),
  });
  const result = streamText({
    model,
    prompt: "Weather in Oslo?",
    tools: {
      weather: tool({
        description: "Current weather",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, forecast: "snow" }),
      }),
    },
    stopWhen: isStepCount(5),
    telemetry: { functionId: "stream-agent", integrations: [integrationFor(convention, provider)] },
  });
  return await result.text;
}

/** The weather agent on whatever provider the app registered globally. */
export function weatherAgentWithGlobalTracer(convention: AiConvention): Promise<string> {
  return weatherAgent(convention);
}
