/**
 * The GenAI events reader on the older forms: Azure SDK style
 * `gen_ai.*.message` / `gen_ai.choice` events with a JSON
 * `gen_ai.event.content`, the same events with their body spread over
 * attributes, and semconv ≤1.26 `gen_ai.content.prompt/completion` events.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { genAiEventsReader } from "../../../src/otel/conventions/genai-events.js";
import { readerFor } from "../../../src/otel/conventions/registry.js";
import type { TestProvider } from "../../support/otel-sdk.js";
import { expectEventsInEveryAttachment, expectExporterAndProcessorAgree, inSpan } from "./hand-built.js";
import { hugeText, spanView } from "./span-fixture.js";

const AZURE = "az.ai.inference";
const azureEvent = (name: string, body: unknown) => ({
  name,
  attributes: { "gen_ai.system": AZURE, "gen_ai.event.content": JSON.stringify(body) },
});

describe("genai-events reader", () => {
  it("is chosen for spans with GenAI content events, or an old-style gen_ai.system without operation", () => {
    const withEvents = spanView({
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" },
      events: [azureEvent("gen_ai.user.message", { content: "Hi" })],
    });
    expect(readerFor(withEvents)?.name).toBe("genai-events");
    expect(readerFor(spanView({ name: "ChatCompletions gpt-4", attributes: { "gen_ai.system": "openai" } }))?.name).toBe("genai-events");
    expect(readerFor(spanView({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.system": "openai" } }))?.name).toBe("genai");
    expect(genAiEventsReader.matches(spanView({ attributes: { "gen_ai.operation.name": "chat" } }))).toBe(false);
  });

  it("classifies a span without an operation as a model call, and otherwise by operation", () => {
    expect(genAiEventsReader.classify(spanView({ attributes: { "gen_ai.system": "openai" } }))).toBe("model");
    expect(
      genAiEventsReader.classify(spanView({ attributes: { "gen_ai.system": "openai" }, events: [{ name: "gen_ai.content.prompt" }] })),
    ).toBe("model");
    expect(genAiEventsReader.classify(spanView({ attributes: { "gen_ai.operation.name": "invoke_agent" } }))).toBe("agent");
    expect(genAiEventsReader.classify(spanView({ attributes: { "gen_ai.system": "openai", "gen_ai.tool.name": "weather" } }))).toBe("tool");
  });

  it("reads Azure-style events: system, user, assistant tool calls, tool answers, choice", () => {
    const meaning = genAiEventsReader.read(
      spanView({
        name: "chat gpt-4o",
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.system": AZURE,
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.request.temperature": 0.3,
          "gen_ai.request.max_tokens": 400,
          "gen_ai.response.model": "gpt-4o-2024-05-13",
          "gen_ai.usage.input_tokens": 20,
          "gen_ai.usage.output_tokens": 7,
        },
        events: [
          azureEvent("gen_ai.system.message", { role: "system", content: "You are a weather bot." }),
          azureEvent("gen_ai.user.message", { role: "user", content: "What is the weather in Paris?" }),
          azureEvent("gen_ai.assistant.message", {
            role: "assistant",
            tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
          }),
          azureEvent("gen_ai.tool.message", { role: "tool", content: '{"forecast":"sunny"}', id: "call_1" }),
          { ...azureEvent("gen_ai.choice", { finish_reason: "stop", index: 0, message: { content: "It is sunny in Paris." } }), timeMs: 1_700_000_000_050 },
        ],
      }),
    );
    expect(meaning).toEqual({
      kind: "model",
      call: {
        input: [
          { role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] },
          { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
          { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: '{"forecast":"sunny"}' }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
        systemPrompt: "You are a weather bot.",
        model: "gpt-4o-2024-05-13",
        settings: { temperature: 0.3, maxTokens: 400 },
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 7 },
        responseTimeMs: 1_700_000_000_050,
      },
    });
  });

  it("reads bodies spread over event attributes, choices in index order", () => {
    const meaning = genAiEventsReader.read(
      spanView({
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4" },
        events: [
          { name: "gen_ai.user.message", attributes: { "gen_ai.system": "openai", content: "Two answers, please." } },
          {
            name: "gen_ai.user.message",
            attributes: { content: '[{"type":"text","text":"And this:"},{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]' },
          },
          {
            name: "gen_ai.choice",
            attributes: { index: 1, finish_reason: "length", message: '{"role":"assistant","content":"Second"}' },
          },
          {
            name: "gen_ai.choice",
            attributes: {
              index: 0,
              finish_reason: "tool_calls",
              message: '{"tool_calls":[{"id":"call_2","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":1}"}}]}',
            },
          },
        ],
      }),
    );
    expect(meaning).toEqual({
      kind: "model",
      call: {
        input: [
          { role: "user", parts: [{ type: "text", text: "Two answers, please." }] },
          {
            role: "user",
            parts: [
              { type: "text", text: "And this:" },
              { type: "media", kind: "image", source: "url", data: "https://x.test/a.png" },
            ],
          },
        ],
        output: [
          { role: "assistant", parts: [{ type: "tool_call", id: "call_2", name: "lookup", arguments: { q: 1 } }] },
          { role: "assistant", parts: [{ type: "text", text: "Second" }] },
        ],
        model: "gpt-4",
        settings: {},
        finishReason: "tool_calls",
        responseTimeMs: 1_700_000_000_003,
      },
    });
  });

  it("reads semconv 1.26 prompt and completion events on a span with no operation", () => {
    const meaning = genAiEventsReader.read(
      spanView({
        name: "ChatCompletions gpt-4",
        attributes: {
          "gen_ai.system": "openai",
          "gen_ai.request.model": "gpt-4",
          "gen_ai.response.model": "gpt-4-0613",
          "gen_ai.response.finish_reasons": ["stop"],
          "gen_ai.usage.prompt_tokens": 30,
          "gen_ai.usage.completion_tokens": 9,
        },
        events: [
          {
            name: "gen_ai.content.prompt",
            attributes: {
              "gen_ai.prompt": JSON.stringify([
                { role: "system", content: "You are terse." },
                { role: "user", content: "Capital of France?" },
                { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "geo", arguments: "{}" } }] },
                { role: "tool", tool_call_id: "c1", content: "Paris" },
              ]),
            },
          },
          { name: "gen_ai.content.completion", attributes: { "gen_ai.completion": '[{"role":"assistant","content":"Paris."}]' } },
        ],
      }),
    );
    expect(meaning).toEqual({
      kind: "model",
      call: {
        input: [
          { role: "user", parts: [{ type: "text", text: "Capital of France?" }] },
          { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "geo", arguments: {} }] },
          { role: "tool", parts: [{ type: "tool_result", id: "c1", result: "Paris" }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "Paris." }] }],
        systemPrompt: "You are terse.",
        model: "gpt-4-0613",
        settings: {},
        finishReason: "stop",
        usage: { inputTokens: 30, outputTokens: 9 },
        responseTimeMs: 1_700_000_000_002,
      },
    });
  });

  it("reads completions logged as choices, and a span with only gen_ai.system", () => {
    const meaning = genAiEventsReader.read(
      spanView({
        attributes: { "gen_ai.system": "openai" },
        events: [
          { name: "gen_ai.content.prompt", attributes: { "gen_ai.prompt": '[{"role":"user","content":"Hi"}]' } },
          {
            name: "gen_ai.content.completion",
            attributes: { "gen_ai.completion": '[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":""}}]' },
          },
        ],
      }),
    );
    expect(meaning).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "Hi" }] }],
        output: [],
        settings: {},
        finishReason: "content_filter",
        responseTimeMs: 1_700_000_000_002,
      },
    });
    expect(genAiEventsReader.read(spanView({ attributes: { "gen_ai.system": "openai" } }))).toEqual({
      kind: "model",
      call: { input: [], output: [], settings: {} },
    });
  });

  it("reads gen_ai.input/output.messages on an old-style span that has no content events", () => {
    expect(
      genAiEventsReader.read(
        spanView({
          attributes: {
            "gen_ai.system": "openai",
            "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
            "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]',
          },
        }),
      ),
    ).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "Hi" }] }],
        output: [{ role: "assistant", parts: [{ type: "text", text: "Hello" }] }],
        settings: {},
        finishReason: "stop",
      },
    });
  });

  it("skips malformed bodies and copes with multi-megabyte content without throwing", () => {
    const big = hugeText(4);
    const meaning = genAiEventsReader.read(
      spanView({
        attributes: { "gen_ai.system": "openai" },
        events: [
          { name: "gen_ai.user.message", attributes: { "gen_ai.event.content": `{"content":"${big}` } },
          { name: "gen_ai.user.message", attributes: { "gen_ai.event.content": JSON.stringify({ content: big }) } },
          { name: "gen_ai.assistant.message", attributes: { tool_calls: "[{broken" } },
          { name: "gen_ai.tool.message", attributes: {} },
          { name: "gen_ai.choice", attributes: { "gen_ai.event.content": "42" } },
          { name: "gen_ai.choice", attributes: { message: "{" } },
          { name: "gen_ai.content.prompt", attributes: { "gen_ai.prompt": big } },
          { name: "gen_ai.content.completion", attributes: { "gen_ai.completion": `[${big}` } },
        ],
      }),
    );
    expect(meaning.kind).toBe("model");
    if (meaning.kind !== "model") return;
    // The bare text of an unparsable body is still the message's text.
    expect(meaning.call.input.map((message) => message.parts.map((part) => part.type))).toEqual([["text"], ["text"], []]);
    expect(meaning.call.output).toEqual([]);
  });
});

const WEATHER_CALL = { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } };
const WEATHER_RESULT = '{"city":"Paris","forecast":"sunny"}';

/** A GenAI `execute_tool` span, as an app or framework records its tools next to the model calls. */
async function weatherTool(provider: TestProvider): Promise<void> {
  await inSpan(provider.getTracer("app"), "execute_tool weather", {
    attributes: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "weather",
      "gen_ai.tool.call.id": "call_1",
      "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    },
    endAttributes: { "gen_ai.tool.call.result": WEATHER_RESULT },
  });
}

/**
 * An agent whose model calls are traced the Azure SDK way: `chat` spans
 * whose messages are `gen_ai.*.message` and `gen_ai.choice` span events with
 * a JSON `gen_ai.event.content`. The agent span reports its own totals.
 */
async function azureStyleAgent(provider: TestProvider): Promise<void> {
  const app = provider.getTracer("app");
  const azure = provider.getTracer("azure-ai-inference");
  const event = (name: string, body: unknown) => ({
    name,
    attributes: { "gen_ai.system": "az.ai.inference", "gen_ai.event.content": JSON.stringify(body) },
  });
  const prompt = [
    event("gen_ai.system.message", { role: "system", content: "You are a weather bot." }),
    event("gen_ai.user.message", { role: "user", content: "What is the weather in Paris?" }),
  ];
  const chat = { "gen_ai.operation.name": "chat", "gen_ai.system": "az.ai.inference", "gen_ai.request.model": "gpt-4o", "gen_ai.request.max_tokens": 400 };
  await inSpan(
    app,
    "invoke_agent weather-agent",
    {
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather-agent", "gen_ai.agent.id": "asst_1", "gen_ai.conversation.id": "thread_1" },
      endAttributes: { "gen_ai.usage.input_tokens": 30, "gen_ai.usage.output_tokens": 12 },
    },
    async () => {
      await inSpan(azure, "chat gpt-4o", {
        kind: SpanKind.CLIENT,
        attributes: chat,
        events: [...prompt, event("gen_ai.choice", { index: 0, finish_reason: "tool_calls", message: { tool_calls: [WEATHER_CALL] } })],
        endAttributes: {
          "gen_ai.response.model": "gpt-4o-2024-05-13",
          "gen_ai.response.finish_reasons": ["tool_calls"],
          "gen_ai.usage.input_tokens": 10,
          "gen_ai.usage.output_tokens": 5,
        },
      });
      await weatherTool(provider);
      await inSpan(azure, "chat gpt-4o", {
        kind: SpanKind.CLIENT,
        attributes: chat,
        events: [
          ...prompt,
          event("gen_ai.assistant.message", { role: "assistant", tool_calls: [WEATHER_CALL] }),
          event("gen_ai.tool.message", { role: "tool", id: "call_1", content: WEATHER_RESULT }),
          event("gen_ai.choice", { index: 0, finish_reason: "stop", message: { role: "assistant", content: "It is sunny in Paris." } }),
        ],
        endAttributes: {
          "gen_ai.response.model": "gpt-4o-2024-05-13",
          "gen_ai.response.finish_reasons": ["stop"],
          "gen_ai.usage.input_tokens": 20,
          "gen_ai.usage.output_tokens": 7,
        },
      });
    },
  );
}

/**
 * The same agent with model calls traced per semconv 1.26: spans named
 * `ChatCompletions gpt-4` with no operation, `gen_ai.content.prompt` /
 * `gen_ai.content.completion` events and the deprecated usage names.
 */
async function semconv126Agent(provider: TestProvider): Promise<void> {
  const app = provider.getTracer("app");
  const openai = provider.getTracer("openai-instrumentation-1.26");
  const system = { role: "system", content: "You are a weather bot." };
  const user = { role: "user", content: "What is the weather in Paris?" };
  const chat = { "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4", "gen_ai.request.temperature": 0.1, "gen_ai.request.max_tokens": 200 };
  await inSpan(
    app,
    "invoke_agent weather-agent",
    { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather-agent", "user.id": "user-126" } },
    async () => {
      await inSpan(openai, "ChatCompletions gpt-4", {
        kind: SpanKind.CLIENT,
        attributes: chat,
        events: [
          { name: "gen_ai.content.prompt", attributes: { "gen_ai.prompt": JSON.stringify([system, user]) } },
          {
            name: "gen_ai.content.completion",
            attributes: { "gen_ai.completion": JSON.stringify([{ role: "assistant", content: "Let me check.", tool_calls: [WEATHER_CALL] }]) },
          },
        ],
        endAttributes: {
          "gen_ai.response.model": "gpt-4-0613",
          "gen_ai.response.finish_reasons": ["tool_calls"],
          "gen_ai.usage.prompt_tokens": 10,
          "gen_ai.usage.completion_tokens": 5,
        },
      });
      await weatherTool(provider);
      await inSpan(openai, "ChatCompletions gpt-4", {
        kind: SpanKind.CLIENT,
        attributes: chat,
        events: [
          {
            name: "gen_ai.content.prompt",
            attributes: {
              "gen_ai.prompt": JSON.stringify([
                system,
                user,
                { role: "assistant", content: "Let me check.", tool_calls: [WEATHER_CALL] },
                { role: "tool", tool_call_id: "call_1", content: WEATHER_RESULT },
              ]),
            },
          },
          { name: "gen_ai.content.completion", attributes: { "gen_ai.completion": '[{"role":"assistant","content":"It is sunny in Paris."}]' } },
        ],
        endAttributes: {
          "gen_ai.response.model": "gpt-4-0613",
          "gen_ai.response.finish_reasons": ["stop"],
          "gen_ai.usage.prompt_tokens": 20,
          "gen_ai.usage.completion_tokens": 7,
        },
      });
    },
  );
}

const toolEvents = (model: Record<string, unknown>) => [
  {
    hookEvent: "weather",
    event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", input: { city: "Paris" }, ...model },
  },
  { hookEvent: "weather", event: { source: "agent", type: "tool_result", toolUseId: "call_1", name: "weather", content: WEATHER_RESULT } },
];
const STOP = { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } } };
const PROMPT = { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "What is the weather in Paris?" } };

describe("Azure-style GenAI event spans through the bridge", () => {
  const model = { model: "gpt-4o-2024-05-13", maxTokens: 400 };

  it("send the run's events once each, in order, with one stop", async () => {
    await expectEventsInEveryAttachment(
      azureStyleAgent,
      [
        PROMPT,
        ...toolEvents(model),
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "It is sunny in Paris.", ...model } },
        STOP,
      ],
      (body) => {
        expect(body.agent).toEqual({ name: "weather-agent", id: "asst_1", systemPrompt: "You are a weather bot." });
        expect(body.sessionId).toBe("thread_1");
      },
    );
  });

  it("send the same events, with the same ids, from an exporter and a processor", async () => {
    await expectExporterAndProcessorAgree(azureStyleAgent);
  });
});

describe("GenAI 1.26 prompt/completion event spans through the bridge", () => {
  const model = { model: "gpt-4-0613", temperature: 0.1, maxTokens: 200 };

  it("send the run's events once each, in order, with one stop", async () => {
    await expectEventsInEveryAttachment(
      semconv126Agent,
      [
        PROMPT,
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Let me check.", ...model } },
        ...toolEvents(model),
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "It is sunny in Paris.", ...model } },
        STOP,
      ],
      (body) => {
        expect(body.agent).toEqual({ name: "weather-agent", systemPrompt: "You are a weather bot." });
        expect(body.user).toEqual({ id: "user-126" });
      },
    );
  });

  it("send the same events, with the same ids, from an exporter and a processor", async () => {
    await expectExporterAndProcessorAgree(semconv126Agent);
  });
});
