/**
 * The OpenLLMetry reader on spans recorded from Traceloop's OpenAI and
 * LangChain instrumentations, and on hand-built ones for forms they no
 * longer emit (indexed prompts) or that come from the Traceloop SDK's
 * decorators.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { openLlmetryReader } from "../../../src/otel/conventions/openllmetry.js";
import { readerFor } from "../../../src/otel/conventions/registry.js";
import type { TestProvider } from "../../support/otel-sdk.js";
import { expectEventsInEveryAttachment, expectExporterAndProcessorAgree, inSpan } from "./hand-built.js";
import { fixtureSpan, loadFixture } from "../../support/span-fixtures.js";
import { hugeText, spanView } from "./span-fixture.js";

const chatAfterTool = {
  name: "openai.chat",
  attributes: {
    "llm.request.type": "chat",
    "gen_ai.system": "OpenAI",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.request.temperature": 0.7,
    "gen_ai.request.max_tokens": 512,
    "gen_ai.request.top_p": 1,
    "gen_ai.prompt.0.role": "system",
    "gen_ai.prompt.0.content": "You are a weather bot.",
    "gen_ai.prompt.1.role": "user",
    "gen_ai.prompt.1.content": "What is the weather in Paris?",
    "gen_ai.prompt.2.role": "assistant",
    "gen_ai.prompt.2.content": "null",
    "gen_ai.prompt.2.tool_calls.0.id": "call_1",
    "gen_ai.prompt.2.tool_calls.0.name": "weather",
    "gen_ai.prompt.2.tool_calls.0.arguments": '{"city":"Paris"}',
    "gen_ai.prompt.3.role": "tool",
    "gen_ai.prompt.3.content": '{"forecast":"sunny"}',
    "gen_ai.prompt.3.tool_call_id": "call_1",
    "gen_ai.response.model": "gpt-4o-2024-08-06",
    "gen_ai.completion.0.role": "assistant",
    "gen_ai.completion.0.content": "It is sunny in Paris.",
    "gen_ai.completion.0.finish_reason": "stop",
    "gen_ai.usage.prompt_tokens": 20,
    "gen_ai.usage.completion_tokens": 7,
    "llm.usage.total_tokens": 27,
    "gen_ai.usage.cache_read_input_tokens": 4,
    "gen_ai.usage.cache_creation_input_tokens": 1,
    "gen_ai.usage.reasoning_tokens": 3,
  },
};

describe("openllmetry reader", () => {
  it("is chosen for Traceloop spans before the GenAI readers", () => {
    expect(readerFor(spanView(chatAfterTool))?.name).toBe("openllmetry");
    expect(readerFor(spanView({ attributes: { "traceloop.span.kind": "workflow", "gen_ai.operation.name": "workflow" } }))?.name).toBe(
      "openllmetry",
    );
    expect(readerFor(spanView({ attributes: { "gen_ai.prompt.0.content": "hi", "gen_ai.system": "openai" } }))?.name).toBe("openllmetry");
    expect(openLlmetryReader.matches(spanView({ attributes: { "gen_ai.operation.name": "chat" } }))).toBe(false);
  });

  it("classifies by operation, then traceloop.span.kind, then request type or indexed prompts", () => {
    const classify = (attributes: Record<string, string>) => openLlmetryReader.classify(spanView({ attributes }));
    expect(classify({ "traceloop.span.kind": "workflow", "gen_ai.operation.name": "invoke_agent" })).toBe("agent");
    expect(classify({ "traceloop.span.kind": "workflow", "gen_ai.operation.name": "workflow" })).toBe("none");
    expect(classify({ "traceloop.span.kind": "workflow" })).toBe("none");
    expect(classify({ "traceloop.span.kind": "agent" })).toBe("agent");
    expect(classify({ "traceloop.span.kind": "tool" })).toBe("tool");
    expect(classify({ "traceloop.span.kind": "task" })).toBe("none");
    expect(classify({ "traceloop.span.kind": "task", "gen_ai.operation.name": "execute_tool" })).toBe("tool");
    expect(classify({ "llm.request.type": "chat" })).toBe("model");
    expect(classify({ "llm.request.type": "completion" })).toBe("model");
    expect(classify({ "llm.request.type": "embedding" })).toBe("skipped");
    expect(classify({ "gen_ai.prompt.0.role": "user" })).toBe("model");
  });

  it("reads indexed prompts and completions with tool calls, tool answers, usage and settings", () => {
    expect(openLlmetryReader.read(spanView(chatAfterTool))).toEqual({
      kind: "model",
      call: {
        input: [
          { role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] },
          { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
          { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: '{"forecast":"sunny"}' }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
        systemPrompt: "You are a weather bot.",
        model: "gpt-4o-2024-08-06",
        settings: { temperature: 0.7, maxTokens: 512, topP: 1 },
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27, cacheReadTokens: 4, cacheWriteTokens: 1 },
      },
    });
  });

  it("reads completions that call tools, legacy function calls, and content stored as JSON parts", () => {
    const meaning = openLlmetryReader.read(
      spanView({
        name: "anthropic.chat",
        attributes: {
          "llm.request.type": "chat",
          "gen_ai.request.model": "claude-sonnet-4",
          "gen_ai.prompt.0.role": "user",
          "gen_ai.prompt.0.content": JSON.stringify([
            { type: "text", text: "What is in this image?" },
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
          ]),
          "gen_ai.prompt.1.role": "user",
          "gen_ai.prompt.1.content": "[1, 2, 3] is a list",
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.content": "Let me look.",
          "gen_ai.completion.0.finish_reason": "tool_calls",
          "gen_ai.completion.0.tool_calls.0.id": "toolu_1",
          "gen_ai.completion.0.tool_calls.0.name": "zoom",
          "gen_ai.completion.0.tool_calls.0.arguments": '{"factor":2}',
          "gen_ai.completion.1.function_call.name": "legacy_fn",
          "gen_ai.completion.1.function_call.arguments": "{broken",
        },
      }),
    );
    expect(meaning).toEqual({
      kind: "model",
      call: {
        input: [
          {
            role: "user",
            parts: [
              { type: "text", text: "What is in this image?" },
              { type: "media", kind: "image", source: "base64", data: "/9j/4AAQ", mediaType: "image/jpeg" },
            ],
          },
          { role: "user", parts: [{ type: "text", text: "[1, 2, 3] is a list" }] },
        ],
        output: [
          {
            role: "assistant",
            parts: [
              { type: "text", text: "Let me look." },
              { type: "tool_call", id: "toolu_1", name: "zoom", arguments: { factor: 2 } },
            ],
          },
          { role: "assistant", parts: [{ type: "tool_call", name: "legacy_fn", arguments: "{broken" }] },
        ],
        model: "claude-sonnet-4",
        settings: {},
        finishReason: "tool_calls",
      },
    });
  });

  it("reads the OpenAI instrumentation's spans: GenAI messages, by its scope (OpenAI client, recorded)", () => {
    const [first] = loadFixture("openai-client+openllmetry", "one-tool").filter((span) => span.name === "chat gpt-4o-mini");
    expect(first.attributes["traceloop.span.kind"]).toBeUndefined();
    expect(readerFor(first)?.name).toBe("openllmetry");
    expect(openLlmetryReader.read(first)).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }],
        output: [
          {
            role: "assistant",
            parts: [
              { type: "text", text: "Let me check." },
              { type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } },
            ],
          },
        ],
        systemPrompt: "You are a weather bot.",
        model: "gpt-4o-mini",
        settings: {},
        finishReason: "tool_call",
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      },
    });
  });

  it("reads a Responses API input it logged as one user message holding the items' JSON (OpenAI client, recorded)", () => {
    const [, second] = loadFixture("openai-client-responses+openllmetry", "one-tool").filter((span) => span.name === "chat gpt-4o-mini");
    expect(String(second.attributes["gen_ai.input.messages"])).toContain('\\"type\\":\\"function_call_output\\"');
    const meaning = openLlmetryReader.read(second);
    expect(meaning.kind === "model" && meaning.call.input).toEqual([
      { role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "text", text: "Let me check." }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: '{"city":"Paris","forecast":"sunny"}' }] },
    ]);
  });

  describe("on LangChain v1 spans (recorded)", () => {
    const spans = loadFixture("langchain+openllmetry", "one-tool");
    const [first, second] = spans.filter((span) => span.name === "chat gpt-4o-mini");

    it("reads a system prompt logged as the JSON of its content blocks as its text", () => {
      expect(String(first.attributes["gen_ai.input.messages"])).toContain('\\"type\\":\\"text\\"');
      expect(openLlmetryReader.read(first)).toMatchObject({ kind: "model", call: { systemPrompt: "You are a weather bot." } });
    });

    it("drops the empty text a model that only calls tools answers with", () => {
      const toolOnly = loadFixture("langchain+openllmetry", "two-tools").find((span) => span.name === "chat gpt-4o-mini")!;
      expect(String(toolOnly.attributes["gen_ai.output.messages"])).toContain('"content":""');
      expect(openLlmetryReader.read(toolOnly)).toMatchObject({ kind: "model", call: { output: [{ role: "assistant", parts: [] }] } });
    });

    it("keeps the model's text; its tool calls are not on the span", () => {
      expect(openLlmetryReader.read(first)).toMatchObject({
        kind: "model",
        call: { output: [{ role: "assistant", parts: [{ type: "text", text: "Let me check." }] }], finishReason: "tool_call" },
      });
      expect(openLlmetryReader.read(second)).toMatchObject({ kind: "model", call: { usage: { inputTokens: 20, outputTokens: 7 } } });
    });

    it("unwraps a LangChain tool's {args} input and its ToolMessage, which names the tool and the call", () => {
      const tool = fixtureSpan(spans, "execute_tool DynamicStructuredTool");
      expect(openLlmetryReader.read(tool)).toEqual({
        kind: "tool",
        tool: { name: "weather", callId: "call_1", arguments: { city: "Paris" }, result: { city: "Paris", forecast: "sunny" }, isError: false },
      });
    });

    it("reads a tool that threw (no ToolMessage) by its class, with its error", () => {
      const tool = fixtureSpan(loadFixture("langchain+openllmetry", "failing-tool"), "execute_tool DynamicStructuredTool");
      expect(openLlmetryReader.read(tool)).toMatchObject({
        kind: "tool",
        tool: { name: "DynamicStructuredTool", arguments: { city: "Atlantis" }, isError: true, errorMessage: "no forecast for Atlantis" },
      });
    });

    it("reads the graph's workflow spans as nothing", () => {
      for (const span of spans.filter((candidate) => candidate.name.startsWith("workflow "))) {
        expect(openLlmetryReader.classify(span), span.name).toBe("none");
      }
    });
  });

  it("reads decorator tools: kwargs as input, plain output, name from the entity or span", () => {
    const fromKwargs = openLlmetryReader.read(
      spanView({
        name: "get_weather.tool",
        attributes: {
          "traceloop.span.kind": "tool",
          "traceloop.entity.input": '{"args":[],"kwargs":{"city":"Paris"}}',
          "traceloop.entity.output": '"sunny"',
        },
      }),
    );
    expect(fromKwargs).toEqual({ kind: "tool", tool: { name: "get_weather", arguments: { city: "Paris" }, result: "sunny", isError: false } });

    const both = openLlmetryReader.read(
      spanView({
        attributes: {
          "traceloop.span.kind": "tool",
          "traceloop.entity.name": "convert",
          "traceloop.entity.input": '{"args":[1,2],"kwargs":{"unit":"C"}}',
          "traceloop.entity.output": "{not json",
        },
        status: { code: 2, message: "conversion failed" },
      }),
    );
    expect(both).toEqual({
      kind: "tool",
      tool: { name: "convert", arguments: { args: [1, 2], kwargs: { unit: "C" } }, result: "{not json", isError: true, errorMessage: "conversion failed" },
    });
  });

  it("reads agents: name from gen_ai.agent.name, the entity or the workflow, input and output as a call", () => {
    const langchainAgent = openLlmetryReader.read(
      spanView({
        name: "invoke_agent AgentExecutor",
        attributes: {
          "gen_ai.operation.name": "invoke_agent",
          "traceloop.span.kind": "workflow",
          "traceloop.workflow.name": "AgentExecutor",
          "gen_ai.agent.name": "weather-agent",
          "traceloop.entity.input": '{"input":"What is the weather in Paris?"}',
          "traceloop.entity.output": '{"output":"It is sunny in Paris."}',
        },
      }),
    );
    expect(langchainAgent).toEqual({
      kind: "agent",
      agent: {
        name: "weather-agent",
        call: {
          input: [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }],
          output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
          settings: {},
        },
      },
    });

    const decorated = openLlmetryReader.read(
      spanView({
        attributes: {
          "traceloop.span.kind": "agent",
          "traceloop.entity.name": "joke_agent",
          "traceloop.entity.input": '{"args":["Tell me a joke"],"kwargs":{}}',
          "gen_ai.usage.input_tokens": 9,
          "gen_ai.usage.output_tokens": 4,
        },
      }),
    );
    expect(decorated).toEqual({
      kind: "agent",
      agent: {
        name: "joke_agent",
        usage: { inputTokens: 9, outputTokens: 4 },
        call: { input: [{ role: "user", parts: [{ type: "text", text: "Tell me a joke" }] }], output: [], settings: {}, usage: { inputTokens: 9, outputTokens: 4 } },
      },
    });
  });

  it("copes with multi-megabyte values and garbage without throwing", () => {
    const big = hugeText(4);
    const meaning = openLlmetryReader.read(
      spanView({
        attributes: {
          "llm.request.type": "chat",
          "gen_ai.prompt.0.role": "user",
          "gen_ai.prompt.0.content": big,
          "gen_ai.prompt.1.content": `[{"type":"text","text":"${big}"`,
          "gen_ai.prompt.x.role": "user",
          "gen_ai.completion.0.tool_calls.0.arguments": big,
          "gen_ai.usage.prompt_tokens": "lots",
        },
      }),
    );
    expect(meaning.kind).toBe("model");
    if (meaning.kind !== "model") return;
    expect(meaning.call.input.map((message) => message.parts[0]?.type)).toEqual(["text", "text"]);
    expect(meaning.call.output).toEqual([{ role: "assistant", parts: [{ type: "unsupported", what: "tool call without a name" }] }]);
    expect(meaning.call.usage).toBeUndefined();

    const tool = openLlmetryReader.read(
      spanView({ attributes: { "traceloop.span.kind": "tool", "traceloop.entity.input": `{"args":[${big}`, "traceloop.entity.output": big } }),
    );
    expect(tool.kind).toBe("tool");
  });
});

/**
 * A LangChain agent as OpenLLMetry records it: an `invoke_agent` workflow
 * root, two OpenAI `chat` spans with indexed prompts and completions, and an
 * `execute_tool` task between them whose output is a serialized ToolMessage.
 */
async function openLlmetryWeatherAgent(provider: TestProvider): Promise<void> {
  const tracer = provider.getTracer("@traceloop/instrumentation-langchain");
  const openai = provider.getTracer("@traceloop/instrumentation-openai");
  const chat = {
    "llm.request.type": "chat",
    "gen_ai.system": "OpenAI",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.request.temperature": 0.7,
    "gen_ai.prompt.0.role": "system",
    "gen_ai.prompt.0.content": "You are a weather bot.",
    "gen_ai.prompt.1.role": "user",
    "gen_ai.prompt.1.content": "What is the weather in Paris?",
  };
  await inSpan(
    tracer,
    "invoke_agent AgentExecutor",
    {
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "langchain",
        "gen_ai.agent.name": "weather-agent",
        "traceloop.span.kind": "workflow",
        "traceloop.workflow.name": "AgentExecutor",
        "traceloop.entity.name": "AgentExecutor",
        "traceloop.entity.input": '{"input":"What is the weather in Paris?"}',
        "traceloop.association.properties.session_id": "sess-tl",
      },
      endAttributes: { "traceloop.entity.output": '{"output":"It is sunny in Paris."}' },
    },
    async () => {
      await inSpan(openai, "openai.chat", {
        kind: SpanKind.CLIENT,
        attributes: chat,
        endAttributes: {
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.finish_reason": "tool_calls",
          "gen_ai.completion.0.tool_calls.0.id": "call_1",
          "gen_ai.completion.0.tool_calls.0.name": "weather",
          "gen_ai.completion.0.tool_calls.0.arguments": '{"city":"Paris"}',
          "gen_ai.usage.prompt_tokens": 10,
          "gen_ai.usage.completion_tokens": 5,
          "llm.usage.total_tokens": 15,
        },
      });
      await inSpan(tracer, "execute_tool DynamicStructuredTool", {
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "traceloop.span.kind": "task",
          "traceloop.entity.name": "DynamicStructuredTool",
          "traceloop.entity.input": JSON.stringify({ args: ['{"city":"Paris"}'] }),
        },
        endAttributes: {
          "traceloop.entity.output": JSON.stringify({
            lc: 1,
            type: "constructor",
            id: ["langchain_core", "messages", "ToolMessage"],
            kwargs: { content: '{"city":"Paris","forecast":"sunny"}', tool_call_id: "call_1", name: "weather" },
          }),
        },
      });
      await inSpan(openai, "openai.chat", {
        kind: SpanKind.CLIENT,
        attributes: {
          ...chat,
          "gen_ai.prompt.2.role": "assistant",
          "gen_ai.prompt.2.content": "null",
          "gen_ai.prompt.2.tool_calls.0.id": "call_1",
          "gen_ai.prompt.2.tool_calls.0.name": "weather",
          "gen_ai.prompt.2.tool_calls.0.arguments": '{"city":"Paris"}',
          "gen_ai.prompt.3.role": "tool",
          "gen_ai.prompt.3.tool_call_id": "call_1",
          "gen_ai.prompt.3.content": '{"city":"Paris","forecast":"sunny"}',
        },
        endAttributes: {
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.content": "It is sunny in Paris.",
          "gen_ai.completion.0.finish_reason": "stop",
          "gen_ai.usage.prompt_tokens": 20,
          "gen_ai.usage.completion_tokens": 7,
          "llm.usage.total_tokens": 27,
        },
      });
    },
  );
}

const MODEL = { model: "gpt-4o-2024-08-06", temperature: 0.7 };

describe("openllmetry spans through the bridge", () => {
  it("send the run's events once each, in order, with one stop", async () => {
    await expectEventsInEveryAttachment(
      openLlmetryWeatherAgent,
      [
        { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "What is the weather in Paris?" } },
        {
          hookEvent: "weather",
          event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", input: { city: "Paris" }, ...MODEL },
        },
        {
          hookEvent: "weather",
          event: { source: "agent", type: "tool_result", toolUseId: "call_1", name: "weather", content: '{"city":"Paris","forecast":"sunny"}' },
        },
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "It is sunny in Paris.", ...MODEL } },
        { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } } },
      ],
      (body) => {
        expect(body.agent).toEqual({ name: "weather-agent", systemPrompt: "You are a weather bot." });
        expect(body.sessionId).toBe("sess-tl");
      },
    );
  });

  it("send the same events, with the same ids, from an exporter and a processor", async () => {
    await expectExporterAndProcessorAgree(openLlmetryWeatherAgent);
  });
});
