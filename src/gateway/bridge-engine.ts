/**
 * The gateway's SpanEngine on the bridge in exporter mode ("hold until the
 * run is known"). Decoded span records are presented to it as ended spans.
 */
import type { HrTime } from "@opentelemetry/api";
import { Bridge } from "../otel/bridge.js";
import type { PermisoBridgeOptions } from "../otel/options.js";
import { BRIDGE_DEFAULTS } from "../otel/options.js";
import type { ReadableSpanLike, SpanView } from "../otel/span-view.js";
import type { EngineCounters, SpanEngine } from "./engine.js";

/** OTLP retries resend spans; ids seen recently are ignored. */
const MAX_REMEMBERED_SPANS = 200_000;

export function createBridgeEngine(options: PermisoBridgeOptions): SpanEngine {
  const bridge = new Bridge(options, "exporter");
  const maxQueue = options.maxQueueSize ?? BRIDGE_DEFAULTS.maxQueueSize;
  const seen = new Set<string>();
  let spansAccepted = 0;
  let spansDuplicate = 0;
  const queueDepth = () => {
    const { eventsQueued, eventsDelivered, eventsFailed, eventsDropped, eventsWithheld } = bridge.stats;
    return Math.max(0, eventsQueued - eventsDelivered - eventsFailed - eventsDropped - eventsWithheld);
  };

  return {
    accept(spans) {
      const fresh: ReadableSpanLike[] = [];
      for (const span of spans) {
        const key = `${span.traceId}:${span.spanId}`;
        if (seen.has(key)) {
          spansDuplicate++;
          continue;
        }
        seen.add(key);
        if (seen.size > MAX_REMEMBERED_SPANS) seen.delete(seen.values().next().value as string);
        fresh.push(asEndedSpan(span));
      }
      spansAccepted += fresh.length;
      if (fresh.length > 0) bridge.spansEnded(fresh);
    },
    // A quarter of the queue stays free for the events of batches already admitted.
    get room() {
      return Math.floor(maxQueue * 0.75) - queueDepth();
    },
    get queueDepth() {
      return queueDepth();
    },
    heldSpans: 0,
    heldTraces: 0,
    counters(): EngineCounters {
      const { eventsDelivered, eventsFailed, eventsDropped } = bridge.stats;
      return { spansAccepted, spansDuplicate, eventsDelivered, eventsFailed, eventsDropped };
    },
    close: () => bridge.shutdown().catch(() => undefined),
  };
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * The record as an ended SDK span. A parent whose remoteness the sender did
 * not say is given as a 1.x span gives it (`parentSpanId` only), so the
 * engine treats it the same way.
 */
function asEndedSpan(view: SpanView): ReadableSpanLike {
  const context = { traceId: view.traceId, spanId: view.spanId, traceFlags: 1 };
  return {
    name: view.name,
    kind: view.kind,
    spanContext: () => context,
    startTime: hrTime(view.startMs),
    endTime: hrTime(view.endMs),
    ended: true,
    attributes: view.attributes,
    events: view.events.map((event) => ({ name: event.name, time: hrTime(event.timeMs), attributes: event.attributes })),
    status: view.status,
    parentSpanContext:
      view.parentSpanId !== undefined && view.parentIsRemote !== undefined
        ? { traceId: view.traceId, spanId: view.parentSpanId, traceFlags: 1, isRemote: view.parentIsRemote }
        : undefined,
    parentSpanId: view.parentIsRemote === undefined ? view.parentSpanId : undefined,
    instrumentationScope: view.scope === undefined ? undefined : { name: view.scope },
  };
}
