/**
 * The gateway against the in-process exporter: the same spans, once through
 * `PermisoSpanExporter` and once through a real OTLP exporter (http/json,
 * http/protobuf with gzip, gRPC) into the gateway, produce exactly the same
 * hook requests (apart from `clientSentAtMs`). Small export batches split
 * every trace across requests, children first, the root last.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import { PermisoSpanExporter } from "../../src/otel/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { orchestratorWithSubAgent, reasoningImageAndToolError, secondTurn, streamingAgent, weatherAgent } from "../support/ai-scenarios.js";
import { runsOf } from "../support/bridge-harness.js";
import { BatchSpanProcessor, createProvider, type TestProvider } from "../support/otel-sdk.js";
import { OTLP_CLIENTS, otlpExporter } from "./support/otlp-clients.js";
import { chatWithEventsAndError, weatherAgentUnderRemoteParent } from "./support/scenarios.js";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((close) => close()));
  cleanup = [];
});

async function receiver(): Promise<DevServer> {
  const server = await startDevServer({ port: 0 });
  cleanup.push(() => server.close());
  return server;
}

function bodiesOf(server: DevServer): HookBody[] {
  expect(server.rejected).toEqual([]);
  return server.store.events().map((event) => event.body);
}

const scenarios: Array<[string, (provider: TestProvider) => Promise<unknown>]> = [
  ["weather agent (GenAI)", (p) => weatherAgent("genai", p)],
  ["weather agent (legacy ai.*)", (p) => weatherAgent("legacy", p)],
  ["orchestrator with a sub-agent (GenAI)", (p) => orchestratorWithSubAgent("genai", p)],
  ["orchestrator with a sub-agent (legacy)", (p) => orchestratorWithSubAgent("legacy", p)],
  ["a second turn", (p) => secondTurn("genai", p)],
  ["reasoning, an image and a tool error", (p) => reasoningImageAndToolError("genai", p)],
  ["streaming", (p) => streamingAgent("legacy", p)],
  ["GenAI span events and an error status", chatWithEventsAndError],
  ["an agent under a remote parent", weatherAgentUnderRemoteParent],
];

describe.each(OTLP_CLIENTS)("the gateway over OTLP %s", (client) => {
  it("sends exactly the requests the in-process exporter sends", async () => {
    const direct = await receiver();
    const viaGateway = await receiver();
    const gateway: Gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: viaGateway.url });
    cleanup.push(() => gateway.close());

    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: direct.url });
    const batch = { maxExportBatchSize: 3, scheduledDelayMillis: 10 };
    const otlp = otlpExporter(client, { httpUrl: gateway.httpUrl, grpcAddress: gateway.grpcAddress });
    const requests: Array<Array<{ traceId: string; isRoot: boolean }>> = [];
    const recordingOtlp = {
      export(spans: any[], done: (result: any) => void) {
        requests.push(spans.map((span) => ({ traceId: span.spanContext().traceId, isRoot: !span.parentSpanContext })));
        otlp.export(spans, done);
      },
      forceFlush: () => otlp.forceFlush(),
      shutdown: () => otlp.shutdown(),
    };
    const provider = createProvider([
      new BatchSpanProcessor(exporter as never, batch),
      new BatchSpanProcessor(recordingOtlp as never, batch),
    ]);
    for (const [, scenario] of scenarios) await scenario(provider);
    await provider.forceFlush();
    await exporter.forceFlush();
    await provider.shutdown();
    await gateway.close();

    // Traces were split across requests, and each root came in the trace's last request.
    const requestsOf = (traceId: string) => requests.filter((spans) => spans.some((span) => span.traceId === traceId));
    const rootTraces = requests.flat().filter((span) => span.isRoot).map((span) => span.traceId);
    expect(rootTraces.filter((traceId) => requestsOf(traceId).length > 1).length).toBeGreaterThan(3);
    for (const traceId of rootTraces) {
      expect(requestsOf(traceId).at(-1)?.some((span) => span.traceId === traceId && span.isRoot)).toBe(true);
    }

    const expected = runsOf(bodiesOf(direct));
    const actual = runsOf(bodiesOf(viaGateway));
    expect(expected.size).toBeGreaterThanOrEqual(scenarios.length);
    expect([...expected.values()].flat().length).toBeGreaterThan(40);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [runId, bodies] of expected) expect(actual.get(runId), runId).toEqual(bodies);
    // The remote-parent trace belongs to another process: no stop for its run.
    const remoteRun = [...expected.values()].flat().filter((body) => body.runId.startsWith("5bf92f35"));
    expect(remoteRun.length).toBeGreaterThan(0);
    expect(remoteRun.some((body) => body.event.source === "stop")).toBe(false);
    // Span events became events; the error-status call still produced its run.
    expect([...expected.values()].flat().some((body) => body.event.source === "user" && "text" in body.event && body.event.text === "Summarise the report.")).toBe(true);
  });
});
