/**
 * Ordered, bounded delivery. Each run is a channel whose events go one
 * request at a time, in order; different runs go in parallel, up to a limit.
 * Waiting events are bounded too: past the limit new events are dropped
 * (and counted). Stops have a small reserve beyond it, so runs can still
 * close when events are being dropped; past that, they are dropped too.
 *
 * Bodies wait as JSON text (compact) up to their closing brace, without
 * `clientSentAtMs`: the field and the brace are added when the request is
 * actually sent, so a body is never copied to be stamped.
 *
 * What becomes of each event shows in the callbacks and in its generation;
 * only a caller that waits for one event in particular (a parent's stop
 * waits for its children's) asks for a promise of it (`enqueue`).
 *
 * Every event belongs to a generation. `mark()` closes the current one and
 * returns it: a flush waits for that generation and every earlier one
 * (`settleThrough`), the events released before it and no later ones, and
 * at its deadline aborts what is still pending there (`abortThrough`):
 * waiting events fail at once, requests in flight are cut, and each is
 * counted as failed.
 */
import type { SendResult } from "../transport/types.js";
import { systemClock, type Clock, type Timer } from "./clock.js";

export type DeliveryResult = "delivered" | "failed" | "dropped" | "skipped";

export interface DeliveryItem {
  runId: string;
  /**
   * The body's JSON text without `clientSentAtMs` and without its closing
   * brace (`openJson`), or a promise of it while a mask runs; `null` means
   * nothing to send.
   */
  openBody: string | null | Promise<string | null>;
  /** Sent only after these settle (a parent's stop waits for its children's stops). */
  after?: Array<Promise<unknown>>;
  isStop: boolean;
}

export interface DeliveryOptions {
  /** `timeoutMs` is `attemptTimeoutMs`: the options are a transport's own. */
  send(payload: string, options: { timeoutMs: number; deadline: number; signal: AbortSignal }): Promise<SendResult>;
  maxConcurrentRuns: number;
  maxQueuedEvents: number;
  /** How long an event may take, from enqueue to its last retry. */
  deliveryTimeoutMs: number;
  /** Per-attempt timeout, so the first attempt always gets a full one. */
  attemptTimeoutMs: number;
  onFailure(result: Exclude<SendResult, { status: "success" }>): void;
  onSuccess(): void;
  onDrop(): void;
  /** A body that turned out to be nothing to send (withheld by the mask or the content policy). */
  onSkip?(): void;
  clock?: Clock;
}

/** Events released between two marks; aborting one cuts its requests and fails its waiting events. */
interface Generation {
  readonly id: number;
  readonly controller: AbortController;
  /** Events of this generation not yet settled. */
  pending: number;
  /** Events it took, and how many of them finally failed. */
  total: number;
  failed: number;
  /** Why it was aborted, once it was. */
  abortedBecause?: string;
}

/** A closed generation a flush can wait for, and abort at its deadline. */
export interface DeliveryMark {
  readonly generation: number;
}

/** What became of the events up to a mark. */
export interface Settlement {
  /** Whether all of them settled before the deadline. */
  settled: boolean;
  /** Events up to the mark (dropped ones are never queued, so never counted here). */
  total: number;
  /** Of those, finally failed (aborted ones included). */
  failed: number;
}

interface SettleWaiter {
  through: number;
  done(settled: boolean): void;
}

interface Entry {
  item: DeliveryItem;
  enqueuedAt: number;
  generation: Generation;
  /** Told what became of the event, when a caller waits for it. */
  settled: ((result: DeliveryResult) => void) | undefined;
}

/** A waiting event whose generation was aborted: it never goes out. */
export class DeliveryAbortedError extends Error {
  constructor(reason: string) {
    super(`not sent: ${reason}`);
    this.name = "DeliveryAbortedError";
  }
}

export class DeliveryQueue {
  readonly #options: DeliveryOptions;
  readonly #channels = new Map<string, Entry[]>();
  readonly #ready: string[] = [];
  readonly #active = new Set<string>();
  /** Generations with events still pending, oldest first; the last is the current one. */
  readonly #generations: Generation[] = [];
  readonly #idleWaiters = new Set<() => void>();
  /** Flushes waiting for every generation up to theirs to settle. */
  readonly #settleWaiters = new Set<SettleWaiter>();
  #nextGeneration = 0;
  #closed = false;
  readonly #clock: Clock;
  readonly #stopReserve: number;
  #queued = 0;
  /** Items waiting for their `after` promises, outside any channel. */
  #gated = 0;
  #inFlight = 0;

  constructor(options: DeliveryOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#stopReserve = Math.max(16, Math.ceil(options.maxQueuedEvents / 10));
    this.#generations.push(this.#newGeneration());
  }

  /** Events waiting (for their turn, or for a gate) or being sent. */
  get pending(): number {
    return this.#queued + this.#gated + this.#inFlight;
  }

  /** Whether an event (or a stop) would be accepted now; lets callers skip preparing one that would not. */
  hasRoom(isStop: boolean): boolean {
    return this.#queued + this.#gated < this.#options.maxQueuedEvents + (isStop ? this.#stopReserve : 0);
  }

  /** Queues an event; what becomes of it shows in the callbacks and in its generation. */
  add(item: DeliveryItem): void {
    this.#accept(item, undefined);
  }

  /** Queues an event, with a promise of what becomes of it. */
  enqueue(item: DeliveryItem): Promise<DeliveryResult> {
    return new Promise((resolve) => this.#accept(item, resolve));
  }

  #accept(item: DeliveryItem, settled: Entry["settled"]): void {
    if (!this.hasRoom(item.isStop)) {
      this.#options.onDrop();
      settled?.("dropped");
      return;
    }
    const generation = this.#generations[this.#generations.length - 1];
    generation.pending++;
    generation.total++;
    if (!item.after?.length) return this.#enqueueReady(item, generation, settled);
    // Wait outside the channels: a stop waiting for its children must not
    // hold a sending slot the children need. Its time to deliver starts when they are done.
    this.#gated++;
    void Promise.allSettled(item.after).then(() => {
      this.#gated--;
      this.#enqueueReady({ ...item, after: undefined }, generation, settled);
    });
  }

  #enqueueReady(item: DeliveryItem, generation: Generation, settled: Entry["settled"]): void {
    let channel = this.#channels.get(item.runId);
    if (!channel) this.#channels.set(item.runId, (channel = []));
    channel.push({ item, enqueuedAt: this.#clock.now(), generation, settled });
    this.#queued++;
    if (channel.length === 1 && !this.#active.has(item.runId)) this.#ready.push(item.runId);
    this.#pump();
  }

  /**
   * Closes the current generation (the events released so far) and returns
   * it; later events belong to the next one.
   */
  mark(): DeliveryMark {
    const current = this.#generations[this.#generations.length - 1];
    if (current.pending > 0) this.#generations.push(this.#newGeneration());
    return { generation: current.id };
  }

  /** Events of the marked generation and earlier ones still pending. */
  pendingThrough(mark: DeliveryMark): number {
    let pending = 0;
    for (const generation of this.#generations) if (generation.id <= mark.generation) pending += generation.pending;
    return pending;
  }

  /** Waits until every event up to the mark has settled, or until the deadline. */
  settleThrough(mark: DeliveryMark, deadline: number): Promise<Settlement> {
    return new Promise<Settlement>((resolve) => {
      let timer: Timer | undefined;
      const waiter: SettleWaiter = {
        through: mark.generation,
        done: (settled) => {
          timer?.cancel();
          const settlement: Settlement = { settled, total: 0, failed: 0 };
          for (const generation of this.#generations) {
            if (generation.id > mark.generation) break;
            settlement.total += generation.total;
            settlement.failed += generation.failed;
          }
          this.#settleWaiters.delete(waiter);
          this.#trim();
          resolve(settlement);
        },
      };
      // Registered first: it keeps the generations it covers (and their counts) until it is done.
      this.#settleWaiters.add(waiter);
      if (this.pendingThrough(mark) === 0) return waiter.done(true);
      if (Number.isFinite(deadline)) timer = this.#clock.setTimer(Math.max(0, deadline - this.#clock.now()), () => waiter.done(false));
    });
  }

  /**
   * Gives up on every event up to the mark: requests in flight are cut,
   * retries stop, waiting events fail at once. Each counts as failed.
   * Resolves once they have all settled, with what became of them.
   */
  abortThrough(mark: DeliveryMark, reason: string): Promise<Settlement> {
    for (const generation of this.#generations) {
      if (generation.id > mark.generation || generation.abortedBecause !== undefined) continue;
      generation.abortedBecause = reason;
      generation.controller.abort(reason);
    }
    // An aborted request settles within a turn or two of the event loop; no deadline is needed.
    return this.settleThrough(mark, Infinity);
  }

  /** Resolves `true` once nothing is pending, or `false` at the deadline. */
  whenIdle(deadline: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (idle: boolean) => {
        timer.cancel();
        this.#idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = () => done(true);
      const timer = this.#clock.setTimer(Math.max(0, deadline - this.#clock.now()), () => done(false));
      this.#idleWaiters.add(onIdle);
    });
  }

  /** Cancels retries and in-flight requests; what remains, and whatever comes later, fails at once. */
  abort(reason = "the sender was shut down"): void {
    this.#closed = true;
    for (const generation of this.#generations) {
      generation.abortedBecause ??= reason;
      generation.controller.abort(reason);
    }
  }

  #newGeneration(): Generation {
    const generation: Generation = { id: this.#nextGeneration++, controller: new AbortController(), pending: 0, total: 0, failed: 0 };
    if (this.#closed) {
      generation.abortedBecause = "the sender was shut down";
      generation.controller.abort(generation.abortedBecause);
    }
    return generation;
  }

  /** Wakes the flushes whose generations have all settled. */
  #settled(): void {
    if (this.#settleWaiters.size > 0) {
      for (const waiter of [...this.#settleWaiters]) if (this.pendingThrough({ generation: waiter.through }) === 0) waiter.done(true);
    }
    this.#trim();
  }

  /** Forgets settled generations no flush still counts (never the current one). */
  #trim(): void {
    const generations = this.#generations;
    let kept = -1;
    for (const waiter of this.#settleWaiters) kept = Math.max(kept, waiter.through);
    while (generations.length > 1 && generations[0].pending === 0 && generations[0].id > kept) generations.shift();
  }

  #pump(): void {
    while (this.#active.size < this.#options.maxConcurrentRuns && this.#ready.length > 0) {
      const runId = this.#ready.shift()!;
      this.#active.add(runId);
      this.#next(runId, this.#channels.get(runId)!);
    }
  }

  /**
   * Sends the channel's next event, and the one after it once that one has
   * settled. Promise callbacks rather than an async loop: one event then
   * costs one reaction to its request, not two suspended functions.
   */
  #next(runId: string, channel: Entry[]): void {
    const entry = channel.shift();
    if (entry === undefined) return this.#channelDone(runId);
    this.#queued--;
    this.#inFlight++;
    const body = entry.item.openBody;
    if (typeof body === "string") return this.#send(runId, channel, entry, body);
    if (body === null) return this.#finishLater(runId, channel, entry, this.#skipped());
    body.then(
      (opened) => (opened ? this.#send(runId, channel, entry, opened) : this.#finish(runId, channel, entry, this.#skipped())),
      () => this.#finish(runId, channel, entry, "failed"),
    );
  }

  /** Nothing thrown here (by the transport, or by a callback) escapes: the event then counts as failed. */
  #send(runId: string, channel: Entry[], entry: Entry, body: string): void {
    const { generation, enqueuedAt } = entry;
    let sent: Promise<SendResult>;
    try {
      if (generation.abortedBecause !== undefined) {
        this.#options.onFailure({ status: "failure", error: new DeliveryAbortedError(generation.abortedBecause) });
        return this.#finishLater(runId, channel, entry, "failed");
      }
      const started = this.#clock.now();
      const { attemptTimeoutMs } = this.#options;
      const deadline = Math.max(enqueuedAt + this.#options.deliveryTimeoutMs, started + attemptTimeoutMs);
      // Whatever a send returns is settled as a promise: a native one is taken as it is, at no cost.
      sent = Promise.resolve(this.#options.send(closeWithClientSentAt(body, started), { timeoutMs: attemptTimeoutMs, deadline, signal: generation.controller.signal }));
    } catch {
      return this.#finishLater(runId, channel, entry, "failed");
    }
    sent.then(
      (result) => this.#finish(runId, channel, entry, this.#outcome(result)),
      () => this.#finish(runId, channel, entry, "failed"),
    );
  }

  #outcome(result: SendResult): DeliveryResult {
    try {
      if (result.status === "success") {
        this.#options.onSuccess();
        return "delivered";
      }
      this.#options.onFailure(result);
    } catch {
      // A callback's failure must not leave the channel stuck; the event counts as failed.
    }
    return "failed";
  }

  #skipped(): DeliveryResult {
    try {
      this.#options.onSkip?.();
    } catch {
      // As in #outcome.
    }
    return "skipped";
  }

  /** An event settled without a request still settles after the caller's turn, as a sent one does. */
  #finishLater(runId: string, channel: Entry[], entry: Entry, result: DeliveryResult): void {
    queueMicrotask(() => this.#finish(runId, channel, entry, result));
  }

  /** Counts what became of an event, then goes on with its channel. */
  #finish(runId: string, channel: Entry[], entry: Entry, result: DeliveryResult): void {
    this.#inFlight--;
    entry.settled?.(result);
    // Counted here rather than in a promise chained to each event: one event, one promise.
    const { generation } = entry;
    generation.pending--;
    if (result === "failed") generation.failed++;
    this.#settled();
    this.#next(runId, channel);
  }

  #channelDone(runId: string): void {
    this.#channels.delete(runId);
    this.#active.delete(runId);
    this.#pump();
    if (this.pending === 0) for (const waiter of [...this.#idleWaiters]) waiter();
  }
}

/** A JSON object's text without its closing brace, as bodies wait in the queue: `{…}` → `{…`. */
export function openJson(json: string): string {
  return json.slice(0, -1);
}

/** Closes a waiting body with `clientSentAtMs`: `{…` → `{…,"clientSentAtMs":123}`. */
export function closeWithClientSentAt(openBody: string, now: number): string {
  return `${openBody},"clientSentAtMs":${now}}`;
}
