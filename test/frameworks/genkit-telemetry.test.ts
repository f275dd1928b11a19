/**
 * The setup the README gives Genkit users: Genkit's own telemetry
 * (`enableTelemetry` from `genkit/tracing`, which starts the NodeSDK and
 * sdk-trace-base 1.x bundled with `@genkit-ai/core`) handed the bridge as a
 * span processor, or as an exporter behind a simple span processor. Its own
 * file: Genkit's NodeSDK registers itself globally, once per process.
 */
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { enableTelemetry, flushTracing } from "genkit/tracing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { GENKIT_TURNS } from "../support/frameworks/genkit.js";
import { expectedRuns, SCRIPTS } from "../support/frameworks/scenarios.js";
import { comparable, expectRuns } from "../support/frameworks/suite.js";

let model: FakeOpenAI;
let processorServer: DevServer;
let exporterServer: DevServer;
let processor: PermisoSpanProcessor;
let exporter: PermisoSpanExporter;

beforeAll(async () => {
  [model, processorServer, exporterServer] = await Promise.all([startFakeOpenAI(), startDevServer({ port: 0 }), startDevServer({ port: 0 })]);
  processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: processorServer.url });
  exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: exporterServer.url });
  // The app's sdk-trace-base (2.x) processor works on Genkit's 1.x spans; only their types differ, hence the cast.
  const exportingProcessor = new SimpleSpanProcessor(exporter) as unknown as PermisoSpanProcessor;
  await enableTelemetry({ spanProcessors: [processor, exportingProcessor] });
});

afterAll(async () => {
  await Promise.all([model?.close(), processorServer?.close(), exporterServer?.close()]);
});

const bodiesOf = (server: DevServer): HookBody[] => server.store.events().map((event) => event.body);

it("Genkit's own telemetry, given the bridge as a processor and as an exporter, sends the run of a flow with a tool", async () => {
  const apiKey = model.script(SCRIPTS["one-tool"]);
  await GENKIT_TURNS["one-tool"]!({ server: model, apiKey });
  await flushTracing();
  await Promise.all([processor.forceFlush(), exporter.forceFlush()]);

  const expected = expectedRuns("one-tool", { textBesideToolCalls: true }, { model: "openai/gpt-4o-mini" });
  expectRuns(bodiesOf(processorServer), expected);
  expectRuns(bodiesOf(exporterServer), expected);
  expect(comparable(bodiesOf(exporterServer))).toEqual(comparable(bodiesOf(processorServer)));
});
