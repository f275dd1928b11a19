/**
 * The gateway's SpanEngine on the source-neutral engine (src/engine/) in
 * "hold until the run is known" mode, as the exporter: decoded span records
 * go in as they are, duplicates (OTLP retries) are ignored by the engine, and
 * its capacity says how much more may be admitted.
 */
import { diag } from "@opentelemetry/api";
import { createEngine } from "../engine/create-engine.js";
import type { EngineOptions } from "../engine/settings.js";
import type { TransportOptions } from "../transport/endpoint.js";
import type { HookTransport } from "../transport/types.js";
import { SDK_NAME } from "../version.js";
import type { EngineCounters, SpanEngine } from "./engine.js";

/** Of the delivery queue, the share kept free for the events of batches already admitted. */
const ADMITTED_HEADROOM = 0.25;

export function createRunEngine(options: EngineOptions & TransportOptions, transport?: HookTransport): SpanEngine {
  const { engine } = createEngine(options, {
    policy: "hold-until-run-known",
    transport,
    log: diag.createComponentLogger({ namespace: `${SDK_NAME}/gateway` }),
  });
  const admissible = Math.floor(engine.settings.maxQueueSize * (1 - ADMITTED_HEADROOM));
  return {
    accept(spans) {
      for (const span of spans) engine.spanEnded(span);
      // Delivery is followed through the engine's counters, not per request: the sender has its answer already.
      void engine.release();
    },
    get room() {
      return admissible - engine.capacity().queueDepth;
    },
    get queueDepth() {
      return engine.capacity().queueDepth;
    },
    get heldSpans() {
      return engine.capacity().heldSpans;
    },
    get heldTraces() {
      return engine.capacity().heldTraces;
    },
    counters(): EngineCounters {
      const stats = engine.stats();
      return {
        spansAccepted: stats.spansSeen - stats.spansDuplicate,
        spansDuplicate: stats.spansDuplicate,
        eventsDelivered: stats.eventsDelivered,
        eventsFailed: stats.eventsFailed,
        eventsDropped: stats.eventsDropped,
      };
    },
    close: () => engine.shutdown().catch(() => undefined),
  };
}
