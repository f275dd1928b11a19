/**
 * Span shapes the gateway must carry that the AI SDK scenarios do not
 * produce: GenAI content as span events (older conventions, as the Azure SDK
 * and semconv ≤1.26 emitted them, which no installed package emits any more),
 * an error status, and an agent under a remote parent.
 */
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from "@opentelemetry/api";
import type { TestProvider } from "../../support/otel-sdk.js";
import { weatherAgent } from "../../support/ai-scenarios.js";

const AZURE = "az.ai.inference";
const content = (body: unknown) => ({ "gen_ai.system": AZURE, "gen_ai.event.content": JSON.stringify(body) });

/** A chat span whose messages are events, ending in an error status. */
export async function chatWithEventsAndError(provider: TestProvider): Promise<void> {
  const tracer = provider.getTracer("azure-ai-inference");
  await tracer.startActiveSpan(
    "chat gpt-4o",
    { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.system": AZURE, "gen_ai.request.model": "gpt-4o" } },
    async (span) => {
      span.addEvent("gen_ai.system.message", content({ role: "system", content: "You are terse." }));
      span.addEvent("gen_ai.user.message", content({ role: "user", content: "Summarise the report." }));
      span.addEvent("gen_ai.choice", content({ index: 0, finish_reason: "length", message: { role: "assistant", content: "The report" } }));
      span.setAttributes({ "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 2, "gen_ai.response.finish_reasons": ["length"] });
      span.setStatus({ code: SpanStatusCode.ERROR, message: "output truncated" });
      span.end();
    },
  );
}

/** The weather agent continuing a trace started by another process. */
export function weatherAgentUnderRemoteParent(provider: TestProvider): Promise<string> {
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: "5bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  return context.with(remote, () => weatherAgent("genai", provider));
}
