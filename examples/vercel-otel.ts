/**
 * `@vercel/otel` (Next.js `instrumentation.ts` style): pass the exporter as
 * `traceExporter`. In serverless functions, await the provider's
 * forceFlush() (e.g. in `waitUntil`) so events are delivered before freeze.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import { trace } from "@opentelemetry/api";
import { PermisoSpanExporter } from "@permiso-io/custom-hooks-sdk/otel";
import { registerOTel } from "@vercel/otel";
import { generateText, registerTelemetry } from "ai";
import { scriptedModel } from "./support/scripted-model.js";

registerOTel({ serviceName: "next-app", traceExporter: new PermisoSpanExporter() });
registerTelemetry(new OpenTelemetry());

const { text } = await generateText({
  model: scriptedModel([{ text: "Your order ships tomorrow.", inputTokens: 12, outputTokens: 6 }]),
  system: "You are a shop assistant.",
  prompt: "When does my order ship?",
  telemetry: { functionId: "shop-assistant" },
});
console.log(text);

const provider = trace.getTracerProvider() as unknown as { getDelegate(): { forceFlush(): Promise<void> } };
await provider.getDelegate().forceFlush();
