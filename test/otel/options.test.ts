/**
 * The bridge's options, each checked on what the strict receiver accepts:
 * content capture, mask, field limits, span filter, pricing and identity.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import type { HookBody } from "../../src/protocol/body.js";
import { CONTENT_NOT_CAPTURED, isDefaultExportSpan, MASK_FAILED } from "../../src/otel/index.js";
import { startDevServer } from "../../src/dev-server/index.js";
import { PermisoSpanProcessor } from "../../src/otel/index.js";
import { agentInHttpSpan, reasoningImageAndToolError, WEATHER_EVENT_KINDS, weatherAgent } from "../support/ai-scenarios.js";
import { capture, summarize } from "../support/bridge-harness.js";
import { createProvider } from "../support/otel-sdk.js";
import { waitFor } from "../support/wait-for.js";

const events = (bodies: HookBody[]) => bodies.map((body) => body.event as Record<string, unknown>);

describe("captureContent: false", () => {
  it("keeps the run's shape without its content", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), { captureContent: false });
    expect(bodies.map(summarize)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: CONTENT_NOT_CAPTURED } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: CONTENT_NOT_CAPTURED, model: "mock-model-id" } },
      { hookEvent: "weather", event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", model: "mock-model-id" } },
      { hookEvent: "weather", event: { source: "agent", type: "tool_result", toolUseId: "call_1", name: "weather" } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: CONTENT_NOT_CAPTURED, model: "mock-model-id" } },
      { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } } },
    ]);
    for (const body of bodies) expect(body.agent).toEqual({ name: "weather-agent" });
    expect(JSON.stringify(bodies)).not.toContain("Paris");
  });
});

describe("captureContent: false, on reasoning, an image and a tool's error", () => {
  it("sends no reasoning, image, tool input or output, and keeps the events that carry no content", async () => {
    const { bodies, stats } = await capture("processor", (provider) => reasoningImageAndToolError("genai", provider), { captureContent: false });
    expect(bodies.map(summarize)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: CONTENT_NOT_CAPTURED } },
      { hookEvent: "assistant_thinking", event: { source: "agent", type: "thinking", thinking: CONTENT_NOT_CAPTURED, model: "mock-model-id" } },
      { hookEvent: "scan", event: { source: "agent", type: "tool_use", name: "scan", toolUseId: "call_scan", model: "mock-model-id" } },
      { hookEvent: "scan", event: { source: "agent", type: "tool_result", toolUseId: "call_scan", name: "scan", isError: true } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: CONTENT_NOT_CAPTURED, model: "mock-model-id" } },
      { hookEvent: "stop", event: { source: "stop", stopReason: "end_turn", usage: { inputTokens: 120, outputTokens: 14, totalTokens: 134 } } },
    ]);
    // The image is content and nothing else: withheld, and counted.
    expect(stats.eventsWithheld).toBe(1);
    expect(JSON.stringify(bodies)).not.toMatch(/photo|iVBOR|offline/);
  });
});

describe("mask", () => {
  it("sees each body after truncation", async () => {
    const seen: string[] = [];
    await capture("processor", (provider) => weatherAgent("genai", provider), {
      maxFieldLength: 25,
      mask: (body) => {
        if (body.hookEvent === "user_prompt") seen.push(String(body.event.text));
        return body;
      },
    });
    expect(seen).toEqual(["What…[truncated 25 chars]"]);
  });

  it("sees each final body, may change it or drop it, and may be async", async () => {
    const seen: string[] = [];
    const { bodies } = await capture("exporter+batch", (provider) => weatherAgent("legacy", provider), {
      mask: async (body) => {
        seen.push(body.hookEvent);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (body.event.type === "tool_result") return null;
        if (body.event.type === "text") return { ...body, event: { ...body.event, text: String(body.event.text).replace(/Paris/g, "[city]") } };
        return body;
      },
    });
    expect(seen).toEqual(["user_prompt", "assistant_message", "weather", "weather", "assistant_message", "stop"]);
    expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "weather", "assistant_message", "stop"]);
    expect(events(bodies)[0].text).toBe("What is the weather in [city]?");
    expect(events(bodies)[3].text).toBe("It is sunny in [city].");
  });

  it("fails closed when it throws: content redacted, never sent unmasked", async () => {
    const { bodies, stats } = await capture("processor", (provider) => weatherAgent("genai", provider), {
      mask: (body) => {
        if (body.hookEvent !== "stop") throw new Error("mask bug");
        return body;
      },
    });
    expect(bodies.map(summarize).slice(0, 4)).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: MASK_FAILED } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: MASK_FAILED, model: "mock-model-id" } },
      { hookEvent: "weather", event: { source: "agent", type: "tool_use", name: "weather", toolUseId: "call_1", model: "mock-model-id" } },
      { hookEvent: "weather", event: { source: "agent", type: "tool_result", toolUseId: "call_1", name: "weather" } },
    ]);
    const masked = JSON.stringify(bodies.slice(0, -1));
    expect(masked).not.toContain("Paris");
    expect(masked).not.toContain("weather bot");
    expect(stats.maskFailures).toBe(5);
  });

  it("fails closed when it returns an invalid body", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), {
      mask: (body) => ({ ...body, event: { ...body.event, secret: "leak" } }),
    });
    expect(bodies).toHaveLength(6);
    expect(events(bodies)[0]).toMatchObject({ text: MASK_FAILED });
    expect(JSON.stringify(bodies)).not.toContain("leak");
  });
});

describe("maxFieldLength", () => {
  it("truncates content fields with a visible marker and keeps JSON valid", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), { maxFieldLength: 12 });
    const [prompt, , toolUse, toolResult] = events(bodies);
    // The marker alone is longer than 12 characters, so nothing of the text is left.
    expect(prompt.text).toBe("…[truncated 29 chars]");
    // An oversized tool input becomes truncated JSON text, still a valid JSON value.
    expect(toolUse.input).toBe("…[truncated 16 chars]");
    expect(String(toolResult.content)).toMatch(/\[truncated \d+ chars\]$/);
    expect(bodies[0].agent?.systemPrompt).toMatch(/\[truncated \d+ chars\]$/);
  });

  it("keeps the start of long fields", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), { maxFieldLength: 25 });
    expect(events(bodies)[0].text).toBe("What…[truncated 25 chars]");
    expect(String(events(bodies)[0].text).length).toBeLessThanOrEqual(25);
  });

  it("keeps short fields untouched", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), { maxFieldLength: 1000 });
    expect(events(bodies)[0].text).toBe("What is the weather in Paris?");
  });
});

describe("shouldExportSpan", () => {
  it("extends the exported default: filtered spans produce nothing but keep the chain", async () => {
    const { bodies } = await capture("exporter+simple", (provider) => weatherAgent("genai", provider), {
      shouldExportSpan: (span) => isDefaultExportSpan(span) && !span.name.startsWith("execute_tool"),
    });
    // The tool call is still known from the model's output; its result came only from the tool span.
    expect(bodies.map((body) => `${body.hookEvent}:${(body.event as { type?: string }).type ?? "stop"}`)).toEqual(WEATHER_EVENT_KINDS);
    // The tool_result now comes from the second call's input, which carries no name: it is remembered from the call.
    expect(events(bodies)[3]).toMatchObject({ toolUseId: "call_1", name: "weather", content: '{"city":"Paris","forecast":"sunny"}' });
  });

  it("the default exports AI spans only", async () => {
    const { spans } = await capture("processor", (provider) => agentInHttpSpan("genai", provider));
    const http = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(isDefaultExportSpan(http)).toBe(false);
    expect(spans.filter((span) => span !== http).every((span) => isDefaultExportSpan(span))).toBe(true);
  });
});

describe("transport options", () => {
  it("takes the client's timeoutMs and maxRetries", async () => {
    let attempts = 0;
    // The first request hangs; every later one is refused with a retryable 503 to be retried at once.
    const server = await startDevServer({
      port: 0,
      intercept: () => (++attempts === 1 ? { hang: true } : { status: 503, headers: { "Retry-After": "0" }, body: "busy" }),
    });
    try {
      const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url, timeoutMs: 300, maxRetries: 2, flushTimeoutMs: 10_000 });
      const provider = createProvider([processor as never]);
      await weatherAgent("genai", provider);
      await provider.forceFlush();
      // Six events, three attempts each: the hung one was cut at timeoutMs (or the flush would have ended it first).
      expect(attempts).toBe(18);
      expect(processor.getStats()).toMatchObject({ eventsQueued: 6, eventsFailed: 6, eventsDelivered: 0 });
      await provider.shutdown();
    } finally {
      await server.close();
    }
  });

  it("takes the client's maxSockets", async () => {
    let requests = 0;
    const server = await startDevServer({ port: 0, intercept: () => (requests++, { hang: true }) });
    try {
      const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url, maxSockets: 2, flushTimeoutMs: 100 });
      const provider = createProvider([processor as never]);
      // Four runs could send at once (maxConcurrentRequests is 8); two sockets carry two requests.
      await Promise.all(Array.from({ length: 4 }, () => weatherAgent("genai", provider)));
      await waitFor(() => requests === 2, "two requests");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(requests).toBe(2);
      await provider.shutdown();
    } finally {
      await server.close();
    }
  });
});

describe("pricing", () => {
  it("adds usage.cost to the stop from per-million prices", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), {
      pricing: { "mock-model-id": { input: 2, output: 10, currency: "EUR" } },
    });
    expect(events(bodies).at(-1)?.usage).toEqual({
      inputTokens: 30,
      outputTokens: 12,
      totalTokens: 42,
      cost: { inputTokensCost: 0.00006, outputTokensCost: 0.00012, cacheReadTokensCost: 0, cacheWriteTokensCost: 0, currency: "EUR" },
    });
  });

  it("omits cost when a model has no price rather than report a partial one", async () => {
    const { bodies } = await capture("processor", (provider) => weatherAgent("genai", provider), {
      pricing: { "other-model": { input: 1, output: 1 } },
    });
    expect(events(bodies).at(-1)?.usage).not.toHaveProperty("cost");
  });
});

describe("configured identity", () => {
  it("fills in what spans do not say, and never overrides what they do", async () => {
    const { bodies } = await capture("processor", (provider) => agentInHttpSpan("genai", provider), {
      agent: { name: "configured-name", id: "agent-1" },
      sessionId: "configured-session",
      user: { id: "configured-user", email: "ops@example.com" },
    });
    for (const body of bodies) {
      expect(body.agent).toEqual({ name: "weather-agent", id: "agent-1", systemPrompt: "You are a weather bot." });
      expect(body.sessionId).toBe("sess-42");
      expect(body.user).toEqual({ id: "user-7", email: "ops@example.com" });
    }
  });
});
