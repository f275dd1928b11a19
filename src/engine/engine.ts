/**
 * The engine: spans in, hook requests out. It keeps one trace graph per open
 * trace, asks its release policy which ended spans may go out, has each run
 * compose their events, puts the context on each request and hands the
 * bodies to the outbound sender. Its collaborators are handed to it: the
 * transport, the clock, the release policy and the log.
 *
 * Taking spans (`spanStarted`, `spanEnded`) only records them; `release()`
 * does the work and says how many events it released, so a caller can do
 * it off the host's call stack, or batch it. What becomes of them shows in
 * the counters, and `settleReleased()` waits for them.
 */
import { compactAgent, compactUser } from "../protocol/body.js";
import type { Identity, Message, ModelCall, SpanMeaning } from "../otel/model.js";
import type { HookTransport } from "../transport/types.js";
import { BurstReporter } from "./burst-reporter.js";
import { CLOCK_SKEW_MS, systemClock, type Clock, type Timer } from "./clock.js";
import type { DeliveryResult, Settlement } from "./delivery.js";
import { eventContext, mergeIdentity, sameEventContext, type EventContext } from "./event-context.js";
import { Outbound, type EngineLog } from "./outbound.js";
import { RecentIds } from "./recent-ids.js";
import { refreshOpenSpan, type ReleasePolicy } from "./release-policy.js";
import { requestContext, type RequestContext } from "./request-json.js";
import { RUN_SCOPE, Run, type ReleasedSpan } from "./run.js";
import type { ComposedEvent } from "./run-composer.js";
import type { EngineSettings } from "./settings.js";
import { factsOf, kindOf, OpenSpanReader } from "./span-facts.js";
import type { SpanRecord, SpanSnapshot } from "./span-record.js";
import type { EngineStats, SpanCounters } from "./stats.js";
import { TraceGraph, type RunRef, type SpanNode } from "./trace-graph.js";

export interface EngineParts {
  transport: HookTransport;
  policy: ReleasePolicy;
  clock?: Clock;
  log?: EngineLog;
  /** Nothing can be sent (no API key): spans are still read, and every event is counted as dropped. */
  disabled?: boolean;
}

/** How full the engine is, for backpressure and metrics. */
export interface EngineCapacity {
  /** Events waiting or being sent. */
  queueDepth: number;
  /** Whether another event would be accepted now. */
  hasRoom: boolean;
  /** Ended spans waiting for their run to be known. */
  heldSpans: number;
  /** Traces with spans waiting. */
  heldTraces: number;
  /** Traces with state in memory. */
  openTraces: number;
}

/** The run the engine assigns to a span, and the context its events carry there. */
export interface LinkedRun {
  runId: string;
  parentRunId?: string;
  agent?: { name?: string; id?: string; systemPrompt?: string };
  sessionId?: string;
  user?: { id?: string; email?: string; name?: string };
}

interface TraceState {
  graph: TraceGraph;
  /** Ended spans not yet released, in the order they ended, with what they mean. */
  held: Map<SpanNode, SpanMeaning>;
  runs: Map<string, Run>;
  /** The deliveries of child runs' stops, by parent run id (a child can be met before its parent). */
  childStopsOf: Map<string, Array<Promise<DeliveryResult>>>;
}

const NONE: SpanMeaning = { kind: "none" };

/** What the model call behind an event says of its context. */
type CallContext = Pick<ModelCall, "systemPrompt" | "agentName">;

/** Whether a model's output asks for the tool call `toolUseId`. */
function callsTool(output: readonly Message[], toolUseId: string): boolean {
  return output.some((message) => message.parts.some((part) => part.type === "tool_call" && part.id === toolUseId));
}
/** The released spans going to `run`, in a short list: a trace has few runs. */
function batchOf(batches: Array<{ run: Run; released: ReleasedSpan[] }>, run: Run): ReleasedSpan[] {
  for (const batch of batches) if (batch.run === run) return batch.released;
  const released: ReleasedSpan[] = [];
  batches.push({ run, released });
  return released;
}

/** Where the span that stops `run` is among its released spans: its owner agent, or the trace's local root; -1 if absent. */
function ownerIndex(graph: TraceGraph, run: Run, released: readonly ReleasedSpan[]): number {
  const { ownerSpanId } = run.ref;
  for (let index = 0; index < released.length; index++) {
    const { node } = released[index];
    if (ownerSpanId ? node.spanId === ownerSpanId : graph.isLocalRoot(node)) return index;
  }
  return -1;
}

/** The released spans not late for a stop at `stopAt`: those that arrived before its owner, or ended by then. */
function inTimeFor(released: ReleasedSpan[], ownerAt: number, stopAt: number): ReleasedSpan[] {
  let late = 0;
  for (let index = ownerAt + 1; index < released.length; index++) if (released[index].node.endMs > stopAt) late++;
  if (late === 0) return released;
  const inTime: ReleasedSpan[] = [];
  for (let index = 0; index < released.length; index++) {
    if (index < ownerAt || !(released[index].node.endMs > stopAt)) inTime.push(released[index]);
  }
  return inTime;
}

/** OpenTelemetry's `SpanStatusCode.ERROR`, as every source writes it. */
const STATUS_ERROR = 2;
/** Stopped traces remembered, so late spans are not sent after their stop. */
const MAX_COMPLETED_TRACES = 10_000;
/** Runs whose tool calls a guard reported, remembered until they stop. */
const MAX_REPORTED_RUNS = 10_000;
const SILENT_LOG: EngineLog = { error() {}, warn() {}, verbose() {} };
/** Bounds walks up a span's parents. */
const MAX_WALK = 10_000;

export class RunEngine {
  readonly #settings: EngineSettings;
  readonly #policy: ReleasePolicy;
  readonly #clock: Clock;
  readonly #log: EngineLog;
  readonly #bursts: BurstReporter;
  readonly #outbound: Outbound;
  readonly #traces = new Map<string, TraceState>();
  readonly #completed = new RecentIds(MAX_COMPLETED_TRACES);
  readonly #touched = new Set<TraceState>();
  readonly #counts: SpanCounters = { spansSeen: 0, spansSkipped: 0, spansLate: 0, partsSkipped: 0, spansDuplicate: 0, spansInLoops: 0 };
  readonly #reported = new Map<string, Set<string>>();
  readonly #openSpans = new OpenSpanReader();
  #heldSpans = 0;
  /** The context of the last request, for the next events of the same span (see `#requestContext`). */
  #lastContext: { source: SpanNode; run: Run; callSystemPrompt: string | undefined; context: RequestContext } | undefined;
  /** The last context resolved and its request context, reused while what it resolves to is the same. */
  #lastResolved: { resolved: EventContext; context: RequestContext } | undefined;
  #deferToolUses = false;
  #holdTimer: Timer | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(settings: EngineSettings, parts: EngineParts) {
    this.#settings = settings;
    this.#policy = parts.policy;
    this.#clock = parts.clock ?? systemClock;
    this.#log = parts.log ?? SILENT_LOG;
    this.#bursts = new BurstReporter((message) => this.#log.warn(message), this.#clock);
    this.#outbound = new Outbound(settings, { transport: parts.transport, clock: this.#clock, log: this.#log, bursts: this.#bursts, disabled: parts.disabled });
  }

  get isShutdown(): boolean {
    return this.#shutdown !== undefined;
  }

  /** The resolved options (frozen). */
  get settings(): EngineSettings {
    return this.#settings;
  }

  /** Reports a recurring problem once per burst, on the engine's log. */
  get bursts(): BurstReporter {
    return this.#bursts;
  }

  /**
   * A span started (processors only). `read` gives the span as it is now; it
   * is called again later, because attributes set after the start can say
   * what the span is.
   */
  spanStarted(read: () => SpanSnapshot): void {
    if (this.isShutdown) return;
    const snapshot = read();
    const trace = this.#traceFor(snapshot.span.traceId);
    if (!trace || trace.graph.get(snapshot.span.spanId)) return;
    const kind = kindOf(snapshot.span, snapshot.exportable);
    const undetermined = kind === "none" && this.#policy.mayBecomeAgent(snapshot);
    this.#checkLoop(trace, trace.graph.add(snapshot.span, kind, { undetermined, live: read }));
  }

  /** A span ended: recorded, held until `release()`. A span seen again is ignored. */
  spanEnded(span: SpanRecord, exportable = true): void {
    if (this.isShutdown) return;
    this.#counts.spansSeen++;
    const trace = this.#traceFor(span.traceId);
    if (!trace) {
      this.#counts.spansLate++;
      return;
    }
    const { graph } = trace;
    let node = graph.get(span.spanId);
    if (node?.ended) {
      this.#counts.spansDuplicate++;
      return;
    }
    const facts = factsOf(span, exportable);
    if (!node) this.#checkLoop(trace, (node = graph.add(span, facts.meaning.kind)));
    if (node.inLoop) {
      graph.end(node, span.endMs, { meaning: NONE, identity: {}, convention: "none" });
      this.#countLoop(1);
      return;
    }
    if (facts.meaning.kind === "skipped") this.#counts.spansSkipped++;
    graph.end(node, span.endMs, facts, span.status.code === STATUS_ERROR);
    // A span refused as an agent (a run was resolved through it and its own cannot be found) does not speak as one.
    this.#hold(trace, node, node.kind === "agent" || facts.meaning.kind !== "agent" ? facts.meaning : NONE);
    this.#touched.add(trace);
  }

  /** Releases what the policy allows since the last call; returns how many events this released. */
  release(): number {
    const before = this.#outbound.eventsQueued;
    for (const trace of this.#touched) this.#release(trace);
    this.#touched.clear();
    this.#enforceLimits();
    return this.#outbound.eventsQueued - before;
  }

  /** Releases every held span with what is known now (flush, shutdown). */
  releaseHeld(): number {
    const before = this.#outbound.eventsQueued;
    for (const trace of [...this.#traces.values()]) this.#releaseWithWhatIsKnown(trace);
    return this.#outbound.eventsQueued - before;
  }

  /**
   * Waits until every event released so far has been delivered or has
   * finally failed, within `timeoutMs`; what is still pending then (waiting,
   * retrying or in flight) is aborted, counted as failed, and reported once.
   * Events released later are not waited for. Never rejects.
   */
  settleReleased(timeoutMs: number, deadlineName = `a ${timeoutMs} ms deadline`): Promise<Settlement> {
    const mark = this.#outbound.mark();
    return this.#outbound.settle(mark, this.#clock.now() + timeoutMs, deadlineName);
  }

  /**
   * Releases what the policy lets go on a flush (the exporter's held spans,
   * with what is known), then settles every event released so far within
   * the flush deadline. Never rejects.
   */
  flush(timeoutMs = this.#settings.flushTimeoutMs): Promise<Settlement> {
    if (this.#policy.releasesOnFlush) this.releaseHeld();
    return this.settleReleased(timeoutMs, `the flush deadline (${timeoutMs} ms)`);
  }

  /** Releases everything held, delivers within `flushTimeoutMs`, then forgets every trace. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#holdTimer?.cancel();
      this.releaseHeld();
      await this.flush();
      this.#traces.clear();
      this.#touched.clear();
      this.#completed.clear();
      this.#reported.clear();
      this.#heldSpans = 0;
      this.#outbound.close();
      this.#bursts.flush();
    })();
    return this.#shutdown;
  }

  /** Events dropped so far (the queue was full, or nothing can be sent): cheaper than `stats()`. */
  get eventsDropped(): number {
    return this.#outbound.eventsDropped;
  }

  stats(): EngineStats {
    return { ...this.#counts, ...this.#outbound.counters() };
  }

  capacity(): EngineCapacity {
    let heldTraces = 0;
    for (const trace of this.#traces.values()) if (trace.held.size > 0) heldTraces++;
    return {
      queueDepth: this.#outbound.depth,
      hasRoom: this.#outbound.hasRoom(),
      heldSpans: this.#heldSpans,
      heldTraces,
      openTraces: this.#traces.size,
    };
  }

  /**
   * The run a span belongs to (an open span included: the active span when a
   * tool is about to run) and the context its events carry there;
   * `undefined` when the span is unknown or its run cannot be known yet.
   * The run is fixed from then on, so the engine's own events agree. For a
   * span above every agent (the app's own span, active while a hook runs
   * outside the agent's spans), the context is that of the trace run's one
   * open agent, when it has just one.
   */
  runOfSpan(traceId: string, spanId: string): LinkedRun | undefined {
    const trace = this.#traces.get(traceId);
    const node = trace?.graph.get(spanId);
    if (!trace || !node || node.inLoop) return undefined;
    this.#readOpenSpansUp(trace, node);
    const run = this.#runOfNode(trace, node);
    if (!run) return undefined;
    // Above every agent (a hook run in the app's own span): the context of the run's one open agent, if it has one only.
    const source = trace.graph.scopeAgent(node) === null ? (this.#onlyOpenTopAgent(trace) ?? node) : node;
    return this.#linked(trace, run, source, {});
  }

  /** The one open agent of the trace's run with no agent above it; `undefined` when there is none, or more than one. */
  #onlyOpenTopAgent(trace: TraceState): SpanNode | undefined {
    let found: SpanNode | undefined;
    for (const node of trace.graph.nodes()) {
      if (node.ended || node.kind !== "agent" || node.inLoop || trace.graph.nearestAgentAbove(node) !== null) continue;
      if (found) return undefined;
      found = node;
    }
    return found;
  }

  /**
   * The run of a model's call of `toolUseId`, with the context of the model
   * call that made it: the run holding its `tool_use` back (deferred), or
   * the run of the ended model span that says it, still held while an open
   * span above it could turn out to be an agent (the run is fixed from
   * then on, as in `runOfSpan`). `undefined` when no model call, or more
   * than one, made that call. For a guard asked about a call while none of
   * its spans is active (the AI SDK's `toolApproval`, LangChain's
   * `wrapToolCall`).
   */
  runOfToolCall(toolUseId: string): LinkedRun | undefined {
    const found = this.#modelCallOf(toolUseId);
    if (!found) return undefined;
    const { trace, node, call } = found;
    this.#readOpenSpansUp(trace, node);
    const run = found.run ?? this.#runOfNode(trace, node);
    return run && this.#linked(trace, run, node, call);
  }

  /** The one model call that made `toolUseId`: composed and deferred, or ended and held. */
  #modelCallOf(toolUseId: string): { trace: TraceState; node: SpanNode; run?: Run; call: CallContext } | undefined {
    let found: { trace: TraceState; node: SpanNode; run?: Run; call: CallContext } | undefined;
    for (const trace of this.#traces.values()) {
      for (const run of trace.runs.values()) {
        const deferred = run.heldToolUse(toolUseId);
        const node = deferred && trace.graph.get(deferred.sourceSpanId);
        if (!node) continue;
        if (found) return undefined;
        found = { trace, node, run, call: { systemPrompt: deferred.systemPrompt } };
      }
      for (const [node, meaning] of trace.held) {
        if (meaning.kind !== "model" || !callsTool(meaning.call.output, toolUseId)) continue;
        if (found) return undefined;
        found = { trace, node, call: meaning.call };
      }
    }
    return found;
  }

  #runOfNode(trace: TraceState, node: SpanNode): Run | undefined {
    const ref = trace.graph.resolveRun(node);
    return ref && this.#runFor(trace, ref);
  }

  /** Reads again the open spans from `node` up, so a link carries what they say now. */
  #readOpenSpansUp(trace: TraceState, node: SpanNode): void {
    this.#openSpans.nextRelease();
    for (let open: SpanNode | undefined = node, depth = 0; open && depth < MAX_WALK; open = trace.graph.parentOf(open), depth++) {
      if (!open.ended) refreshOpenSpan(trace.graph, open, this.#openSpans, this.#policy.mayBecomeAgent);
    }
  }

  #linked(trace: TraceState, run: Run, node: SpanNode, call: CallContext): LinkedRun {
    const { ref } = run;
    const context = this.#context(trace, run, node, call);
    const linked: LinkedRun = { runId: ref.runId };
    if (ref.parentRunId) linked.parentRunId = ref.parentRunId;
    const agent = compactAgent(context.agent);
    if (agent) linked.agent = agent;
    if (context.sessionId !== undefined) linked.sessionId = context.sessionId;
    const user = compactUser(context.user);
    if (user) linked.user = user;
    return linked;
  }

  /**
   * With `true`, a tool call read from a model's output is not sent when it
   * is composed, but when its tool's span ends (just before its result) or
   * before its run's stop, unless a guard reported it meanwhile.
   */
  setDeferToolUses(defer: boolean): void {
    this.#deferToolUses = defer;
  }

  /** A guard sent this tool call's `tool_use` itself: the engine never sends it. */
  markToolUseReported(runId: string, toolUseId: string): void {
    let ids = this.#reported.get(runId);
    if (!ids) {
      if (this.#reported.size >= MAX_REPORTED_RUNS) this.#reported.delete(this.#reported.keys().next().value as string);
      this.#reported.set(runId, (ids = new Set()));
    }
    ids.add(toolUseId);
  }

  #traceFor(traceId: string): TraceState | undefined {
    let trace = this.#traces.get(traceId);
    if (trace) return trace;
    // A trace whose run already stopped takes nothing more: late spans would follow its stop.
    if (this.#completed.has(traceId)) return undefined;
    const graph = new TraceGraph(traceId, this.#policy.assumesCompleteTraces, this.#clock.now());
    trace = { graph, held: new Map(), runs: new Map(), childStopsOf: new Map() };
    this.#traces.set(traceId, trace);
    return trace;
  }

  #hold(trace: TraceState, node: SpanNode, meaning: SpanMeaning): void {
    trace.held.set(node, meaning);
    this.#heldSpans++;
  }

  #unhold(trace: TraceState, node: SpanNode): void {
    if (trace.held.delete(node)) this.#heldSpans--;
  }

  /** Spans whose parents lead back to themselves are counted and never sent. */
  #checkLoop(trace: TraceState, node: SpanNode): void {
    const loop = trace.graph.markLoopThrough(node);
    let ended = 0;
    for (const member of loop) {
      if (!member.ended) continue;
      this.#unhold(trace, member);
      ended++;
    }
    if (loop.length > 0) {
      this.#countLoop(ended);
      this.#bursts.report("spans in a parent loop skipped", `span ${node.spanId} of trace ${trace.graph.traceId} is its own ancestor`);
    }
  }

  #countLoop(spans: number): void {
    this.#counts.spansInLoops += spans;
    this.#counts.spansSkipped += spans;
  }

  /** `waitNoLonger`: release every held span whose run can be found, whatever the policy would wait for. */
  #release(trace: TraceState, waitNoLonger = false): void {
    const { graph } = trace;
    this.#openSpans.nextRelease();
    // A trace has few runs: a short list beats a map built at every release.
    const batches: Array<{ run: Run; released: ReleasedSpan[] }> = [];
    for (const node of trace.held.keys()) {
      const meaning = trace.held.get(node)!;
      const ref = waitNoLonger ? graph.resolveRun(node) : this.#policy.releasableRun(graph, node, this.#openSpans);
      if (!ref) continue;
      this.#unhold(trace, node);
      const run = this.#runFor(trace, ref);
      if (run.stopped) {
        if (meaning.kind !== "none") this.#counts.spansLate++;
        continue;
      }
      if (node.kind === "agent" && (ref.ownerSpanId === node.spanId || graph.nearestAgentAbove(node) === null)) run.addTopAgent(node);
      batchOf(batches, run).push({ node, meaning });
    }
    // Children first, so a parent's stop can wait for theirs.
    if (batches.length > 1) batches.sort((a, b) => this.#depth(trace, b.run) - this.#depth(trace, a.run));
    let traceDone = false;
    let traceStopped = false;
    for (const { run, released } of batches) {
      const ownerAt = ownerIndex(graph, run, released);
      const owner = ownerAt === -1 ? undefined : released[ownerAt].node;
      const stopsHere = owner !== undefined && (run.ref.ownerSpanId !== undefined || graph.ownsTraceRun(owner));
      // A span that ended after the span that stops its run is late, whether it arrives after it or with it.
      // Released spans are in the order they arrived, which in-process sources give in the order they ended:
      // one that arrived before the owner ended before it, whatever the span clocks say (a span's end is its
      // start's wall clock plus a monotonic duration, and on a loaded machine the two disagree by far more
      // than CLOCK_SKEW_MS). Clocks judge only what arrived after it (an OTLP request groups spans by scope).
      const inTime = stopsHere ? inTimeFor(released, ownerAt, owner.endMs + CLOCK_SKEW_MS) : released;
      this.#counts.spansLate += released.length - inTime.length;
      this.#compose(trace, run, inTime);
      if (!owner) continue;
      if (stopsHere) this.#stop(trace, run, owner);
      if (!run.ref.ownerSpanId) {
        traceDone = true;
        traceStopped = graph.ownsTraceRun(owner);
      }
    }
    if (traceDone || (graph.assumeComplete && trace.held.size === 0 && graph.hasEndedLocalRoot())) this.#forget(trace, traceStopped);
  }

  #releaseWithWhatIsKnown(trace: TraceState): void {
    trace.graph.assumeComplete = true;
    this.#release(trace, true);
  }

  /** Forgets a trace; `stopped` remembers it so late spans are not sent after its stop. */
  #forget(trace: TraceState, stopped: boolean): void {
    const traceId = trace.graph.traceId;
    if (this.#traces.get(traceId) !== trace) return;
    for (const node of trace.held.keys()) this.#unhold(trace, node);
    this.#traces.delete(traceId);
    this.#touched.delete(trace);
    if (!stopped) return;
    this.#completed.add(traceId);
  }

  #depth(trace: TraceState, run: Run): number {
    let depth = 0;
    let parent = run.ref.parentRunId;
    while (parent && depth < 1000) {
      depth++;
      parent = trace.runs.get(parent)?.ref.parentRunId;
    }
    return depth;
  }

  #runFor(trace: TraceState, ref: RunRef): Run {
    let run = trace.runs.get(ref.runId);
    if (!run) {
      trace.runs.set(ref.runId, (run = new Run(ref)));
      if (ref.parentRunId && !trace.childStopsOf.has(ref.parentRunId)) trace.childStopsOf.set(ref.parentRunId, []);
    }
    return run;
  }

  #compose(trace: TraceState, run: Run, released: ReleasedSpan[]): void {
    const { graph } = trace;
    const { events, partsSkipped } = run.compose(released, (node) => graph.scopeAgent(node)?.spanId ?? RUN_SCOPE);
    this.#counts.partsSkipped += partsSkipped;
    this.#lastContext = undefined;
    for (const composed of run.outgoing(events, this.#deferToolUses, this.#reported.get(run.ref.runId))) {
      this.#sendComposed(trace, run, composed);
    }
    this.#lastContext = undefined;
  }

  #stop(trace: TraceState, run: Run, owner: SpanNode): void {
    const { runId, parentRunId } = run.ref;
    this.#lastContext = undefined;
    for (const composed of run.takeDeferred(this.#reported.get(runId))) this.#sendComposed(trace, run, composed);
    this.#reported.delete(runId);
    const endMs = Number.isNaN(owner.endMs) ? this.#clock.now() : owner.endMs;
    const event = run.stop(endMs, trace.childStopsOf.has(runId), this.#settings.pricing, (node) => this.#openSpans.agent(node), owner.failed);
    if (!event) return;
    const context = this.#requestContext(trace, run, run.finishingAgent ?? owner, undefined);
    const delivery = this.#outbound.sendStop(runId, parentRunId, event, context, trace.childStopsOf.get(runId) ?? []);
    this.#lastContext = undefined;
    if (parentRunId) trace.childStopsOf.get(parentRunId)?.push(delivery);
  }

  #sendComposed(trace: TraceState, run: Run, composed: ComposedEvent): void {
    const source = trace.graph.get(composed.sourceSpanId)!;
    const { runId, parentRunId } = run.ref;
    this.#outbound.send(runId, parentRunId, composed.hookEvent, composed.event, this.#requestContext(trace, run, source, composed.systemPrompt));
  }

  /**
   * The context a request carries. Consecutive events of one span share it,
   * so it is worked out once for them; within one composition nothing it
   * depends on changes.
   */
  #requestContext(trace: TraceState, run: Run, source: SpanNode, callSystemPrompt: string | undefined): RequestContext {
    const last = this.#lastContext;
    if (last && last.source === source && last.run === run && last.callSystemPrompt === callSystemPrompt) return last.context;
    const resolved = this.#context(trace, run, source, { systemPrompt: callSystemPrompt });
    const previous = this.#lastResolved;
    // Events of other spans in the same agent usually resolve to the same context: its JSON is then written once.
    const context = previous && sameEventContext(previous.resolved, resolved) ? previous.context : requestContext(resolved);
    this.#lastResolved = { resolved, context };
    this.#lastContext = { source, run, callSystemPrompt, context };
    return context;
  }

  #context(trace: TraceState, run: Run, source: SpanNode, call: CallContext): EventContext {
    const { graph } = trace;
    const agentNode = graph.scopeAgent(source);
    const identity: Identity = {};
    for (let span: SpanNode | undefined = source, depth = 0; span && depth < MAX_WALK; span = graph.parentOf(span), depth++) {
      mergeIdentity(identity, this.#openSpans.identity(span));
    }
    return eventContext(
      {
        agent: this.#openSpans.agent(agentNode),
        callSystemPrompt: call.systemPrompt,
        callAgentName: call.agentName,
        scopeSystemPrompt: run.systemPromptOf(agentNode ? agentNode.spanId : RUN_SCOPE),
        identity,
      },
      this.#settings,
    );
  }

  #enforceLimits(): void {
    for (let reason = this.#overLimit(); reason && this.#traces.size > 0; reason = this.#overLimit()) {
      const oldest = this.#traces.values().next().value as TraceState;
      this.#releaseWithWhatIsKnown(oldest);
      this.#forget(oldest, false);
      this.#bursts.report("traces released early", reason);
    }
    const holdMs = this.#policy.holdTimeoutMs;
    if (holdMs !== undefined && this.#heldSpans > 0 && !this.#holdTimer) this.#armHoldTimer(holdMs);
  }

  #overLimit(): string | undefined {
    return this.#policy.overLimit(this.#heldSpans, this.#traces.size);
  }

  /** Checks now and then for traces held past their deadline. */
  #armHoldTimer(holdMs: number): void {
    this.#holdTimer = this.#clock.setTimer(Math.max(250, Math.min(holdMs / 4, 5_000)), () => {
      this.#holdTimer = undefined;
      if (this.isShutdown) return;
      const cutoff = this.#clock.now() - holdMs;
      for (const trace of [...this.#traces.values()]) {
        if (trace.graph.firstSeenAt <= cutoff) this.#releaseWithWhatIsKnown(trace);
      }
      if (this.#heldSpans > 0) this.#armHoldTimer(holdMs);
    });
  }
}
