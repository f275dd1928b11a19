/**
 * Accepted hook requests, kept in arrival order and grouped into runs, with
 * each child run nested under its parent.
 *
 * The store is bounded: past `maxEvents` events or `maxBytes` of event JSON,
 * the oldest runs are evicted whole (counted, and announced to watchers).
 * Each event is serialised once, when it arrives, so serving the store again
 * and again costs no re-encoding.
 */
import type { HookBody, PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import { happenedAt } from "./event-time.js";
import type { ToolDecision } from "./tool-policy.js";

export interface ReceivedEvent {
  /** Arrival order across the whole receiver, from 1. */
  seq: number;
  receivedAt: number;
  body: HookBody;
  /** The receiver's answer to a tool call it denied. */
  decision?: ToolDecision;
}

export interface RunView {
  runId: string;
  parentRunId?: string;
  sessionId?: string;
  agent?: PermisoAgentContext;
  user?: PermisoUser;
  firstReceivedAt: number;
  /** When the run's earliest event happened, by the events' own timestamps. */
  startedAt: number;
  /** Events in arrival order, the stop included. */
  events: ReceivedEvent[];
  /** The run's stop event, once it arrived. */
  stop?: ReceivedEvent;
  /** Events that arrived after the stop (a protocol violation worth seeing). */
  afterStop: number;
  children: RunView[];
  /** Problems with the run itself, e.g. a parentRunId that leads back to it. */
  warnings?: string[];
}

export interface StoreLimits {
  /** Events kept at most. @defaultValue 100000 */
  maxEvents?: number;
  /** Bytes of event JSON kept at most. @defaultValue 268435456 (256 MiB) */
  maxBytes?: number;
}

/** What was evicted so far to stay within the limits. */
export interface Evictions {
  runs: number;
  events: number;
}

/** A change besides a new event: everything cleared, or old runs evicted. */
export type StoreChange = { kind: "cleared" } | { kind: "evicted"; runIds: string[]; evictions: Evictions };

export const DEFAULT_STORE_LIMITS: Required<StoreLimits> = { maxEvents: 100_000, maxBytes: 256 * 1024 * 1024 };
/** Eviction frees a little more than needed, so a steady stream does not evict on every event. */
const EVICTION_HEADROOM = 0.9;

interface Entry {
  event: ReceivedEvent;
  /** `event` as JSON text, made once. */
  json: string;
}

export class RunStore {
  #entries: Entry[] = [];
  #bytes = 0;
  #seq = 0;
  /** Bumped by every clear and eviction, so a viewer can tell its copy is stale. */
  #generation = 0;
  readonly #evictions: Evictions = { runs: 0, events: 0 };
  readonly #limits: Required<StoreLimits>;
  readonly #listeners = new Set<(event: ReceivedEvent, json: string) => void>();
  readonly #changeListeners = new Set<(change: StoreChange) => void>();

  constructor(limits: StoreLimits = {}) {
    this.#limits = { ...DEFAULT_STORE_LIMITS, ...withoutUndefined(limits) };
    for (const [name, value] of Object.entries(this.#limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
    }
  }

  add(body: HookBody, receivedAt = Date.now(), decision?: ToolDecision): ReceivedEvent {
    const event: ReceivedEvent = decision ? { seq: ++this.#seq, receivedAt, body, decision } : { seq: ++this.#seq, receivedAt, body };
    const json = JSON.stringify(event);
    this.#entries.push({ event, json });
    this.#bytes += json.length;
    this.#evictIfOver(body.runId);
    for (const listener of this.#listeners) listener(event, json);
    return event;
  }

  /** Every accepted request still kept, in arrival order. */
  events(): ReceivedEvent[] {
    return this.#entries.map((entry) => entry.event);
  }

  /** The seq of the last accepted event (0 before the first). */
  get lastSeq(): number {
    return this.#seq;
  }

  get generation(): number {
    return this.#generation;
  }

  get evictions(): Evictions {
    return { ...this.#evictions };
  }

  get limits(): Required<StoreLimits> {
    return { ...this.#limits };
  }

  /** Events after `seq`, each with the JSON text made when it arrived. */
  serializedAfter(seq: number): Array<{ seq: number; json: string }> {
    let start = this.#entries.length;
    while (start > 0 && this.#entries[start - 1].event.seq > seq) start--;
    return this.#entries.slice(start).map(({ event, json }) => ({ seq: event.seq, json }));
  }

  clear(): void {
    this.#entries = [];
    this.#bytes = 0;
    this.#generation++;
    for (const listener of this.#changeListeners) listener({ kind: "cleared" });
  }

  /** Called for each accepted event, with its JSON text. */
  subscribe(listener: (event: ReceivedEvent, json: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called when the store is cleared or evicts runs. */
  watchChanges(listener: (change: StoreChange) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Runs as a forest: top-level runs in arrival order, children nested. */
  runs(): RunView[] {
    const byId = new Map<string, RunView>();
    for (const { event: received } of this.#entries) {
      const { body } = received;
      let run = byId.get(body.runId);
      if (!run) {
        run = {
          runId: body.runId,
          firstReceivedAt: received.receivedAt,
          startedAt: happenedAt(received),
          events: [],
          afterStop: 0,
          children: [],
        };
        byId.set(body.runId, run);
      }
      run.parentRunId ??= body.parentRunId;
      run.sessionId ??= body.sessionId;
      run.agent ??= body.agent;
      run.user ??= body.user;
      run.startedAt = Math.min(run.startedAt, happenedAt(received));
      if (run.stop) run.afterStop++;
      run.events.push(received);
      if ((body.event as { source?: unknown }).source === "stop") run.stop ??= received;
    }
    const roots: RunView[] = [];
    for (const run of byId.values()) {
      const parent = run.parentRunId ? byId.get(run.parentRunId) : undefined;
      const loop = parent ? parentLoop(run, byId) : undefined;
      if (loop) (run.warnings ??= []).push(`parentRunId forms a loop (${loop.join(" → ")}); shown as a top-level run`);
      if (parent && !loop) parent.children.push(run);
      else roots.push(run);
    }
    return roots;
  }

  #evictIfOver(protectedRunId: string): void {
    const { maxEvents, maxBytes } = this.#limits;
    if (this.#entries.length <= maxEvents && this.#bytes <= maxBytes) return;
    const targetEvents = Math.floor(maxEvents * EVICTION_HEADROOM);
    const targetBytes = Math.floor(maxBytes * EVICTION_HEADROOM);
    // Runs by first arrival, with what each would free.
    const sizes = new Map<string, { events: number; bytes: number }>();
    for (const { event, json } of this.#entries) {
      const size = sizes.get(event.body.runId) ?? { events: 0, bytes: 0 };
      size.events++;
      size.bytes += json.length;
      sizes.set(event.body.runId, size);
    }
    const evicted = new Set<string>();
    let events = this.#entries.length;
    let bytes = this.#bytes;
    for (const [runId, size] of sizes) {
      if (events <= targetEvents && bytes <= targetBytes) break;
      if (runId === protectedRunId) continue;
      evicted.add(runId);
      events -= size.events;
      bytes -= size.bytes;
    }
    const kept = this.#entries.filter((entry) => !evicted.has(entry.event.body.runId));
    // A run that alone is over the limit keeps only its newest events.
    let trimmed = 0;
    while (kept.length - trimmed > maxEvents || (bytes > maxBytes && kept.length - trimmed > 1)) {
      bytes -= kept[trimmed].json.length;
      trimmed++;
    }
    this.#evictions.runs += evicted.size;
    this.#evictions.events += this.#entries.length - (kept.length - trimmed);
    this.#entries = trimmed > 0 ? kept.slice(trimmed) : kept;
    this.#bytes = bytes;
    this.#generation++;
    const change: StoreChange = { kind: "evicted", runIds: [...evicted], evictions: this.evictions };
    for (const listener of this.#changeListeners) listener(change);
  }
}

/** The chain of runIds from `run` back to itself, when its parents loop. */
function parentLoop(run: RunView, byId: Map<string, RunView>): string[] | undefined {
  const chain = [run.runId];
  let current = run.parentRunId ? byId.get(run.parentRunId) : undefined;
  while (current) {
    chain.push(current.runId);
    if (current === run) return chain;
    if (chain.indexOf(current.runId) !== chain.length - 1) return undefined; // a loop further up, not through run
    current = current.parentRunId ? byId.get(current.parentRunId) : undefined;
  }
  return undefined;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
