/**
 * One run: an agent turn, with its own composer (what it has sent), its top
 * agents, its usage ledger, the tool calls it holds back for a guard, and
 * its stop. The engine hands it the released spans; it answers with the
 * events to send, in order.
 */
import type { AgentInvocation, SpanMeaning } from "../otel/model.js";
import type { StopEvent } from "../protocol/events.js";
import { RunComposer, type CallItem, type ComposedEvent, type Composition, type ToolItem } from "./run-composer.js";
import { mapStopReason, toWireUsage, type Pricing } from "./run-summary.js";
import type { RunRef, SpanNode } from "./trace-graph.js";
import { UsageLedger } from "./usage-ledger.js";

/** The scope of model calls made outside any agent. */
export const RUN_SCOPE = "run";

export interface ReleasedSpan {
  node: SpanNode;
  meaning: SpanMeaning;
}

export class Run {
  readonly ref: RunRef;
  readonly #composer: RunComposer;
  readonly #usage = new UsageLedger();
  /** Agents at the top of this run: the owner of a child run, or the trace's top-level agents. */
  readonly #topAgents: SpanNode[] = [];
  readonly #scopesWithCalls = new Set<string>();
  readonly #systemPromptByScope = new Map<string, string>();
  /** Tool calls held back while a guard may report them, by toolUseId. */
  readonly #deferred = new Map<string, ComposedEvent>();
  /**
   * The finish reason reported last: by the latest call in causal order
   * (conversation length, then start; span ends are no guide, since some
   * producers keep a call's span open while its tools run) among the calls
   * that report one.
   */
  #lastFinish: { length: number; startMs: number; reason: string } | undefined;
  #eventsSent = 0;
  #stopped = false;

  constructor(ref: RunRef) {
    this.ref = ref;
    this.#composer = new RunComposer(ref.runId);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  get topAgents(): readonly SpanNode[] {
    return this.#topAgents;
  }

  /**
   * The top agent that finished the run: the last one to start. A run has
   * several when one hands off to another, or when a request runs agents in
   * turn; its stop names the agent the run ended with.
   */
  get finishingAgent(): SpanNode | undefined {
    let last: SpanNode | undefined;
    for (const node of this.#topAgents) if (!last || node.startMs >= last.startMs) last = node;
    return last;
  }

  addTopAgent(node: SpanNode): void {
    if (!this.#topAgents.includes(node)) this.#topAgents.push(node);
  }

  systemPromptOf(scope: string): string | undefined {
    return this.#systemPromptByScope.get(scope);
  }

  /** The events of released spans; `scopeOf` names the agent scope a span ran in. */
  compose(released: readonly ReleasedSpan[], scopeOf: (node: SpanNode) => string): Composition {
    const calls: CallItem[] = [];
    const tools: ToolItem[] = [];
    for (let index = 0; index < released.length; index++) {
      const { node, meaning } = released[index];
      if (meaning.kind === "model") {
        const scope = scopeOf(node);
        calls.push({ span: node, call: meaning.call, scope });
        this.#scopesWithCalls.add(scope);
      } else if (meaning.kind === "tool") {
        tools.push({ span: node, tool: meaning.tool });
      }
    }
    // An agent span with messages but no model call spans below it (remote agents) stands for its calls.
    for (let index = 0; index < released.length; index++) {
      const { node, meaning } = released[index];
      // Its calls' spans, when they were seen, say the same: its own messages are then not even read.
      if (meaning.kind === "agent" && !this.#scopesWithCalls.has(node.spanId) && meaning.agent.call) {
        calls.push({ span: node, call: meaning.agent.call, scope: node.spanId });
        this.#scopesWithCalls.add(node.spanId);
      }
    }
    for (let index = 0; index < calls.length; index++) this.#recordCall(calls[index]);
    if (calls.length === 0 && tools.length === 0) return { events: [], partsSkipped: 0 };
    return this.#composer.compose(calls, tools);
  }

  /**
   * Which composed events go out now. A tool call a guard reported is never
   * sent; with `deferToolUses`, a tool call read from a model's output waits
   * for its tool's span (sent just before the result) or for the stop.
   */
  outgoing(events: readonly ComposedEvent[], deferToolUses: boolean, reported: ReadonlySet<string> | undefined): readonly ComposedEvent[] {
    if (!deferToolUses && !reported && this.#deferred.size === 0) {
      this.#eventsSent += events.length;
      return events;
    }
    const out: ComposedEvent[] = [];
    for (const composed of events) {
      const { event } = composed;
      if (event.type === "tool_use") {
        if (reported?.has(event.toolUseId)) continue;
        if (deferToolUses && !composed.fromToolSpan) {
          this.#deferred.set(event.toolUseId, composed);
          continue;
        }
      } else if (event.type === "tool_result") {
        const held = this.#deferred.get(event.toolUseId);
        if (held) {
          this.#deferred.delete(event.toolUseId);
          if (!reported?.has(event.toolUseId)) out.push(this.#restamped(held));
        }
      }
      out.push(composed);
    }
    this.#eventsSent += out.length;
    return out;
  }

  /** The model's call of `toolUseId` this run holds back, if it does. */
  heldToolUse(toolUseId: string): ComposedEvent | undefined {
    return this.#deferred.get(toolUseId);
  }

  /** Tool calls still held back, for the stop: the ones no guard reported. */
  takeDeferred(reported: ReadonlySet<string> | undefined): ComposedEvent[] {
    if (this.#deferred.size === 0) return [];
    const out = [...this.#deferred.entries()].filter(([id]) => !reported?.has(id)).map(([, held]) => this.#restamped(held));
    this.#deferred.clear();
    this.#eventsSent += out.length;
    return out;
  }

  /**
   * Ends the run: its stop event, or `undefined` for a trace's run that
   * produced nothing (a request with no AI in it). A run whose owner span
   * failed ended in an error, which no stop reason expresses: its stop
   * carries none, rather than what its last model call said before the failure.
   */
  stop(
    endMs: number,
    hasChildRuns: boolean,
    pricing: Pricing | undefined,
    agentOf: (node: SpanNode) => AgentInvocation | undefined,
    failed = false,
  ): StopEvent | undefined {
    this.#stopped = true;
    if (!this.ref.ownerSpanId && this.#eventsSent === 0 && this.#topAgents.length === 0) return undefined;
    const totals = this.#topAgents.map((node) => ({ scope: node.spanId, usage: agentOf(node)?.usage }));
    const usage = this.#usage.runUsage(totals, hasChildRuns);
    const finishing = this.finishingAgent;
    const topAgent = finishing ? agentOf(finishing) : undefined;
    const stopReason = failed ? undefined : mapStopReason(this.#lastFinish?.reason ?? topAgent?.finishReason);
    const event: StopEvent = { source: "stop" };
    if (stopReason) event.stopReason = stopReason;
    if (usage) event.usage = toWireUsage(usage, this.#usage.cost(pricing));
    event.eventId = `${this.ref.runId}:stop`;
    event.timestamp = this.#composer.nextTimestamp(endMs);
    this.#eventsSent++;
    return event;
  }

  #recordCall({ span, call, scope }: CallItem): void {
    this.#usage.record(scope, call);
    if (call.systemPrompt !== undefined) this.#systemPromptByScope.set(scope, call.systemPrompt);
    // A call that reports none (Mastra's loop span through its exporter, its inference spans through its bridge) says nothing of how the turn ended.
    if (call.finishReason === undefined) return;
    const length = call.input.length;
    const last = this.#lastFinish;
    if (!last || length > last.length || (length === last.length && span.startMs >= last.startMs)) {
      this.#lastFinish = { length, startMs: span.startMs, reason: call.finishReason };
    }
  }

  /** A held event goes out later than it was composed: its timestamp must not go back in time. */
  #restamped(held: ComposedEvent): ComposedEvent {
    const timestamp = this.#composer.nextTimestamp(held.event.timestamp as number);
    return timestamp === held.event.timestamp ? held : { ...held, event: { ...held.event, timestamp } };
  }
}
