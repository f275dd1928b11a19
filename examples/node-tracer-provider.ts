/**
 * A plain NodeTracerProvider with the processor: each event is delivered
 * as soon as its span ends, with no batching delay.
 */
import { LegacyOpenTelemetry } from "@ai-sdk/otel";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";
import { generateText, registerTelemetry } from "ai";
import { scriptedModel } from "./support/scripted-model.js";

const provider = new NodeTracerProvider({
  spanProcessors: [new PermisoSpanProcessor({ captureContent: process.env.CAPTURE_CONTENT !== "false" })],
});
provider.register();
// The AI SDK's legacy `ai.*` spans are read just as well as the GenAI ones.
registerTelemetry(new LegacyOpenTelemetry());

const { text } = await generateText({
  model: scriptedModel([{ text: "Hello! How can I help?", inputTokens: 8, outputTokens: 6 }]),
  prompt: "Hi there",
  telemetry: { functionId: "greeter" },
});
console.log(text);
await provider.shutdown();
