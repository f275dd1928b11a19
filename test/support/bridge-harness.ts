/**
 * Runs a scenario through a real provider with the bridge attached (as an
 * exporter behind a simple or batch processor, or as a processor), against
 * the strict local receiver, and returns what the receiver accepted.
 */
import { expect } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { PermisoSpanExporter, PermisoSpanProcessor, type PermisoBridgeOptions } from "../../src/otel/index.js";
import { toSpanView } from "../../src/otel/span-view.js";
import { BatchSpanProcessor, createProvider, InMemorySpanExporter, SimpleSpanProcessor, type TestProvider } from "./otel-sdk.js";
import { RecordingProcessor, type Recording } from "./recorded-runs.js";

export type Attachment = "exporter+simple" | "exporter+batch" | "processor";
export const ATTACHMENTS: Attachment[] = ["exporter+simple", "exporter+batch", "processor"];

export interface Captured {
  bodies: HookBody[];
  server: DevServer;
  stats: ReturnType<PermisoSpanExporter["getStats"]>;
  /** Every span the scenario produced, from a second, in-memory exporter. */
  spans: any[];
}

export async function capture(
  attachment: Attachment,
  scenario: (provider: TestProvider) => Promise<unknown>,
  options: PermisoBridgeOptions = {},
): Promise<Captured> {
  const server = await startDevServer({ port: 0 });
  const bridgeOptions = { apiKey: "test-key", baseUrl: server.url, ...options };
  const bridge = attachment === "processor" ? new PermisoSpanProcessor(bridgeOptions) : new PermisoSpanExporter(bridgeOptions);
  const processor =
    bridge instanceof PermisoSpanProcessor
      ? bridge
      : attachment === "exporter+batch"
        ? new BatchSpanProcessor(bridge as never, { scheduledDelayMillis: 20, maxExportBatchSize: 4 })
        : new SimpleSpanProcessor(bridge as never);
  const memory = new InMemorySpanExporter();
  const provider = createProvider([processor as never, new SimpleSpanProcessor(memory) as never]);
  try {
    await scenario(provider);
    await provider.forceFlush();
    if (bridge instanceof PermisoSpanExporter) await bridge.forceFlush();
    const stats = bridge.getStats();
    const spans = memory.getFinishedSpans();
    await provider.shutdown();
    expectNoRejections(server);
    return { bodies: server.store.events().map((e) => e.body), server, stats, spans };
  } finally {
    await server.close();
  }
}

function expectNoRejections(server: DevServer): void {
  if (server.rejected.length > 0) {
    throw new Error(`receiver rejected ${server.rejected.length} request(s): ${JSON.stringify(server.rejected[0])}`);
  }
}

/** The parts of a body a test compares: ids and timestamps vary, the rest must not. */
export function summarize(body: HookBody) {
  const { eventId: _eventId, timestamp: _timestamp, ...event } = body.event as Record<string, unknown>;
  return { hookEvent: body.hookEvent, event };
}

/**
 * The same spans through an exporter (behind a batch processor) and a
 * processor at once, each with its own receiver: what each one sent.
 */
export async function captureSideBySide(
  scenario: (provider: TestProvider) => Promise<unknown>,
  options: PermisoBridgeOptions = {},
): Promise<{ exporter: HookBody[]; processor: HookBody[]; spans: any[]; recording: Recording }> {
  const [exporterServer, processorServer] = await Promise.all([startDevServer({ port: 0 }), startDevServer({ port: 0 })]);
  try {
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: exporterServer.url, ...options });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: processorServer.url, ...options });
    const batch = new BatchSpanProcessor(exporter as never, { scheduledDelayMillis: 20, maxExportBatchSize: 3 });
    const memory = new InMemorySpanExporter();
    const recording = new RecordingProcessor();
    const provider = createProvider([batch as never, processor as never, new SimpleSpanProcessor(memory) as never, recording]);
    await scenario(provider);
    await provider.forceFlush();
    await exporter.forceFlush();
    const spans = memory.getFinishedSpans();
    await provider.shutdown();
    expectNoRejections(exporterServer);
    expectNoRejections(processorServer);
    return {
      exporter: exporterServer.store.events().map((e) => e.body),
      processor: processorServer.store.events().map((e) => e.body),
      spans,
      recording: { order: recording.order, spans: recording.spans },
    };
  } finally {
    await Promise.all([exporterServer.close(), processorServer.close()]);
  }
}

/**
 * For frameworks that run their own span processor around the exporter they
 * are given (Mastra's `OtelExporter`): the scenario hands `exporter` to the
 * framework and flushes it its own way.
 */
export async function captureThroughExporter(
  scenario: (exporter: SpanExporterLike) => Promise<unknown>,
  options: PermisoBridgeOptions = {},
): Promise<Omit<Captured, "server"> & { recording: Recording }> {
  const server = await startDevServer({ port: 0 });
  try {
    const bridge = new PermisoSpanExporter({ apiKey: "test-key", baseUrl: server.url, ...options });
    const spans: any[] = [];
    // The bridge under test sees every batch; the spans are kept for the test (seen only at their end).
    const recording: Recording = { order: [], spans: {} };
    const tee: SpanExporterLike = {
      export(batch, done) {
        spans.push(...batch);
        for (const span of batch) {
          const view = toSpanView(span);
          recording.order.push(["end", view.spanId]);
          recording.spans[view.spanId] = { span: view, startAttributes: {} };
        }
        bridge.export(batch as never, done);
      },
      forceFlush: () => bridge.forceFlush(),
      shutdown: () => bridge.shutdown(),
    };
    await scenario(tee);
    await bridge.forceFlush();
    const stats = bridge.getStats();
    await bridge.shutdown();
    expectNoRejections(server);
    return { bodies: server.store.events().map((e) => e.body), stats, spans, recording };
  } finally {
    await server.close();
  }
}

export interface SpanExporterLike {
  export(spans: any[], resultCallback: (result: { code: number; error?: Error }) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * What every run must satisfy whatever produced it: each user prompt once,
 * each tool use once and before its result, one stop and last, unique ids.
 */
export function expectWellFormedRun(bodies: HookBody[]): void {
  const events = bodies.map((body) => body.event as Record<string, unknown>);
  const prompts = events.filter((event) => event.source === "user" && event.type === "text");
  expect(new Set(prompts.map((event) => event.text)).size, "each user prompt is sent once").toBe(prompts.length);

  const toolUses = new Map<unknown, number>();
  events.forEach((event, index) => {
    if (event.type === "tool_use") {
      expect(toolUses.has(event.toolUseId), `tool_use ${String(event.toolUseId)} sent once`).toBe(false);
      toolUses.set(event.toolUseId, index);
    }
    if (event.type === "tool_result") {
      expect(toolUses.get(event.toolUseId), `tool_use ${String(event.toolUseId)} precedes its result`).toBeLessThan(index);
    }
  });

  const stops = events.filter((event) => event.source === "stop");
  expect(stops, "one stop").toHaveLength(1);
  expect(events[events.length - 1], "the stop comes last").toBe(stops[0]);

  const ids = events.map((event) => event.eventId);
  expect(new Set(ids).size, "event ids are unique").toBe(ids.length);
}

/** Requests grouped by run, in arrival order within each run; `clientSentAtMs` removed. */
export function runsOf(bodies: HookBody[]): Map<string, Array<Omit<HookBody, "clientSentAtMs">>> {
  const runs = new Map<string, Array<Omit<HookBody, "clientSentAtMs">>>();
  for (const { clientSentAtMs: _sent, ...body } of bodies) runs.set(body.runId, [...(runs.get(body.runId) ?? []), body]);
  return runs;
}
