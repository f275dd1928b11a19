/**
 * A parent agent whose reported totals include its sub-agent's tokens: the
 * parent's stop counts only its own calls, the child reports its own, and no
 * call is counted twice, whichever order the spans arrive in.
 */
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { ATTACHMENTS, capture } from "../support/bridge-harness.js";
import type { TestProvider } from "../support/otel-sdk.js";
import { inSpan } from "./conventions/hand-built.js";

const json = JSON.stringify;
const user = (text: string) => ({ role: "user", parts: [{ type: "text", content: text }] });
const answer = (text: string) => [{ role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" }];

function chat(input: unknown[], output: unknown[], tokens: [number, number]) {
  return {
    kind: SpanKind.CLIENT,
    attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m", "gen_ai.input.messages": json(input) },
    endAttributes: {
      "gen_ai.output.messages": json(output),
      "gen_ai.usage.input_tokens": tokens[0],
      "gen_ai.usage.output_tokens": tokens[1],
    },
  };
}

async function parentWithSubAgent(provider: TestProvider): Promise<void> {
  const tracer = provider.getTracer("hand-built");
  const agent = (name: string, totals: [number, number]) => ({
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": name },
    endAttributes: { "gen_ai.usage.input_tokens": totals[0], "gen_ai.usage.output_tokens": totals[1] },
  });
  // The parent's totals (110/55) include the child's (90/45), as some frameworks report them.
  await inSpan(tracer, "invoke_agent parent", agent("parent", [110, 55]), async () => {
    // It delegates first, so the child's spans end before any span of the parent's own run.
    await inSpan(
      tracer,
      "execute_tool ask_child",
      {
        attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "ask_child", "gen_ai.tool.call.id": "t1" },
        endAttributes: { "gen_ai.tool.call.result": "done" },
      },
      async () => {
        await inSpan(tracer, "invoke_agent child", agent("child", [90, 45]), async () => {
          await inSpan(tracer, "chat m", chat([user("do it")], answer("done"), [90, 45]));
        });
      },
    );
    await inSpan(tracer, "chat m", chat([user("delegate this")], answer("all done"), [20, 10]));
  });
}

describe.each(ATTACHMENTS)("usage with a sub-agent (%s)", (attachment) => {
  it("counts each call once: the parent its own calls, the child its own", async () => {
    const { bodies } = await capture(attachment, parentWithSubAgent);
    const stops = bodies.filter((body) => body.hookEvent === "stop");
    const usageOf = (name: string) => (stops.find((body) => body.agent?.name === name)?.event as { usage?: unknown }).usage;
    expect(usageOf("child")).toEqual({ inputTokens: 90, outputTokens: 45, totalTokens: 135 });
    expect(usageOf("parent")).toEqual({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });
    expect(bodies.at(-1)?.agent?.name).toBe("parent");
  });
});
