/** NodeSDK with `spanProcessors`: events are delivered as each span ends. */
import { NodeSDK } from "@opentelemetry/sdk-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../../src/dev-server/index.js";
import { PermisoSpanProcessor } from "../../../src/otel/index.js";
import { weatherAgentWithGlobalTracer } from "../../support/ai-scenarios.js";

let server: DevServer;
beforeAll(async () => {
  // NodeSDK otherwise starts OTLP metric and log exporters to a collector that is not there.
  process.env.OTEL_METRICS_EXPORTER = "none";
  process.env.OTEL_LOGS_EXPORTER = "none";
  server = await startDevServer({ port: 0 });
});
afterAll(async () => server.close());

it("delivers a whole run, in order, by sdk.shutdown()", async () => {
  const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
  const sdk = new NodeSDK({ serviceName: "weather-service", spanProcessors: [processor] });
  sdk.start();
  await weatherAgentWithGlobalTracer("legacy");
  await sdk.shutdown();
  expect(server.rejected).toEqual([]);
  const [run] = server.store.runs();
  expect(run.events.map((event) => event.body.hookEvent)).toEqual([
    "user_prompt",
    "assistant_message",
    "weather",
    "weather",
    "assistant_message",
    "stop",
  ]);
});
