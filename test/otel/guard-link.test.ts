/**
 * The processor's link for a tool guard, with the real AI SDK: from inside a
 * tool about to run, the active span's run and context; and the `tool_use`
 * a guard reports itself is never sent again by the processor.
 */
import { trace } from "@opentelemetry/api";
import { generateText, isStepCount, tool } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { startDevServer } from "../../src/dev-server/index.js";
import { GUARD_LINK_VERSION, guardLinkOf, toolUseEventId, type LinkedRun } from "../../src/otel/guard-link.js";
import { PermisoSpanExporter, PermisoSpanProcessor, runIdForTrace } from "../../src/otel/index.js";
import { integrationFor, weatherModel, type AiConvention } from "../support/ai-scenarios.js";
import { summarize } from "../support/bridge-harness.js";
import { createProvider } from "../support/otel-sdk.js";

describe("the guard link", () => {
  it("is carried by the processor only, typed, and off its enumerable surface", async () => {
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: "http://127.0.0.1:9" });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: "http://127.0.0.1:9" });
    expect(guardLinkOf(processor)?.version).toBe(GUARD_LINK_VERSION);
    expect(Object.keys(processor)).toEqual([]);
    expect(guardLinkOf(exporter)).toBeUndefined();
    expect(guardLinkOf({})).toBeUndefined();
    expect(guardLinkOf(null)).toBeUndefined();
    await Promise.all([processor.shutdown(), exporter.shutdown()]);
  });
});

/** The weather agent, whose tool asks the link (as a guard would) before it runs. */
async function guardedWeatherAgent(convention: AiConvention, processor: PermisoSpanProcessor, reportToolUse: boolean) {
  const link = guardLinkOf(processor)!;
  const provider = createProvider([processor as never]);
  const seen: Array<{ linked: LinkedRun | undefined; traceId: string }> = [];
  await generateText({
    model: weatherModel(),
    system: "You are a weather bot.",
    prompt: "What is the weather in Paris?",
    tools: {
      weather: tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }, { toolCallId }) => {
          const active = trace.getActiveSpan()!.spanContext();
          const linked = link.runOfSpan(active.traceId, active.spanId);
          seen.push({ linked, traceId: active.traceId });
          if (reportToolUse && linked) link.markToolUseReported(linked.runId, toolCallId);
          return { city, forecast: "sunny" };
        },
      }),
    },
    stopWhen: isStepCount(5),
    telemetry: { functionId: "weather-agent", integrations: [integrationFor(convention, provider)] },
  });
  await provider.forceFlush();
  await provider.shutdown();
  return seen;
}

describe.each<AiConvention>(["genai", "legacy"])("with AI SDK 7 (%s spans)", (convention) => {
  it("gives the active span's run and context, and leaves a reported tool_use to the guard", async () => {
    const server = await startDevServer({ port: 0 });
    try {
      const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url, sessionId: "s-1" });
      guardLinkOf(processor)!.deferToolUses();
      const [{ linked, traceId }] = await guardedWeatherAgent(convention, processor, true);
      const runId = runIdForTrace(traceId);
      expect(linked).toEqual({ runId, agent: { name: "weather-agent", systemPrompt: "You are a weather bot." }, sessionId: "s-1" });
      const bodies = server.store.events().map((event) => event.body);
      expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "weather", "assistant_message", "stop"]);
      expect(summarize(bodies[2]).event).toMatchObject({ type: "tool_result", toolUseId: "call_1" });
      expect(bodies.some((body) => (body.event as { eventId?: string }).eventId === toolUseEventId(runId, "call_1"))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("still sends a tool_use the guard did not report, before its result", async () => {
    const server = await startDevServer({ port: 0 });
    try {
      const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
      guardLinkOf(processor)!.deferToolUses();
      const [{ traceId }] = await guardedWeatherAgent(convention, processor, false);
      const bodies = server.store.events().map((event) => event.body);
      expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "weather", "weather", "assistant_message", "stop"]);
      expect(bodies[2].event).toMatchObject({ type: "tool_use", eventId: toolUseEventId(runIdForTrace(traceId), "call_1") });
    } finally {
      await server.close();
    }
  });
});
