/**
 * A real OpenTelemetry Collector (scripts/otelcol/build.sh) pointed at the
 * gateway with its `otlphttp` exporter, as the README's Gateway section says:
 * the app's spans go over OTLP/gRPC to the Collector, and out over OTLP/HTTP
 * to the gateway with its bearer token. A recording relay on loopback passes
 * the exchanges through unchanged and shows what the exporter sent (gzip
 * protobuf by default, gzip JSON with `encoding: json`) and what the gateway
 * answered. The gateway's events are compared with those of the in-process
 * bridge fed the same spans.
 */
import { gunzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { afterEach, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter } from "../../src/otel/index.js";
import { weatherAgent } from "../support/ai-scenarios.js";
import { runsOf } from "../support/bridge-harness.js";
import { BatchSpanProcessor, createProvider, type TestProvider } from "../support/otel-sdk.js";
import { deadPort } from "../support/recorder.js";
import { waitFor } from "../support/wait-for.js";
import { gatewayMetric, sendScenarios, spansReceived, startCollector, startGatewayWithReceiver, type GatewayWithReceiver } from "./support/collector.js";
import { otelcol } from "./support/external-tools.js";
import { otlpExporter } from "./support/otlp-clients.js";
import { OTLP_TRACE_DESCRIPTOR } from "./support/otlp-descriptor.js";
import { startRecordingRelay, type RecordingRelay, type RelayedExport } from "./support/recording-relay.js";

const collector = otelcol();
const TOKEN = "collector-token";
const ExportRequest = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR).lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
const REQUESTS_ANSWERED_200 = 'permiso_gateway_requests_total{transport="http",outcome="200"}';
const REQUESTS_ANSWERED_429 = 'permiso_gateway_requests_total{transport="http",outcome="429"}';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

/** Starts the Collector on one of ./collector/*.yaml, its receivers on free loopback ports; resolves to its OTLP/gRPC port. */
async function startCollectorWith(config: string, gateways: Record<string, string>): Promise<number> {
  const [grpcPort, httpPort] = [await deadPort(), await deadPort()];
  const process = await startCollector(collector.path!, resolve(import.meta.dirname, "collector", config), httpPort, {
    OTLP_GRPC_PORT: String(grpcPort),
    OTLP_HTTP_PORT: String(httpPort),
    GATEWAY_TOKEN: TOKEN,
    ...gateways,
  });
  cleanup.push(process.close);
  return grpcPort;
}

async function startRelay(to: GatewayWithReceiver): Promise<RecordingRelay> {
  const relay = await startRecordingRelay(to.gateway.httpUrl);
  cleanup.push(relay.close);
  return relay;
}

async function startBridgeReceiver(): Promise<DevServer> {
  const receiver = await startDevServer({ port: 0 });
  cleanup.push(() => receiver.close());
  return receiver;
}

/**
 * The app: every span goes both to the in-process bridge (delivering to
 * `bridgeReceiver`) and over OTLP/gRPC to the Collector, and is counted.
 */
function appThroughCollector(collectorGrpcPort: number, bridgeReceiver: DevServer) {
  const bridge = new PermisoSpanExporter({ apiKey: "k", baseUrl: bridgeReceiver.url });
  const batch = { maxExportBatchSize: 8, scheduledDelayMillis: 10 };
  let ended = 0;
  const counter = { onStart() {}, onEnd: () => void ended++, forceFlush: async () => {}, shutdown: async () => {} };
  const provider: TestProvider = createProvider([
    counter,
    new BatchSpanProcessor(bridge as never, batch),
    new BatchSpanProcessor(otlpExporter("grpc", { httpUrl: "", grpcAddress: `127.0.0.1:${collectorGrpcPort}` }), batch),
  ]);
  cleanup.push(() => provider.shutdown());
  return {
    provider,
    spansEnded: () => ended,
    async flush() {
      await provider.forceFlush();
      await bridge.forceFlush();
    },
  };
}

/** The gateway delivered exactly the runs the bridge delivered, event for event (apart from `clientSentAtMs`). */
function expectSameRuns(bridgeReceiver: DevServer, { receiver }: GatewayWithReceiver): void {
  expect(bridgeReceiver.rejected).toEqual([]);
  expect(receiver.rejected).toEqual([]);
  const expected = runsOf(bridgeReceiver.store.events().map((event) => event.body));
  const actual = runsOf(receiver.store.events().map((event) => event.body));
  expect(expected.size).toBeGreaterThan(0);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [runId, bodies] of expected) expect(actual.get(runId), runId).toEqual(bodies);
}

/** Spans in the exports the gateway accepted (answered 200), as the relay saw them. */
function spansAccepted(relay: RecordingRelay, encoding: "protobuf" | "json"): number {
  return relay.exports.filter((exchange) => exchange.status === 200).reduce((sum, exchange) => sum + spansIn(exchange, encoding), 0);
}

/** Spans in an export body as the relay saw it: gunzipped (it fails unless the body is gzip), then read in `encoding`. */
function spansIn({ body }: RelayedExport, encoding: "protobuf" | "json"): number {
  const inflated = gunzipSync(body);
  const request: any = encoding === "protobuf" ? ExportRequest.toObject(ExportRequest.decode(inflated), { arrays: true }) : JSON.parse(inflated.toString("utf8"));
  return request.resourceSpans.flatMap((resource: any) => resource.scopeSpans).reduce((sum: number, scope: any) => sum + scope.spans.length, 0);
}

function expectEveryExport(relay: RecordingRelay, contentType: string): void {
  expect(relay.exports.length).toBeGreaterThan(0);
  for (const sent of relay.exports) {
    expect(sent.path).toBe("/v1/traces");
    expect(sent.headers["content-type"]).toBe(contentType);
    expect(sent.headers["content-encoding"]).toBe("gzip");
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
  }
}

describe.skipIf(collector.skipReason)("a real Collector's otlphttp exporter into the gateway", () => {
  it(
    "at its defaults (gzip protobuf), and with encoding: json, the gateway delivers exactly the events the in-process bridge delivers",
    async () => {
      const bridgeReceiver = await startBridgeReceiver();
      const [protobufGateway, jsonGateway] = await Promise.all([startGatewayWithReceiver({ token: TOKEN }), startGatewayWithReceiver({ token: TOKEN })]);
      cleanup.push(protobufGateway.close, jsonGateway.close);
      const [protobufRelay, jsonRelay] = await Promise.all([startRelay(protobufGateway), startRelay(jsonGateway)]);
      const grpcPort = await startCollectorWith("otlphttp.yaml", { GATEWAY_PROTOBUF: protobufRelay.url, GATEWAY_JSON: jsonRelay.url });

      const app = appThroughCollector(grpcPort, bridgeReceiver);
      expect(await sendScenarios(app.provider)).toBe(4);
      await app.flush();
      const sent = app.spansEnded();
      await waitFor(
        () => spansAccepted(protobufRelay, "protobuf") === sent && spansAccepted(jsonRelay, "json") === sent,
        "both gateways to accept every span through the Collector",
        60_000,
      );

      // On the wire: gzip protobuf by default, gzip JSON with encoding: json, each with the token, each accepted,
      // the spans in several requests (the app exports at most 8 at a time).
      expect(protobufRelay.exports.length).toBeGreaterThan(1);
      expectEveryExport(protobufRelay, "application/x-protobuf");
      expectEveryExport(jsonRelay, "application/json");
      for (const [relay, encoding, gateway] of [
        [protobufRelay, "protobuf", protobufGateway],
        [jsonRelay, "json", jsonGateway],
      ] as const) {
        expect(relay.exports.map((exchange) => exchange.status)).toEqual(relay.exports.map(() => 200));
        expect(await gatewayMetric(gateway, REQUESTS_ANSWERED_200), encoding).toBe(relay.exports.length);
        expect(await spansReceived(gateway), encoding).toBe(sent);
      }

      await app.provider.shutdown();
      await Promise.all([protobufGateway.gateway.close(), jsonGateway.gateway.close()]);
      expectSameRuns(bridgeReceiver, protobufGateway);
      expectSameRuns(bridgeReceiver, jsonGateway);
    },
    120_000,
  );

  it(
    "a full queue answers 429 with Retry-After; the Collector waits that long, sends the same export again, and nothing is lost",
    async () => {
      let resumePermiso!: () => void;
      const permisoPaused = new Promise<void>((done) => (resumePermiso = done));
      cleanup.push(async () => resumePermiso());
      const bridgeReceiver = await startBridgeReceiver();
      // Room for 6 events (a quarter of the queue is kept for batches already admitted): one weather agent's run.
      const gateway = await startGatewayWithReceiver({ token: TOKEN, maxQueueSize: 8 }, () => permisoPaused.then(() => undefined));
      cleanup.push(gateway.close);
      const relay = await startRelay(gateway);
      const grpcPort = await startCollectorWith("otlphttp-backpressure.yaml", { GATEWAY_PROTOBUF: relay.url });
      const app = appThroughCollector(grpcPort, bridgeReceiver);

      // With Permiso paused, the first run's events wait in the gateway's queue and fill it.
      await weatherAgent("genai", app.provider);
      await app.flush();
      await waitFor(async () => (await gatewayMetric(gateway, "permiso_gateway_queue_depth")) === 6, "the first run's 6 events to fill the queue", 30_000);
      expect(relay.exports.map((exchange) => exchange.status)).toEqual(relay.exports.map(() => 200));

      // The second run finds no room: refused with 429, then Permiso comes back.
      await weatherAgent("genai", app.provider);
      await app.flush();
      await waitFor(() => relay.exports.some((exchange) => exchange.status === 429), "the gateway to answer an export 429", 30_000);
      resumePermiso();
      const sent = app.spansEnded();
      await waitFor(() => spansAccepted(relay, "protobuf") === sent, "the Collector's retries to bring every span", 60_000);
      expect(await spansReceived(gateway)).toBe(sent);

      const refused = relay.exports.filter((exchange) => exchange.status === 429);
      expect(await gatewayMetric(gateway, REQUESTS_ANSWERED_429)).toBe(refused.length);
      expectEveryExport(relay, "application/x-protobuf");
      for (const refusal of refused) {
        expect(refusal.retryAfter).toBe("2");
        const sameExport = relay.exports.filter((exchange) => gunzipSync(exchange.body).equals(gunzipSync(refusal.body)));
        // Sent again, not sooner than Retry-After (the exporter's own backoff is 10 ms), and accepted in the end.
        const retry = sameExport.find((exchange) => exchange.receivedAt > refusal.answeredAt);
        expect(retry, "the refused export sent again").toBeDefined();
        expect(retry!.receivedAt - refusal.answeredAt).toBeGreaterThanOrEqual(2000);
        expect(sameExport.at(-1)!.status).toBe(200);
      }
      expect(await gatewayMetric(gateway, "permiso_gateway_events_dropped_total")).toBe(0);
      expect(await gatewayMetric(gateway, "permiso_gateway_events_failed_total")).toBe(0);

      await app.provider.shutdown();
      await gateway.gateway.close();
      expectSameRuns(bridgeReceiver, gateway);
    },
    120_000,
  );
});

const { skipReason } = collector;
if (skipReason) describe("a real Collector's otlphttp exporter into the gateway", () => it.skip(skipReason, () => {}));
