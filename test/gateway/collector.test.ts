/**
 * Scale-out behind a real OpenTelemetry Collector (built from the Go module
 * proxy by scripts/otelcol/build.sh): the Collector receives the app's OTLP
 * and its loadbalancing exporter (routing_key: traceID, static resolver)
 * sends each trace to one of two gateways over OTLP/gRPC. Every trace becomes
 * exactly the runs one gateway alone makes of it, all of a trace's runs come
 * from one instance, and both instances take traces.
 */
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deadPort } from "../support/recorder.js";
import {
  closeAndExpectEachTraceWhole,
  forwardedAll,
  providerThroughCollector,
  sendScenarios,
  spansReceived,
  startCollector,
  startGatewayWithReceiver,
} from "./support/collector.js";
import { otelcol } from "./support/external-tools.js";

const collector = otelcol();
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

/** Traces sent before the first look at where they went, and the most sent in all. */
const MIN_TRACES = 24;
const MAX_TRACES = 120;

describe.skipIf(collector.skipReason)("two gateways behind a real Collector's loadbalancing exporter", () => {
  it(
    "produce exactly the runs one gateway produces, each trace on one instance, and both instances take traces",
    async () => {
      const [single, a, b] = await Promise.all([startGatewayWithReceiver(), startGatewayWithReceiver(), startGatewayWithReceiver()]);
      cleanup.push(single.close, a.close, b.close);
      const [grpcPort, httpPort] = [await deadPort(), await deadPort()];
      const otelcolProcess = await startCollector(collector.path!, resolve(import.meta.dirname, "collector/loadbalancing-static.yaml"), httpPort, {
        OTLP_GRPC_PORT: String(grpcPort),
        OTLP_HTTP_PORT: String(httpPort),
        GATEWAY_A: a.gateway.grpcAddress,
        GATEWAY_B: b.gateway.grpcAddress,
      });
      cleanup.push(otelcolProcess.close);

      const provider = providerThroughCollector(grpcPort, single);
      // The exporter places a trace on the gateway its id hashes to on the
      // ring of the two endpoints, so which gateways a set of traces reaches
      // is decided by their (random) ids. Send traces until both gateways have
      // taken some: at least MIN_TRACES, and more only in the rare run whose
      // ids all hash to one side (for 24 ids and an even split, one run in eight million).
      const bothTookSpans = async () => (await spansReceived(a)) > 0 && (await spansReceived(b)) > 0;
      let traces = 0;
      while (traces < MIN_TRACES || !(await bothTookSpans())) {
        expect(traces, "traces sent before both gateways took one").toBeLessThan(MAX_TRACES);
        traces += await sendScenarios(provider);
        if (traces < MIN_TRACES) continue;
        await provider.forceFlush();
        await forwardedAll(single, [a, b]);
      }
      const tracesPerGateway = await closeAndExpectEachTraceWhole(provider, single, [a, b]);
      expect(tracesPerGateway[0] + tracesPerGateway[1]).toBe(traces);
      expect(Math.min(...tracesPerGateway)).toBeGreaterThan(0);
    },
    240_000,
  );
});

const { skipReason } = collector;
if (skipReason) describe("two gateways behind a real Collector", () => it.skip(skipReason, () => {}));
