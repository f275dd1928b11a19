/**
 * Real AI SDK 7 traces with runs beyond the simple case: a sub-agent run as a
 * tool, an agent inside an HTTP request, and a request with no AI at all.
 */
import { describe, expect, it } from "vitest";
import type { HookBody } from "../../src/protocol/body.js";
import { runIdForSpan, runIdForTrace } from "../../src/otel/index.js";
import { agentInHttpSpan, orchestratorWithSubAgent, requestWithoutAi, weatherAgent, type AiConvention } from "../support/ai-scenarios.js";
import { ATTACHMENTS, capture, captureSideBySide, runsOf, summarize } from "../support/bridge-harness.js";

const byRun = (bodies: HookBody[]) => {
  const runs = new Map<string, HookBody[]>();
  for (const body of bodies) runs.set(body.runId, [...(runs.get(body.runId) ?? []), body]);
  return runs;
};

describe.each<AiConvention>(["genai", "legacy"])("AI SDK 7 (%s spans)", (convention) => {
  describe.each(ATTACHMENTS)("through %s", (attachment) => {
    it("a sub-agent called as a tool gets a child run, stopped before its parent", async () => {
      const { bodies, spans } = await capture(attachment, (provider) => orchestratorWithSubAgent(convention, provider));
      const traceId = spans[0].spanContext().traceId;
      const traceRunId = runIdForTrace(traceId);
      const runs = byRun(bodies);
      // Every run with what it received, so a failure shows where events went.
      expect(runs.size, JSON.stringify([...runs].map(([runId, events]) => [runId, events.map((body) => body.hookEvent)]))).toBe(2);

      const parent = runs.get(traceRunId)!;
      expect(parent.map(summarize)).toEqual([
        { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "Why are there tides?" } },
        {
          hookEvent: "research",
          event: { source: "agent", type: "tool_use", name: "research", toolUseId: "call_research", input: { topic: "tides" }, model: "mock-model-id" },
        },
        {
          hookEvent: "research",
          event: { source: "agent", type: "tool_result", toolUseId: "call_research", name: "research", content: "The moon pulls the oceans." },
        },
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Tides follow the moon.", model: "mock-model-id" } },
        // Its own calls only (12+30 in, 6+9 out): the sub-agent reports its own usage.
        { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 42, outputTokens: 15, totalTokens: 57 } } },
      ]);
      for (const body of parent) {
        expect(body).not.toHaveProperty("parentRunId");
        expect(body.agent).toEqual({ name: "orchestrator", systemPrompt: "You coordinate research." });
      }

      const [childRunId, child] = [...runs].find(([runId]) => runId !== traceRunId)!;
      const subAgentSpan = spans.find(
        (span) => span.attributes["gen_ai.agent.name"] === "research-agent" || span.attributes["ai.telemetry.functionId"] === "research-agent" && span.name === "ai.generateText",
      );
      expect(childRunId).toBe(runIdForSpan(traceId, subAgentSpan.spanContext().spanId));
      expect(child.map(summarize)).toEqual([
        { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "Research: tides" } },
        {
          hookEvent: "lookup",
          event: { source: "agent", type: "tool_use", name: "lookup", toolUseId: "call_lookup", input: { q: "tides" }, model: "mock-model-id" },
        },
        {
          hookEvent: "lookup",
          event: { source: "agent", type: "tool_result", toolUseId: "call_lookup", name: "lookup", content: "tides: caused by the moon's gravity" },
        },
        { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "The moon pulls the oceans.", model: "mock-model-id" } },
        { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 23, outputTokens: 10, totalTokens: 33 } } },
      ]);
      for (const body of child) {
        expect(body.parentRunId).toBe(traceRunId);
        expect(body.agent).toEqual({ name: "research-agent", systemPrompt: "You research topics." });
      }
      // The parent's stop waits for the child's: it is the last request of all.
      expect(bodies.indexOf(child[child.length - 1])).toBeLessThan(bodies.indexOf(parent[parent.length - 1]));
      expect(bodies[bodies.length - 1]).toBe(parent[parent.length - 1]);
    });

    it("an agent inside an HTTP server span: one run, stopped when the request ends, identity from the request", async () => {
      const { bodies, spans } = await capture(attachment, (provider) => agentInHttpSpan(convention, provider));
      const traceId = spans[0].spanContext().traceId;
      expect(new Set(bodies.map((body) => body.runId))).toEqual(new Set([runIdForTrace(traceId)]));
      expect(bodies.map((body) => body.hookEvent)).toEqual([
        "user_prompt",
        "assistant_message",
        "weather",
        "weather",
        "assistant_message",
        "stop",
      ]);
      for (const body of bodies) {
        expect(body.sessionId).toBe("sess-42");
        expect(body.user).toEqual({ id: "user-7" });
      }
      const httpSpan = spans.find((span) => span.name === "POST /chat");
      const stop = bodies[bodies.length - 1].event as { timestamp: number; usage: unknown };
      const requestEnd = httpSpan.endTime[0] * 1000 + httpSpan.endTime[1] / 1e6;
      const lastEvent = (bodies[bodies.length - 2].event as { timestamp: number }).timestamp;
      // The stop is stamped when the request ended, but never before the run's last event. (Span clocks can put
      // that event after the request's end: a span's end is its start's wall clock plus a monotonic duration, and
      // on a loaded machine the two drift apart by milliseconds.)
      expect(stop.timestamp).toBe(Math.max(Math.round(requestEnd), lastEvent));
      expect(stop.usage).toEqual({ inputTokens: 30, outputTokens: 12, totalTokens: 42 });
    });
  });
});

describe.each(ATTACHMENTS)("a trace with no AI (%s)", (attachment) => {
  it("sends nothing", async () => {
    const { bodies, stats } = await capture(attachment, (provider) => requestWithoutAi(provider));
    expect(bodies).toEqual([]);
    expect(stats.spansSeen).toBe(2);
    expect(stats.eventsQueued).toBe(0);
  });
});

describe.each<AiConvention>(["genai", "legacy"])("exporter and processor (%s spans)", (convention) => {
  it.each([
    ["the weather agent", weatherAgent],
    ["a sub-agent", orchestratorWithSubAgent],
    ["an agent in an HTTP span", agentInHttpSpan],
  ] as const)("send identical requests for %s, run by run", async (_name, scenario) => {
    const { exporter, processor } = await captureSideBySide((provider) => scenario(convention, provider));
    expect(exporter.length).toBeGreaterThan(0);
    expect(runsOf(processor)).toEqual(runsOf(exporter));
  });
});
