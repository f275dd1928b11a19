/**
 * The GenAI reader and the AI SDK `ai.*` reader on real spans: the AI SDK 7
 * runs of test/support/ai-scenarios.ts, recorded through `@ai-sdk/otel`'s
 * `OpenTelemetry` (GenAI attributes) and `LegacyOpenTelemetry` (`ai.*`)
 * integrations. Re-record with `npm run fixtures:ai-sdk`.
 */
import { describe, expect, it } from "vitest";
import type { AiConvention } from "../../support/ai-scenarios.js";
import { loadRecordedRun, readRecorded, SCENARIO_NAMES } from "../../support/recorded-runs.js";

const READER: Record<AiConvention, string> = { genai: "genai", legacy: "ai-sdk" };
const text = (value: string) => ({ type: "text", text: value });

/** The kinds of a run's spans, in end order, by convention. */
const WEATHER_KINDS: Record<AiConvention, string[]> = {
  genai: ["model", "tool", "none", "model", "none", "agent"],
  legacy: ["tool", "model", "model", "agent"],
};

describe.each<AiConvention>(["genai", "legacy"])("recorded AI SDK 7 spans (%s)", (convention) => {
  it("every AI span of every recorded run is read by its convention's reader", () => {
    for (const scenario of SCENARIO_NAMES) {
      for (const { name, reader } of readRecorded(loadRecordedRun(convention, scenario))) {
        expect(reader, `${scenario}: ${name}`).toBe(name === "POST /chat" ? undefined : READER[convention]);
      }
    }
  });

  it("the weather agent: its model calls, its tool and its agent", () => {
    const read = readRecorded(loadRecordedRun(convention, "weatherAgent"));
    expect(read.map(({ facts }) => facts.meaning.kind)).toEqual(WEATHER_KINDS[convention]);
    const [first, second] = read.filter(({ facts }) => facts.meaning.kind === "model").map(({ facts }) => facts.meaning);
    expect(first).toMatchObject({
      call: {
        model: "mock-model-id",
        systemPrompt: "You are a weather bot.",
        finishReason: "tool-calls",
        usage: { inputTokens: 10, outputTokens: 5 },
        input: [{ role: "user", parts: [text("What is the weather in Paris?")] }],
        output: [{ role: "assistant", parts: [text("Let me check."), { type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] }],
      },
    });
    expect(second).toMatchObject({
      call: {
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 7 },
        input: [
          { role: "user" },
          { role: "assistant" },
          { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: { city: "Paris", forecast: "sunny" } }] },
        ],
        output: [{ role: "assistant", parts: [text("It is sunny in Paris.")] }],
      },
    });
    expect(read.find(({ facts }) => facts.meaning.kind === "tool")?.facts.meaning).toEqual({
      kind: "tool",
      tool: { name: "weather", callId: "call_1", arguments: { city: "Paris" }, result: { city: "Paris", forecast: "sunny" }, isError: false },
    });
    expect(read.at(-1)?.facts.meaning).toMatchObject({
      kind: "agent",
      agent: { name: "weather-agent", systemPrompt: "You are a weather bot.", usage: { inputTokens: 30, outputTokens: 12 }, finishReason: "stop" },
    });
    // Its own messages, read when asked for: they stand for its calls where no model call span is seen.
    const agentMeaning = read.at(-1)?.facts.meaning;
    expect(agentMeaning?.kind === "agent" && agentMeaning.agent.call).toMatchObject({
      systemPrompt: "You are a weather bot.",
      input: [{ role: "user", parts: [text("What is the weather in Paris?")] }],
      output: [{ role: "assistant", parts: expect.arrayContaining([text("It is sunny in Paris.")]) }],
    });
  });

  it("the legacy spans alone say when the response came, which orders a model's output before its tools", () => {
    const calls = readRecorded(loadRecordedRun(convention, "weatherAgent")).flatMap(({ facts }) => (facts.meaning.kind === "model" ? [facts.meaning.call] : []));
    for (const call of calls) {
      if (convention === "legacy") expect(call.responseTimeMs).toEqual(expect.any(Number));
      else expect(call.responseTimeMs).toBeUndefined();
    }
  });

  it("a reasoning model, an image in the prompt and a failing tool", () => {
    const read = readRecorded(loadRecordedRun(convention, "reasoningImageAndToolError"));
    const [first] = read.flatMap(({ facts }) => (facts.meaning.kind === "model" ? [facts.meaning.call] : []));
    expect(first.input).toEqual([
      { role: "user", parts: [text("Check this photo."), { type: "media", kind: "image", source: "base64", data: "iVBORw0KGgo=", mediaType: "image/png" }] },
    ]);
    expect(first.output[0].parts).toEqual([
      { type: "thinking", text: "The user wants the photo checked." },
      { type: "tool_call", id: "call_scan", name: "scan", arguments: { target: "photo" } },
    ]);
    expect(read.find(({ facts }) => facts.meaning.kind === "tool")?.facts.meaning).toMatchObject({
      tool: { name: "scan", callId: "call_scan", isError: true, errorMessage: "scanner offline" },
    });
    expect(read.at(-1)?.facts.meaning).toMatchObject({ agent: { name: "vision-agent", usage: { inputTokens: 120, outputTokens: 14 } } });
  });

  it("a streamed run reads like a generated one", () => {
    const read = readRecorded(loadRecordedRun(convention, "streamingAgent"));
    const calls = read.flatMap(({ facts }) => (facts.meaning.kind === "model" ? [facts.meaning.call] : []));
    expect(calls.map((call) => call.output[0].parts)).toEqual([
      [text("Checking now."), { type: "tool_call", id: "call_s", name: "weather", arguments: { city: "Oslo" } }],
      [text("Snowing in Oslo.")],
    ]);
    expect(calls.map((call) => call.usage)).toMatchObject([{ inputTokens: 9, outputTokens: 4 }, { inputTokens: 18, outputTokens: 5 }]);
  });

  it("an orchestrator and the sub-agent its tool runs are two agents", () => {
    const read = readRecorded(loadRecordedRun(convention, "orchestratorWithSubAgent"));
    const agents = read.flatMap(({ facts }) => (facts.meaning.kind === "agent" ? [facts.meaning.agent.name] : []));
    expect(agents).toEqual(["research-agent", "orchestrator"]);
    const tools = read.flatMap(({ facts }) => (facts.meaning.kind === "tool" ? [facts.meaning.tool] : []));
    expect(tools).toMatchObject([
      { name: "lookup", callId: "call_lookup", result: "tides: caused by the moon's gravity" },
      { name: "research", callId: "call_research", result: "The moon pulls the oceans." },
    ]);
  });

  it("a second turn carries the first as history", () => {
    const [call] = readRecorded(loadRecordedRun(convention, "secondTurn")).flatMap(({ facts }) => (facts.meaning.kind === "model" ? [facts.meaning.call] : []));
    expect(call.input).toEqual([
      { role: "user", parts: [text("What is the weather in Paris?")] },
      { role: "assistant", parts: [text("It is sunny in Paris.")] },
      { role: "user", parts: [text("And now?")] },
    ]);
  });

  it("identity comes from the request span around the agent", () => {
    const read = readRecorded(loadRecordedRun(convention, "agentInHttpSpan"));
    expect(read.at(-1)).toMatchObject({ name: "POST /chat", facts: { meaning: { kind: "none" }, identity: { sessionId: "sess-42", userId: "user-7" } } });
  });
});
