/**
 * Run resolution, table-driven: a tree of spans (by name, each an agent or
 * not), what the graph may assume about parents it has not seen, and the
 * run every span ends up in.
 */
import { describe, expect, it } from "vitest";
import { runIdForSpan, runIdForTrace } from "../../src/engine/run-ids.js";
import { TraceGraph, type SpanKind } from "../../src/engine/trace-graph.js";
import { record, spanId, TRACE_ID } from "../support/span-records.js";

/** `[name, parent, kind]`, or with `remote` when the parent is in another process. */
type Row = [name: string, parent: string | null, kind: SpanKind, remote?: "remote"];

/** `"trace"`, `"child of X"` (the run owned by agent X), or `"waits"` (not known yet). */
type Expected = Record<string, string>;

interface Case {
  name: string;
  /** A processor saw every start (unseen parents are outside); an exporter did not. */
  assumeComplete: boolean;
  spans: Row[];
  runs: Expected;
}

const CASES: Case[] = [
  {
    name: "an agent at the root: the trace's run, for it and below it",
    assumeComplete: false,
    spans: [["A", null, "agent"], ["M", "A", "model"], ["T", "A", "tool"]],
    runs: { A: "trace", M: "trace", T: "trace" },
  },
  {
    name: "a sub-agent called as a tool owns a child run",
    assumeComplete: false,
    spans: [["A", null, "agent"], ["T", "A", "tool"], ["B", "T", "agent"], ["M", "B", "model"], ["N", "A", "model"]],
    runs: { A: "trace", T: "trace", B: "child of B", M: "child of B", N: "trace" },
  },
  {
    name: "a sub-sub-agent's run has the sub-agent's run as parent",
    assumeComplete: false,
    spans: [["A", null, "agent"], ["B", "A", "agent"], ["C", "B", "agent"], ["M", "C", "model"]],
    runs: { A: "trace", B: "child of B", C: "child of C", M: "child of C" },
  },
  {
    name: "two agents side by side under a request span share the trace's run",
    assumeComplete: false,
    spans: [["R", null, "none"], ["A", "R", "agent"], ["B", "R", "agent"], ["M", "B", "model"]],
    runs: { R: "trace", A: "trace", B: "trace", M: "trace" },
  },
  {
    name: "spans that are not agents do not break the chain to an agent",
    assumeComplete: false,
    spans: [["A", null, "agent"], ["S", "A", "none"], ["X", "S", "none"], ["B", "X", "agent"], ["M", "B", "model"]],
    runs: { S: "trace", X: "trace", B: "child of B", M: "child of B" },
  },
  {
    name: "exporter: a parent not seen yet leaves the run open",
    assumeComplete: false,
    spans: [["M", "B", "model"], ["B", "T", "agent"]],
    runs: { M: "waits", B: "waits" },
  },
  {
    name: "exporter: a remote parent ends the chain",
    assumeComplete: false,
    spans: [["A", "Z", "agent", "remote"], ["M", "A", "model"]],
    runs: { A: "trace", M: "trace" },
  },
  {
    name: "processor: a parent never seen is outside this process",
    assumeComplete: true,
    spans: [["M", "B", "model"], ["B", "T", "agent"]],
    runs: { M: "trace", B: "trace" },
  },
  {
    name: "processor: an agent under an unseen parent under nothing else owns no child run",
    assumeComplete: true,
    spans: [["A", "Z", "agent"], ["B", "A", "agent"], ["M", "B", "model"]],
    runs: { A: "trace", B: "child of B", M: "child of B" },
  },
];

function runName(graph: TraceGraph, name: string): string {
  const run = graph.resolveRun(graph.get(spanId(name))!);
  if (!run) return "waits";
  if (run.runId === runIdForTrace(TRACE_ID)) return "trace";
  const owner = CASE_NAMES.find((candidate) => runIdForSpan(TRACE_ID, spanId(candidate)) === run.runId);
  return `child of ${owner}`;
}

const CASE_NAMES = [...new Set(CASES.flatMap((c) => c.spans.map(([name]) => name)))];

describe("run resolution", () => {
  it.each(CASES)("$name", ({ assumeComplete, spans, runs }) => {
    const graph = new TraceGraph(TRACE_ID, assumeComplete, 0);
    for (const [name, parent, kind, remote] of spans) {
      graph.add(record(name, { parent: parent ?? undefined, parentIsRemote: remote === "remote" }), kind);
    }
    const found = Object.fromEntries(Object.keys(runs).map((name) => [name, runName(graph, name)]));
    expect(found).toEqual(runs);
  });

  it("gives a child run its parent's run id", () => {
    const graph = new TraceGraph(TRACE_ID, false, 0);
    for (const [name, parent, kind] of [["A", null, "agent"], ["B", "A", "agent"], ["C", "B", "agent"]] as Row[]) {
      graph.add(record(name, { parent: parent ?? undefined }), kind);
    }
    expect(graph.resolveRun(graph.get(spanId("C"))!)).toEqual({
      runId: runIdForSpan(TRACE_ID, spanId("C")),
      parentRunId: runIdForSpan(TRACE_ID, spanId("B")),
      ownerSpanId: spanId("C"),
    });
  });

  it("an exporter's waiting span resolves once its chain arrives", () => {
    const graph = new TraceGraph(TRACE_ID, false, 0);
    const model = graph.add(record("M", { parent: "B" }), "model");
    expect(graph.resolveRun(model)).toBeUndefined();
    graph.add(record("B", { parent: "T" }), "agent");
    graph.add(record("T", { parent: "A" }), "tool");
    expect(graph.resolveRun(model)).toBeUndefined();
    graph.add(record("A"), "agent");
    expect(graph.resolveRun(model)?.runId).toBe(runIdForSpan(TRACE_ID, spanId("B")));
  });
});

describe("runs are fixed once a run was resolved through a span", () => {
  it("an open span that turns out to be an agent afterwards joins the run its scope was given, under an agent", () => {
    const graph = new TraceGraph(TRACE_ID, true, 0);
    graph.add(record("A"), "agent");
    const middle = graph.add(record("X", { parent: "A", open: true }), "none");
    const model = graph.add(record("M", { parent: "X" }), "model");
    expect(graph.resolveRun(model)?.runId).toBe(runIdForTrace(TRACE_ID));
    graph.setKind(middle, "agent");
    // It names the agent of the spans below it, and owns no child run: runs already given out stay.
    expect(middle.kind).toBe("agent");
    expect(graph.scopeAgent(model)).toBe(middle);
    expect(graph.resolveRun(model)?.runId).toBe(runIdForTrace(TRACE_ID));
    expect(graph.resolveRun(graph.add(record("N", { parent: "X" }), "model"))).toEqual({ runId: runIdForTrace(TRACE_ID) });
    expect(graph.resolveRun(middle)).toEqual({ runId: runIdForTrace(TRACE_ID) });
  });

  it("a late agent under a late agent: both in the run given out, neither owning a child run", () => {
    const graph = new TraceGraph(TRACE_ID, true, 0);
    const outer = graph.add(record("O", { open: true }), "none");
    const inner = graph.add(record("I", { parent: "O", open: true }), "none");
    const model = graph.add(record("M", { parent: "I" }), "model");
    expect(graph.resolveRun(model)?.runId).toBe(runIdForTrace(TRACE_ID));
    graph.setKind(inner, "agent");
    graph.setKind(outer, "agent");
    expect([outer.kind, inner.kind]).toEqual(["agent", "agent"]);
    expect(graph.nearestAgentAbove(inner)).toBe(outer);
    expect(graph.resolveRun(graph.add(record("N", { parent: "I" }), "model"))?.runId).toBe(runIdForTrace(TRACE_ID));
  });

  it("a span no run was resolved through becomes an agent as usual, owning its child run", () => {
    const graph = new TraceGraph(TRACE_ID, true, 0);
    graph.add(record("A"), "agent");
    const middle = graph.add(record("X", { parent: "A", open: true }), "none");
    graph.setKind(middle, "agent");
    expect(graph.resolveRun(graph.add(record("M", { parent: "X" }), "model"))?.runId).toBe(runIdForSpan(TRACE_ID, spanId("X")));
  });

  it("other kinds change freely", () => {
    const graph = new TraceGraph(TRACE_ID, true, 0);
    const middle = graph.add(record("X", { open: true }), "none");
    graph.resolveRun(graph.add(record("M", { parent: "X" }), "model"));
    graph.setKind(middle, "model");
    expect(middle.kind).toBe("model");
  });

  it("an agent keeps being one, whatever it says at its end", () => {
    const graph = new TraceGraph(TRACE_ID, true, 0);
    const agentNode = graph.add(record("A", { open: true }), "agent");
    graph.resolveRun(graph.add(record("M", { parent: "A" }), "model"));
    graph.end(agentNode, 10, { meaning: { kind: "none" }, identity: {}, convention: "none" });
    expect(agentNode.kind).toBe("agent");
  });
});

describe("parent loops", () => {
  it("are found by the span that closes them, and resolve nothing", () => {
    const graph = new TraceGraph(TRACE_ID, false, 0);
    graph.add(record("X", { parent: "Y" }), "model");
    const child = graph.add(record("C", { parent: "X" }), "tool");
    const closing = graph.add(record("Y", { parent: "X" }), "agent");
    expect(graph.markLoopThrough(closing).map((node) => node.spanId)).toEqual([spanId("Y"), spanId("X")]);
    expect(graph.get(spanId("X"))!.inLoop).toBe(true);
    // The span below the loop: the loop is the edge of its chain.
    expect(graph.resolveRun(child)?.runId).toBe(runIdForTrace(TRACE_ID));
    expect(graph.isLocalRoot(child)).toBe(true);
  });

  it("a span that is its own parent is a loop of one", () => {
    const graph = new TraceGraph(TRACE_ID, false, 0);
    const self = graph.add(record("S", { parent: "S" }), "model");
    expect(graph.markLoopThrough(self)).toEqual([self]);
  });

  it("a chain without a loop is left alone", () => {
    const graph = new TraceGraph(TRACE_ID, false, 0);
    graph.add(record("A"), "agent");
    expect(graph.markLoopThrough(graph.add(record("B", { parent: "A" }), "model"))).toEqual([]);
  });
});
