/**
 * The design's worked example, produced for real by the AI SDK 7 with a mock
 * model, in both `@ai-sdk/otel` conventions, through every attachment.
 */
import { describe, expect, it } from "vitest";
import { runIdForTrace } from "../../src/otel/index.js";
import { weatherAgent, type AiConvention } from "../support/ai-scenarios.js";
import { ATTACHMENTS, capture, summarize } from "../support/bridge-harness.js";

const EXPECTED = [
  { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "What is the weather in Paris?" } },
  { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Let me check.", model: "mock-model-id" } },
  {
    hookEvent: "weather",
    event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", input: { city: "Paris" }, model: "mock-model-id" },
  },
  {
    hookEvent: "weather",
    event: { source: "agent", type: "tool_result", toolUseId: "call_1", name: "weather", content: '{"city":"Paris","forecast":"sunny"}' },
  },
  { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "It is sunny in Paris.", model: "mock-model-id" } },
  {
    hookEvent: "stop",
    event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } },
  },
];

describe.each<AiConvention>(["genai", "legacy"])("AI SDK 7 weather agent (%s spans)", (convention) => {
  it.each(ATTACHMENTS)("sends the worked example's six events in order (%s)", async (attachment) => {
    const { bodies, spans } = await capture(attachment, (provider) => weatherAgent(convention, provider));
    expect(bodies.map(summarize)).toEqual(EXPECTED);

    const traceId = spans[0].spanContext().traceId;
    for (const body of bodies) {
      expect(body.runId).toBe(runIdForTrace(traceId));
      expect(body).not.toHaveProperty("parentRunId");
      expect(body.agent).toEqual({ name: "weather-agent", systemPrompt: "You are a weather bot." });
      expect(body.bourneVersion).toBe("v2");
      expect(Number.isInteger((body.event as { timestamp: number }).timestamp)).toBe(true);
    }
    const ids = bodies.map((body) => (body.event as { eventId: string }).eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const times = bodies.map((body) => (body.event as { timestamp: number }).timestamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
