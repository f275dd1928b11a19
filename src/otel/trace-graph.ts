/**
 * The spans of one trace as a tree, and which run each belongs to.
 *
 * A span belongs to the run of its nearest enclosing agent; an agent with no
 * agent above it joins the trace's run, one with an agent above it owns a
 * child run. An exporter sees children before parents, so a span's run may be
 * unknown for a while: `resolveRun` then answers `undefined` and the span
 * waits. A processor sees every start, so it always knows.
 */
import type { SpanFacts } from "./model.js";
import { runIdForSpan, runIdForTrace } from "./run-ids.js";
import type { ReadableSpanLike } from "./span-view.js";

export interface RunRef {
  runId: string;
  parentRunId?: string;
  /** The agent span owning a child run; `undefined` for the trace's run. */
  ownerSpanId?: string;
}

export interface SpanNode {
  spanId: string;
  parentId: string | undefined;
  parentIsRemote: boolean | undefined;
  startMs: number;
  isAgent: boolean;
  /** A model call: spans below it in the same run wait until it ends (its output came first). */
  isModel: boolean;
  ended: boolean;
  /** When the span ended (NaN while open). */
  endMs: number;
  /** What the span means, set when it ended. A model call's or tool's content is dropped once composed. */
  facts?: SpanFacts;
  /** The live span, while open (processor only): its attributes so far. */
  live?: ReadableSpanLike;
  /** What the live span said, read once when first needed (cleared when it ends). */
  liveFacts?: SpanFacts;
  released: boolean;
  run?: RunRef;
}

export class TraceGraph {
  readonly traceId: string;
  readonly traceRun: RunRef;
  readonly nodes = new Map<string, SpanNode>();
  /** Ended spans not yet released, in the order they ended. */
  readonly pending = new Set<SpanNode>();
  /** When the first span of this trace arrived (for the hold deadline). */
  readonly firstSeenAt: number;
  /**
   * Treat a missing parent as the edge of what this process will see. True for
   * a processor (it saw every start) and for traces released by deadline.
   */
  assumeComplete: boolean;

  constructor(traceId: string, assumeComplete: boolean, now: number) {
    this.traceId = traceId;
    this.traceRun = { runId: runIdForTrace(traceId) };
    this.assumeComplete = assumeComplete;
    this.firstSeenAt = now;
  }

  /**
   * The nearest agent strictly above `node`: a node, `null` when the chain
   * ends without one, `undefined` when an unseen ancestor leaves it open.
   */
  nearestAgentAbove(node: SpanNode): SpanNode | null | undefined {
    let current = node;
    for (let depth = 0; depth < 10_000; depth++) {
      const parentId = current.parentId;
      if (!parentId) return null;
      const parent = this.nodes.get(parentId);
      if (!parent) return current.parentIsRemote === true || this.assumeComplete ? null : undefined;
      if (parent.isAgent) return parent;
      current = parent;
    }
    return null;
  }

  /** The agent whose scope `node` is in (itself when it is an agent), or null. */
  scopeAgent(node: SpanNode): SpanNode | null | undefined {
    return node.isAgent ? node : this.nearestAgentAbove(node);
  }

  resolveRun(node: SpanNode): RunRef | undefined {
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
        const parentRun = this.resolveRun(outer);
        if (!parentRun) return undefined;
        agent.run = {
          runId: runIdForSpan(this.traceId, agent.spanId),
          parentRunId: parentRun.runId,
          ownerSpanId: agent.spanId,
        };
      }
    }
    return (node.run = agent.run);
  }

  /**
   * Whether a model call above `node`, in the same run, is still open. Its
   * output happened before `node` (a tool it asked for), so `node` waits.
   */
  hasOpenModelAbove(node: SpanNode): boolean {
    let current = node;
    while (current.parentId && !current.isAgent) {
      const parent = this.nodes.get(current.parentId);
      if (!parent) return false;
      if (parent.isModel && !parent.ended) return true;
      current = parent;
    }
    return false;
  }

  /** Whether the span is where this process's part of the trace begins. */
  isLocalRoot(node: SpanNode): boolean {
    if (!node.parentId || node.parentIsRemote === true) return true;
    return this.assumeComplete && !this.nodes.has(node.parentId);
  }

  /** A local root owns the trace's run only if nothing above it ran elsewhere. */
  ownsTraceRun(node: SpanNode): boolean {
    return !node.parentId;
  }
}
