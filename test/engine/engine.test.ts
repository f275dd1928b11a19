/**
 * The engine alone: spans in as plain records, requests out through an
 * injected transport, time from a manual clock. What an OTLP receiver and a
 * tool guard rely on: holding and its limits, duplicates, capacity, loops,
 * the no-key no-op, and the guard's link to the runs.
 */
import { describe, expect, it } from "vitest";
import { RunEngine } from "../../src/engine/engine.js";
import { holdUntilRunKnown } from "../../src/engine/release-policy.js";
import { runIdForSpan, runIdForTrace } from "../../src/engine/run-ids.js";
import { toolUseEventId } from "../../src/engine/run-composer.js";
import { resolveEngineSettings } from "../../src/engine/settings.js";
import type { HookTransport } from "../../src/transport/types.js";
import { ManualClock } from "../support/manual-clock.js";
import { agent, chat, chatCallingTool, engineUnderTest, liveSpan, record, spanId, tool, TRACE_ID } from "../support/span-records.js";

const TRACE_RUN = runIdForTrace(TRACE_ID);
const otherTrace = (n: number) => `${n.toString(16).padStart(2, "0")}${TRACE_ID.slice(2)}`;

describe("holding (hold until the run is known)", () => {
  it("sends what it held once holdTimeoutMs passes, with what is known", async () => {
    const { engine, clock, release, summary } = engineUnderTest("hold-until-run-known", { holdTimeoutMs: 1_000 });
    engine.spanEnded(record("M", { parent: "B", attributes: chat(["hi"], "hello") }));
    await release();
    expect(summary()).toEqual([]);
    clock.advance(999);
    expect(engine.capacity().heldSpans).toBe(1);
    clock.advance(1_000);
    await engine.flush();
    // Its agent never came: no local root here, so no stop either.
    expect(summary()).toEqual(["user_prompt:text", "assistant_message:text"]);
    expect(engine.capacity()).toMatchObject({ heldSpans: 0, heldTraces: 0 });
  });

  it("past maxHeldSpans, lets go of the oldest traces first", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known", { maxHeldSpans: 2 });
    for (const n of [1, 2, 3]) engine.spanEnded(record("M", { parent: "B", traceId: otherTrace(n), attributes: chat([`q${n}`], "a") }));
    await release();
    expect(bodies.map((body) => body.event.text)).toEqual(["q1", "a"]);
    expect(engine.capacity()).toMatchObject({ heldSpans: 2, heldTraces: 2, openTraces: 2 });
  });

  it("flush() releases held spans; the deliveries it waits for are reported by capacity()", async () => {
    const { engine, summary } = engineUnderTest("hold-until-run-known");
    engine.spanEnded(record("M", { parent: "B", attributes: chat(["hi"], "hello") }));
    engine.release();
    await engine.flush();
    expect(summary()).toEqual(["user_prompt:text", "assistant_message:text"]);
    expect(engine.capacity()).toEqual({ queueDepth: 0, hasRoom: true, heldSpans: 0, heldTraces: 0, openTraces: 0 });
  });
});

describe("shutdown (known from the start)", () => {
  it("sends what still waits for an open span above it, then keeps nothing", async () => {
    const { engine, release, summary } = engineUnderTest("known-from-start");
    const model = liveSpan("M", { attributes: chatCallingTool("weather?", "weather", "c1") });
    engine.spanStarted(model.read);
    const toolSpan = liveSpan("T", { parent: "M", attributes: tool("weather", "c1", "sunny") });
    engine.spanStarted(toolSpan.read);
    engine.spanEnded(toolSpan.ended(5));
    await release();
    expect(summary()).toEqual([]);
    await engine.shutdown();
    expect(summary()).toEqual(["weather:tool_use", "weather:tool_result"]);
    expect(engine.capacity()).toMatchObject({ heldSpans: 0, openTraces: 0 });
  });
});

describe("stops", () => {
  it("name the agent a run ended with, and map the finish reason reported last", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known");
    // A triage agent hands off to a specialist, whose last model call (the longest conversation) reports no finish reason.
    engine.spanEnded(record("M1", { parent: "T", start: 1, end: 5, attributes: chatCallingTool("weather?", "transfer_to_specialist", "h1") }));
    engine.spanEnded(record("T", { parent: "R", start: 0, end: 6, attributes: agent("triage") }));
    engine.spanEnded(record("M2", { parent: "S", start: 11, end: 15, attributes: chat(["weather?"], "sunny", { "gen_ai.response.finish_reasons": ["stop"] }) }));
    const withoutReason = { ...chat(["weather?", "sunny", "more?"], ""), "gen_ai.output.messages": "[]" };
    engine.spanEnded(record("M3", { parent: "S", start: 12, end: 16, attributes: withoutReason }));
    engine.spanEnded(record("S", { parent: "R", start: 10, end: 17, attributes: agent("specialist") }));
    engine.spanEnded(record("R", { start: 0, end: 20 }));
    await release();
    const stop = bodies.at(-1);
    expect(stop.event).toMatchObject({ source: "stop", stopReason: "end_turn" });
    expect(stop.agent).toEqual({ name: "specialist" });
    expect(bodies.map((body) => `${body.agent?.name}:${body.hookEvent}`)).toEqual([
      "triage:user_prompt",
      "triage:transfer_to_specialist",
      "specialist:assistant_message",
      "specialist:user_prompt",
      "specialist:stop",
    ]);
  });
});

describe.each(["hold-until-run-known", "known-from-start"] as const)("late spans (%s)", (policy) => {
  /** The agent A and its model call M, both started (as a processor sees them) and ended in `order`, then released together. */
  async function endTogether(order: Array<"A" | "M">, ends: { A: number; M: number }) {
    const under = engineUnderTest(policy);
    const spans = { A: liveSpan("A", { start: 0, attributes: agent("a") }), M: liveSpan("M", { parent: "A", start: 2, attributes: chat(["hi"], "hello") }) };
    under.engine.spanStarted(spans.A.read);
    under.engine.spanStarted(spans.M.read);
    for (const name of order) under.engine.spanEnded(spans[name].ended(ends[name]));
    await under.release();
    return under;
  }

  it("a span that arrived before its run's owner ended before it, whatever the span clocks say", async () => {
    // A span's end is its start's wall clock plus a monotonic duration; on a loaded machine a parent's can read
    // earlier than its child's by many milliseconds (seen: 6 ms on a 4 ms agent span).
    const { engine, summary } = await endTogether(["M", "A"], { M: 20, A: 10 });
    expect(summary()).toEqual(["user_prompt:text", "assistant_message:text", "stop:stop"]);
    expect(engine.stats().spansLate).toBe(0);
  });

  it("a span that arrived after its run's owner, and ended after it by its clock, is late", async () => {
    const { engine, summary } = await endTogether(["A", "M"], { A: 10, M: 40 });
    expect(summary()).toEqual(["stop:stop"]);
    expect(engine.stats().spansLate).toBe(1);
  });
});

describe("an agent span's own messages", () => {
  it("stand for its model calls when no model call span is seen below it, and are not sent when one is", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known");
    // A remote agent: only its own span, with the conversation it had.
    engine.spanEnded(record("R", { traceId: otherTrace(1), attributes: { ...chat(["weather?"], "sunny"), ...agent("remote") } }));
    // A local agent whose model call span says the same conversation its own span sums up.
    engine.spanEnded(record("M", { parent: "A", traceId: otherTrace(2), attributes: chat(["hi"], "hello") }));
    engine.spanEnded(record("A", { traceId: otherTrace(2), attributes: { ...chat(["hi"], "summed up"), ...agent("local") } }));
    await release();
    const said = (name: string) => bodies.filter((body) => body.agent?.name === name && body.event.source !== "stop").map((body) => body.event.text);
    expect(said("remote")).toEqual(["weather?", "sunny"]);
    expect(said("local")).toEqual(["hi", "hello"]);
  });
});

describe("duplicates", () => {
  it("a span that arrives again (an OTLP retry) is ignored and counted", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known");
    const spans = [record("M", { parent: "A", attributes: chat(["hi"], "hello") }), record("A", { attributes: agent("a") })];
    for (const span of [...spans, spans[0]]) engine.spanEnded(span);
    await release();
    expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "assistant_message", "stop"]);
    expect(engine.stats()).toMatchObject({ spansSeen: 3, spansDuplicate: 1, spansLate: 0 });
  });
});

describe("capacity", () => {
  it("says when the queue has no room, so a receiver can push back instead of dropping", async () => {
    const hanging: HookTransport = { send: () => new Promise(() => {}), close() {} };
    const settings = resolveEngineSettings({ maxQueueSize: 2, maxConcurrentRequests: 1 });
    const engine = new RunEngine(settings, { transport: hanging, clock: new ManualClock(), policy: holdUntilRunKnown(settings) });
    engine.spanEnded(record("M", { parent: "A", attributes: chat(["one", "two", "three"], "four") }));
    engine.spanEnded(record("A", { attributes: agent("a") }));
    expect(engine.capacity()).toMatchObject({ hasRoom: true, queueDepth: 0 });
    engine.release();
    await new Promise((resolve) => setImmediate(resolve));
    // The user's new message, the answer and the stop: one in flight, two waiting, which fills the queue.
    expect(engine.capacity()).toMatchObject({ hasRoom: false, queueDepth: 3 });
  });
});

describe("parent loops", () => {
  it("are counted, never sent, and not kept after shutdown()", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known");
    engine.spanEnded(record("X", { parent: "Y", attributes: chat(["hi"], "hello") }));
    engine.spanEnded(record("Y", { parent: "X", attributes: agent("loop") }));
    await release();
    expect(bodies).toEqual([]);
    expect(engine.stats()).toMatchObject({ spansInLoops: 2, spansSkipped: 2 });
    expect(engine.capacity()).toMatchObject({ heldSpans: 0, openTraces: 1 });
    await engine.shutdown();
    expect(engine.capacity()).toMatchObject({ heldSpans: 0, openTraces: 0 });
  });
});

describe("without an API key (disabled)", () => {
  it("reads spans, sends nothing and counts every event as dropped", async () => {
    const sent: string[] = [];
    const settings = resolveEngineSettings({});
    const engine = new RunEngine(settings, {
      transport: { send: async (payload) => (sent.push(payload), { status: "failure", error: new Error("unreachable") }), close() {} },
      policy: holdUntilRunKnown(settings),
      disabled: true,
    });
    engine.spanEnded(record("M", { parent: "A", attributes: chat(["hi"], "hello") }));
    engine.spanEnded(record("A", { attributes: agent("a") }));
    expect(engine.release()).toBe(3);
    expect(sent).toEqual([]);
    expect(engine.stats()).toMatchObject({ eventsQueued: 3, eventsDropped: 3, eventsDelivered: 0 });
    expect(engine.capacity().hasRoom).toBe(false);
  });
});

describe("the guard's link (known from the start)", () => {
  /** An agent that calls `weather` (call c1), then the tool runs, then the agent ends. */
  async function weatherTurn(options: { defer: boolean; reportedByGuard: boolean; toolSpan: boolean }) {
    const { engine, bodies, release } = engineUnderTest("known-from-start", { sessionId: "configured-session" });
    engine.setDeferToolUses(options.defer);
    const agentSpan = liveSpan("A", { attributes: agent("weather-agent", { "user.id": "u1" }) });
    const model = liveSpan("M", { parent: "A", attributes: chatCallingTool("weather?", "weather", "c1", { city: "Paris" }) });
    engine.spanStarted(agentSpan.read);
    engine.spanStarted(model.read);
    engine.spanEnded(model.ended(10));
    await release();
    const afterModel = bodies.map((body) => body.hookEvent);
    // The guard is asked before the tool runs, about the active span (the agent's).
    const linked = engine.runOfSpan(TRACE_ID, spanId("A"));
    if (options.reportedByGuard) engine.markToolUseReported(linked!.runId, "c1");
    if (options.toolSpan) {
      const toolSpan = liveSpan("T", { parent: "A", attributes: tool("weather", "c1", "sunny") });
      engine.spanStarted(toolSpan.read);
      engine.spanEnded(toolSpan.ended(20));
      await release();
    }
    const afterTool = bodies.map((body) => body.hookEvent);
    engine.spanEnded(agentSpan.ended(30));
    await release();
    return { linked, afterModel, afterTool, bodies };
  }

  it("gives the run and context of a live span, as the processor's own events carry them", async () => {
    const { linked, bodies } = await weatherTurn({ defer: false, reportedByGuard: false, toolSpan: true });
    expect(linked).toEqual({ runId: TRACE_RUN, agent: { name: "weather-agent" }, sessionId: "configured-session", user: { id: "u1" } });
    expect(bodies[0]).toMatchObject({ runId: TRACE_RUN, agent: { name: "weather-agent" }, sessionId: "configured-session", user: { id: "u1" } });
  });

  it("without deferral, sends the tool_use when the model's output is composed", async () => {
    const { afterModel } = await weatherTurn({ defer: false, reportedByGuard: false, toolSpan: true });
    expect(afterModel).toEqual(["user_prompt", "weather"]);
  });

  it("with deferral, never sends a tool_use the guard reported; its result still comes from the tool's span", async () => {
    const { afterModel, afterTool, bodies } = await weatherTurn({ defer: true, reportedByGuard: true, toolSpan: true });
    expect(afterModel).toEqual(["user_prompt"]);
    expect(afterTool).toEqual(["user_prompt", "weather"]);
    expect(bodies.map((body) => body.event.type ?? body.event.source)).toEqual(["text", "tool_result", "stop"]);
  });

  it("with deferral, sends an unreported tool_use when its tool's span ends, just before the result", async () => {
    const { afterModel, afterTool, bodies } = await weatherTurn({ defer: true, reportedByGuard: false, toolSpan: true });
    expect(afterModel).toEqual(["user_prompt"]);
    expect(afterTool).toEqual(["user_prompt", "weather", "weather"]);
    expect(bodies[1].event).toMatchObject({ type: "tool_use", toolUseId: "c1", eventId: toolUseEventId(TRACE_RUN, "c1"), input: { city: "Paris" } });
    expect(bodies[2].event).toMatchObject({ type: "tool_result", toolUseId: "c1" });
    const times = bodies.map((body) => body.event.timestamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("with deferral, sends an unreported tool_use with no tool span before the run's stop", async () => {
    const { afterTool, bodies } = await weatherTurn({ defer: true, reportedByGuard: false, toolSpan: false });
    expect(afterTool).toEqual(["user_prompt"]);
    expect(bodies.map((body) => body.hookEvent)).toEqual(["user_prompt", "weather", "stop"]);
  });

  it("finds the run holding back a model's call by its id, when no span of it is active", async () => {
    const { engine, release } = engineUnderTest("known-from-start");
    engine.setDeferToolUses(true);
    engine.spanStarted(liveSpan("A", { attributes: agent("outer", { "session.id": "s-9" }) }).read);
    const model = liveSpan("M", { parent: "A", attributes: chatCallingTool("weather?", "weather", "c1") });
    engine.spanStarted(model.read);
    expect(engine.runOfToolCall("c1")).toBeUndefined();
    engine.spanEnded(model.ended(10));
    await release();
    expect(engine.runOfToolCall("c1")).toEqual({ runId: TRACE_RUN, agent: { name: "outer" }, sessionId: "s-9" });
    expect(engine.runOfToolCall("c2")).toBeUndefined();
  });

  it("finds the run of a model call still held while an open span above could turn out to be an agent", async () => {
    const { engine, release, bodies } = engineUnderTest("known-from-start");
    engine.setDeferToolUses(true);
    // An OpenInference chain span: its kind is set after it starts, so the processor waits on it.
    const chain = liveSpan("C", { scope: "@arizeai/openinference-instrumentation-langchain" });
    engine.spanStarted(chain.read);
    const model = liveSpan("M", { parent: "C", attributes: chatCallingTool("weather?", "weather", "c1", { city: "Paris" }) });
    engine.spanStarted(model.read);
    engine.spanEnded(model.ended(10));
    await release();
    expect(bodies).toEqual([]);
    const linked = engine.runOfToolCall("c1");
    expect(linked).toEqual({ runId: TRACE_RUN });
    engine.markToolUseReported(linked!.runId, "c1");
    engine.spanEnded(chain.ended(30));
    await release();
    expect(bodies.map((body) => [body.runId, body.hookEvent])).toEqual([
      [TRACE_RUN, "user_prompt"],
      [TRACE_RUN, "stop"],
    ]);
  });

  it("an agent that says so only at its end, after the link resolved a run through it, still names its events, in that run", async () => {
    const { engine, release, bodies } = engineUnderTest("known-from-start");
    engine.setDeferToolUses(true);
    // Mastra's OpenTelemetry bridge writes every attribute when a span ends.
    const agentSpan = liveSpan("A", { scope: "@mastra/otel-bridge" });
    engine.spanStarted(agentSpan.read);
    const model = liveSpan("M", { parent: "A", attributes: chatCallingTool("weather?", "weather", "c1", { city: "Paris" }) });
    engine.spanStarted(model.read);
    engine.spanEnded(model.ended(10));
    await release();
    const linked = engine.runOfToolCall("c1");
    expect(linked).toEqual({ runId: TRACE_RUN });
    engine.markToolUseReported(linked!.runId, "c1");
    const toolSpan = liveSpan("T", { parent: "A", attributes: tool("weather", "c1", "sunny") });
    engine.spanStarted(toolSpan.read);
    engine.spanEnded(toolSpan.ended(20));
    await release();
    // Still waiting: what the open span turns out to be names the agent of everything below it.
    expect(bodies).toEqual([]);
    engine.spanEnded(agentSpan.ended(30, agent("assistant")));
    await release();
    expect(bodies.map((body) => [body.runId, body.hookEvent, body.agent?.name])).toEqual([
      [TRACE_RUN, "user_prompt", "assistant"],
      [TRACE_RUN, "weather", "assistant"],
      [TRACE_RUN, "stop", "assistant"],
    ]);
  });

  it("finds no run by a call id two runs hold, nor one it sent at once (no deferral)", async () => {
    const { engine, release } = engineUnderTest("known-from-start");
    engine.setDeferToolUses(true);
    for (const traceId of [TRACE_ID, otherTrace(3)]) {
      engine.spanStarted(liveSpan("A", { attributes: agent("a"), traceId }).read);
      const model = liveSpan("M", { parent: "A", attributes: chatCallingTool("hi", "weather", "same-id"), traceId });
      engine.spanStarted(model.read);
      engine.spanEnded(model.ended(10));
    }
    await release();
    expect(engine.runOfToolCall("same-id")).toBeUndefined();
    const { engine: undeferred, release: releaseUndeferred } = engineUnderTest("known-from-start");
    undeferred.spanStarted(liveSpan("A", { attributes: agent("a") }).read);
    const model = liveSpan("M", { parent: "A", attributes: chatCallingTool("hi", "weather", "c1") });
    undeferred.spanStarted(model.read);
    undeferred.spanEnded(model.ended(10));
    await releaseUndeferred();
    expect(undeferred.runOfToolCall("c1")).toBeUndefined();
  });

  it("for a span above every agent, gives the context of the run's one open agent, and none when two are open", async () => {
    const { engine } = engineUnderTest("known-from-start");
    // A hook run in the app's own request span, as the AI SDK's toolApproval is.
    engine.spanStarted(liveSpan("R").read);
    engine.spanStarted(liveSpan("A", { parent: "R", attributes: agent("assistant") }).read);
    expect(engine.runOfSpan(TRACE_ID, spanId("R"))).toEqual({ runId: TRACE_RUN, agent: { name: "assistant" } });
    engine.spanStarted(liveSpan("B", { parent: "R", attributes: agent("planner") }).read);
    expect(engine.runOfSpan(TRACE_ID, spanId("R"))).toEqual({ runId: TRACE_RUN });
  });

  it("finds child runs, and nothing for a span it never saw", async () => {
    const { engine } = engineUnderTest("known-from-start");
    engine.spanStarted(liveSpan("A", { attributes: agent("outer") }).read);
    engine.spanStarted(liveSpan("T", { parent: "A", attributes: tool("research", "c9", "") }).read);
    engine.spanStarted(liveSpan("B", { parent: "T", attributes: agent("inner") }).read);
    engine.spanStarted(liveSpan("S", { parent: "B" }).read);
    expect(engine.runOfSpan(TRACE_ID, spanId("S"))).toEqual({
      runId: runIdForSpan(TRACE_ID, spanId("B")),
      parentRunId: TRACE_RUN,
      agent: { name: "inner" },
    });
    expect(engine.runOfSpan(TRACE_ID, spanId("Q"))).toBeUndefined();
    expect(engine.runOfSpan(otherTrace(7), spanId("S"))).toBeUndefined();
  });
});

describe("a run that failed", () => {
  it("stops without a stopReason when the span owning it ended in error, and only that run", async () => {
    const { engine, bodies, release } = engineUnderTest("hold-until-run-known");
    engine.spanEnded(record("M", { parent: "S", start: 1, end: 2, attributes: chat(["look it up"], "found") }));
    // The sub-agent's own model call finished with "stop", then the sub-agent failed.
    engine.spanEnded({ ...record("S", { parent: "A", start: 1, end: 3, attributes: agent("sub") }), status: { code: 2, message: "tool failed" } });
    engine.spanEnded(record("N", { parent: "A", start: 4, end: 5, attributes: chat(["go"], "done") }));
    engine.spanEnded(record("A", { start: 0, end: 6, attributes: agent("main") }));
    await release();
    const stops = bodies.filter((body) => body.hookEvent === "stop");
    expect(stops.map((body) => [body.runId, body.event.stopReason])).toEqual([
      [runIdForSpan(TRACE_ID, spanId("S")), undefined],
      [TRACE_RUN, "end_turn"],
    ]);
  });
});
