/**
 * Hostile span content: malformed JSON, multi-megabyte and binary strings,
 * impossible token counts, wrong attribute types. Each becomes a valid
 * (possibly truncated) event or is skipped; never a malformed request,
 * never a crash, never a long stall of the host.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import type { HookBody } from "../../src/protocol/body.js";
import { capture } from "../support/bridge-harness.js";
import { createProvider, type TestProvider } from "../support/otel-sdk.js";
import { stallOf, watchHost } from "./host-guards.js";

const MB = 1024 * 1024;
const json = JSON.stringify;

/** An agent whose single model call carries the given attributes. */
async function agentWithCall(provider: TestProvider, call: Record<string, unknown>, extraCalls: Array<Record<string, unknown>> = []) {
  const tracer = provider.getTracer("hostile");
  await tracer.startActiveSpan("invoke_agent hostile", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "hostile" } }, async (agent) => {
    for (const attributes of [call, ...extraCalls]) {
      tracer.startActiveSpan("chat m", { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m", ...(attributes as Record<string, never>) } }, (span) => span.end());
    }
    agent.end();
  });
}

const events = (bodies: HookBody[]) => bodies.map((body) => body.event as Record<string, any>);

describe("hostile span content", () => {
  it("malformed and truncated JSON: the broken field is skipped, the rest is sent", async () => {
    const { bodies, stats } = await capture("exporter+batch", (provider) =>
      agentWithCall(provider, {
        "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"hel',
        "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: "fine" }], finish_reason: "stop" }]),
        "gen_ai.system_instructions": "{not json",
        "gen_ai.usage.input_tokens": 3,
        "gen_ai.usage.output_tokens": 1,
      }),
    );
    expect(events(bodies)).toMatchObject([{ type: "text", text: "fine" }, { source: "stop", stopReason: "end_turn" }]);
    // A system prompt that is not JSON is taken as plain text.
    expect(bodies[0].agent?.systemPrompt).toBe("{not json");
    expect(stats.eventsInvalid).toBe(0);
  });

  it("multi-megabyte content is truncated to maxFieldLength, quickly", async () => {
    const huge = "x".repeat(5 * MB);
    const hugeCall = () => ({
      "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "text", content: huge }] }]),
      "gen_ai.output.messages": json([
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "t", arguments: { blob: huge } }], finish_reason: "tool_call" },
      ]),
      "gen_ai.system_instructions": json([{ type: "text", content: huge }]),
    });
    // Two controls, with the same monitor: the host writing the content into its spans, and one parse of it, the
    // least any reader of the content must do. The bridge's share is a few such passes (parse, cut, encode): bounded
    // by a multiple of one, however fast or loaded the machine, and a stall of its own would show.
    const writing = await stallOf(() => agentWithCall(createProvider([]), hugeCall()));
    const content = Object.values(hugeCall());
    const oneRead = await stallOf(async () => content.forEach((text) => JSON.parse(text)));
    const guards = watchHost();
    const { bodies } = await capture("processor", (provider) => agentWithCall(provider, hugeCall()));
    guards.stop();
    const [prompt, toolUse] = events(bodies);
    expect(prompt.text.length).toBeLessThanOrEqual(100_000);
    expect(prompt.text).toMatch(/…\[truncated \d+ chars\]$/);
    expect(typeof toolUse.input).toBe("string");
    expect(toolUse.input.length).toBeLessThanOrEqual(100_000);
    expect(bodies[0].agent?.systemPrompt?.length).toBeLessThanOrEqual(100_000);
    expect(guards.unhandled).toEqual([]);
    const measured = `longest stall ${guards.maxStallMs()} ms; writing alone ${writing} ms, one parse ${oneRead} ms`;
    expect(guards.maxStallMs() - writing, measured).toBeLessThan(3 * oneRead + 50);
  });

  it("binary strings and lone surrogates travel as valid JSON", async () => {
    const binary = "\u0000\u0001\u001f\u007f\uFFFE\uD800 tail \uDFFF\uD83D\uDE00";
    const { bodies } = await capture("processor", (provider) =>
      agentWithCall(provider, {
        "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "text", content: binary }] }]),
        "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: "ok" }] }]),
      }),
    );
    expect(events(bodies)[0].text).toBe(binary);
  });

  it("NaN, negative, fractional and string token counts become a valid usage", async () => {
    const { bodies } = await capture("processor", (provider) =>
      agentWithCall(
        provider,
        {
          "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "text", content: "hi" }] }]),
          "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: "a" }] }]),
          "gen_ai.usage.input_tokens": Number.NaN,
          "gen_ai.usage.output_tokens": -7,
        },
        [
          {
            "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "text", content: "again" }] }]),
            "gen_ai.usage.input_tokens": "12",
            "gen_ai.usage.output_tokens": 2.6,
          },
        ],
      ),
    );
    expect(events(bodies).at(-1)?.usage).toEqual({ inputTokens: 12, outputTokens: 3, totalTokens: 15 });
  });

  it("attributes of the wrong type are ignored, not trusted", async () => {
    const { bodies } = await capture("exporter+simple", (provider) =>
      agentWithCall(provider, {
        "gen_ai.input.messages": 42,
        "gen_ai.output.messages": [1, 2, 3],
        "gen_ai.response.finish_reasons": [true, false],
        "gen_ai.request.temperature": "hot",
        "gen_ai.usage.input_tokens": true,
      }),
    );
    expect(bodies.map((body) => body.hookEvent)).toEqual(["stop"]);
    expect(events(bodies)[0]).not.toHaveProperty("usage");
  });
});
