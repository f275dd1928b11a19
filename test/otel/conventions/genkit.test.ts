/**
 * The Genkit reader on spans recorded from Genkit 1.42 (a flow calling
 * `ai.generate` with a tool, the model through `@genkit-ai/compat-oai`),
 * and on hand-built ones for shapes those runs do not produce (settings,
 * media, reasoning, embedders, garbage).
 */
import { describe, expect, it } from "vitest";
import { genkitReader } from "../../../src/otel/conventions/genkit.js";
import { readerFor } from "../../../src/otel/conventions/registry.js";
import { fixtureSpan, loadFixture, loadRecording } from "../../support/span-fixtures.js";
import { hugeText, spanView } from "./span-fixture.js";

const oneTool = loadFixture("genkit", "one-tool");
const modelCalls = oneTool.filter((span) => span.name === "openai/gpt-4o-mini");
const system = { role: "system", content: [{ text: "You are a weather bot." }] };

describe("genkit reader", () => {
  it("is chosen for spans with genkit:type", () => {
    for (const span of oneTool) expect(readerFor(span)?.name).toBe("genkit");
    expect(genkitReader.matches(spanView({ attributes: { "gen_ai.operation.name": "chat" } }))).toBe(false);
  });

  it("knows flows, model calls and tool runs from the attributes a span starts with; generate steps mean nothing (recorded)", () => {
    const recording = loadRecording("genkit", "one-tool");
    const atStart = Object.values(recording.spans).map(({ span, startAttributes }) => [span.name, genkitReader.classify({ ...span, attributes: startAttributes })]);
    expect(atStart.sort()).toEqual(
      [
        ["weather-agent", "agent"],
        ["generate", "none"],
        ["generate", "none"],
        ["openai/gpt-4o-mini", "model"],
        ["openai/gpt-4o-mini", "model"],
        ["weather", "tool"],
      ].sort(),
    );
  });

  it("reads a flow, and a turn of a defineAgent agent, as the agent it names (recorded)", () => {
    expect(genkitReader.read(fixtureSpan(oneTool, "weather-agent"))).toEqual({ kind: "agent", agent: { name: "weather-agent" } });
    const recording = loadRecording("genkit-agent", "one-tool");
    const turn = Object.values(recording.spans).find(({ span }) => span.name === "weather-agent")!;
    expect(genkitReader.classify({ ...turn.span, attributes: turn.startAttributes })).toBe("agent");
    expect(genkitReader.read(turn.span)).toEqual({ kind: "agent", agent: { name: "weather-agent" } });
  });

  it("reads a model call: the request's messages, system prompt apart, and the reply with its tool calls' own ids (recorded)", () => {
    expect(genkitReader.read(modelCalls[0])).toEqual({
      kind: "model",
      call: {
        input: [{ role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] }],
        output: [{ role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] }],
        systemPrompt: "You are a weather bot.",
        model: "openai/gpt-4o-mini",
        settings: {},
        finishReason: "stop",
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      },
    });
  });

  it("reads the tool's own output, by the model's call id, in the next call's messages (recorded)", () => {
    const meaning = genkitReader.read(modelCalls[1]);
    expect(meaning.kind === "model" && meaning.call.input.slice(1)).toEqual([
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_result", id: "call_1", name: "weather", result: { city: "Paris", forecast: "sunny" } }] },
    ]);
    expect(meaning.kind === "model" && meaning.call.output).toEqual([{ role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] }]);
  });

  it("reads a tool run's arguments and output, which name no call id, and a failed one's error (recorded)", () => {
    expect(genkitReader.read(fixtureSpan(oneTool, "weather"))).toEqual({
      kind: "tool",
      tool: { name: "weather", arguments: { city: "Paris" }, result: { city: "Paris", forecast: "sunny" }, isError: false, errorMessage: undefined },
    });
    expect(genkitReader.read(fixtureSpan(loadFixture("genkit", "failing-tool"), "weather"))).toEqual({
      kind: "tool",
      tool: { name: "weather", arguments: { city: "Atlantis" }, result: undefined, isError: true, errorMessage: "no forecast for Atlantis" },
    });
  });

  it("reads the history a second turn sends (recorded)", () => {
    const [call] = loadFixture("genkit", "second-turn").filter((span) => span.name === "openai/gpt-4o-mini");
    const meaning = genkitReader.read(call);
    expect(meaning.kind === "model" && meaning.call.input).toEqual([
      { role: "user", parts: [{ type: "text", text: "What is the weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "text", text: "It is sunny in Paris." }] },
      { role: "user", parts: [{ type: "text", text: "And in Oslo?" }] },
    ]);
  });

  it("reads settings, cached tokens, media and reasoning; drops empty text; counts parts no event can express", () => {
    const span = spanView({
      name: "googleai/gemini-2.5-flash",
      attributes: {
        "genkit:type": "action",
        "genkit:metadata:subtype": "model",
        "genkit:name": "googleai/gemini-2.5-flash",
        "genkit:input": JSON.stringify({
          messages: [
            system,
            {
              role: "user",
              content: [
                { text: "" },
                { text: "Describe this." },
                { media: { url: "data:image/png;base64,iVBORw0K", contentType: "image/png" } },
                { media: { url: "https://example.com/report.pdf", contentType: "application/pdf" } },
                { data: { a: 1 } },
                { custom: { b: 2 } },
              ],
            },
          ],
          config: { temperature: 0.2, maxOutputTokens: 300, topP: 0.9, topK: 40, stopSequences: ["END"] },
        }),
        "genkit:output": JSON.stringify({
          finishReason: "length",
          message: { role: "model", content: [{ reasoning: "Looking at it." }, { text: "A chart." }] },
          usage: { inputTokens: 50, outputTokens: 20, cachedContentTokens: 8 },
        }),
      },
    });
    expect(genkitReader.read(span)).toEqual({
      kind: "model",
      call: {
        input: [
          {
            role: "user",
            parts: [
              { type: "text", text: "Describe this." },
              { type: "media", kind: "image", source: "base64", data: "iVBORw0K", mediaType: "image/png" },
              { type: "media", kind: "document", source: "url", data: "https://example.com/report.pdf", mediaType: "application/pdf" },
              { type: "unsupported", what: "data part" },
              { type: "unsupported", what: "custom part" },
            ],
          },
        ],
        output: [{ role: "assistant", parts: [{ type: "thinking", text: "Looking at it." }, { type: "text", text: "A chart." }] }],
        systemPrompt: "You are a weather bot.",
        model: "googleai/gemini-2.5-flash",
        settings: { temperature: 0.2, maxTokens: 300, topP: 0.9, topK: 40 },
        finishReason: "length",
        usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 8 },
      },
    });
  });

  it("skips embedders and retrievers, and reads other actions and util spans as nothing", () => {
    const action = (subtype: string) => spanView({ attributes: { "genkit:type": "action", "genkit:metadata:subtype": subtype } });
    expect(genkitReader.read(action("embedder"))).toEqual({ kind: "skipped", what: "embedder" });
    expect(genkitReader.read(action("retriever"))).toEqual({ kind: "skipped", what: "retriever" });
    expect(genkitReader.classify(action("prompt"))).toBe("none");
    expect(genkitReader.classify(spanView({ attributes: { "genkit:type": "util", "genkit:name": "generate" } }))).toBe("none");
  });

  it("copes with multi-megabyte values and garbage without throwing", () => {
    const model = (input: unknown, output: unknown) =>
      spanView({ attributes: { "genkit:type": "action", "genkit:metadata:subtype": "model", "genkit:input": input as string, "genkit:output": output as string } });
    const huge = JSON.stringify({ messages: [{ role: "user", content: [{ text: hugeText(3) }] }] });
    const read = genkitReader.read(model(huge, "not json"));
    expect(read.kind === "model" && read.call.input[0].parts[0]).toMatchObject({ type: "text" });
    for (const garbage of ["{", "[1,2]", JSON.stringify({ messages: [null, { role: "alien", content: [{ text: "x" }] }, { role: "user", content: "x" }] })]) {
      const meaning = genkitReader.read(model(garbage, JSON.stringify({ message: { role: "model", content: [{ toolRequest: { ref: 1 } }, 7] }, usage: "lots" })));
      expect(meaning).toMatchObject({ kind: "model", call: { input: [], output: [], usage: undefined } });
    }
  });
});
