/**
 * A plain NodeTracerProvider with our processor, and HTTP instrumentation
 * loaded: the bridge's own requests must not become spans.
 */
import { createRequire } from "node:module";
import { context, trace } from "@opentelemetry/api";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../../src/dev-server/index.js";
import { PermisoSpanProcessor } from "../../../src/otel/index.js";
import { weatherAgentWithGlobalTracer } from "../../support/ai-scenarios.js";

const memory = new InMemorySpanExporter();
let server: DevServer;
let provider: NodeTracerProvider;
let processor: PermisoSpanProcessor;

beforeAll(async () => {
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
  server = await startDevServer({ port: 0 });
  processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: server.url });
  provider = new NodeTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(memory)] });
  provider.register();
});
afterAll(async () => {
  await provider.shutdown();
  await server.close();
});

it("delivers a run and creates no spans for its own requests", async () => {
  // Sanity: HTTP instrumentation is active, so an ordinary request is traced.
  const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");
  await new Promise<void>((resolve) => http.get(`${server.url}/api/runs`, (response) => response.resume().on("end", resolve)));
  await provider.forceFlush();
  const ordinary = memory.getFinishedSpans().filter((span) => span.kind === 2);
  expect(ordinary.length).toBeGreaterThan(0);
  memory.reset();

  await weatherAgentWithGlobalTracer("genai");
  await provider.forceFlush();
  expect(server.store.events()).toHaveLength(6);
  const clientSpans = memory.getFinishedSpans().filter((span) => span.kind === 2 && span.name !== "chat mock-model-id");
  expect(clientSpans.map((span) => span.name)).toEqual([]);
  expect(trace.getSpan(context.active())).toBeUndefined();
});
