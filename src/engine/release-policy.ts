/**
 * When an ended span's events may go out. One question, two answers:
 *
 * - **Hold until the run is known** (a SpanExporter, an OTLP receiver): spans
 *   arrive when they end, children before parents, so a span waits until the
 *   chain to its agent, or to the local root, has arrived. Bounded in time
 *   (`holdTimeoutMs`) and number (`maxHeldSpans`); past either, a trace is
 *   released with what is known.
 * - **Known from the start** (a SpanProcessor): every span was seen at its
 *   start, so a missing parent is outside this process. What is not known at
 *   a start is what an open span will turn out to be: some instrumentations
 *   set their attributes (the span's kind included) only later. So when a
 *   span ends, the open spans above it are read again, and it waits while
 *   one of them could still turn out to be an agent (which would change its
 *   run or its agent), and while a model call above it is still open (its
 *   output came first). Open traces are bounded in number.
 */
import { isAiSpan, mayBecomeAgent as conventionMayBecomeAgent } from "../otel/conventions/registry.js";
import type { SpanSnapshot } from "./span-record.js";
import type { OpenSpanReader } from "./span-facts.js";
import type { RunRef, SpanNode, TraceGraph } from "./trace-graph.js";


export interface ReleasePolicy {
  readonly name: "hold-until-run-known" | "known-from-start";
  /** Whether a new trace may treat a parent it has not seen as outside this process. */
  readonly assumesCompleteTraces: boolean;
  /** Whether flush() releases held spans with what is known. */
  readonly releasesOnFlush: boolean;
  /** Age after which a trace's held spans are released with what is known; `undefined`: never by age. */
  readonly holdTimeoutMs: number | undefined;
  /** Whether an open span (seen at its start, or read again since) could still turn out to be an agent. */
  mayBecomeAgent(snapshot: SpanSnapshot): boolean;
  /** The run of an ended span whose events may go out now; `undefined` while it waits. */
  releasableRun(graph: TraceGraph, node: SpanNode, openSpans: OpenSpanReader): RunRef | undefined;
  /**
   * Why the engine must let go of its oldest trace now, given the ended
   * spans whose events have not gone out and the traces in memory;
   * `undefined` when within bounds.
   */
  overLimit(heldSpans: number, openTraces: number): string | undefined;
}

export function holdUntilRunKnown(limits: { holdTimeoutMs: number; maxHeldSpans: number }): ReleasePolicy {
  return {
    name: "hold-until-run-known",
    assumesCompleteTraces: false,
    releasesOnFlush: true,
    holdTimeoutMs: limits.holdTimeoutMs,
    mayBecomeAgent: () => false,
    // Spans arrive ended, so there is no open span above to wait for: only the run.
    releasableRun: (graph, node) => graph.resolveRun(node),
    overLimit: (heldSpans) =>
      heldSpans > limits.maxHeldSpans ? `more than ${limits.maxHeldSpans} spans waited for their runs` : undefined,
  };
}

/**
 * Instrumentation scopes whose spans start bare and say what they are only
 * at their end: `@mastra/otel-bridge` sets every attribute when the span
 * ends; OpenInference instrumentations may set `openinference.span.kind`
 * after the start. Until such a span is recognised, it could be an agent.
 * A recognised span may still become one when its convention says so
 * (OpenInference's OpenAI Agents and LangChain instrumentations write what
 * makes an agent only at its end).
 */
export const LATE_CLASSIFYING_SCOPES: readonly string[] = ["@mastra/", "@arizeai/openinference-"];

export function isLateClassifying({ span, exportable }: SpanSnapshot, scopes: readonly string[] = LATE_CLASSIFYING_SCOPES): boolean {
  if (exportable && conventionMayBecomeAgent(span)) return true;
  const scope = span.scope;
  if (scope === undefined || !scopes.some((prefix) => scope.startsWith(prefix))) return false;
  return !exportable || !isAiSpan(span);
}

/** Bounds walks up a span's parents. */
const MAX_WALK = 10_000;

export function knownFromStart(
  limits: { maxOpenTraces: number },
  mayBecomeAgent: (snapshot: SpanSnapshot) => boolean = (snapshot) => isLateClassifying(snapshot),
): ReleasePolicy {
  return {
    name: "known-from-start",
    assumesCompleteTraces: true,
    releasesOnFlush: false,
    holdTimeoutMs: undefined,
    mayBecomeAgent,
    releasableRun(graph, node, openSpans) {
      for (let parent = graph.parentOf(node), depth = 0; parent && depth < MAX_WALK; parent = graph.parentOf(parent), depth++) {
        if (!parent.ended) refreshOpenSpan(graph, parent, openSpans, mayBecomeAgent);
        if (parent.undetermined) return undefined;
      }
      if (graph.hasOpenModelAbove(node)) return undefined;
      return graph.resolveRun(node);
    },
    overLimit: (_heldSpans, openTraces) =>
      openTraces > limits.maxOpenTraces ? `more than ${limits.maxOpenTraces} traces open at once` : undefined,
  };
}

/**
 * Reads an open span's live attributes again, unless what it is is already
 * settled (an agent, a model call, a tool, or AI work no event expresses).
 */
export function refreshOpenSpan(graph: TraceGraph, node: SpanNode, openSpans: OpenSpanReader, mayBecomeAgent: (snapshot: SpanSnapshot) => boolean): void {
  if (node.kind !== "none") return;
  const kind = openSpans.kind(node);
  const snapshot = openSpans.snapshot(node);
  if (!kind || !snapshot) return;
  graph.setKind(node, kind);
  // Even once a run was resolved through it: what it turns out to be still names its children's agent.
  node.undetermined = node.kind === "none" && mayBecomeAgent(snapshot);
}
