/**
 * NodeSDK with `traceExporter`: three lines in the user's tracing setup, the
 * AI SDK using the global tracer, and the SDK's own batch processor in front.
 */
import { NodeSDK } from "@opentelemetry/sdk-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../../src/dev-server/index.js";
import { PermisoSpanExporter } from "../../../src/otel/index.js";
import { weatherAgentWithGlobalTracer } from "../../support/ai-scenarios.js";

let server: DevServer;
beforeAll(async () => {
  // NodeSDK otherwise starts OTLP metric and log exporters to a collector that is not there.
  process.env.OTEL_METRICS_EXPORTER = "none";
  process.env.OTEL_LOGS_EXPORTER = "none";
  server = await startDevServer({ port: 0 });
});
afterAll(async () => server.close());

it("delivers a whole run by sdk.shutdown()", async () => {
  const sdk = new NodeSDK({
    serviceName: "weather-service",
    traceExporter: new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url }),
  });
  sdk.start();
  await weatherAgentWithGlobalTracer("genai");
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
