/**
 * What the README promises about ids, identity, refused keys and the
 * exporter's own requests, each checked on real AI SDK runs through the real
 * OpenTelemetry SDK.
 */
import { createRequire } from "node:module";
import { context, diag, DiagLogLevel, trace } from "@opentelemetry/api";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter, PermisoSpanProcessor, runIdForTrace } from "../../src/otel/index.js";
import { LegacyOpenTelemetry, OpenTelemetry } from "@ai-sdk/otel";
import { generateText } from "ai";
import { weatherAgent, weatherModel, type AiConvention } from "../support/ai-scenarios.js";
import { capture } from "../support/bridge-harness.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";

describe("eventId formats", () => {
  it("<runId>:<spanId>:<slot> for content, <runId>:tool_use|tool_result:<toolUseId> for tools, <runId>:stop", async () => {
    const { bodies, spans } = await capture("processor", (provider) => weatherAgent("genai", provider));
    const runId = runIdForTrace(spans[0].spanContext().traceId);
    const chatSpans = spans.filter((span) => span.name.startsWith("chat")).map((span) => span.spanContext().spanId);
    const ids = bodies.map((body) => (body.event as { eventId: string }).eventId);
    expect(ids).toEqual([
      `${runId}:${chatSpans[0]}:i0.0`,
      `${runId}:${chatSpans[0]}:o0.0`,
      `${runId}:tool_use:call_1`,
      `${runId}:tool_result:call_1`,
      `${runId}:${chatSpans[1]}:o0.0`,
      `${runId}:stop`,
    ]);
  });
});

describe("identity from spans", () => {
  it("reads enduser.id, user.email, user.full_name and gen_ai.conversation.id, the nearest span first", async () => {
    const { bodies } = await capture("exporter+batch", async (provider) => {
      const request = provider.tracer.startSpan("POST /chat", {
        attributes: {
          "enduser.id": "outer-user",
          "user.email": "ada@example.com",
          "user.full_name": "Ada Lovelace",
          "gen_ai.conversation.id": "outer-conversation",
        },
      });
      await context.with(trace.setSpan(context.active(), request), async () => {
        const handler = provider.tracer.startSpan("handle turn", {
          attributes: { "enduser.id": "inner-user", "gen_ai.conversation.id": "conversation-7" },
        });
        await context.with(trace.setSpan(context.active(), handler), () => weatherAgent("genai", provider));
        handler.end();
      });
      request.end();
    });
    expect(bodies).toHaveLength(6);
    for (const body of bodies) {
      expect(body.user).toEqual({ id: "inner-user", email: "ada@example.com", name: "Ada Lovelace" });
      expect(body.sessionId).toBe("conversation-7");
    }
  });
});

describe.each<AiConvention>(["genai", "legacy"])("identity from the AI SDK's runtime context (%s spans)", (convention) => {
  it("reads runtimeContext.sessionId and .userId when the telemetry includes them", async () => {
    const { bodies } = await capture("processor", async (provider) => {
      const integration =
        convention === "genai"
          ? new OpenTelemetry({ tracer: provider.getTracer("gen_ai"), runtimeContext: true })
          : new LegacyOpenTelemetry({ tracer: provider.getTracer("ai") });
      await generateText({
        model: weatherModel(),
        prompt: "What is the weather in Paris?",
        runtimeContext: { sessionId: "conversation-12", userId: "customer-9" },
        telemetry: { functionId: "weather-agent", includeRuntimeContext: { sessionId: true, userId: true }, integrations: [integration] },
      });
    });
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.sessionId).toBe("conversation-12");
      expect(body.user).toEqual({ id: "customer-9" });
    }
  });
});

describe("refused keys", () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    const log = (level: string) => (...args: unknown[]) => lines.push(`${level} ${args.join(" ")}`);
    diag.setLogger(
      { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), verbose: log("verbose") },
      { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
    );
  });
  afterEach(() => diag.disable());

  it("a 403 is reported once, as a configuration problem, like a 401", async () => {
    const server = await startDevServer({ port: 0, intercept: () => ({ status: 403, body: '{"error":"Forbidden"}' }) });
    try {
      const memory = new InMemorySpanExporter();
      const recording = createProvider([new SimpleSpanProcessor(memory) as never]);
      await weatherAgent("genai", recording);
      await weatherAgent("genai", recording);
      const exporter = new PermisoSpanExporter({ apiKey: "forbidden-key", baseUrl: server.url });
      await new Promise((done) => exporter.export(memory.getFinishedSpans(), done));
      await exporter.shutdown();
      await recording.shutdown();
      expect(lines.filter((line) => line.startsWith("error"))).toEqual([
        "error @permiso-io/custom-hooks-sdk Permiso refused the API key (HTTP 403): check apiKey / PERMISO_API_KEY. Events are not being delivered.",
      ]);
      expect(exporter.getStats().eventsFailed).toBe(12);
      expect(lines.join("\n")).not.toContain("forbidden-key");
    } finally {
      await server.close();
    }
  });
});

describe("the exporter's own requests", () => {
  let server: DevServer;
  afterEach(async () => server?.close());

  it("are not traced, even with HTTP instrumentation loaded and the export run outside the SDK's suppression", async () => {
    const instrumentation = new HttpInstrumentation();
    const unregister = registerInstrumentations({ instrumentations: [instrumentation] });
    try {
      server = await startDevServer({ port: 0 });
      const memory = new InMemorySpanExporter();
      const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
      trace.setGlobalTracerProvider(provider as never);
      // Sanity: the instrumentation traces an ordinary request.
      const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");
      await new Promise<void>((done) => http.get(`${server.url}/api/runs`, (response) => response.resume().on("end", done)));
      await provider.forceFlush();
      expect(memory.getFinishedSpans().some((span) => span.kind === 2)).toBe(true);

      const agentSpans = new InMemorySpanExporter();
      const recording = createProvider([new SimpleSpanProcessor(agentSpans) as never]);
      await weatherAgent("genai", recording);
      memory.reset();
      // Called directly, with no suppressing processor around it.
      const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
      await new Promise((done) => exporter.export(agentSpans.getFinishedSpans(), done));
      await exporter.shutdown();
      await provider.forceFlush();
      expect(server.store.events()).toHaveLength(6);
      // The receiver runs in this process, so its SERVER spans exist; no CLIENT span may.
      expect(memory.getFinishedSpans().filter((span) => span.kind === 2).map((span) => span.name)).toEqual([]);
      expect(memory.getFinishedSpans().filter((span) => span.kind === 1)).toHaveLength(6);
      await recording.shutdown();
      await provider.shutdown();
    } finally {
      unregister();
      instrumentation.disable();
      trace.disable();
    }
  });
});

/** What a span says, as plain data: any change the bridge made to it shows as a difference. */
function spanData(span: any): unknown {
  return structuredClone({
    name: span.name,
    kind: span.kind,
    spanContext: span.spanContext(),
    parent: span.parentSpanContext ?? span.parentSpanId,
    startTime: span.startTime,
    endTime: span.endTime,
    ended: span.ended,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    resource: span.resource.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
  });
}

describe("spans handed to the bridge", () => {
  let server: DevServer;
  afterEach(async () => server?.close());

  it("leave every span as the SDK made it, exporter and processor alike", async () => {
    server = await startDevServer({ port: 0 });

    // The exporter: finished spans, handed over as a BatchSpanProcessor would.
    const memory = new InMemorySpanExporter();
    const recording = createProvider([new SimpleSpanProcessor(memory) as never]);
    await weatherAgent("genai", recording);
    const spans = memory.getFinishedSpans();
    const before = spans.map(spanData);
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url });
    await new Promise((done) => exporter.export(spans, done));
    await exporter.shutdown();
    expect(server.store.events()).toHaveLength(6);
    expect(spans.map(spanData)).toEqual(before);

    // The processor: each span as it ends, seen first by a processor that copies it.
    const seen: Array<{ span: any; data: unknown }> = [];
    const copier = { onStart() {}, onEnd: (span: any) => seen.push({ span, data: spanData(span) }), forceFlush: async () => {}, shutdown: async () => {} };
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
    const provider = createProvider([copier as never, processor as never]);
    await weatherAgent("genai", provider);
    await provider.forceFlush();
    expect(server.store.events()).toHaveLength(12);
    expect(seen.length).toBe(spans.length);
    expect(seen.map(({ span }) => spanData(span))).toEqual(seen.map(({ data }) => data));
    await provider.shutdown();
    await recording.shutdown();
  });
});
