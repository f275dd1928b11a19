/**
 * Composition, table-driven: model calls and tool executions of one run (the
 * normalized model, as any reader produces it) in, the run's events out:
 * no replays, causal order, each tool call once, deterministic ids.
 */
import { describe, expect, it } from "vitest";
import type { Message, ModelCall, ToolExecution } from "../../src/otel/model.js";
import { RunComposer, toolUseEventId, type CallItem, type ToolItem } from "../../src/engine/run-composer.js";

const RUN = "run-1";
const user = (text: string): Message => ({ role: "user", parts: [{ type: "text", text }] });
const assistant = (text: string): Message => ({ role: "assistant", parts: [{ type: "text", text }] });
const asks = (id: string, name: string, args: object): Message => ({ role: "assistant", parts: [{ type: "tool_call", id, name, arguments: args }] });
const answers = (id: string, result: string): Message => ({ role: "tool", parts: [{ type: "tool_result", id, result }] });

function call(spanId: string, startMs: number, input: Message[], output: Message[], extra: Partial<ModelCall> = {}): CallItem {
  return { span: { spanId, startMs, endMs: startMs + 10 }, call: { input, output, settings: {}, model: "m", ...extra }, scope: "agent" };
}

function toolRun(spanId: string, startMs: number, tool: Partial<ToolExecution>): ToolItem {
  return { span: { spanId, startMs, endMs: startMs + 5 }, tool: { isError: false, ...tool } };
}

interface Case {
  name: string;
  calls: CallItem[];
  tools?: ToolItem[];
  /** `hookEvent type eventId-suffix` of each event, in order. */
  events: string[];
  partsSkipped?: number;
}

const CASES: Case[] = [
  {
    name: "the first call sends only what follows the last assistant message",
    calls: [call("c1", 0, [user("earlier"), assistant("old answer"), user("now")], [assistant("new answer")])],
    events: ["user_prompt text c1:i2.0", "assistant_message text c1:o0.0"],
  },
  {
    name: "a later call sends only what the run has not sent",
    calls: [
      call("c1", 0, [user("q")], [asks("t1", "search", { q: 1 })]),
      call("c2", 20, [user("q"), asks("t1", "search", { q: 1 }), answers("t1", "r")], [assistant("done")]),
    ],
    events: ["user_prompt text c1:i0.0", "search tool_use tool_use:t1", "search tool_result tool_result:t1", "assistant_message text c2:o0.0"],
  },
  {
    name: "calls go by conversation length, whatever their clocks say",
    calls: [
      call("c2", 0, [user("q"), assistant("a"), user("q2")], [assistant("a2")]),
      call("c1", 50, [user("q")], [assistant("a")]),
    ],
    events: ["user_prompt text c1:i0.0", "assistant_message text c1:o0.0", "user_prompt text c2:i2.0", "assistant_message text c2:o0.0"],
  },
  {
    name: "a call whose input was not recorded goes after the calls that started before it (Mastra: the prompt is on the loop's span)",
    calls: [
      call("c2", 30, [], [assistant("done")]),
      call("c1", 10, [], [asks("t1", "weather", { city: "Paris" })]),
      call("loop", 0, [assistant("earlier answer"), user("weather?")], []),
    ],
    tools: [toolRun("tool", 20, { name: "weather", callId: "t1", result: "sun" })],
    events: ["user_prompt text loop:i1.0", "weather tool_use tool_use:t1", "weather tool_result tool_result:t1", "assistant_message text c2:o0.0"],
  },
  {
    name: "a tool call seen on the model's output and on the tool's span is sent once, its result after it",
    calls: [call("c1", 0, [user("weather?")], [asks("t1", "weather", { city: "Paris" })])],
    tools: [toolRun("tool", 12, { name: "weather", callId: "t1", arguments: { city: "Paris" }, result: { forecast: "sun" } })],
    events: ["user_prompt text c1:i0.0", "weather tool_use tool_use:t1", "weather tool_result tool_result:t1"],
  },
  {
    name: "a tool span without a call id answers the oldest open call of that tool",
    calls: [call("c1", 0, [user("go")], [asks("t7", "lookup", { q: "x" })])],
    tools: [toolRun("tool", 12, { name: "lookup", arguments: { q: "x" }, result: "found" })],
    events: ["user_prompt text c1:i0.0", "lookup tool_use tool_use:t7", "lookup tool_result tool_result:t7"],
  },
  {
    name: "a tool no call asked for, finished before a call began, comes before that call",
    calls: [call("c1", 100, [user("summarise")], [assistant("summary")])],
    tools: [toolRun("pre", 0, { name: "fetch", callId: "f1", result: "page" })],
    events: ["fetch tool_use tool_use:f1", "fetch tool_result tool_result:f1", "user_prompt text c1:i0.0", "assistant_message text c1:o0.0"],
  },
  {
    name: "a failed tool reports its error as the result",
    calls: [],
    tools: [toolRun("tool", 0, { name: "scan", callId: "s1", isError: true, errorMessage: "offline" })],
    events: ["scan tool_use tool_use:s1", "scan tool_result tool_result:s1"],
  },
  {
    name: "parts no event can express are skipped and counted",
    calls: [call("c1", 0, [{ role: "user", parts: [{ type: "text", text: "hi" }, { type: "unsupported", what: "audio" }] }], [assistant("ok")])],
    events: ["user_prompt text c1:i0.0", "assistant_message text c1:o0.0"],
    partsSkipped: 1,
  },
];

describe("RunComposer", () => {
  it.each(CASES)("$name", ({ calls, tools = [], events, partsSkipped = 0 }) => {
    const composition = new RunComposer(RUN).compose(calls, tools);
    expect(composition.events.map(({ hookEvent, event }) => `${hookEvent} ${event.type} ${String(event.eventId).slice(RUN.length + 1)}`)).toEqual(events);
    expect(composition.partsSkipped).toBe(partsSkipped);
  });

  it("carries the model and its settings on what it said, reasoning with its signature, and a file as a document", () => {
    const pdf = { type: "media", kind: "document", source: "base64", data: "JVBERi0=", mediaType: "application/pdf" } as const;
    const fromModel = { model: "m", temperature: 0.2, maxTokens: 100, topP: 0.9, topK: 40 };
    const { events } = new RunComposer(RUN).compose(
      [
        call("c1", 0, [{ role: "user", parts: [{ type: "text", text: "read this" }, pdf] }], [
          { role: "assistant", parts: [{ type: "thinking", text: "A contract.", signature: "sig-1" }, { type: "text", text: "It is a contract." }] },
        ], { settings: { temperature: 0.2, maxTokens: 100, topP: 0.9, topK: 40 } }),
      ],
      [],
    );
    expect(events.map(({ hookEvent, event }) => {
      const { eventId: _id, timestamp: _time, ...rest } = event as unknown as Record<string, unknown>;
      return { hookEvent, event: rest };
    })).toEqual([
      { hookEvent: "user_prompt", event: { source: "user", type: "text", text: "read this" } },
      { hookEvent: "user_prompt", event: { source: "user", type: "document", document: { source: "base64", data: "JVBERi0=", mediaType: "application/pdf" } } },
      { hookEvent: "assistant_thinking", event: { source: "agent", type: "thinking", thinking: "A contract.", signature: "sig-1", ...fromModel } },
      { hookEvent: "assistant_message", event: { source: "agent", type: "text", text: "It is a contract.", ...fromModel } },
    ]);
  });

  it("never lets timestamps go back within a run", () => {
    const composer = new RunComposer(RUN);
    const { events } = composer.compose([call("c1", 100, [user("q")], [assistant("a")], { responseTimeMs: 90 })], []);
    const times = events.map((composed) => composed.event.timestamp as number);
    expect(times).toEqual([100, 100]);
    expect(composer.nextTimestamp(50)).toBe(100);
  });

  it("marks the tool_use a tool's own span said, and uses the shared eventId format", () => {
    const composer = new RunComposer(RUN);
    const fromModel = composer.compose([call("c1", 0, [user("q")], [asks("t1", "a", {})])], []).events[1];
    const fromSpan = composer.compose([], [toolRun("tool", 20, { name: "b", callId: "t2", result: "r" })]).events[0];
    expect(fromModel.fromToolSpan).toBeUndefined();
    expect(fromSpan.fromToolSpan).toBe(true);
    expect(fromSpan.event.eventId).toBe(toolUseEventId(RUN, "t2"));
    expect(toolUseEventId(RUN, "t2")).toBe("run-1:tool_use:t2");
  });

  it("remembers across compositions: what a run sent is not sent again", () => {
    const composer = new RunComposer(RUN);
    composer.compose([call("c1", 0, [user("q")], [assistant("a")])], []);
    const { events } = composer.compose([call("c2", 20, [user("q"), assistant("a"), user("q2")], [assistant("b")])], []);
    expect(events.map(({ event }) => (event as { text?: string }).text)).toEqual(["q2", "b"]);
  });
});
