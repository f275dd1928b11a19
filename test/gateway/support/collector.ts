/**
 * Gateways behind a real OpenTelemetry Collector (built by
 * scripts/otelcol/build.sh): start gateways that each deliver to their own
 * receiver, start the Collector on a configuration, send the scenarios
 * through it, and check that every trace reached exactly one gateway whole.
 */
import { spawn } from "node:child_process";
import { expect } from "vitest";
import { startDevServer, type DevServer, type DevServerOptions } from "../../../src/dev-server/index.js";
import { startGateway, type Gateway, type GatewayOptions } from "../../../src/gateway/index.js";
import type { HookBody } from "../../../src/protocol/body.js";
import { orchestratorWithSubAgent, reasoningImageAndToolError, weatherAgent } from "../../support/ai-scenarios.js";
import { runsOf } from "../../support/bridge-harness.js";
import { BatchSpanProcessor, createProvider, type TestProvider } from "../../support/otel-sdk.js";
import { waitFor } from "../../support/wait-for.js";
import { otlpExporter } from "./otlp-clients.js";
import { chatWithEventsAndError } from "./scenarios.js";

export interface GatewayWithReceiver {
  gateway: Gateway;
  receiver: DevServer;
  close(): Promise<void>;
}

/** A gateway delivering to its own receiver; `intercept` lets the receiver hold or answer Permiso's requests. */
export async function startGatewayWithReceiver(
  options: Pick<GatewayOptions, "token" | "maxQueueSize" | "traceSettleMs"> = {},
  intercept?: DevServerOptions["intercept"],
): Promise<GatewayWithReceiver> {
  const receiver = await startDevServer({ port: 0, intercept });
  const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: receiver.url, ...options });
  return {
    gateway,
    receiver,
    close: async () => {
      await gateway.close();
      await receiver.close();
    },
  };
}

/** One sample of the gateway's `/metrics`, by its name with labels (`permiso_gateway_requests_total{transport="http",outcome="200"}`); 0 when absent. */
export async function gatewayMetric({ gateway }: GatewayWithReceiver, sample: string): Promise<number> {
  const text = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return Number(line?.slice(sample.length + 1) ?? 0);
}

export const spansReceived = (gateway: GatewayWithReceiver) => gatewayMetric(gateway, "permiso_gateway_spans_received_total");

/**
 * Starts the Collector and resolves once its OTLP/HTTP receiver on
 * `httpPort` answers. Its log is printed if it exits with an error.
 */
export async function startCollector(
  binary: string,
  config: string,
  httpPort: number,
  env: Record<string, string>,
): Promise<{ close(): Promise<void> }> {
  const child = spawn(binary, [`--config=${config}`], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  child.once("exit", (code) => {
    if (code) process.stderr.write(`collector exited ${code}:\n${log}\n`);
  });
  const close = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the Collector exited ${child.exitCode} before listening:\n${log}`);
        return fetch(`http://127.0.0.1:${httpPort}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(
          (response) => response.ok,
          () => false,
        );
      },
      "the Collector to listen",
      60_000,
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}

/** A provider that exports every span twice: over OTLP/gRPC to the Collector, and over OTLP/HTTP straight to `single`. */
export function providerThroughCollector(collectorGrpcPort: number, single: GatewayWithReceiver): TestProvider {
  const batch = { maxExportBatchSize: 8, scheduledDelayMillis: 10 };
  return createProvider([
    new BatchSpanProcessor(otlpExporter("grpc", { httpUrl: "", grpcAddress: `127.0.0.1:${collectorGrpcPort}` }), batch),
    new BatchSpanProcessor(otlpExporter("http/protobuf+gzip", { httpUrl: single.gateway.httpUrl }), batch),
  ]);
}

/** One trace of each shape: AI SDK agents (with a sub-agent, reasoning and a tool error) and span events with an error status. */
export async function sendScenarios(provider: TestProvider): Promise<number> {
  await weatherAgent("genai", provider);
  await orchestratorWithSubAgent("legacy", provider);
  await reasoningImageAndToolError("genai", provider);
  await chatWithEventsAndError(provider);
  return 4;
}

/** Resolves once the gateways behind the Collector have, together, received as many spans as `single` did. */
export async function forwardedAll(single: GatewayWithReceiver, routed: GatewayWithReceiver[]): Promise<void> {
  const sent = await spansReceived(single);
  await waitFor(
    async () => (await Promise.all(routed.map(spansReceived))).reduce((sum, count) => sum + count, 0) === sent,
    "the Collector to forward every span",
    60_000,
  );
}

/**
 * Shuts the provider down and closes the gateways (they deliver what they
 * hold), then checks `expectEachTraceWholeOnOneGateway`. Call once every
 * span has been forwarded (`forwardedAll`).
 */
export async function closeAndExpectEachTraceWhole(provider: TestProvider, single: GatewayWithReceiver, routed: GatewayWithReceiver[]): Promise<number[]> {
  await provider.shutdown();
  await Promise.all([single, ...routed].map(({ gateway }) => gateway.close()));
  return expectEachTraceWholeOnOneGateway(single, routed);
}

function bodies(server: DevServer): HookBody[] {
  expect(server.rejected).toEqual([]);
  return server.store.events().map((event) => event.body);
}

/** A trace's runs (its own and its sub-agents') share the run id's first 18 characters: the trace id's first half. */
const traceOf = (runId: string) => runId.slice(0, 18);

/**
 * Every run `single` delivered was delivered by exactly one of `routed`,
 * with the same events in the same order (nothing lost, nothing twice), and
 * no trace's runs are spread over two gateways. Returns how many traces each
 * gateway took.
 */
function expectEachTraceWholeOnOneGateway(single: GatewayWithReceiver, routed: GatewayWithReceiver[]): number[] {
  const expected = runsOf(bodies(single.receiver));
  const runsPerGateway = routed.map(({ receiver }) => runsOf(bodies(receiver)));
  expect(expected.size).toBeGreaterThan(0);
  for (const [runId, runBodies] of expected) {
    const holders = runsPerGateway.filter((runs) => runs.has(runId));
    expect(holders, `gateways holding run ${runId}`).toHaveLength(1);
    expect(holders[0].get(runId), runId).toEqual(runBodies);
  }
  expect(runsPerGateway.reduce((sum, runs) => sum + runs.size, 0)).toBe(expected.size);
  const tracesPerGateway = runsPerGateway.map((runs) => new Set([...runs.keys()].map(traceOf)));
  for (const [index, traces] of tracesPerGateway.entries()) {
    for (const other of tracesPerGateway.slice(index + 1)) {
      for (const trace of traces) expect(other.has(trace), `trace ${trace} on two gateways`).toBe(false);
    }
  }
  return tracesPerGateway.map((traces) => traces.size);
}
