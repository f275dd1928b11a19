/**
 * Requests written straight from the engine's parts (`request-json.ts`)
 * against the strict path every body took before: the same bytes for what
 * the strict validator accepts, and what it refuses refused and counted.
 * Recorded real runs cover what frameworks send;
 * hostile spans cover what the types of the normalized model cannot rule
 * out (empty names and ids, times that are not numbers, deep tool input,
 * a cost from a pricing function).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunEngine } from "../../src/engine/engine.js";
import { holdUntilRunKnown } from "../../src/engine/release-policy.js";
import { resolveEngineSettings, type EngineOptions } from "../../src/engine/settings.js";
import type { SpanRecord } from "../../src/engine/span-record.js";
import type { HookTransport, SendResult } from "../../src/transport/types.js";
import type { HookBody } from "../../src/protocol/body.js";
import { validateHookBody } from "../../src/protocol/validate.js";
import { ManualClock } from "../support/manual-clock.js";
import { endedSpans, loadRecordedRun, SCENARIO_NAMES } from "../support/recorded-runs.js";
import { FIXTURES_DIR, loadRecording } from "../support/span-fixtures.js";
import { agent, chat, record, TRACE_ID } from "../support/span-records.js";

const OK: SendResult = { status: "success", response: { statusCode: 200, statusText: "OK", body: "{}" } };

/** The payloads an engine sends for `spans` (fed in end order), without `clientSentAtMs`, and its counters. */
async function sent(spans: SpanRecord[], options: EngineOptions = {}) {
  const payloads: string[] = [];
  const transport: HookTransport = {
    send: (payload) => {
      payloads.push(payload.replace(/,"clientSentAtMs":\d+\}$/, "}"));
      return Promise.resolve(OK);
    },
    close() {},
  };
  const settings = resolveEngineSettings(options);
  const engine = new RunEngine(settings, { transport, clock: new ManualClock(), policy: holdUntilRunKnown(settings) });
  for (const span of spans) engine.spanEnded(span);
  engine.release();
  await engine.flush();
  const { eventsInvalid, eventsDelivered } = engine.stats();
  return { payloads, eventsInvalid, eventsDelivered };
}

/**
 * Sends `spans` on both paths. The strict path's bodies are taken where it
 * builds them, by a mask that keeps a copy of each and drops it; the
 * strict validator then says which of them the endpoint would take, and
 * those, encoded, are what the direct path must have sent (the same bytes,
 * in the same order within each run) while counting the others as invalid.
 */
async function expectSameAsStrictPath(spans: SpanRecord[], options: EngineOptions = {}) {
  const direct = await sent(spans, options);
  const built: HookBody[] = [];
  const keep = (body: HookBody) => void built.push(structuredClone(body));
  await sent(spans, { ...options, mask: (body) => (keep(body), null) });
  const valid = built.filter((body) => validateHookBody(body).length === 0);
  const expected = valid.map(({ clientSentAtMs: _sent, ...unsent }) => JSON.stringify(unsent));
  expect(byRun(direct.payloads)).toEqual(byRun(expected));
  expect(direct.eventsInvalid).toBe(built.length - valid.length);
  return direct;
}

/** Requests by run, in order within each: runs are delivered in parallel. */
function byRun(payloads: string[]): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  for (const payload of payloads) {
    const { runId } = JSON.parse(payload) as { runId: string };
    runs.set(runId, [...(runs.get(runId) ?? []), payload]);
  }
  return new Map([...runs].sort(([a], [b]) => a.localeCompare(b)));
}

const FRAMEWORK_RECORDINGS = readdirSync(FIXTURES_DIR).flatMap((suite) =>
  readdirSync(join(FIXTURES_DIR, suite)).map((file) => [suite, file.replace(/\.json$/, "")] as const),
);

describe("requests written straight from the engine's parts", () => {
  it.each(SCENARIO_NAMES.flatMap((scenario) => [["genai", scenario] as const, ["legacy", scenario] as const]))(
    "recorded AI SDK run (%s, %s): the strict path's bytes",
    async (convention, scenario) => {
      const { payloads } = await expectSameAsStrictPath(endedSpans(loadRecordedRun(convention, scenario)));
      expect(payloads.length).toBeGreaterThan(0);
    },
  );

  it.each(FRAMEWORK_RECORDINGS)("recorded %s run %s: the strict path's bytes", async (suite, scenario) => {
    await expectSameAsStrictPath(endedSpans(loadRecording(suite, scenario)));
  });

  it("with configured identity, a system prompt and model settings: the strict path's bytes", async () => {
    const spans = [
      record("M", {
        parent: "A",
        attributes: chat(["hi \u2028 \"quoted\" \\ tab\t"], "hello \uD800 lone", {
          "gen_ai.request.temperature": 0.5,
          "gen_ai.request.max_tokens": 100,
          "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Be brief." }]),
          "session.id": "s-1",
          "user.email": "a@example.com",
        }),
      }),
      record("A", { attributes: agent("helper", { "gen_ai.usage.input_tokens": 3, "gen_ai.usage.output_tokens": 1 }) }),
    ];
    const { payloads } = await expectSameAsStrictPath(spans, { user: { id: "u-1", name: "Ann" }, agent: { id: "agent-7" }, pricing: { m: { input: 1, output: 2 } } });
    expect(payloads.map((payload) => JSON.parse(payload).hookEvent)).toEqual(["user_prompt", "assistant_message", "stop"]);
  });

  it("hostile spans: what the strict check refuses is refused and counted on both paths, the rest is the same", async () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 150; level++) deep = { deeper: deep };
    const toolSpan = (name: string, attributes: Record<string, string>) =>
      record(name, { parent: "A", attributes: { "gen_ai.operation.name": "execute_tool", ...attributes } });
    const spans = [
      // No tool name: no tool_use can be sent, and a tool_result named "" has no hookEvent.
      toolSpan("T1", { "gen_ai.tool.name": "", "gen_ai.tool.call.id": "c1", "gen_ai.tool.call.result": "r" }),
      // Input nested deeper than the endpoint accepts.
      toolSpan("T2", { "gen_ai.tool.name": "deep", "gen_ai.tool.call.id": "c2", "gen_ai.tool.call.arguments": JSON.stringify(deep) }),
      // A time that is not a number.
      { ...record("M", { parent: "A", attributes: chat(["when?"], "never") }), startMs: Number.NaN, endMs: Number.NaN },
      record("A", { attributes: agent("hostile", { "gen_ai.usage.input_tokens": 3, "gen_ai.usage.output_tokens": 1, "gen_ai.request.model": "m" }) }),
    ];
    // A pricing function's answer is the user's: a price that is not a number makes a cost the endpoint refuses.
    const pricing = () => ({ input: 1, output: 1, cacheRead: Number.NaN });
    const { eventsInvalid, eventsDelivered } = await expectSameAsStrictPath(spans, { pricing });
    expect(eventsInvalid).toBeGreaterThanOrEqual(4);
    expect(eventsDelivered).toBeGreaterThan(0);
  });

  it("a body longer than maxFieldLength is cut on the strict path, whichever path it began on", async () => {
    const spans = [record("M", { attributes: chat(["x".repeat(500)], "short") })];
    const { payloads } = await expectSameAsStrictPath(spans, { maxFieldLength: 100 });
    expect(JSON.parse(payloads[0]).event.text).toMatch(/…\[truncated \d+ chars\]$/);
  });

  it("runs of other traces and sub-agents carry their parentRunId", async () => {
    const trace = `${"ab"}${TRACE_ID.slice(2)}`;
    const spans = [
      record("M", { parent: "S", traceId: trace, attributes: chat(["sub?"], "sub.") }),
      record("S", { parent: "X", traceId: trace, attributes: agent("sub") }),
      record("X", { parent: "A", traceId: trace, attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "ask", "gen_ai.tool.call.id": "c" } }),
      record("A", { traceId: trace, attributes: agent("top") }),
    ];
    const { payloads } = await expectSameAsStrictPath(spans);
    expect(payloads.some((payload) => JSON.parse(payload).parentRunId !== undefined)).toBe(true);
  });
});
