/**
 * The engine behind the exporter and the processor: spans in, hook requests
 * out. It keeps one TraceGraph per open trace, releases each span once its
 * run is known, composes the run's events, applies the content policy and
 * hands the bodies to ordered delivery.
 */
import { context, diag, ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { buildHookBody, type HookBody, type PermisoAgentContext, type PermisoUser } from "../protocol/body.js";
import type { StopEvent } from "../protocol/events.js";
import { encodeJson } from "../protocol/json.js";
import { validateHookBody } from "../protocol/validate.js";
import { createTransport, resolveEndpoint, type ResolvedEndpoint } from "../transport/endpoint.js";
import { toOutcome } from "../transport/outcome.js";
import type { HookTransport } from "../transport/types.js";
import { BurstReporter } from "./burst-reporter.js";
import { applyMask, truncateBody, withoutContent } from "./content-policy.js";
import { classifySpan, isAiSpan, readSpan } from "./conventions/registry.js";
import { readIdentity } from "./conventions/identity.js";
import { DeliveryQueue, type DeliveryResult } from "./delivery.js";
import type { AgentInvocation, Identity, SpanFacts, TokenUsage } from "./model.js";
import { BRIDGE_DEFAULTS, type PermisoBridgeOptions } from "./options.js";
import { RunComposer, type CallItem, type ComposedEvent, type ToolItem } from "./run-composer.js";
import { addUsage, costOf, hasTokens, mapStopReason, toWireUsage } from "./run-summary.js";
import { toSpanView, type ReadableSpanLike, type SpanView } from "./span-view.js";
import { TraceGraph, type RunRef, type SpanNode } from "./trace-graph.js";

export type BridgeMode = "exporter" | "processor";

export interface BridgeStats {
  spansSeen: number;
  /** Spans of AI work no event can express (embeddings, reranking). */
  spansSkipped: number;
  /** Spans that ended after their run's stop was sent. */
  spansLate: number;
  eventsQueued: number;
  eventsDelivered: number;
  eventsFailed: number;
  /** Dropped because the queue was full. */
  eventsDropped: number;
  /** Dropped on purpose: by the mask, or media without content capture. */
  eventsWithheld: number;
  /** Bridge events that failed validation and were not sent. */
  eventsInvalid: number;
  partsSkipped: number;
  maskFailures: number;
}

interface RunState {
  ref: RunRef;
  composer: RunComposer;
  stopped: boolean;
  /** Agents at the top of this run: the owner of a child run, or the trace's top-level agents. */
  topAgents: SpanNode[];
  /** Token usage of the run's own model calls, by agent scope. */
  callUsage: Map<string, TokenUsage>;
  usageByModel: Map<string, TokenUsage>;
  scopesWithCalls: Set<string>;
  lastCall?: { length: number; startMs: number; finishReason?: string };
  systemPromptByScope: Map<string, string>;
  eventCount: number;
}

interface TraceState {
  graph: TraceGraph;
  runs: Map<string, RunState>;
  /**
   * Child runs by parent run id, as the deliveries of their stops. Kept per
   * trace, not per run: an exporter can meet a child run before its parent's.
   */
  childStopsOf: Map<string, Array<Promise<DeliveryResult>>>;
}

const RUN_SCOPE = "run";
/** What a model call or tool span means once its events have been composed. */
const COMPOSED: SpanFacts["meaning"] = { kind: "none" };
/**
 * Span clocks disagree by up to a millisecond (some producers pass start times
 * truncated to the millisecond), so "ended after its run's owner" allows this.
 */
const CLOCK_SKEW_MS = 5;
const MAX_COMPLETED_TRACES = 10_000;
const MAX_OPEN_TRACES_PROCESSOR = 10_000;

export class Bridge {
  readonly stats: BridgeStats = {
    spansSeen: 0,
    spansSkipped: 0,
    spansLate: 0,
    eventsQueued: 0,
    eventsDelivered: 0,
    eventsFailed: 0,
    eventsDropped: 0,
    eventsWithheld: 0,
    eventsInvalid: 0,
    partsSkipped: 0,
    maskFailures: 0,
  };
  readonly #mode: BridgeMode;
  readonly #options: PermisoBridgeOptions;
  readonly #endpoint: ResolvedEndpoint;
  readonly #transport: HookTransport;
  readonly #delivery: DeliveryQueue;
  readonly #traces = new Map<string, TraceState>();
  readonly #completed = new Set<string>();
  readonly #log = diag.createComponentLogger({ namespace: "@permiso-io/custom-hooks-sdk" });
  readonly #bursts = new BurstReporter((message) => this.#log.warn(message));
  readonly #shouldExport: ((span: ReadableSpanLike) => boolean) | undefined;
  #holdTimer: ReturnType<typeof setInterval> | undefined;
  #authProblemReported = false;
  #shutdown: Promise<void> | undefined;

  constructor(options: PermisoBridgeOptions, mode: BridgeMode) {
    this.#mode = mode;
    this.#options = options;
    this.#endpoint = resolveEndpoint(options);
    this.#transport = createTransport(this.#endpoint, ({ retry, delayMs, reason }) =>
      this.#log.verbose(`retry ${retry} in ${delayMs} ms after: ${reason.message}`),
    );
    this.#shouldExport = options.shouldExportSpan;
    const transport = this.#transport;
    const timeoutMs = this.#endpoint.timeoutMs;
    this.#delivery = new DeliveryQueue({
      send: (payload, { deadline, signal }) =>
        // Our own requests must not become spans of the host's traces.
        context.with(suppressTracing(ROOT_CONTEXT), () => transport.send(payload, { timeoutMs, deadline, signal })),
      maxConcurrentRuns: options.maxConcurrentRequests ?? BRIDGE_DEFAULTS.maxConcurrentRequests,
      maxQueuedEvents: options.maxQueueSize ?? BRIDGE_DEFAULTS.maxQueueSize,
      deliveryTimeoutMs: options.exportTimeoutMs ?? BRIDGE_DEFAULTS.exportTimeoutMs,
      attemptTimeoutMs: timeoutMs,
      onSuccess: () => this.stats.eventsDelivered++,
      onFailure: (result) => {
        this.stats.eventsFailed++;
        const outcome = toOutcome(result);
        const status = outcome.ok ? undefined : outcome.error.status;
        if ((status === 401 || status === 403) && !this.#authProblemReported) {
          this.#authProblemReported = true;
          this.#log.error(
            `Permiso refused the API key (HTTP ${status}): check apiKey / PERMISO_API_KEY. Events are not being delivered.`,
          );
          return;
        }
        this.#bursts.report("hook events not delivered", outcome.ok ? "unknown failure" : outcome.error.message);
      },
      onDrop: () => {
        this.stats.eventsDropped++;
        this.#bursts.report(
          "hook events dropped",
          `the delivery queue is full (maxQueueSize ${options.maxQueueSize ?? BRIDGE_DEFAULTS.maxQueueSize})`,
        );
      },
    });
  }

  get isShutdown(): boolean {
    return this.#shutdown !== undefined;
  }

  /** Processor only: records where a span sits before any of its children end. */
  spanStarted(span: ReadableSpanLike, parentContext?: Context): void {
    const view = toSpanView(span);
    const state = this.#traceState(view.traceId);
    if (!state) return;
    const kind = this.#shouldExport && !this.#safeShouldExport(span, view) ? "none" : classifySpan(view);
    const parentContextOfSpan = parentContext ? trace.getSpanContext(parentContext) : undefined;
    state.graph.nodes.set(view.spanId, {
      spanId: view.spanId,
      parentId: view.parentSpanId,
      parentIsRemote:
        view.parentIsRemote ?? (parentContextOfSpan?.spanId === view.parentSpanId ? parentContextOfSpan?.isRemote : undefined),
      startMs: view.startMs,
      isAgent: kind === "agent",
      isModel: kind === "model",
      ended: false,
      endMs: Number.NaN,
      live: span,
      released: false,
    });
  }

  /**
   * Takes ended spans; returns the delivery of every event this released
   * (spans whose run is not known yet are held and not part of it).
   */
  spansEnded(spans: readonly ReadableSpanLike[]): Array<Promise<DeliveryResult>> {
    const touched = new Set<TraceState>();
    for (const span of spans) {
      const state = this.#ingest(span);
      if (state) touched.add(state);
    }
    const deliveries: Array<Promise<DeliveryResult>> = [];
    for (const state of touched) this.#release(state, deliveries);
    if (this.#mode === "exporter") this.#enforceHoldLimits(deliveries);
    return deliveries;
  }

  /** Releases every held span with what is known now (forceFlush, shutdown). */
  releaseAll(): Array<Promise<DeliveryResult>> {
    const deliveries: Array<Promise<DeliveryResult>> = [];
    for (const state of [...this.#traces.values()]) {
      state.graph.assumeComplete = true;
      this.#release(state, deliveries);
    }
    return deliveries;
  }

  /** Delivers everything pending, within the deadline; never rejects. */
  async flush(timeoutMs = this.#options.flushTimeoutMs ?? BRIDGE_DEFAULTS.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    if (this.#mode === "exporter") this.releaseAll();
    const idle = await this.#delivery.whenIdle(deadline);
    if (!idle) {
      this.#log.warn(`${this.#delivery.pending} hook events still pending after ${timeoutMs} ms`);
    }
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      if (this.#holdTimer) clearInterval(this.#holdTimer);
      await this.flush();
      this.#delivery.abort();
      this.#bursts.flush();
      this.#transport.close();
    })();
    return this.#shutdown;
  }

  #traceState(traceId: string): TraceState | undefined {
    let state = this.#traces.get(traceId);
    if (state) return state;
    // A trace whose run already stopped takes nothing more: late spans would follow its stop.
    if (this.#completed.has(traceId)) return undefined;
    state = { graph: new TraceGraph(traceId, this.#mode === "processor", Date.now()), runs: new Map(), childStopsOf: new Map() };
    this.#traces.set(traceId, state);
    if (this.#mode === "processor" && this.#traces.size > MAX_OPEN_TRACES_PROCESSOR) {
      // Spans that never end would otherwise keep their traces forever.
      const oldest = this.#traces.keys().next().value as string;
      this.#traces.delete(oldest);
      this.#bursts.report("open traces evicted", `more than ${MAX_OPEN_TRACES_PROCESSOR} traces open at once`);
    }
    return state;
  }

  /** What a span means, if it may produce events; otherwise only who it is about. */
  #factsOf(span: ReadableSpanLike, view: SpanView): SpanFacts {
    if (!this.#shouldExport || this.#safeShouldExport(span, view)) return readSpan(view);
    return { meaning: { kind: "none" }, identity: readIdentity(view.attributes), convention: "none" };
  }

  /** An open span's facts so far (processor), read once. */
  #liveFactsOf(node: SpanNode): SpanFacts | undefined {
    if (!node.live) return undefined;
    return (node.liveFacts ??= this.#factsOf(node.live, toSpanView(node.live)));
  }

  #safeShouldExport(span: ReadableSpanLike, view: SpanView): boolean {
    if (!this.#shouldExport) return isAiSpan(view);
    try {
      return this.#shouldExport(span);
    } catch (error) {
      this.#bursts.report("shouldExportSpan threw", String(error));
      return false;
    }
  }

  #ingest(span: ReadableSpanLike): TraceState | undefined {
    this.stats.spansSeen++;
    const view = toSpanView(span);
    const state = this.#traceState(view.traceId);
    if (!state) {
      this.stats.spansLate++;
      return undefined;
    }
    const facts = this.#factsOf(span, view);
    if (facts.meaning.kind === "skipped") this.stats.spansSkipped++;
    let node = state.graph.nodes.get(view.spanId);
    if (!node) {
      node = {
        spanId: view.spanId,
        parentId: view.parentSpanId,
        parentIsRemote: view.parentIsRemote,
        startMs: view.startMs,
        isAgent: false,
        isModel: false,
        ended: false,
        endMs: Number.NaN,
        released: false,
      };
      state.graph.nodes.set(view.spanId, node);
    }
    if (node.ended) return state;
    node.ended = true;
    node.endMs = view.endMs;
    node.facts = facts;
    node.live = undefined;
    node.liveFacts = undefined;
    // An agent whose children already resolved through it stays one, so its run stays consistent.
    node.isAgent = facts.meaning.kind === "agent" || (node.isAgent && node.run !== undefined);
    node.isModel = facts.meaning.kind === "model";
    state.graph.pending.add(node);
    return state;
  }

  #release(state: TraceState, deliveries: Array<Promise<DeliveryResult>>): void {
    const { graph } = state;
    const batches = new Map<RunState, SpanNode[]>();
    for (const node of graph.pending) {
      const ref = graph.resolveRun(node);
      if (!ref) continue;
      if (this.#mode === "processor" && graph.hasOpenModelAbove(node)) continue;
      node.released = true;
      graph.pending.delete(node);
      const run = this.#runState(state, ref);
      if (run.stopped) {
        if (node.facts?.meaning.kind !== "none") this.stats.spansLate++;
        continue;
      }
      const isTopAgent = node.isAgent && (ref.ownerSpanId === node.spanId || graph.nearestAgentAbove(node) === null);
      if (isTopAgent && !run.topAgents.includes(node)) run.topAgents.push(node);
      const batch = batches.get(run) ?? [];
      batch.push(node);
      batches.set(run, batch);
    }
    // Children first, so a parent's stop can wait for theirs.
    const ordered = [...batches.entries()].sort((a, b) => this.#depth(state, b[0]) - this.#depth(state, a[0]));
    let traceDone = false;
    let traceStopped = false;
    for (const [run, released] of ordered) {
      const owner = released.find((node) =>
        run.ref.ownerSpanId ? node.spanId === run.ref.ownerSpanId : graph.isLocalRoot(node),
      );
      const stopsHere = owner !== undefined && (run.ref.ownerSpanId !== undefined || graph.ownsTraceRun(owner));
      // A span that ended after the span that stops its run is late, whether it arrives after it or with it.
      const stopAt = stopsHere ? owner.endMs + CLOCK_SKEW_MS : Infinity;
      const nodes = released.filter((node) => !(node.endMs > stopAt));
      this.stats.spansLate += released.length - nodes.length;
      this.#composeRun(state, run, nodes, deliveries);
      if (!owner) continue;
      if (stopsHere) this.#stopRun(state, run, owner, deliveries);
      if (!run.ref.ownerSpanId) {
        traceDone = true;
        traceStopped = graph.ownsTraceRun(owner);
      }
    }
    if (traceDone || (graph.assumeComplete && this.#mode === "exporter" && graph.pending.size === 0 && this.#hasLocalRootEnded(graph))) {
      this.#completeTrace(state, traceStopped);
    }
  }


  #hasLocalRootEnded(graph: TraceGraph): boolean {
    for (const node of graph.nodes.values()) if (node.ended && graph.isLocalRoot(node)) return true;
    return false;
  }

  /** Forgets a trace; `stopped` remembers it so late spans are not sent after its stop. */
  #completeTrace(state: TraceState, stopped: boolean): void {
    const traceId = state.graph.traceId;
    this.#traces.delete(traceId);
    if (!stopped) return;
    this.#completed.add(traceId);
    if (this.#completed.size > MAX_COMPLETED_TRACES) this.#completed.delete(this.#completed.values().next().value as string);
  }

  #depth(state: TraceState, run: RunState): number {
    let depth = 0;
    let parent = run.ref.parentRunId;
    while (parent && depth < 1000) {
      depth++;
      parent = state.runs.get(parent)?.ref.parentRunId;
    }
    return depth;
  }

  #runState(state: TraceState, ref: RunRef): RunState {
    let run = state.runs.get(ref.runId);
    if (!run) {
      run = {
        ref,
        composer: new RunComposer(ref.runId, this.stats),
        stopped: false,
        topAgents: [],
        callUsage: new Map(),
        usageByModel: new Map(),
        scopesWithCalls: new Set(),
        systemPromptByScope: new Map(),
        eventCount: 0,
      };
      state.runs.set(ref.runId, run);
      if (ref.parentRunId && !state.childStopsOf.has(ref.parentRunId)) state.childStopsOf.set(ref.parentRunId, []);
    }
    return run;
  }

  #scopeOf(graph: TraceGraph, node: SpanNode): string {
    const agent = graph.scopeAgent(node);
    return agent ? agent.spanId : RUN_SCOPE;
  }

  #composeRun(state: TraceState, run: RunState, nodes: SpanNode[], deliveries: Array<Promise<DeliveryResult>>): void {
    const { graph } = state;
    const calls: CallItem[] = [];
    const tools: ToolItem[] = [];
    for (const node of nodes) {
      const meaning = node.facts?.meaning;
      if (meaning?.kind === "model") {
        const scope = this.#scopeOf(graph, node);
        calls.push({ node, call: meaning.call, scope });
        run.scopesWithCalls.add(scope);
      } else if (meaning?.kind === "tool") {
        tools.push({ node, tool: meaning.tool });
      }
    }
    // An agent span with messages but no model call spans below it (remote agents) stands for its calls.
    for (const node of nodes) {
      const meaning = node.facts?.meaning;
      if (meaning?.kind === "agent" && meaning.agent.call && !run.scopesWithCalls.has(node.spanId)) {
        calls.push({ node, call: meaning.agent.call, scope: node.spanId });
        run.scopesWithCalls.add(node.spanId);
      }
    }
    for (const item of calls) this.#recordCall(run, item);
    if (calls.length === 0 && tools.length === 0) return;
    for (const composed of run.composer.compose(calls, tools)) {
      deliveries.push(this.#send(run, this.#bodyFor(state, run, composed)));
    }
    // Their events are out: keep what later spans need (identity), not the messages.
    for (const { node } of [...calls, ...tools]) {
      if (node.facts && !node.isAgent) node.facts = { ...node.facts, meaning: COMPOSED };
    }
  }

  #recordCall(run: RunState, { node, call, scope }: CallItem): void {
    if (call.usage) {
      run.callUsage.set(scope, addUsage(run.callUsage.get(scope) ?? {}, call.usage));
      const model = call.model ?? "unknown";
      run.usageByModel.set(model, addUsage(run.usageByModel.get(model) ?? {}, call.usage));
    }
    if (call.systemPrompt !== undefined) run.systemPromptByScope.set(scope, call.systemPrompt);
    const length = call.input.length;
    const last = run.lastCall;
    if (!last || length > last.length || (length === last.length && node.startMs >= last.startMs)) {
      run.lastCall = { length, startMs: node.startMs, finishReason: call.finishReason };
    }
  }

  #agentOf(node: SpanNode | null | undefined): AgentInvocation | undefined {
    if (!node) return undefined;
    const meaning = (node.facts ?? this.#liveFactsOf(node))?.meaning;
    return meaning?.kind === "agent" ? meaning.agent : undefined;
  }

  #identityOf(graph: TraceGraph, node: SpanNode): Identity {
    const identity: Identity = {};
    let current: SpanNode | undefined = node;
    for (let depth = 0; current && depth < 1000; depth++) {
      const found = (current.facts ?? this.#liveFactsOf(current))?.identity ?? {};
      identity.sessionId ??= found.sessionId;
      identity.userId ??= found.userId;
      identity.userEmail ??= found.userEmail;
      identity.userName ??= found.userName;
      current = current.parentId ? graph.nodes.get(current.parentId) : undefined;
    }
    return identity;
  }

  #context(graph: TraceGraph, run: RunState, source: SpanNode, callSystemPrompt: string | undefined) {
    const agentNode = graph.scopeAgent(source);
    const agent = this.#agentOf(agentNode);
    const scope = agentNode ? agentNode.spanId : RUN_SCOPE;
    const configured = this.#options.agent ?? {};
    const agentContext: PermisoAgentContext = {
      name: agent?.name ?? configured.name,
      id: agent?.id ?? configured.id,
      systemPrompt: agent?.systemPrompt ?? callSystemPrompt ?? run.systemPromptByScope.get(scope) ?? configured.systemPrompt,
    };
    const identity = this.#identityOf(graph, source);
    const user: PermisoUser = {
      id: identity.userId ?? this.#options.user?.id,
      email: identity.userEmail ?? this.#options.user?.email,
      name: identity.userName ?? this.#options.user?.name,
    };
    return { agent: agentContext, user, sessionId: identity.sessionId ?? this.#options.sessionId };
  }

  #bodyFor(state: TraceState, run: RunState, composed: ComposedEvent): HookBody {
    const { agent, user, sessionId } = this.#context(state.graph, run, composed.source, composed.systemPrompt);
    return buildHookBody({
      hookEvent: composed.hookEvent,
      runId: run.ref.runId,
      parentRunId: run.ref.parentRunId,
      event: composed.event as unknown as Record<string, unknown>,
      sessionId,
      user,
      agent,
    });
  }

  #stopRun(state: TraceState, run: RunState, owner: SpanNode, deliveries: Array<Promise<DeliveryResult>>): void {
    run.stopped = true;
    const isTraceRun = !run.ref.ownerSpanId;
    if (isTraceRun && run.eventCount === 0 && run.topAgents.length === 0) return;
    const usage = this.#runUsage(run, state.childStopsOf.has(run.ref.runId));
    const topAgent = this.#agentOf(run.topAgents[0]);
    const stopReason = mapStopReason(run.lastCall?.finishReason ?? topAgent?.finishReason);
    const event: StopEvent = { source: "stop" };
    if (stopReason) event.stopReason = stopReason;
    if (usage) event.usage = toWireUsage(usage, costOf(run.usageByModel, this.#options.pricing));
    event.eventId = `${run.ref.runId}:stop`;
    event.timestamp = run.composer.stopTimestamp(Number.isNaN(owner.endMs) ? Date.now() : owner.endMs);
    const source = run.topAgents[0] ?? owner;
    const { agent, user, sessionId } = this.#context(state.graph, run, source, undefined);
    const body = buildHookBody({
      hookEvent: "stop",
      runId: run.ref.runId,
      parentRunId: run.ref.parentRunId,
      event: event as unknown as Record<string, unknown>,
      sessionId,
      user,
      agent,
    });
    const delivery = this.#send(run, body, state.childStopsOf.get(run.ref.runId) ?? []);
    deliveries.push(delivery);
    if (run.ref.parentRunId) state.childStopsOf.get(run.ref.parentRunId)?.push(delivery);
  }

  /**
   * The run's own usage: the top agents' totals when they report them and no
   * child run exists (their totals could include sub-agents), plus calls made
   * outside those agents; otherwise the sum of the run's own model calls.
   */
  #runUsage(run: RunState, hasChildRuns: boolean): TokenUsage | undefined {
    const totals = run.topAgents.map((node) => this.#agentOf(node)?.usage);
    let usage: TokenUsage = {};
    if (!hasChildRuns && totals.length > 0 && totals.every(hasTokens)) {
      for (const total of totals) addUsage(usage, total);
      const agentScopes = new Set(run.topAgents.map((node) => node.spanId));
      for (const [scope, callUsage] of run.callUsage) if (!agentScopes.has(scope)) addUsage(usage, callUsage);
    } else {
      for (const callUsage of run.callUsage.values()) addUsage(usage, callUsage);
    }
    return hasTokens(usage) ? usage : undefined;
  }

  /** Queues one body; a stop passes the stops of its child runs to wait for. */
  #send(run: RunState, body: HookBody, childStops?: Array<Promise<DeliveryResult>>): Promise<DeliveryResult> {
    const isStop = childStops !== undefined;
    run.eventCount++;
    this.stats.eventsQueued++;
    // With the queue full, do not spend work (and garbage) preparing what would be dropped.
    const prepared = this.#delivery.hasRoom(isStop) ? this.#prepare(body) : null;
    const delivery = this.#delivery.enqueue({
      runId: run.ref.runId,
      body: prepared,
      isStop,
      after: childStops,
    });
    return delivery.then((result) => {
      if (result === "skipped") this.stats.eventsWithheld++;
      return result;
    });
  }

  /** Content policy, truncation, mask, the strict schema check, then JSON text. */
  #prepare(body: HookBody): string | null | Promise<string | null> {
    const captured = this.#options.captureContent === false ? withoutContent(body) : body;
    if (!captured) return null;
    const truncated = truncateBody(captured, this.#options.maxFieldLength ?? BRIDGE_DEFAULTS.maxFieldLength);
    const mask = this.#options.mask;
    if (!mask) return this.#checked(truncated);
    return applyMask(truncated, mask).then(({ body: masked, failure }) => {
      if (failure) {
        this.stats.maskFailures++;
        this.#bursts.report("mask failed, content redacted", failure);
      }
      return masked ? this.#checked(masked) : null;
    });
  }

  #checked(body: HookBody): string | null {
    const { clientSentAtMs: _stampedWhenSent, ...unsent } = body;
    const issues = validateHookBody(unsent);
    let problem = issues.length > 0 ? `${issues[0].path} ${issues[0].message}` : undefined;
    if (!problem) {
      try {
        return encodeJson(unsent);
      } catch (error) {
        // Only a mask can put in what JSON cannot carry (a BigInt, a cycle).
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    this.stats.eventsInvalid++;
    this.#bursts.report("invalid hook events not sent", problem);
    return null;
  }

  /** Ended spans still waiting for their run to be known. */
  #heldSpans(): number {
    let held = 0;
    for (const state of this.#traces.values()) held += state.graph.pending.size;
    return held;
  }

  #enforceHoldLimits(deliveries: Array<Promise<DeliveryResult>>): void {
    const maxHeld = this.#options.maxHeldSpans ?? BRIDGE_DEFAULTS.maxHeldSpans;
    while (this.#heldSpans() > maxHeld && this.#traces.size > 0) {
      const oldest = this.#traces.values().next().value as TraceState;
      oldest.graph.assumeComplete = true;
      this.#release(oldest, deliveries);
      if (this.#traces.get(oldest.graph.traceId) === oldest) this.#completeTrace(oldest, false);
      this.#bursts.report("held spans released early", `more than ${maxHeld} spans waited for their runs`);
    }
    if (this.#heldSpans() > 0 && !this.#holdTimer) {
      const holdMs = this.#options.holdTimeoutMs ?? BRIDGE_DEFAULTS.holdTimeoutMs;
      this.#holdTimer = setInterval(() => this.#releaseExpired(holdMs), Math.max(250, Math.min(holdMs / 4, 5_000)));
      (this.#holdTimer as { unref?: () => void }).unref?.();
    }
  }

  #releaseExpired(holdMs: number): void {
    const cutoff = Date.now() - holdMs;
    const deliveries: Array<Promise<DeliveryResult>> = [];
    for (const state of [...this.#traces.values()]) {
      if (state.graph.firstSeenAt > cutoff) continue;
      state.graph.assumeComplete = true;
      this.#release(state, deliveries);
    }
    if (this.#heldSpans() === 0 && this.#holdTimer) {
      clearInterval(this.#holdTimer);
      this.#holdTimer = undefined;
    }
  }
}

/** The default `shouldExportSpan`: spans that follow a known LLM or agent convention. */
export function isDefaultExportSpan(span: ReadableSpanLike): boolean {
  return isAiSpan(toSpanView(span));
}

