/**
 * Ordered, bounded delivery. Each run is a channel whose events go one
 * request at a time, in order; different runs go in parallel, up to a limit.
 * Waiting events are bounded too: past the limit new events are dropped
 * (and counted). Stops have a small reserve beyond it, so runs can still
 * close when events are being dropped; past that, they are dropped too.
 *
 * Bodies wait as JSON text (compact), without `clientSentAtMs`, which is
 * added when the request is actually sent.
 */
import type { SendResult } from "../transport/types.js";
import { systemClock, type Clock } from "./clock.js";

export type DeliveryResult = "delivered" | "failed" | "dropped" | "skipped";

export interface DeliveryItem {
  runId: string;
  /**
   * The body as JSON without `clientSentAtMs`, or a promise of it while a mask
   * runs; `null` means nothing to send.
   */
  body: string | null | Promise<string | null>;
  /** Sent only after these settle (a parent's stop waits for its children's stops). */
  after?: Array<Promise<unknown>>;
  isStop: boolean;
}

export interface DeliveryOptions {
  send(payload: string, options: { deadline: number; signal: AbortSignal }): Promise<SendResult>;
  maxConcurrentRuns: number;
  maxQueuedEvents: number;
  /** How long an event may take, from enqueue to its last retry. */
  deliveryTimeoutMs: number;
  /** Per-attempt timeout, so the first attempt always gets a full one. */
  attemptTimeoutMs: number;
  onFailure(result: Exclude<SendResult, { status: "success" }>): void;
  onSuccess(): void;
  onDrop(): void;
  clock?: Clock;
}

interface Entry {
  item: DeliveryItem;
  enqueuedAt: number;
  resolve(result: DeliveryResult): void;
}

export class DeliveryQueue {
  readonly #options: DeliveryOptions;
  readonly #channels = new Map<string, Entry[]>();
  readonly #ready: string[] = [];
  readonly #active = new Set<string>();
  readonly #abort = new AbortController();
  readonly #idleWaiters = new Set<() => void>();
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
  }

  /** Events waiting (for their turn, or for a gate) or being sent. */
  get pending(): number {
    return this.#queued + this.#gated + this.#inFlight;
  }

  /** Whether an event (or a stop) would be accepted now; lets callers skip preparing one that would not. */
  hasRoom(isStop: boolean): boolean {
    return this.#queued + this.#gated < this.#options.maxQueuedEvents + (isStop ? this.#stopReserve : 0);
  }

  enqueue(item: DeliveryItem): Promise<DeliveryResult> {
    if (!this.hasRoom(item.isStop)) {
      this.#options.onDrop();
      return Promise.resolve("dropped");
    }
    if (item.after?.length) {
      // Wait outside the channels: a stop waiting for its children must not
      // hold a sending slot the children need.
      this.#gated++;
      return Promise.allSettled(item.after).then(() => {
        this.#gated--;
        return this.#enqueueReady({ ...item, after: undefined });
      });
    }
    return this.#enqueueReady(item);
  }

  #enqueueReady(item: DeliveryItem): Promise<DeliveryResult> {
    return new Promise<DeliveryResult>((resolve) => {
      let channel = this.#channels.get(item.runId);
      if (!channel) this.#channels.set(item.runId, (channel = []));
      channel.push({ item, enqueuedAt: this.#clock.now(), resolve });
      this.#queued++;
      if (channel.length === 1 && !this.#active.has(item.runId)) this.#ready.push(item.runId);
      this.#pump();
    });
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

  /** Cancels retries and in-flight requests; what remains fails at once. */
  abort(): void {
    this.#abort.abort();
  }

  #pump(): void {
    while (this.#active.size < this.#options.maxConcurrentRuns && this.#ready.length > 0) {
      const runId = this.#ready.shift()!;
      this.#active.add(runId);
      void this.#drain(runId);
    }
  }

  async #drain(runId: string): Promise<void> {
    const channel = this.#channels.get(runId)!;
    while (channel.length > 0) {
      const entry = channel.shift()!;
      this.#queued--;
      this.#inFlight++;
      let result: DeliveryResult;
      try {
        result = await this.#deliver(entry);
      } catch {
        result = "failed";
      }
      this.#inFlight--;
      entry.resolve(result);
    }
    this.#channels.delete(runId);
    this.#active.delete(runId);
    this.#pump();
    if (this.pending === 0) for (const waiter of [...this.#idleWaiters]) waiter();
  }

  async #deliver({ item, enqueuedAt }: Entry): Promise<DeliveryResult> {
    const body = await item.body;
    if (!body) return "skipped";
    const started = this.#clock.now();
    const payload = withClientSentAt(body, started);
    const deadline = Math.max(enqueuedAt + this.#options.deliveryTimeoutMs, started + this.#options.attemptTimeoutMs);
    const result = await this.#options.send(payload, { deadline, signal: this.#abort.signal });
    if (result.status === "success") {
      this.#options.onSuccess();
      return "delivered";
    }
    this.#options.onFailure(result);
    return "failed";
  }
}

/** Appends `clientSentAtMs` to a JSON object's text: `{…}` → `{…,"clientSentAtMs":123}`. */
export function withClientSentAt(json: string, now: number): string {
  return `${json.slice(0, -1)},"clientSentAtMs":${now}}`;
}
