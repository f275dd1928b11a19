/**
 * When a processor lets an ended span's events go, table-driven. Each case
 * starts and ends spans in order (attributes may be set on open spans in
 * between, as instrumentations do) and says, after each end, which events
 * went out.
 */
import type { Attributes } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { runIdForSpan, runIdForTrace } from "../../src/engine/run-ids.js";
import { agent, chat, chatCallingTool, engineUnderTest, liveSpan, record, spanId, tool, TRACE_ID, type RecordShape } from "../support/span-records.js";

type Step =
  | { start: string; shape?: RecordShape; exportable?: boolean }
  | { set: string; attributes: Attributes }
  | { end: string; at: number; attributes?: Attributes; sent: string[] };

interface Case {
  name: string;
  steps: Step[];
  /** The run and agent name of every event sent, in order: `run/agent`. */
  finally?: string[];
}

const MASTRA = "@mastra/otel-bridge";
const LANGCHAIN = "@arizeai/openinference-instrumentation-langchain";

const CASES: Case[] = [
  {
    name: "a span under known spans goes out when it ends",
    steps: [
      { start: "A", shape: { attributes: agent("weather") } },
      { start: "M", shape: { parent: "A", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: ["user_prompt:text", "assistant_message:text"] },
      { end: "A", at: 20, sent: ["stop:stop"] },
    ],
    finally: ["trace/weather", "trace/weather", "trace/weather"],
  },
  {
    name: "a tool under an open model call waits for it: the call's output came first",
    steps: [
      { start: "A", shape: { attributes: agent("weather") } },
      { start: "M", shape: { parent: "A", attributes: chatCallingTool("weather?", "weather", "c1") } },
      { start: "T", shape: { parent: "M", attributes: tool("weather", "c1", "sunny") } },
      { end: "T", at: 5, sent: [] },
      { end: "M", at: 10, sent: ["user_prompt:text", "weather:tool_use", "weather:tool_result"] },
    ],
  },
  {
    name: "a bare span from an instrumentation that says what it is only at its end keeps its children waiting",
    steps: [
      { start: "X", shape: { scope: MASTRA } },
      { start: "M", shape: { parent: "X", scope: MASTRA, attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: [] },
      { end: "X", at: 20, attributes: agent("mastra-agent"), sent: ["user_prompt:text", "assistant_message:text", "stop:stop"] },
    ],
    finally: ["trace/mastra-agent", "trace/mastra-agent", "trace/mastra-agent"],
  },
  {
    name: "such a span that turns out to be a sub-agent while open takes its children into its own run",
    steps: [
      { start: "A", shape: { attributes: agent("outer") } },
      { start: "T", shape: { parent: "A", attributes: tool("research", "c9", "done") } },
      { start: "X", shape: { parent: "T", scope: MASTRA } },
      { start: "M", shape: { parent: "X", scope: MASTRA, attributes: chat(["dig"], "found") } },
      { end: "M", at: 10, sent: [] },
      { set: "X", attributes: agent("inner") },
      { start: "N", shape: { parent: "X", scope: MASTRA, attributes: chat(["dig", "found", "more"], "more found") } },
      { end: "N", at: 12, sent: ["user_prompt:text", "assistant_message:text", "user_prompt:text", "assistant_message:text"] },
    ],
    finally: ["child X/inner", "child X/inner", "child X/inner", "child X/inner"],
  },
  {
    name: "once recognised as something other than an agent, such a span keeps no one waiting",
    steps: [
      { start: "X", shape: { scope: LANGCHAIN, attributes: { "openinference.span.kind": "TOOL" } } },
      { start: "M", shape: { parent: "X", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: ["user_prompt:text", "assistant_message:text"] },
    ],
  },
  {
    name: "a span its convention says may still become an agent keeps its children waiting until it ends",
    steps: [
      // OpenInference's LangChain tracer writes a CHAIN's metadata (which names createAgent's agent) at its end.
      { start: "X", shape: { scope: LANGCHAIN, name: "weather-agent", attributes: { "openinference.span.kind": "CHAIN" } } },
      { start: "M", shape: { parent: "X", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: [] },
      {
        end: "X",
        at: 20,
        attributes: { metadata: '{"lc_agent_name":"weather-agent"}' },
        sent: ["user_prompt:text", "assistant_message:text", "stop:stop"],
      },
    ],
    finally: ["trace/weather-agent", "trace/weather-agent", "trace/weather-agent"],
  },
  {
    name: "a bare span from any other instrumentation keeps no one waiting",
    steps: [
      { start: "R", shape: { scope: "my-app" } },
      { start: "M", shape: { parent: "R", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: ["user_prompt:text", "assistant_message:text"] },
    ],
  },
  {
    name: "attributes set on an open span after its start are read when a child ends",
    steps: [
      { start: "R", shape: { scope: "my-app" } },
      { set: "R", attributes: agent("named-late") },
      { start: "M", shape: { parent: "R", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: ["user_prompt:text", "assistant_message:text"] },
    ],
    finally: ["trace/named-late", "trace/named-late"],
  },
  {
    name: "a late-classifying span the user's filter refused at its start waits until its end",
    steps: [
      { start: "X", shape: { scope: MASTRA, attributes: agent("filtered") }, exportable: false },
      { start: "M", shape: { parent: "X", attributes: chat(["hi"], "hello") } },
      { end: "M", at: 10, sent: [] },
      { end: "X", at: 20, sent: ["user_prompt:text", "assistant_message:text", "stop:stop"] },
    ],
  },
];

describe("known from the start (processor)", () => {
  it.each(CASES)("$name", async ({ steps, finally: expected }) => {
    const { engine, bodies, release, summary } = engineUnderTest("known-from-start");
    const spans = new Map<string, ReturnType<typeof liveSpan>>();
    for (const step of steps) {
      if ("start" in step) {
        const span = liveSpan(step.start, step.shape, step.exportable ?? true);
        spans.set(step.start, span);
        engine.spanStarted(span.read);
      } else if ("set" in step) {
        spans.get(step.set)!.setAttributes(step.attributes);
      } else {
        const before = bodies.length;
        engine.spanEnded(spans.get(step.end)!.ended(step.at, step.attributes), true);
        await release();
        expect(summary().slice(before), `after ${step.end} ended`).toEqual(step.sent);
      }
    }
    if (expected) {
      const names = new Map([[runIdForTrace(TRACE_ID), "trace"], ...["X", "B"].map((name) => [runIdForSpan(TRACE_ID, spanId(name)), `child ${name}`] as const)]);
      expect(bodies.map((body) => `${names.get(body.runId) ?? body.runId}/${body.agent?.name}`)).toEqual(expected);
    }
  });
});

describe("hold until the run is known (exporter)", () => {
  it("holds a span until the chain to its agent has arrived, then sends it in that agent's run", async () => {
    const { engine, bodies, release, summary } = engineUnderTest("hold-until-run-known");
    engine.spanEnded(record("M", { parent: "B", attributes: chat(["dig"], "found") }));
    engine.spanEnded(record("B", { parent: "T", attributes: agent("inner") }));
    await release();
    expect(bodies).toEqual([]);
    expect(engine.capacity()).toMatchObject({ heldSpans: 2, heldTraces: 1 });
    engine.spanEnded(record("T", { parent: "A", attributes: tool("research", "c9", "done") }));
    engine.spanEnded(record("A", { attributes: agent("outer") }));
    await release();
    const inRun = (runId: string) => bodies.filter((body) => body.runId === runId).map((body) => `${body.hookEvent}/${body.agent?.name}`);
    expect(inRun(runIdForSpan(TRACE_ID, spanId("B")))).toEqual(["user_prompt/inner", "assistant_message/inner", "stop/inner"]);
    expect(inRun(runIdForTrace(TRACE_ID))).toEqual(["research/outer", "research/outer", "stop/outer"]);
    // Runs deliver in parallel; a parent's stop waits for its children's.
    expect(summary().at(-1)).toBe("stop:stop");
    expect(bodies.at(-1).runId).toBe(runIdForTrace(TRACE_ID));
    expect(engine.capacity()).toMatchObject({ heldSpans: 0, heldTraces: 0, openTraces: 0 });
  });
});
