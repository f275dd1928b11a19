/** `@vercel/otel`'s registerOTel with our exporter as `traceExporter`. */
import { trace } from "@opentelemetry/api";
import { registerOTel } from "@vercel/otel";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../../src/dev-server/index.js";
import { PermisoSpanExporter } from "../../../src/otel/index.js";
import { weatherAgentWithGlobalTracer } from "../../support/ai-scenarios.js";

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0 });
});
afterAll(async () => server.close());

it("delivers a whole run once the provider is flushed", async () => {
  registerOTel({ serviceName: "weather-app", traceExporter: new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url }) });
  await weatherAgentWithGlobalTracer("genai");
  const provider = trace.getTracerProvider() as unknown as { getDelegate?: () => { forceFlush(): Promise<void> } };
  await (provider.getDelegate?.() ?? (provider as never as { forceFlush(): Promise<void> })).forceFlush();
  expect(server.rejected).toEqual([]);
  const [run] = server.store.runs();
  expect(run?.events.map((event) => event.body.hookEvent)).toEqual([
    "user_prompt",
    "assistant_message",
    "weather",
    "weather",
    "assistant_message",
    "stop",
  ]);
});
