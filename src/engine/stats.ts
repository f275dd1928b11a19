/** What the engine counts. Each room counts its own; the engine adds them up when asked. */
import type { OutboundCounters } from "./outbound.js";

/** The counters `getStats()` of the exporter and the processor return. */
export interface BridgeStats extends OutboundCounters {
  spansSeen: number;
  /**
   * Spans that produce no event although they carry AI work: work no event
   * can express (embeddings, reranking), and spans whose parents lead back
   * to themselves (reused ids), which no run can be found for.
   */
  spansSkipped: number;
  /** Spans that ended after their run's stop was sent. */
  spansLate: number;
  partsSkipped: number;
}

/** The bridge's counters and what only a direct user of the engine (the OTLP gateway) reads. */
export interface EngineStats extends BridgeStats {
  /** Spans that arrived again after they had ended (OTLP retries): ignored. */
  spansDuplicate: number;
  /** Of `spansSkipped`: spans whose parents lead back to themselves. */
  spansInLoops: number;
}

export type SpanCounters = Omit<EngineStats, keyof OutboundCounters>;

const BRIDGE_STAT_KEYS: ReadonlyArray<keyof BridgeStats> = [
  "spansSeen",
  "spansSkipped",
  "spansLate",
  "eventsQueued",
  "eventsDelivered",
  "eventsFailed",
  "eventsDropped",
  "eventsWithheld",
  "eventsInvalid",
  "partsSkipped",
  "maskFailures",
];

/** The documented counters only. */
export function bridgeStatsOf(stats: EngineStats): BridgeStats {
  const out = {} as BridgeStats;
  for (const key of BRIDGE_STAT_KEYS) out[key] = stats[key];
  return out;
}
