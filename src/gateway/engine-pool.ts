/**
 * One engine per Permiso API key: the gateway's own key, and each distinct
 * `x-permiso-api-key` a sender names (so one gateway can serve several
 * Permiso agents, each run delivered with its own key). Keys are held only
 * as map keys here and never logged or reported.
 */
import type { GatewayEngineOptions } from "./options.js";
import type { EngineCounters, SpanEngine } from "./engine.js";

export type EngineFactory = (options: GatewayEngineOptions) => SpanEngine;

export class EnginePool {
  readonly #options: GatewayEngineOptions;
  readonly #factory: EngineFactory;
  readonly #maxKeys: number;
  readonly #defaultKey: string | undefined;
  readonly #engines = new Map<string, SpanEngine>();

  constructor(options: GatewayEngineOptions, factory: EngineFactory, maxKeys: number) {
    this.#options = options;
    this.#factory = factory;
    this.#maxKeys = maxKeys;
    const configured = options.apiKey ?? process.env.PERMISO_API_KEY;
    this.#defaultKey = configured && configured.trim() !== "" ? configured : undefined;
  }

  engineFor(apiKey: string | undefined): SpanEngine | "no-key" | "too-many-keys" {
    const key = apiKey && apiKey.trim() !== "" ? apiKey : this.#defaultKey;
    if (key === undefined) return "no-key";
    let engine = this.#engines.get(key);
    if (!engine) {
      // The gateway's own key is always served; senders' keys up to the limit.
      if (key !== this.#defaultKey && this.#engines.size >= this.#maxKeys) return "too-many-keys";
      engine = this.#factory({ ...this.#options, apiKey: key });
      this.#engines.set(key, engine);
    }
    return engine;
  }

  get size(): number {
    return this.#engines.size;
  }

  totals(): EngineCounters & { queueDepth: number; heldSpans: number; heldTraces: number } {
    const total = {
      spansAccepted: 0,
      spansDuplicate: 0,
      eventsDelivered: 0,
      eventsFailed: 0,
      eventsDropped: 0,
      queueDepth: 0,
      heldSpans: 0,
      heldTraces: 0,
    };
    for (const engine of this.#engines.values()) {
      const counters = engine.counters();
      total.spansAccepted += counters.spansAccepted;
      total.spansDuplicate += counters.spansDuplicate;
      total.eventsDelivered += counters.eventsDelivered;
      total.eventsFailed += counters.eventsFailed;
      total.eventsDropped += counters.eventsDropped;
      total.queueDepth += engine.queueDepth;
      total.heldSpans += engine.heldSpans;
      total.heldTraces += engine.heldTraces;
    }
    return total;
  }

  /** Closes every engine: held spans released, everything delivered within each one's flush deadline. */
  async close(): Promise<void> {
    await Promise.all([...this.#engines.values()].map((engine) => engine.close()));
  }
}
