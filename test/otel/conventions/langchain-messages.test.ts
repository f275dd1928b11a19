/**
 * LangChain's serialized messages, as OpenInference and OpenLLMetry record
 * them around LangChain v1 agents (values taken from recorded spans).
 */
import { describe, expect, it } from "vitest";
import { langChainGenerations, langChainPrompt, langChainToolAnswer } from "../../../src/otel/conventions/langchain-messages.js";
import { fixtureSpan, loadFixture } from "../../support/span-fixtures.js";

const recorded = loadFixture("langchain+openinference", "failing-tool");
const [first, second] = recorded.filter((span) => span.name === "ChatOpenAI");

describe("LangChain serialized messages", () => {
  it("reads a chat model's prompt: the system prompt's blocks as text, a failed tool's message as an error", () => {
    expect(langChainPrompt(second.attributes["input.value"])).toEqual({
      system: ["You are a weather bot."],
      messages: [
        { role: "user", parts: [{ type: "text", text: "What is the weather in Atlantis?" }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "call_atlantis", name: "weather", arguments: { city: "Atlantis" } }] },
        {
          role: "tool",
          parts: [
            { type: "tool_result", id: "call_atlantis", name: "weather", result: "Error: no forecast for Atlantis\n Please fix your mistakes.", isError: true },
          ],
        },
      ],
    });
  });

  it("reads a chat model's generations: the AI message, its tool calls with their ids, and the finish reason", () => {
    expect(langChainGenerations(first.attributes["output.value"])).toEqual({
      system: [],
      messages: [{ role: "assistant", parts: [{ type: "tool_call", id: "call_atlantis", name: "weather", arguments: { city: "Atlantis" } }] }],
      finishReason: "tool_calls",
    });
  });

  it("reads a tool's ToolMessage, bare (OpenLLMetry) or under output (OpenInference)", () => {
    const openInference = fixtureSpan(loadFixture("langchain+openinference", "one-tool"), "weather");
    const openLlmetry = fixtureSpan(loadFixture("langchain+openllmetry", "one-tool"), "execute_tool DynamicStructuredTool");
    const answer = { content: '{"city":"Paris","forecast":"sunny"}', callId: "call_1", name: "weather", isError: false };
    expect(langChainToolAnswer(openInference.attributes["output.value"])).toEqual(answer);
    expect(langChainToolAnswer(openLlmetry.attributes["traceloop.entity.output"])).toEqual(answer);
  });

  it("reads nothing from values that are not LangChain messages", () => {
    for (const value of [undefined, "", "text", "{}", '{"messages":[]}', '{"messages":[[{"role":"user","content":"hi"}]]}', '{"generations":[[{"text":"hi"}]]}']) {
      expect(langChainPrompt(value), String(value)).toBeUndefined();
      expect(langChainGenerations(value), String(value)).toBeUndefined();
      expect(langChainToolAnswer(value), String(value)).toBeUndefined();
    }
    const human = { lc: 1, type: "constructor", id: ["langchain_core", "messages", "HumanMessage"], kwargs: { content: "hi" } };
    expect(langChainToolAnswer(JSON.stringify(human))).toBeUndefined();
  });
});
