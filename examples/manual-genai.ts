/**
 * No framework: an agent instrumented by hand with the OpenTelemetry GenAI
 * conventions (invoke_agent → chat → execute_tool → chat). Any code that
 * emits these attributes is reported the same way.
 */
import { context, SpanKind } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const permiso = new PermisoSpanProcessor();
const provider = new BasicTracerProvider({ spanProcessors: [permiso] });
const tracer = provider.getTracer("my-agent", "1.0.0");

const json = (value: unknown) => JSON.stringify(value);
const system = json([{ type: "text", content: "You convert currencies." }]);
const question = { role: "user", parts: [{ type: "text", content: "How much is 100 EUR in USD?" }] };
const call = { type: "tool_call", id: "call_fx", name: "fx_rate", arguments: { from: "EUR", to: "USD" } };

await tracer.startActiveSpan(
  "invoke_agent fx-agent",
  { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "fx-agent", "gen_ai.conversation.id": "chat-19" } },
  async (agent) => {
    tracer.startActiveSpan("chat my-model", { kind: SpanKind.CLIENT }, (span) => {
      span.setAttributes({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "my-model",
        "gen_ai.system_instructions": system,
        "gen_ai.input.messages": json([question]),
        "gen_ai.output.messages": json([{ role: "assistant", parts: [call], finish_reason: "tool_call" }]),
        "gen_ai.response.finish_reasons": ["tool_call"],
        "gen_ai.usage.input_tokens": 25,
        "gen_ai.usage.output_tokens": 9,
      });
      span.end();
    });
    tracer.startActiveSpan("execute_tool fx_rate", (span) => {
      span.setAttributes({
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "fx_rate",
        "gen_ai.tool.call.id": "call_fx",
        "gen_ai.tool.call.arguments": json(call.arguments),
        "gen_ai.tool.call.result": json({ rate: 1.08 }),
      });
      span.end();
    });
    tracer.startActiveSpan("chat my-model", { kind: SpanKind.CLIENT }, (span) => {
      span.setAttributes({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "my-model",
        "gen_ai.input.messages": json([
          question,
          { role: "assistant", parts: [call] },
          { role: "tool", parts: [{ type: "tool_call_response", id: "call_fx", response: { rate: 1.08 } }] },
        ]),
        "gen_ai.output.messages": json([
          { role: "assistant", parts: [{ type: "text", content: "100 EUR is 108 USD." }], finish_reason: "stop" },
        ]),
        "gen_ai.response.finish_reasons": ["stop"],
        "gen_ai.usage.input_tokens": 48,
        "gen_ai.usage.output_tokens": 8,
      });
      span.end();
    });
    agent.end();
  },
);

await provider.shutdown();
console.log("reported the fx-agent run");
