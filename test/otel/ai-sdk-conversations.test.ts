/**
 * Conversations beyond one tool call, from real AI SDK 7 traces in both
 * conventions: history not replayed, streaming, reasoning, images, failing
 * tools, remote parents, several agents in one request.
 */
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { runIdForTrace } from "../../src/otel/index.js";
import {
  reasoningImageAndToolError,
  secondTurn,
  streamingAgent,
  weatherAgent,
  type AiConvention,
} from "../support/ai-scenarios.js";
import { ATTACHMENTS, capture, summarize } from "../support/bridge-harness.js";

describe.each<AiConvention>(["genai", "legacy"])("AI SDK 7 conversations (%s spans)", (convention) => {
  it.each(ATTACHMENTS)("a second turn sends only the new message, not the history (%s)", async (attachment) => {
    const { bodies } = await capture(attachment, (provider) => secondTurn(convention, provider));
    expect(bodies.map(summarize)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "And now?" } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Still sunny.", model: "mock-model-id" } },
      { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 40, outputTokens: 3, totalTokens: 43 } } },
    ]);
  });

  it.each(ATTACHMENTS)("reasoning, an image and a failing tool (%s)", async (attachment) => {
    const { bodies } = await capture(attachment, (provider) => reasoningImageAndToolError(convention, provider));
    expect(bodies.map(summarize)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "Check this photo." } },
      {
        hookEvent: "user_prompt",
        event: { source: "user", type: "image", image: { source: "base64", data: "iVBORw0KGgo=", mediaType: "image/png" } },
      },
      {
        hookEvent: "assistant_thinking",
        event: { source: "agent", type: "thinking", thinking: "The user wants the photo checked.", model: "mock-model-id" },
      },
      {
        hookEvent: "scan",
        event: { source: "agent", type: "tool_use", name: "scan", toolUseId: "call_scan", input: { target: "photo" }, model: "mock-model-id" },
      },
      {
        hookEvent: "scan",
        event: { source: "agent", type: "tool_result", toolUseId: "call_scan", name: "scan", content: "scanner offline", isError: true },
      },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "The scan failed.", model: "mock-model-id" } },
      {
        hookEvent: "stop",
        event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 120, outputTokens: 14, totalTokens: 134 } },
      },
    ]);
  });

  it.each(ATTACHMENTS)("streamText with a tool call (%s)", async (attachment) => {
    const { bodies } = await capture(attachment, (provider) => streamingAgent(convention, provider));
    expect(bodies.map(summarize)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "Weather in Oslo?" } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Checking now.", model: "mock-model-id" } },
      {
        hookEvent: "weather",
        event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_s", input: { city: "Oslo" }, model: "mock-model-id" },
      },
      {
        hookEvent: "weather",
        event: { source: "agent", type: "tool_result", toolUseId: "call_s", name: "weather", content: '{"city":"Oslo","forecast":"snow"}' },
      },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "Snowing in Oslo.", model: "mock-model-id" } },
      { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 27, outputTokens: 9, totalTokens: 36 } } },
    ]);
  });

  it.each(ATTACHMENTS)("a local root with a remote parent joins the trace's run and sends no stop (%s)", async (attachment) => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true });
    const { bodies } = await capture(attachment, (provider) => context.with(remote, () => weatherAgent(convention, provider)), {
      holdTimeoutMs: 200,
    });
    expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "weather", "weather", "assistant_message"]);
    expect(new Set(bodies.map((body) => body.runId))).toEqual(new Set([runIdForTrace(traceId)]));
  });

  it.each(ATTACHMENTS)("two agents in one request share the trace's run; usage adds up their totals (%s)", async (attachment) => {
    const { bodies } = await capture(attachment, async (provider) => {
      const tracer = provider.getTracer("http");
      await tracer.startActiveSpan("POST /twice", { kind: SpanKind.SERVER }, async (span) => {
        await weatherAgent(convention, provider);
        await secondTurn(convention, provider);
        span.end();
      });
    });
    expect(new Set(bodies.map((body) => body.runId)).size).toBe(1);
    expect(bodies.map(summarize).map((item) => item.hookEvent)).toEqual([
      "user_prompt",
      "assistant_message",
      "weather",
      "weather",
      "assistant_message",
      // The second agent's history was already sent by the first: only its new message goes.
      "user_prompt",
      "assistant_message",
      "stop",
    ]);
    expect(bodies.at(-1)?.event).toMatchObject({ usage: { inputTokens: 70, outputTokens: 15, totalTokens: 85 } });
  });
});
