/**
 * The Mastra reader on spans recorded from `@mastra/otel-exporter` and
 * `@mastra/otel-bridge`, and on hand-built ones for shapes those runs do not
 * produce (settings, unconverted messages, MCP tools, garbage).
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { mastraReader } from "../../../src/otel/conventions/mastra.js";
import { readerFor } from "../../../src/otel/conventions/registry.js";
import type { TestProvider } from "../../support/otel-sdk.js";
import { expectEventsInEveryAttachment, expectExporterAndProcessorAgree, inSpan } from "./hand-built.js";
import { fixtureSpan, loadFixture } from "../../support/span-fixtures.js";
import { hugeText, spanView } from "./span-fixture.js";

const agentRun = {
  name: "invoke_agent Weather Agent",
  attributes: {
    "gen_ai.operation.name": "invoke_agent",
    "mastra.span.type": "agent_run",
    "gen_ai.agent.id": "weatherAgent",
    "gen_ai.agent.name": "Weather Agent",
    "gen_ai.conversation.id": "thread-1",
    "gen_ai.tool.definitions": '[{"id":"weather","description":"Current weather"}]',
    "gen_ai.system_instructions": "You are a weather bot.\nAnswer briefly.",
    "mastra.agent_run.input": '[{"role":"user","content":"What is the weather in Paris?"}]',
    "mastra.agent_run.output": '{"text":"It is sunny in Paris.","files":[]}',
    "mastra.agent_run.max_steps": 5,
    "mastra.metadata.userId": "user-7",
    "mastra.tags": '["prod"]',
  },
};

const secondInference = {
  name: "chat gpt-4o-mini",
  attributes: {
    "gen_ai.operation.name": "chat",
    "mastra.span.type": "model_inference",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.request.temperature": 0.5,
    "gen_ai.request.max_tokens": 300,
    "gen_ai.request.top_p": 0.8,
    "gen_ai.request.top_k": 40,
    "gen_ai.request.stop_sequences": '["END"]',
    "gen_ai.response.finish_reasons": '["stop"]',
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.response.id": "chatcmpl-2",
    "gen_ai.usage.input_tokens": 20,
    "gen_ai.usage.output_tokens": 7,
    "gen_ai.usage.reasoning_tokens": 2,
    "gen_ai.usage.cache_read.input_tokens": 8,
    "gen_ai.agent.id": "weatherAgent",
    "gen_ai.agent.name": "Weather Agent",
    "gen_ai.input.messages": JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a weather bot." }] },
      { role: "user", parts: [{ type: "text", content: "What is the weather in Paris?" }] },
      {
        role: "assistant",
        parts: [
          { type: "text", content: "Let me check." },
          { type: "tool_call", id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
        ],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", name: "weather", response: '{"forecast":"sunny"}' }] },
    ]),
    "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"It is sunny in Paris."}]}]',
  },
};

describe("mastra reader", () => {
  it("is chosen for spans with mastra.span.type, before the GenAI reader", () => {
    expect(readerFor(spanView(agentRun))?.name).toBe("mastra");
    expect(readerFor(spanView(secondInference))?.name).toBe("mastra");
    expect(mastraReader.matches(spanView({ attributes: { "gen_ai.operation.name": "chat" } }))).toBe(false);
  });

  it("classifies by Mastra span type, whatever its operation name", () => {
    const classify = (type: string, operation?: string) =>
      mastraReader.classify(
        spanView({ attributes: { "mastra.span.type": type, ...(operation ? { "gen_ai.operation.name": operation } : {}) } }),
      );
    expect(classify("agent_run", "invoke_agent")).toBe("agent");
    expect(classify("AGENT_RUN")).toBe("agent");
    expect(classify("model_generation", "chat")).toBe("model");
    expect(classify("model_inference", "model_inference")).toBe("model");
    expect(classify("MODEL_INFERENCE", "chat")).toBe("model");
    expect(classify("tool_call", "execute_tool")).toBe("tool");
    expect(classify("mcp_tool_call", "execute_tool")).toBe("tool");
    expect(classify("model_step", "agent_step")).toBe("none");
    expect(classify("model_step", "model_step")).toBe("none");
    expect(classify("model_chunk", "model_chunk")).toBe("none");
    expect(classify("workflow_run", "invoke_workflow")).toBe("none");
    expect(classify("workflow_step", "workflow_step")).toBe("none");
    expect(classify("processor_run", "processor_run")).toBe("none");
    expect(classify("rag_embedding", "embeddings")).toBe("skipped");
    expect(classify("something_new", "chat")).toBe("model");
    expect(classify("something_new", "agent_step")).toBe("none");
  });

  it("reads an agent run: ids, raw-string instructions, and its own input/output as a call (recorded)", () => {
    const agent = fixtureSpan(loadFixture("mastra+otel-exporter", "one-tool"), "invoke_agent weather-agent");
    expect(mastraReader.read(agent)).toEqual({
      kind: "agent",
      agent: {
        name: "weather-agent",
        id: "weather-agent",
        systemPrompt: "You are a weather bot.",
        call: {
          input: [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }],
          // Mastra joins the texts of the turn's responses.
          output: [{ role: "assistant", parts: [{ type: "text", text: "Let me check.It is sunny in Paris." }] }],
          systemPrompt: "You are a weather bot.",
          settings: {},
        },
      },
    });
  });

  describe("a turn's model spans, as each Mastra package records them (recorded)", () => {
    const exported = loadFixture("mastra+otel-exporter", "one-tool");
    const bridged = loadFixture("mastra+otel-bridge", "one-tool");
    const prompt = [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }];

    it("otel-exporter: each inference span is a call, its text kept and its tool calls dropped by the GenAI conversion", () => {
      const [first] = exported.filter((span) => span.attributes["mastra.span.type"] === "model_inference");
      expect(first.name).toBe("chat gpt-4o-mini");
      expect(mastraReader.read(first)).toEqual({
        kind: "model",
        call: {
          input: [],
          output: [{ role: "assistant", parts: [{ type: "text", text: "Let me check." }] }],
          model: "gpt-4o-mini",
          settings: {},
          finishReason: "tool-calls",
          usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0 },
        },
      });
    });

    it("otel-bridge: each inference span is a call, read from Mastra's own output with its tool calls", () => {
      const [first] = bridged.filter((span) => span.attributes["mastra.span.type"] === "model_inference");
      expect(mastraReader.read(first)).toMatchObject({
        kind: "model",
        call: {
          input: [],
          output: [
            {
              role: "assistant",
              parts: [
                { type: "text", text: "Let me check." },
                { type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } },
              ],
            },
          ],
        },
      });
    });

    it("both: the generation span sends the prompt, not the joined texts of its inference spans", () => {
      const generation = (spans: typeof exported) => spans.find((span) => span.attributes["mastra.span.type"] === "model_generation")!;
      expect(mastraReader.read(generation(exported))).toMatchObject({
        kind: "model",
        call: { input: prompt, output: [], systemPrompt: "You are a weather bot.", usage: undefined },
      });
      // Through the bridge it is the one span with the model, the turn's usage and its last finish reason.
      expect(mastraReader.read(generation(bridged))).toMatchObject({
        kind: "model",
        call: { input: prompt, output: [], model: "gpt-4o-mini", finishReason: "stop", usage: { inputTokens: 30, outputTokens: 12 } },
      });
    });

    it("both: steps and chunks mean nothing", () => {
      for (const span of [...exported, ...bridged]) {
        const type = span.attributes["mastra.span.type"];
        if (type === "model_step" || type === "model_chunk") expect(mastraReader.classify(span), span.name).toBe("none");
      }
    });
  });

  it("reads a model call: JSON-string finish reasons, tool arguments and tool answers, all settings and usage", () => {
    expect(mastraReader.read(spanView(secondInference))).toEqual({
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
          { role: "tool", parts: [{ type: "tool_result", id: "call_1", name: "weather", result: { forecast: "sunny" } }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }],
        systemPrompt: "You are a weather bot.",
        model: "gpt-4o-mini-2024-07-18",
        settings: { temperature: 0.5, maxTokens: 300, topP: 0.8, topK: 40 },
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 7, cacheReadTokens: 8 },
      },
    });
  });

  it("reads messages Mastra passed through unconverted", () => {
    const meaning = mastraReader.read(
      spanView({
        attributes: {
          "mastra.span.type": "model_inference",
          "gen_ai.operation.name": "chat",
          "gen_ai.input.messages": JSON.stringify({
            messages: [
              { role: "user", content: [{ type: "text", text: "Describe this" }, { type: "image", image: "https://x.test/cat.png" }] },
              { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_3", toolName: "look", input: { zoom: 2 } }] },
              { role: "tool", content: [{ type: "tool-result", toolCallId: "call_3", toolName: "look", output: { type: "json", value: { seen: "cat" } } }] },
            ],
          }),
          "gen_ai.output.messages": "A cat.",
          "gen_ai.response.finish_reasons": "stop",
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
              { type: "text", text: "Describe this" },
              { type: "media", kind: "image", source: "url", data: "https://x.test/cat.png" },
            ],
          },
          { role: "assistant", parts: [{ type: "tool_call", id: "call_3", name: "look", arguments: { zoom: 2 } }] },
          { role: "tool", parts: [{ type: "tool_result", id: "call_3", name: "look", result: { seen: "cat" } }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", text: "A cat." }] }],
        settings: {},
        finishReason: "stop",
      },
    });
  });

  it("reads tool calls, and a failed one's error.message", () => {
    expect(mastraReader.read(fixtureSpan(loadFixture("mastra+otel-exporter", "one-tool"), "execute_tool weather"))).toEqual({
      kind: "tool",
      tool: { name: "weather", callId: "call_1", arguments: { city: "Paris" }, result: { city: "Paris", forecast: "sunny" }, isError: false },
    });
    expect(mastraReader.read(fixtureSpan(loadFixture("mastra+otel-exporter", "failing-tool"), "execute_tool weather"))).toEqual({
      kind: "tool",
      tool: { name: "weather", callId: "call_atlantis", arguments: { city: "Atlantis" }, isError: true, errorMessage: "no forecast for Atlantis" },
    });

    expect(
      mastraReader.read(
        spanView({
          name: "execute_tool search",
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "mastra.span.type": "mcp_tool_call",
            "gen_ai.tool.call.arguments": '{"q":"tides"}',
            "error.type": "TOOL_EXECUTION_FAILED",
            "error.message": "search server unreachable",
          },
          status: { code: 2 },
        }),
      ),
    ).toEqual({
      kind: "tool",
      tool: { name: "search", arguments: { q: "tides" }, isError: true, errorMessage: "search server unreachable" },
    });
  });

  it("reads steps, workflows and embeddings as nothing or skipped", () => {
    expect(mastraReader.read(spanView({ attributes: { "mastra.span.type": "model_step", "gen_ai.operation.name": "agent_step" } }))).toEqual({
      kind: "none",
    });
    expect(
      mastraReader.read(spanView({ attributes: { "mastra.span.type": "workflow_run", "gen_ai.operation.name": "invoke_workflow" } })),
    ).toEqual({ kind: "none" });
    expect(mastraReader.read(spanView({ attributes: { "mastra.span.type": "rag_embedding", "gen_ai.operation.name": "embeddings" } }))).toEqual({
      kind: "skipped",
      what: "embeddings",
    });
  });

  it("copes with multi-megabyte values and garbage without throwing", () => {
    const big = hugeText(4);
    const model = mastraReader.read(
      spanView({
        attributes: {
          "mastra.span.type": "model_inference",
          "gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"${big}`,
          "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: big }] }]),
          "gen_ai.response.finish_reasons": "[broken",
          "gen_ai.request.stop_sequences": "[broken",
          "gen_ai.usage.input_tokens": "NaN",
        },
      }),
    );
    expect(model.kind).toBe("model");
    if (model.kind !== "model") return;
    expect(model.call.output[0].parts[0]).toEqual({ type: "text", text: big });
    expect(model.call.finishReason).toBe("[broken");
    expect(model.call.usage).toBeUndefined();

    const agent = mastraReader.read(
      spanView({ attributes: { "mastra.span.type": "agent_run", "mastra.agent_run.input": `{"messages": [${big}`, "gen_ai.system_instructions": big } }),
    );
    expect(agent.kind).toBe("agent");
    if (agent.kind === "agent") expect(agent.agent.systemPrompt).toBe(big);
  });
});

/**
 * A Mastra agent as `@mastra/otel-bridge` records it: `invoke_agent` →
 * `agent_step` spans → a `chat` inference and the `execute_tool` it asked
 * for in the first step, the answering `chat` in the second.
 */
async function mastraWeatherAgent(provider: TestProvider): Promise<void> {
  const tracer = provider.getTracer("@mastra/otel-bridge");
  const prompt = [
    { role: "system", parts: [{ type: "text", content: "You are a weather bot." }] },
    { role: "user", parts: [{ type: "text", content: "What is the weather in Paris?" }] },
  ];
  const askedForTool = {
    role: "assistant",
    parts: [
      { type: "text", content: "Let me check." },
      { type: "tool_call", id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
    ],
  };
  const chat = {
    "gen_ai.operation.name": "chat",
    "mastra.span.type": "model_inference",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.request.temperature": 0.5,
    "gen_ai.request.max_tokens": 300,
    "gen_ai.request.stop_sequences": '["END"]',
    "gen_ai.agent.id": "weatherAgent",
    "gen_ai.agent.name": "Weather Agent",
  };
  const step = (index: number) => ({
    attributes: { "gen_ai.operation.name": "agent_step", "mastra.span.type": "model_step", "mastra.model_step.step_index": index },
  });
  await inSpan(
    tracer,
    "invoke_agent Weather Agent",
    {
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "mastra.span.type": "agent_run",
        "gen_ai.agent.id": "weatherAgent",
        "gen_ai.agent.name": "Weather Agent",
        "gen_ai.conversation.id": "thread-9",
        "gen_ai.system_instructions": "You are a weather bot.",
        "mastra.agent_run.input": '[{"role":"user","content":"What is the weather in Paris?"}]',
        "mastra.metadata.userId": "user-m",
      },
      endAttributes: { "mastra.agent_run.output": '{"text":"It is sunny in Paris."}' },
    },
    async () => {
      await inSpan(tracer, "agent_step 0", step(0), async () => {
        await inSpan(tracer, "chat gpt-4o-mini", {
          kind: SpanKind.CLIENT,
          attributes: { ...chat, "gen_ai.input.messages": JSON.stringify(prompt) },
          endAttributes: {
            "gen_ai.output.messages": JSON.stringify([askedForTool]),
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.response.finish_reasons": '["tool-calls"]',
            "gen_ai.usage.input_tokens": 10,
            "gen_ai.usage.output_tokens": 5,
            "gen_ai.usage.reasoning_tokens": 0,
          },
        });
        await inSpan(tracer, "execute_tool weather", {
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "mastra.span.type": "tool_call",
            "gen_ai.tool.name": "weather",
            "gen_ai.tool.call.id": "call_1",
            "gen_ai.tool.type": "function",
            "gen_ai.tool.call.arguments": '{"city":"Paris"}',
          },
          endAttributes: { "gen_ai.tool.call.result": '{"city":"Paris","forecast":"sunny"}' },
        });
      });
      await inSpan(tracer, "agent_step 1", step(1), async () => {
        await inSpan(tracer, "chat gpt-4o-mini", {
          kind: SpanKind.CLIENT,
          attributes: {
            ...chat,
            "gen_ai.input.messages": JSON.stringify([
              ...prompt,
              askedForTool,
              { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", name: "weather", response: '{"city":"Paris","forecast":"sunny"}' }] },
            ]),
          },
          endAttributes: {
            "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"It is sunny in Paris."}]}]',
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.response.finish_reasons": '["stop"]',
            "gen_ai.usage.input_tokens": 20,
            "gen_ai.usage.output_tokens": 7,
          },
        });
      });
    },
  );
}

const MODEL = { model: "gpt-4o-mini-2024-07-18", temperature: 0.5, maxTokens: 300 };

describe("mastra spans through the bridge", () => {
  it("send the run's events once each, in order, with one stop", async () => {
    await expectEventsInEveryAttachment(
      mastraWeatherAgent,
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
        expect(body.agent).toEqual({ name: "Weather Agent", id: "weatherAgent", systemPrompt: "You are a weather bot." });
        expect(body.sessionId).toBe("thread-9");
        expect(body.user).toEqual({ id: "user-m" });
      },
    );
  });

  it("send the same events, with the same ids, from an exporter and a processor", async () => {
    await expectExporterAndProcessorAgree(mastraWeatherAgent);
  });
});
