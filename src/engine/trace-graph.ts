/**
 * The spans of one trace as a tree, and which run each belongs to.
 *
 * A span belongs to the run of its nearest enclosing agent; an agent with no
 * agent above it joins the trace's run, one with an agent above it owns a
 * child run. A node keeps what later spans need (ids, times, kind,
 * identity, the agent it is), never a model call's or a tool's content.
 *
 * What the graph may assume about a parent it has not seen is the release
 * policy's call (`assumeComplete`): an exporter sees children before their
 * parents, so an unseen parent leaves the run open (`resolveRun` answers
 * `undefined` and the span waits); a processor saw every start, so an unseen
 * parent is outside this process.
 */
import type { AgentInvocation, Identity, SpanFacts, SpanMeaning } from "../otel/model.js";
import { runIdForSpan, runIdForTrace } from "./run-ids.js";
import type { OpenSpanReading } from "./span-facts.js";
import type { SpanRecord, SpanSnapshot } from "./span-record.js";

export interface RunRef {
  runId: string;
  parentRunId?: string;
  /** The agent span owning a child run; `undefined` for the trace's run. */
  ownerSpanId?: string;
}

export type SpanKind = SpanMeaning["kind"];

export interface SpanNode {
  readonly spanId: string;
  readonly parentId: string | undefined;
  readonly parentIsRemote: boolean | undefined;
  readonly startMs: number;
  ended: boolean;
  /** NaN while open. */
  endMs: number;
  /** What the span is, as far as is known: from its start, from its live attributes while open, final at its end. */
  kind: SpanKind;
  /** Open, and it could still turn out to be an agent (see the release policy). */
  undetermined: boolean;
  /** Who the span is about, once it ended. */
  identity?: Identity;
  /** The agent an ended agent span is, without its messages. */
  agent?: AgentInvocation;
  /** An open span's current state (spans seen at their start). */
  live?: () => SpanSnapshot;
  /** What the open span said when last read (the OpenSpanReader's, dropped at the end). */
  reading?: OpenSpanReading;
  /** Its parents lead back to itself (ids reused by a custom IdGenerator): never resolved, never sent. */
  inLoop: boolean;
  /**
   * A run was resolved through it: the runs given out through it can no
   * longer change. An agent stays one; a span that turns out to be an agent
   * only later joins the run its scope was given (see `setKind`).
   */
  roleFixed: boolean;
  /** Its run, once resolved; never changes after. */
  run?: RunRef;
  /** It ended with an error status: a run it owns ended in failure, whatever its last model call said. */
  failed: boolean;
}

const MAX_DEPTH = 10_000;
/** What `markLoopThrough` answers for almost every span: one shared empty list. */
const NO_LOOP: readonly SpanNode[] = Object.freeze([]);

/** The agent without its messages (a reader may read them only when they are asked for). */
function withoutCall({ name, id, systemPrompt, usage, finishReason }: AgentInvocation): AgentInvocation {
  return { name, id, systemPrompt, usage, finishReason };
}

export class TraceGraph {
  readonly traceId: string;
  readonly traceRun: RunRef;
  readonly #nodes = new Map<string, SpanNode>();
  /** Span ids named as parents by spans that arrived before them. */
  readonly #awaitedParents = new Set<string>();
  /** When the first span of this trace arrived (for the hold deadline). */
  readonly firstSeenAt: number;
  /** Treat a missing parent as the edge of what this process will see. */
  assumeComplete: boolean;

  constructor(traceId: string, assumeComplete: boolean, now: number) {
    this.traceId = traceId;
    this.traceRun = { runId: runIdForTrace(traceId) };
    this.assumeComplete = assumeComplete;
    this.firstSeenAt = now;
  }

  get(spanId: string): SpanNode | undefined {
    return this.#nodes.get(spanId);
  }

  get size(): number {
    return this.#nodes.size;
  }

  nodes(): IterableIterator<SpanNode> {
    return this.#nodes.values();
  }

  /** Adds a span seen for the first time, open or ended. */
  add(span: SpanRecord, kind: SpanKind, open?: { undetermined: boolean; live: () => SpanSnapshot }): SpanNode {
    const node: SpanNode = {
      spanId: span.spanId,
      parentId: span.parentSpanId,
      parentIsRemote: span.parentIsRemote,
      startMs: span.startMs,
      ended: false,
      endMs: Number.NaN,
      kind,
      undetermined: open?.undetermined ?? false,
      identity: undefined,
      agent: undefined,
      live: open?.live,
      reading: undefined,
      inLoop: false,
      roleFixed: false,
      failed: false,
      run: undefined,
    };
    if (node.parentId && !this.#nodes.has(node.parentId)) this.#awaitedParents.add(node.parentId);
    this.#nodes.set(node.spanId, node);
    return node;
  }

  /** Records a span's end: its final kind, and what the spans below it need. */
  end(node: SpanNode, endMs: number, facts: SpanFacts, failed = false): void {
    node.ended = true;
    node.endMs = endMs;
    node.failed = failed;
    node.live = undefined;
    node.reading = undefined;
    node.undetermined = false;
    node.identity = facts.identity;
    if (facts.meaning.kind === "agent") node.agent = withoutCall(facts.meaning.agent);
    this.setKind(node, facts.meaning.kind);
  }

  /**
   * Sets what a span is. Runs already assigned (and events already sent) must
   * not change, so once a run was resolved through a span:
   * - an agent stays one, whatever the span says later;
   * - a span that says only later that it is an agent (instrumentations that
   *   write their attributes at the end; a guard asked before that) becomes
   *   one inside the run its scope was given, rather than owning a run of
   *   its own: its events carry its name, and their run stays as it was.
   */
  setKind(node: SpanNode, kind: SpanKind): void {
    if (node.roleFixed && node.kind === "agent" && kind !== "agent") return;
    if (node.roleFixed && node.kind !== "agent" && kind === "agent") {
      // The run its scope was given, found while it is not an agent yet; kept as its own.
      const given = this.#findRun(node);
      if (!given) return;
      node.run = given;
    }
    node.kind = kind;
  }

  /**
   * Marks and returns the spans whose parents lead from `node` back to it.
   * Only the span that closes a loop can reveal it, so checking each new
   * span finds every loop once. A loop through a new span needs a span that
   * named it as parent before it arrived, so most spans need no walk.
   */
  markLoopThrough(node: SpanNode): readonly SpanNode[] {
    if (!this.#awaitedParents.delete(node.spanId)) return NO_LOOP;
    const path: SpanNode[] = [node];
    let current = node;
    for (let depth = 0; depth < MAX_DEPTH && current.parentId; depth++) {
      const parent = this.#nodes.get(current.parentId);
      if (!parent || parent.inLoop) return NO_LOOP;
      if (parent === node) {
        for (const member of path) member.inLoop = true;
        return path;
      }
      path.push(parent);
      current = parent;
    }
    return NO_LOOP;
  }

  /**
   * The parent of `node` in this graph: `undefined` when it has none, has not
   * been seen, or is part of a loop. Walks up the tree go through here and
   * never enter a marked loop (`markLoopThrough`, which the engine runs on
   * every new span); `MAX_DEPTH` bounds them even in a graph never checked.
   */
  parentOf(node: SpanNode): SpanNode | undefined {
    if (!node.parentId) return undefined;
    const parent = this.#nodes.get(node.parentId);
    return parent && !parent.inLoop ? parent : undefined;
  }

  /**
   * The nearest agent strictly above `node`: a node, `null` when the chain
   * ends without one, `undefined` when an unseen ancestor leaves it open.
   */
  nearestAgentAbove(node: SpanNode): SpanNode | null | undefined {
    let top = node;
    for (let parent = this.parentOf(node), depth = 0; parent && depth < MAX_DEPTH; parent = this.parentOf(parent), depth++) {
      if (parent.kind === "agent") return parent;
      top = parent;
    }
    return this.#chainIsComplete(top) ? null : undefined;
  }

  /** The agent whose scope `node` is in (itself when it is an agent), or null. */
  scopeAgent(node: SpanNode): SpanNode | null | undefined {
    return node.kind === "agent" ? node : this.nearestAgentAbove(node);
  }

  /** The span's run, or `undefined` while an unseen ancestor could change it. Fixed once found. */
  resolveRun(node: SpanNode): RunRef | undefined {
    if (node.run) return node.run;
    const run = this.#findRun(node);
    if (run) this.#fixRoles(node);
    return run;
  }

  #findRun(node: SpanNode): RunRef | undefined {
    if (node.run) return node.run;
    const agent = this.scopeAgent(node);
    if (agent === undefined) return undefined;
    if (agent === null) return (node.run = this.traceRun);
    if (!agent.run) {
      const outer = this.nearestAgentAbove(agent);
      if (outer === undefined) return undefined;
      if (outer === null) {
        agent.run = this.traceRun;
      } else {
        const parentRun = this.#findRun(outer);
        if (!parentRun) return undefined;
        agent.run = { runId: runIdForSpan(this.traceId, agent.spanId), parentRunId: parentRun.runId, ownerSpanId: agent.spanId };
      }
    }
    return (node.run = agent.run);
  }

  /**
   * Whether a model call above `node`, in the same run, is still open. Its
   * output happened before `node` (a tool it asked for), so `node` waits.
   */
  hasOpenModelAbove(node: SpanNode): boolean {
    if (node.kind === "agent") return false;
    for (let parent = this.parentOf(node), depth = 0; parent && depth < MAX_DEPTH; parent = this.parentOf(parent), depth++) {
      if (parent.kind === "model" && !parent.ended) return true;
      if (parent.kind === "agent") return false;
    }
    return false;
  }

  /** Whether the span is where this process's part of the trace begins. */
  isLocalRoot(node: SpanNode): boolean {
    if (!node.parentId || node.parentIsRemote === true) return true;
    const parent = this.#nodes.get(node.parentId);
    return parent ? parent.inLoop : this.assumeComplete;
  }

  /** A local root owns the trace's run only if nothing above it ran elsewhere. */
  ownsTraceRun(node: SpanNode): boolean {
    return !node.parentId;
  }

  hasEndedLocalRoot(): boolean {
    for (const node of this.#nodes.values()) if (node.ended && !node.inLoop && this.isLocalRoot(node)) return true;
    return false;
  }

  /**
   * The span and everything above it decided its run: the runs they give out
   * may not change now. An open span that could still turn out to be an
   * agent keeps its children waiting (`undetermined`): it would not change
   * their run, but it would name their agent.
   */
  #fixRoles(node: SpanNode): void {
    for (let fixed: SpanNode | undefined = node, depth = 0; fixed && !fixed.roleFixed && depth < MAX_DEPTH; fixed = this.parentOf(fixed), depth++) {
      fixed.roleFixed = true;
    }
  }

  /** Whether nothing above `top` (the highest ancestor present) can still arrive. */
  #chainIsComplete(top: SpanNode): boolean {
    if (!top.parentId || top.parentIsRemote === true || this.assumeComplete) return true;
    return this.#nodes.get(top.parentId)?.inLoop === true;
  }
}
