/**
 * Runs a scenario through a real provider with the bridge attached (as an
 * exporter behind a simple or batch processor, or as a processor), against
 * the strict local receiver, and returns what the receiver accepted.
 */
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { PermisoSpanExporter, PermisoSpanProcessor, type PermisoBridgeOptions } from "../../src/otel/index.js";
import { BatchSpanProcessor, createProvider, InMemorySpanExporter, SimpleSpanProcessor, type TestProvider } from "./otel-sdk.js";

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
): Promise<{ exporter: HookBody[]; processor: HookBody[] }> {
  const [exporterServer, processorServer] = await Promise.all([startDevServer({ port: 0 }), startDevServer({ port: 0 })]);
  try {
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: exporterServer.url, ...options });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: processorServer.url, ...options });
    const batch = new BatchSpanProcessor(exporter as never, { scheduledDelayMillis: 20, maxExportBatchSize: 3 });
    const provider = createProvider([batch as never, processor as never]);
    await scenario(provider);
    await provider.forceFlush();
    await exporter.forceFlush();
    await provider.shutdown();
    expectNoRejections(exporterServer);
    expectNoRejections(processorServer);
    return {
      exporter: exporterServer.store.events().map((e) => e.body),
      processor: processorServer.store.events().map((e) => e.body),
    };
  } finally {
    await Promise.all([exporterServer.close(), processorServer.close()]);
  }
}

/** Requests grouped by run, in arrival order within each run; `clientSentAtMs` removed. */
export function runsOf(bodies: HookBody[]): Map<string, Array<Omit<HookBody, "clientSentAtMs">>> {
  const runs = new Map<string, Array<Omit<HookBody, "clientSentAtMs">>>();
  for (const { clientSentAtMs: _sent, ...body } of bodies) runs.set(body.runId, [...(runs.get(body.runId) ?? []), body]);
  return runs;
}
