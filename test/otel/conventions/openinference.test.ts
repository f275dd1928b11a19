/**
 * The OpenInference reader on spans recorded from its OpenAI, LangChain and
 * OpenAI Agents instrumentations, and on hand-built ones for shapes those
 * runs do not produce (images, hidden values, garbage).
 */
import { describe, expect, it } from "vitest";
import { openInferenceReader } from "../../../src/otel/conventions/openinference.js";
import { readerFor } from "../../../src/otel/conventions/registry.js";
import { capture } from "../../support/bridge-harness.js";
import type { TestProvider } from "../../support/otel-sdk.js";
import { expectEventsInEveryAttachment, expectExporterAndProcessorAgree, inSpan } from "./hand-built.js";
import { fixtureSpan, loadFixture } from "../../support/span-fixtures.js";
import { hugeText, spanView } from "./span-fixture.js";

const llmSpan = {
  name: "ChatCompletion",
  attributes: {
    "openinference.span.kind": "LLM",
    "llm.provider": "openai",
    "llm.system": "openai",
    "llm.model_name": "gpt-4o-2024-08-06",
    "llm.invocation_parameters": '{"model":"gpt-4o","temperature":0.2,"max_completion_tokens":256,"top_p":0.9}',
    "input.value": '{"model":"gpt-4o","messages":[]}',
    "input.mime_type": "application/json",
    "llm.input_messages.0.message.role": "system",
    "llm.input_messages.0.message.content": "You are a weather bot.",
    "llm.input_messages.1.message.role": "user",
    "llm.input_messages.1.message.content": "What is the weather in Paris?",
    "llm.input_messages.2.message.role": "assistant",
    "llm.input_messages.2.message.content": "Let me check.",
    "llm.input_messages.2.message.tool_calls.0.tool_call.id": "call_1",
    "llm.input_messages.2.message.tool_calls.0.tool_call.function.name": "weather",
    "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
    "llm.input_messages.3.message.role": "tool",
    "llm.input_messages.3.message.tool_call_id": "call_1",
    "llm.input_messages.3.message.name": "weather",
    "llm.input_messages.3.message.content": '{"forecast":"sunny"}',
    "llm.output_messages.0.message.role": "assistant",
    "llm.output_messages.0.message.content": "It is sunny in Paris.",
    "llm.token_count.prompt": 20,
    "llm.token_count.completion": 7,
    "llm.token_count.total": 27,
    "llm.token_count.prompt_details.cache_read": 4,
    "llm.token_count.prompt_details.cache_write": 2,
    "llm.finish_reason": "stop",
    "session.id": "sess-1",
  },
};

describe("openinference reader", () => {
  it("is chosen for any span with openinference.span.kind, before the GenAI readers", () => {
    const span = spanView({ attributes: { "openinference.span.kind": "LLM", "gen_ai.operation.name": "chat" } });
    expect(readerFor(span)?.name).toBe("openinference");
    expect(openInferenceReader.matches(spanView({ attributes: { "gen_ai.operation.name": "chat" } }))).toBe(false);
  });

  it("leaves AI SDK spans annotated by @arizeai/openinference-vercel to the AI SDK reader", () => {
    const span = spanView({
      name: "ai.generateText.doGenerate",
      attributes: { "ai.operationId": "ai.generateText.doGenerate", "openinference.span.kind": "LLM" },
    });
    expect(readerFor(span)?.name).toBe("ai-sdk");
  });

  it("classifies by span kind", () => {
    const kinds: Record<string, string> = {
      AGENT: "agent",
      LLM: "model",
      TOOL: "tool",
      EMBEDDING: "skipped",
      RERANKER: "skipped",
      CHAIN: "none",
      RETRIEVER: "none",
      GUARDRAIL: "none",
      EVALUATOR: "none",
      PROMPT: "none",
    };
    for (const [kind, meaning] of Object.entries(kinds)) {
      expect(openInferenceReader.classify(spanView({ attributes: { "openinference.span.kind": kind } }))).toBe(meaning);
    }
  });

  it("reads an LLM span's flattened messages, model, usage and finish reason (OpenAI client, recorded)", () => {
    const [, second] = loadFixture("openai-client+openinference", "one-tool").filter((span) => span.name === "OpenAI Chat Completions");
    expect(openInferenceReader.read(second)).toEqual({
      kind: "model",
      call: {
        input: [
          { role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] },
          {
            role: "assistant",
            parts: [
              { type: "text", text: "Let me check." },
              { type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } },
            ],
          },
          { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: '{"city":"Paris","forecast":"sunny"}' }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
        systemPrompt: "You are a weather bot.",
        model: "gpt-4o-mini",
        settings: {},
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27 },
      },
    });
  });

  it("reads Responses API output_text parts as text (OpenAI client, recorded)", () => {
    const [first] = loadFixture("openai-client-responses+openinference", "one-tool").filter((span) => span.name === "OpenAI Responses");
    expect(first.attributes["llm.output_messages.0.message.contents.0.message_content.type"]).toBe("output_text");
    const meaning = openInferenceReader.read(first);
    expect(meaning.kind === "model" && meaning.call.output).toEqual([
      { role: "assistant", parts: [{ type: "text", text: "Let me check." }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
    ]);
  });

  it("reads settings from llm.invocation_parameters, and cache tokens (OpenAI Agents, recorded)", () => {
    const [response] = loadFixture("openai-agents+openinference", "one-tool").filter((span) => span.name === "response");
    const meaning = openInferenceReader.read(response);
    expect(meaning.kind === "model" && meaning.call.settings).toEqual({ temperature: 1, topP: 1 });
    expect(meaning.kind === "model" && meaning.call.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15, cacheReadTokens: 0 });
    const parameters = { "llm.invocation_parameters": '{"max_completion_tokens":256,"top_k":40}', "openinference.span.kind": "LLM" };
    const settings = openInferenceReader.read(spanView({ attributes: parameters }));
    expect(settings.kind === "model" && settings.call.settings).toEqual({ maxTokens: 256, topK: 40 });
  });

  it("reads typed contents (text, images as links or data) and output tool calls", () => {
    const meaning = openInferenceReader.read(
      spanView({
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.input_messages.0.message.role": "user",
          "llm.input_messages.0.message.contents.0.message_content.type": "text",
          "llm.input_messages.0.message.contents.0.message_content.text": "What is in these pictures?",
          "llm.input_messages.0.message.contents.1.message_content.type": "image",
          "llm.input_messages.0.message.contents.1.message_content.image.image.url": "https://example.com/cat.png",
          "llm.input_messages.0.message.contents.2.message_content.type": "image",
          "llm.input_messages.0.message.contents.2.message_content.image.image.url": "data:image/png;base64,iVBORw0KGgo=",
          "llm.input_messages.0.message.contents.3.message_content.type": "audio",
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_9",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "describe",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"detail":"high"',
          "llm.output_messages.0.message.tool_calls.1.tool_call.id": "call_10",
          "llm.invocation_parameters": "{not json",
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
              { type: "text", text: "What is in these pictures?" },
              { type: "media", kind: "image", source: "url", data: "https://example.com/cat.png" },
              { type: "media", kind: "image", source: "base64", data: "iVBORw0KGgo=", mediaType: "image/png" },
              { type: "unsupported", what: "audio" },
            ],
          },
        ],
        output: [
          {
            role: "assistant",
            parts: [
              // Truncated JSON arguments are kept as the text they are.
              { type: "tool_call", id: "call_9", name: "describe", arguments: '{"detail":"high"' },
              { type: "unsupported", what: "tool call without a name" },
            ],
          },
        ],
        settings: {},
      },
    });
  });

  it("falls back to input.value / output.value when no flattened messages exist", () => {
    const fromJson = openInferenceReader.read(
      spanView({
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": "gpt-4o-mini",
          "input.value": JSON.stringify({
            model: "gpt-4o-mini",
            messages: [
              { role: "system", content: "Be brief." },
              { role: "user", content: [{ type: "text", text: "Hi" }] },
            ],
          }),
          "output.value": JSON.stringify({
            choices: [{ index: 0, finish_reason: "length", message: { role: "assistant", content: "Hello th" } }],
          }),
        },
      }),
    );
    expect(fromJson).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "Hi" }] }],
        output: [{ role: "assistant", parts: [{ type: "text", text: "Hello th" }] }],
        systemPrompt: "Be brief.",
        model: "gpt-4o-mini",
        settings: {},
        finishReason: "length",
      },
    });

    const fromText = openInferenceReader.read(
      spanView({ attributes: { "openinference.span.kind": "LLM", "input.value": "Tell me a joke", "output.value": "No." } }),
    );
    expect(fromText).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "Tell me a joke" }] }],
        output: [{ role: "assistant", parts: [{ type: "text", text: "No." }] }],
        settings: {},
      },
    });
  });

  it("does not turn values hidden by OpenInference into text", () => {
    const meaning = openInferenceReader.read(
      spanView({ attributes: { "openinference.span.kind": "LLM", "input.value": "__REDACTED__", "output.value": "__REDACTED__" } }),
    );
    expect(meaning).toEqual({ kind: "model", call: { input: [], output: [], settings: {} } });
  });

  it("reads a TOOL span's arguments from input.value, and its output (OpenAI Agents, recorded)", () => {
    const tool = fixtureSpan(loadFixture("openai-agents+openinference", "one-tool"), "weather");
    expect(openInferenceReader.read(tool)).toEqual({
      kind: "tool",
      // The bridge records no call id: the composer pairs the span with the model's call by name and arguments.
      tool: { name: "weather", callId: undefined, arguments: { city: "Paris" }, result: { city: "Paris", forecast: "sunny" }, isError: false },
    });
  });

  it("reads the call's arguments, not the tool.parameters schema, and tool.id as its call id", () => {
    const meaning = openInferenceReader.read(
      spanView({
        name: "weather",
        attributes: {
          "openinference.span.kind": "TOOL",
          "tool.name": "weather",
          "tool.id": "call_1",
          "tool.parameters": '{"type":"object","properties":{"city":{"type":"string"}}}',
          "input.value": '{"city":"Paris"}',
        },
      }),
    );
    expect(meaning.kind === "tool" && [meaning.tool.callId, meaning.tool.arguments]).toEqual(["call_1", { city: "Paris" }]);
  });

  it("reads a failed TOOL span: what the framework told the model, and the error (OpenAI Agents, recorded)", () => {
    const tool = fixtureSpan(loadFixture("openai-agents+openinference", "failing-tool"), "weather");
    const meaning = openInferenceReader.read(tool);
    expect(meaning).toMatchObject({
      kind: "tool",
      tool: { name: "weather", result: "An error occurred while running the tool. Please try again.", isError: true },
    });
    expect(meaning.kind === "tool" && meaning.tool.errorMessage).toMatch(/^Error running tool \(non-fatal\)/);
  });

  it("reads a failed TOOL span's error without the stack trace appended to it (LangChain, recorded)", () => {
    const tool = fixtureSpan(loadFixture("langchain+openinference", "failing-tool"), "weather");
    expect(tool.status.message).toContain("\n    at ");
    expect(openInferenceReader.read(tool)).toMatchObject({ kind: "tool", tool: { name: "weather", isError: true, errorMessage: "no forecast for Atlantis" } });
  });

  it("reads an AGENT span: name, and its input/output as a call when they hold text or messages", () => {
    const agent = openInferenceReader.read(
      spanView({
        name: "Agent workflow",
        attributes: {
          "openinference.span.kind": "AGENT",
          "agent.name": "weather-agent",
          "input.value": "What is the weather in Paris?",
          "output.value": '{"output":"It is sunny in Paris."}',
          "llm.token_count.prompt": 30,
          "llm.token_count.completion": 12,
        },
      }),
    );
    expect(agent).toEqual({
      kind: "agent",
      agent: {
        name: "weather-agent",
        usage: { inputTokens: 30, outputTokens: 12 },
        call: {
          input: [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }],
          output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
          settings: {},
        },
      },
    });

    const bare = openInferenceReader.read(
      spanView({ name: "planner", attributes: { "openinference.span.kind": "AGENT", "input.value": '{"step":3}' } }),
    );
    expect(bare).toEqual({ kind: "agent", agent: { name: "planner" } });
  });

  describe("on LangChain v1 spans (recorded)", () => {
    const spans = loadFixture("langchain+openinference", "one-tool");

    it("reads createAgent's graph span, a CHAIN named after the agent, as the agent", () => {
      const agent = fixtureSpan(spans, "weather-agent");
      expect(agent.attributes["openinference.span.kind"]).toBe("CHAIN");
      expect(openInferenceReader.classify(agent)).toBe("agent");
      expect(openInferenceReader.read(agent)).toMatchObject({ kind: "agent", agent: { name: "weather-agent" } });
      // The graph's other CHAIN spans carry the agent's name too; they are not the agent.
      expect(openInferenceReader.classify(fixtureSpan(spans, "tools"))).toBe("none");
    });

    it("reads the model's messages from LangChain's own: call ids, the system prompt's blocks, no empty text", () => {
      const [first, second] = spans.filter((span) => span.name === "ChatOpenAI");
      // The flattened messages lose the call ids and the system prompt.
      expect(first.attributes["llm.output_messages.0.message.tool_calls.0.tool_call.id"]).toBeUndefined();
      expect(openInferenceReader.read(first)).toMatchObject({
        kind: "model",
        call: {
          systemPrompt: "You are a weather bot.",
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
          finishReason: "tool_calls",
          usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
        },
      });
      const meaning = openInferenceReader.read(second);
      expect(meaning.kind === "model" && meaning.call.input.at(-1)).toEqual({
        role: "tool",
        parts: [{ type: "tool_result", id: "call_1", name: "weather", result: '{"city":"Paris","forecast":"sunny"}' }],
      });
    });

    it("reads a tool's ToolMessage: its content is the tool's output, and it names the call", () => {
      const tool = fixtureSpan(spans, "weather");
      expect(openInferenceReader.read(tool)).toMatchObject({
        kind: "tool",
        tool: { name: "weather", callId: "call_1", result: { city: "Paris", forecast: "sunny" }, isError: false },
      });
    });
  });

  it("tells which open spans may still turn out to be agents when their producer finishes them", () => {
    const open = (span: ReturnType<typeof spanView>) => ({ ...span, endMs: Number.NaN });
    const agents = loadFixture("openai-agents+openinference", "one-tool");
    const liveAgent = fixtureSpan(agents, "weather-agent");
    const { "graph.node.id": _decided, ...startedAttributes } = liveAgent.attributes;
    expect(openInferenceReader.mayBecomeAgent?.(open({ ...liveAgent, attributes: startedAttributes }))).toBe(true);
    expect(openInferenceReader.mayBecomeAgent?.(liveAgent)).toBe(false);
    expect(openInferenceReader.mayBecomeAgent?.(open(agents.find((span) => span.name === "turn")!))).toBe(false);

    const chain = fixtureSpan(loadFixture("langchain+openinference", "one-tool"), "weather-agent");
    expect(openInferenceReader.mayBecomeAgent?.(open({ ...chain, attributes: { "openinference.span.kind": "CHAIN" } }))).toBe(true);
    expect(openInferenceReader.mayBecomeAgent?.(spanView({ attributes: { "openinference.span.kind": "CHAIN" } }))).toBe(false);
  });

  describe("on OpenAI Agents JS spans (recorded)", () => {
    const spans = loadFixture("openai-agents+openinference", "one-tool");

    it("reads the agent from its span (graph.node.id), without the LLM input/output the bridge copies onto it", () => {
      const agent = fixtureSpan(spans, "weather-agent");
      expect(agent.attributes["graph.node.id"]).toBe("weather-agent");
      expect(openInferenceReader.read(agent)).toEqual({ kind: "agent", agent: { name: "weather-agent" } });
    });

    it("takes the trace's root AGENT span for what it is: the workflow around the agents, not one of them", () => {
      const root = fixtureSpan(spans, "Agent workflow", (span) => span.attributes["openinference.span.kind"] === "AGENT");
      expect(root.attributes["input.value"]).toBeDefined();
      expect(openInferenceReader.classify(root)).toBe("none");
      expect(openInferenceReader.read(root)).toEqual({ kind: "none" });
    });

    it("reads a handoff span as nothing: the model's transfer call and its answer are on the LLM spans", () => {
      const handoff = fixtureSpan(loadFixture("openai-agents+openinference", "handoff"), "handoff to weather_agent");
      expect(handoff.attributes["openinference.span.kind"]).toBe("TOOL");
      expect(openInferenceReader.classify(handoff)).toBe("none");
    });

    it("reads the model's text and its tool calls from a response span", () => {
      const [first] = spans.filter((span) => span.name === "response");
      const meaning = openInferenceReader.read(first);
      expect(meaning.kind === "model" && meaning.call.output).toEqual([
        { role: "assistant", parts: [{ type: "text", text: "Let me check." }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
      ]);
    });
  });

  it("names skipped work and reads nothing from other kinds", () => {
    expect(openInferenceReader.read(spanView({ attributes: { "openinference.span.kind": "EMBEDDING" } }))).toEqual({
      kind: "skipped",
      what: "embedding",
    });
    expect(openInferenceReader.read(spanView({ attributes: { "openinference.span.kind": "reranker" } }))).toEqual({
      kind: "skipped",
      what: "reranker",
    });
    expect(openInferenceReader.read(spanView({ attributes: { "openinference.span.kind": "CHAIN", "input.value": "x" } }))).toEqual({
      kind: "none",
    });
  });

  it("copes with multi-megabyte values and garbage without throwing", () => {
    const big = hugeText(4);
    const meaning = openInferenceReader.read(
      spanView({
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.input_messages.0.message.role": "user",
          "llm.input_messages.0.message.content": big,
          "llm.input_messages.1.message.contents.0.message_content.type": 42 as never,
          "llm.output_messages.0.message.content": `[${big}`,
          "llm.token_count.prompt": "not a number",
          "llm.invocation_parameters": `{"temperature": ${big}`,
        },
      }),
    );
    expect(meaning.kind).toBe("model");
    if (meaning.kind !== "model") return;
    expect(meaning.call.input[0].parts[0]).toEqual({ type: "text", text: big });
    expect(meaning.call.input[1].parts).toEqual([{ type: "unsupported", what: "42" }]);
    expect(meaning.call.output[0].parts[0]).toEqual({ type: "text", text: `[${big}` });
    expect(meaning.call.usage).toBeUndefined();
    expect(meaning.call.settings).toEqual({});

    const tool = openInferenceReader.read(
      spanView({ attributes: { "openinference.span.kind": "TOOL", "input.value": `{"q": "${big}`, "output.value": big } }),
    );
    expect(tool.kind).toBe("tool");
  });
});

/**
 * An agent as the OpenInference OpenAI instrumentation and a hand-written
 * AGENT span record it: two LLM calls with a TOOL span between them.
 */
async function openInferenceWeatherAgent(provider: TestProvider, toolSpanHasId = true): Promise<void> {
  const tracer = provider.getTracer("openinference-hand-built");
  const llm = {
    "openinference.span.kind": "LLM",
    "llm.provider": "openai",
    "llm.system": "openai",
    "llm.model_name": "gpt-4o-2024-08-06",
    "llm.invocation_parameters": '{"temperature":0.2,"max_completion_tokens":256}',
    "llm.input_messages.0.message.role": "system",
    "llm.input_messages.0.message.content": "You are a weather bot.",
    "llm.input_messages.1.message.role": "user",
    "llm.input_messages.1.message.content": "What is the weather in Paris?",
  };
  await inSpan(
    tracer,
    "weather-agent",
    {
      attributes: {
        "openinference.span.kind": "AGENT",
        "agent.name": "weather-agent",
        "input.value": "What is the weather in Paris?",
        "session.id": "sess-oi",
        "user.id": "user-oi",
      },
      endAttributes: { "output.value": "It is sunny in Paris." },
    },
    async () => {
      await inSpan(tracer, "ChatCompletion", {
        attributes: llm,
        endAttributes: {
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.content": "Let me check.",
          "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "weather",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
          "llm.finish_reason": "tool_calls",
          "llm.token_count.prompt": 10,
          "llm.token_count.completion": 5,
          "llm.token_count.total": 15,
        },
      });
      await inSpan(tracer, "weather", {
        attributes: {
          "openinference.span.kind": "TOOL",
          "tool.name": "weather",
          ...(toolSpanHasId ? { "tool.id": "call_1" } : {}),
          "tool.parameters": '{"type":"object","properties":{"city":{"type":"string"}}}',
          "input.value": '{"city":"Paris"}',
        },
        endAttributes: { "output.value": '{"city":"Paris","forecast":"sunny"}' },
      });
      await inSpan(tracer, "ChatCompletion", {
        attributes: {
          ...llm,
          "llm.input_messages.2.message.role": "assistant",
          "llm.input_messages.2.message.content": "Let me check.",
          "llm.input_messages.2.message.tool_calls.0.tool_call.id": "call_1",
          "llm.input_messages.2.message.tool_calls.0.tool_call.function.name": "weather",
          "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
          "llm.input_messages.3.message.role": "tool",
          "llm.input_messages.3.message.tool_call_id": "call_1",
          "llm.input_messages.3.message.content": '{"city":"Paris","forecast":"sunny"}',
        },
        endAttributes: {
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.content": "It is sunny in Paris.",
          "llm.finish_reason": "stop",
          "llm.token_count.prompt": 20,
          "llm.token_count.completion": 7,
          "llm.token_count.total": 27,
        },
      });
    },
  );
}

const MODEL = { model: "gpt-4o-2024-08-06", temperature: 0.2, maxTokens: 256 };

describe("openinference spans through the bridge", () => {
  it("send the run's events once each, in order, with one stop", async () => {
    await expectEventsInEveryAttachment(
      openInferenceWeatherAgent,
      [
        { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "What is the weather in Paris?" } },
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Let me check.", ...MODEL } },
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
        expect(body.sessionId).toBe("sess-oi");
        expect(body.user).toEqual({ id: "user-oi" });
      },
    );
  });

  it("send the same events, with the same ids, from an exporter and a processor", async () => {
    await expectExporterAndProcessorAgree(openInferenceWeatherAgent);
  });

  it("a TOOL span without a call id answers the model's call instead of inventing another", async () => {
    for (const attachment of ["exporter+batch", "processor"] as const) {
      const { bodies } = await capture(attachment, (provider) => openInferenceWeatherAgent(provider, false));
      const tools = bodies.map((body) => body.event as Record<string, unknown>).filter((event) => String(event.type).startsWith("tool"));
      expect(tools, attachment).toEqual([
        expect.objectContaining({ type: "tool_use", toolUseId: "call_1" }),
        expect.objectContaining({ type: "tool_result", toolUseId: "call_1", content: '{"city":"Paris","forecast":"sunny"}' }),
      ]);
    }
    await expectExporterAndProcessorAgree((provider) => openInferenceWeatherAgent(provider, false));
  });
});
