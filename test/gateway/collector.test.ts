/**
 * Scale-out behind a real OpenTelemetry Collector (built from the Go module
 * proxy by scripts/otelcol/build.sh): the Collector receives the app's OTLP
 * and routes each trace by its id to one of two gateways over OTLP/gRPC.
 * Every trace becomes exactly the runs one gateway alone makes of it, and
 * all of a trace's runs come from one instance.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { orchestratorWithSubAgent, reasoningImageAndToolError, weatherAgent } from "../support/ai-scenarios.js";
import { runsOf } from "../support/bridge-harness.js";
import { BatchSpanProcessor, createProvider } from "../support/otel-sdk.js";
import { deadPort } from "../support/recorder.js";
import { otelcol } from "./support/external-tools.js";
import { otlpExporter } from "./support/otlp-clients.js";
import { chatWithEventsAndError } from "./support/scenarios.js";
import { waitFor } from "../support/wait-for.js";

const collector = otelcol();
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

async function gatewayWithReceiver(): Promise<{ gateway: Gateway; receiver: DevServer }> {
  const receiver = await startDevServer({ port: 0 });
  const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: receiver.url });
  cleanup.push(() => receiver.close(), () => gateway.close());
  return { gateway, receiver };
}

async function spansReceived(gateway: Gateway): Promise<number> {
  const text = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
  return Number(/^permiso_gateway_spans_received_total (\d+)$/m.exec(text)?.[1] ?? 0);
}

function startCollector(env: Record<string, string>): ChildProcess {
  const config = resolve(import.meta.dirname, "collector/split-by-trace-id.yaml");
  const child = spawn(collector.path!, [`--config=${config}`], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  cleanup.push(
    () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  );
  child.once("exit", (code) => {
    if (code) process.stderr.write(`collector exited ${code}:\n${log}\n`);
  });
  return child;
}

describe.skipIf(collector.skipReason)("two gateways behind a real Collector routing by trace id", () => {
  it(
    "produce exactly the runs one gateway produces, each trace on one instance",
    async () => {
      const single = await gatewayWithReceiver();
      const a = await gatewayWithReceiver();
      const b = await gatewayWithReceiver();
      const [grpcPort, httpPort] = [await deadPort(), await deadPort()];
      startCollector({
        OTLP_GRPC_PORT: String(grpcPort),
        OTLP_HTTP_PORT: String(httpPort),
        GATEWAY_A: a.gateway.grpcAddress,
        GATEWAY_B: b.gateway.grpcAddress,
      });
      const collectorUrl = `http://127.0.0.1:${httpPort}`;
      await waitFor(
        () =>
          fetch(`${collectorUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(
            (response) => response.ok,
            () => false,
          ),
        "the Collector to listen",
        60_000,
      );

      const batch = { maxExportBatchSize: 8, scheduledDelayMillis: 10 };
      const provider = createProvider([
        new BatchSpanProcessor(otlpExporter("grpc", { httpUrl: "", grpcAddress: `127.0.0.1:${grpcPort}` }), batch),
        new BatchSpanProcessor(otlpExporter("http/protobuf+gzip", { httpUrl: single.gateway.httpUrl }), batch),
      ]);
      // Enough traces that both halves of the trace-id range are all but certain to be used.
      for (let round = 0; round < 6; round++) {
        await weatherAgent("genai", provider);
        await orchestratorWithSubAgent("legacy", provider);
        await reasoningImageAndToolError("genai", provider);
        await chatWithEventsAndError(provider);
      }
      await provider.forceFlush();
      await provider.shutdown();
      const sent = await spansReceived(single.gateway);
      await waitFor(async () => (await spansReceived(a.gateway)) + (await spansReceived(b.gateway)) === sent, "the Collector to forward every span", 60_000);
      await Promise.all([single.gateway.close(), a.gateway.close(), b.gateway.close()]);

      const bodies = (server: DevServer): HookBody[] => {
        expect(server.rejected).toEqual([]);
        return server.store.events().map((event) => event.body);
      };
      const expected = runsOf(bodies(single.receiver));
      const runsA = runsOf(bodies(a.receiver));
      const runsB = runsOf(bodies(b.receiver));
      expect(expected.size).toBeGreaterThanOrEqual(24);
      expect(runsA.size).toBeGreaterThan(0);
      expect(runsB.size).toBeGreaterThan(0);
      expect(runsA.size + runsB.size).toBe(expected.size);
      for (const [runId, runBodies] of expected) expect(runsA.get(runId) ?? runsB.get(runId), runId).toEqual(runBodies);
      // Each trace on one instance: a trace's runs (its own and its child runs) share the trace id's first half.
      const traceKeys = (runs: Map<string, unknown>) => new Set([...runs.keys()].map((runId) => runId.slice(0, 18)));
      const onA = traceKeys(runsA);
      for (const key of traceKeys(runsB)) expect(onA.has(key), key).toBe(false);
    },
    180_000,
  );
});

const { skipReason } = collector;
if (skipReason) describe("two gateways behind a real Collector", () => it.skip(skipReason, () => {}));
