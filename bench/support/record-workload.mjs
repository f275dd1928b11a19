/**
 * Records the span workload every benchmark replays: real AI SDK 7 agent
 * runs (mock models, real `generateText`/`streamText`, real `@ai-sdk/otel`
 * GenAI telemetry on a real sdk-trace-base 2.x provider), captured once as
 * plain data: each span's final state, its attributes as they were when it
 * started, and the exact order of every start and end.
 *
 * Recording once and replaying the same data means every pipeline in every
 * round sees byte-identical spans, and no benchmark pays for (or is slowed
 * by) the AI SDK itself.
 *
 * Usage: node bench/support/record-workload.mjs [out.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { OpenTelemetry } from "@ai-sdk/otel";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { generateText, isStepCount, streamText, tool } from "ai";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { z } from "zod";
import { RESULTS_DIR } from "./harness.mjs";

const usage = (input, output) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

function scriptedModel(steps) {
  return new MockLanguageModelV4({
    doGenerate: steps.map((step) => ({
      content: step.content,
      finishReason: { unified: step.finish, raw: step.finish },
      usage: usage(step.input, step.output),
      warnings: [],
    })),
  });
}

const weatherTool = (forecast) =>
  tool({
    description: "Current weather for a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, forecast }),
  });

/** The agents users write; only the model's answers are scripted. */
const SCENARIOS = {
  /** One agent, one tool call, two model calls. */
  async weatherAgent(telemetry) {
    const model = scriptedModel([
      {
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool-call", toolCallId: "call_1", toolName: "weather", input: JSON.stringify({ city: "Paris" }) },
        ],
        finish: "tool-calls",
        input: 10,
        output: 5,
      },
      { content: [{ type: "text", text: "It is sunny in Paris." }], finish: "stop", input: 20, output: 7 },
    ]);
    await generateText({
      model,
      system: "You are a weather bot.",
      prompt: "What is the weather in Paris?",
      tools: { weather: weatherTool("sunny") },
      stopWhen: isStepCount(5),
      telemetry: telemetry("weather-agent"),
    });
  },

  /** An orchestrator whose tool runs a sub-agent with a tool of its own. */
  async orchestratorWithSubAgent(telemetry) {
    const orchestrator = scriptedModel([
      {
        content: [{ type: "tool-call", toolCallId: "call_research", toolName: "research", input: JSON.stringify({ topic: "tides" }) }],
        finish: "tool-calls",
        input: 12,
        output: 6,
      },
      { content: [{ type: "text", text: "Tides follow the moon." }], finish: "stop", input: 30, output: 9 },
    ]);
    const researcher = scriptedModel([
      {
        content: [{ type: "tool-call", toolCallId: "call_lookup", toolName: "lookup", input: JSON.stringify({ q: "tides" }) }],
        finish: "tool-calls",
        input: 8,
        output: 4,
      },
      { content: [{ type: "text", text: "The moon pulls the oceans." }], finish: "stop", input: 15, output: 6 },
    ]);
    await generateText({
      model: orchestrator,
      system: "You coordinate research.",
      prompt: "Why are there tides?",
      tools: {
        research: tool({
          description: "Ask the research agent",
          inputSchema: z.object({ topic: z.string() }),
          execute: async ({ topic }) => {
            const sub = await generateText({
              model: researcher,
              system: "You research topics.",
              prompt: `Research: ${topic}`,
              tools: {
                lookup: tool({
                  description: "Encyclopedia lookup",
                  inputSchema: z.object({ q: z.string() }),
                  execute: async ({ q }) => `${q}: caused by the moon's gravity`,
                }),
              },
              stopWhen: isStepCount(5),
              telemetry: telemetry("research-agent"),
            });
            return sub.text;
          },
        }),
      },
      stopWhen: isStepCount(5),
      telemetry: telemetry("orchestrator"),
    });
  },

  /** A follow-up turn: the prompt carries the earlier conversation. */
  async secondTurn(telemetry) {
    const model = scriptedModel([{ content: [{ type: "text", text: "Still sunny." }], finish: "stop", input: 40, output: 3 }]);
    await generateText({
      model,
      system: "You are a weather bot.",
      messages: [
        { role: "user", content: "What is the weather in Paris?" },
        { role: "assistant", content: "It is sunny in Paris." },
        { role: "user", content: "And now?" },
      ],
      telemetry: telemetry("weather-agent"),
    });
  },

  /** streamText with a tool call, consumed to the end. */
  async streamingAgent(telemetry) {
    const finish = (unified, input, output) => ({ type: "finish", finishReason: { unified, raw: unified }, usage: usage(input, output) });
    const streams = [
      [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t1" },
        { type: "text-delta", id: "t1", delta: "Checking " },
        { type: "text-delta", id: "t1", delta: "now." },
        { type: "text-end", id: "t1" },
        { type: "tool-call", toolCallId: "call_s", toolName: "weather", input: JSON.stringify({ city: "Oslo" }) },
        finish("tool-calls", 9, 4),
      ],
      [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t2" },
        { type: "text-delta", id: "t2", delta: "Snowing in Oslo." },
        { type: "text-end", id: "t2" },
        finish("stop", 18, 5),
      ],
    ];
    let call = 0;
    const model = new MockLanguageModelV4({ doStream: async () => ({ stream: convertArrayToReadableStream(streams[call++]) }) });
    const result = streamText({
      model,
      prompt: "Weather in Oslo?",
      tools: { weather: weatherTool("snow") },
      stopWhen: isStepCount(5),
      telemetry: telemetry("stream-agent"),
    });
    await result.text;
  },
};

/** Notes every start and end, in order, with the attributes a span had when it started. */
class RecordingProcessor {
  order = [];
  started = new Map();
  onStart(span) {
    this.started.set(span, { ...span.attributes });
    this.order.push(["start", span]);
  }
  onEnd(span) {
    this.order.push(["end", span]);
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

function toTemplate(span, startAttributes) {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    startAttributes,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, time: e.time, attributes: e.attributes ?? {} })),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version, schemaUrl: span.instrumentationScope.schemaUrl },
  };
}

export async function recordWorkload() {
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  const traces = [];
  let resourceAttributes;
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const recorder = new RecordingProcessor();
    const provider = new BasicTracerProvider({ spanProcessors: [recorder] });
    const integration = new OpenTelemetry({ tracer: provider.getTracer("gen_ai") });
    await scenario((functionId) => ({ functionId, integrations: [integration] }));
    await provider.shutdown();
    const spans = [...recorder.started.keys()];
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    if (traceIds.size !== 1) throw new Error(`${name}: expected one trace, got ${traceIds.size}`);
    if (recorder.order.filter(([op]) => op === "end").length !== spans.length) throw new Error(`${name}: a span never ended`);
    resourceAttributes ??= spans[0].resource.attributes;
    const index = new Map(spans.map((s, i) => [s, i]));
    traces.push({
      name,
      spans: spans.map((s) => toTemplate(s, recorder.started.get(s))),
      ops: recorder.order.map(([op, span]) => [op === "start" ? 1 : 0, index.get(span)]),
    });
  }
  manager.disable();
  return { recordedWith: "ai@7 + @ai-sdk/otel OpenTelemetry (GenAI convention), sdk-trace-base 2.x", resourceAttributes, traces };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? join(RESULTS_DIR, "workload.json");
  const workload = await recordWorkload();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(workload));
  for (const t of workload.traces) process.stderr.write(`recorded ${t.name}: ${t.spans.length} spans\n`);
}
