/**
 * NodeSDK with the exporter as `traceExporter`: the AI SDK reports through
 * OpenTelemetry, the bridge turns its spans into Permiso runs.
 *
 * NodeSDK also starts OTLP metrics and logs exporters unless told otherwise;
 * with no collector listening, their last export holds the process for about
 * ten seconds at exit. This app sends only traces, so it turns them off.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { PermisoSpanExporter } from "@permiso-io/custom-hooks-sdk/otel";
import { generateText, registerTelemetry, tool, isStepCount } from "ai";
import { z } from "zod";
import { scriptedModel } from "./support/scripted-model.js";

const sdk = new NodeSDK({
  serviceName: "weather-service",
  traceExporter: new PermisoSpanExporter(), // PERMISO_API_KEY / PERMISO_BASE_URL from the environment
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();
registerTelemetry(new OpenTelemetry());

const { text } = await generateText({
  model: scriptedModel([
    { text: "Checking.", toolCalls: [{ id: "call_1", name: "weather", input: { city: "Paris" } }], inputTokens: 10, outputTokens: 5 },
    { text: "It is sunny in Paris.", inputTokens: 20, outputTokens: 7 },
  ]),
  system: "You are a weather bot.",
  prompt: "What is the weather in Paris?",
  tools: {
    weather: tool({
      description: "Current weather",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, forecast: "sunny" }),
    }),
  },
  stopWhen: isStepCount(3),
  telemetry: { functionId: "weather-agent" },
});
console.log(text);
await sdk.shutdown(); // flushes: every event is delivered before the process exits
