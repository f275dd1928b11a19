/**
 * Spans whose run is not known yet (the exporter), and spans that end too
 * late (after their run stopped): bounded in time and number, never sent
 * after a stop.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter } from "../../src/otel/index.js";
import { weatherAgent } from "../support/ai-scenarios.js";
import { ATTACHMENTS, capture } from "../support/bridge-harness.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";
import { waitFor } from "../support/wait-for.js";

async function agentSpansWithoutRoots(runs: number): Promise<any[]> {
  const memory = new InMemorySpanExporter();
  const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
  for (let i = 0; i < runs; i++) await weatherAgent("genai", provider);
  const spans = memory.getFinishedSpans().filter((span: any) => !span.name.startsWith("invoke_agent"));
  await provider.shutdown();
  return spans;
}

describe("held spans (exporter)", () => {
  it("are sent once holdTimeoutMs passes, even if their agent never arrives", async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, holdTimeoutMs: 1_000 });
    const spans = await agentSpansWithoutRoots(1);
    const exported = Date.now();
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve));
    expect(result.code).toBe(0);
    expect(server.store.events()).toHaveLength(0);
    await waitFor(() => server.store.events().length === 5, "five events");
    expect(Date.now() - exported).toBeGreaterThanOrEqual(1_000);
    // Without the agent span there is no local root here, so no stop either.
    expect(server.store.events().map((event) => event.body.hookEvent)).toEqual([
      "user_prompt",
      "assistant_message",
      "weather",
      "weather",
      "assistant_message",
    ]);
    await exporter.shutdown();
    await server.close();
  });

  it("beyond maxHeldSpans, the oldest traces are sent early and it is reported", async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: server.url, maxHeldSpans: 12, holdTimeoutMs: 60_000 });
    const spans = await agentSpansWithoutRoots(4);
    await new Promise((resolve) => exporter.export(spans, resolve));
    await exporter.forceFlush();
    expect(server.store.runs()).toHaveLength(4);
    expect(server.store.events()).toHaveLength(20);
    await exporter.shutdown();
    await server.close();
  });
});

describe.each(ATTACHMENTS)("a span that ends after its run stopped (%s)", (attachment) => {
  it("is dropped and counted, so the stop stays last", async () => {
    const { bodies, stats } = await capture(attachment, async (provider) => {
      const tracer = provider.getTracer("leaky");
      let leaked: { end(): void } | undefined;
      await tracer.startActiveSpan("invoke_agent leaky", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "leaky" } }, async (agent) => {
        tracer.startActiveSpan("chat m", { kind: SpanKind.CLIENT }, (chat) => {
          chat.setAttributes({
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "m",
            "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "go" }] }]),
            "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "done" }], finish_reason: "stop" }]),
          });
          chat.end();
        });
        leaked = tracer.startSpan("execute_tool cleanup", {
          attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "cleanup", "gen_ai.tool.call.id": "c9", "gen_ai.tool.call.result": "ok" },
        });
        agent.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      leaked?.end();
    });
    expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "stop"]);
    expect(stats.spansLate).toBe(1);
  });
});
