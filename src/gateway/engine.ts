/**
 * What the gateway needs from the engine: span records in ("hold until the
 * run is known", duplicates ignored), and enough visibility to push back
 * (queue depth and room) and to report (held spans and traces, counters).
 */
import type { SpanRecord } from "../engine/span-record.js";

export interface EngineCounters {
  spansAccepted: number;
  spansDuplicate: number;
  eventsDelivered: number;
  eventsFailed: number;
  eventsDropped: number;
}

export interface SpanEngine {
  /** Takes decoded spans; never throws for bad span content. */
  accept(spans: readonly SpanRecord[]): void;
  /**
   * Events it can still take without dropping any, headroom for batches
   * already admitted kept aside. New requests are admitted while it is
   * positive and, with events waiting, at least what the last request took.
   */
  readonly room: number;
  /** Events waiting to be delivered, or being delivered. */
  readonly queueDepth: number;
  readonly heldSpans: number;
  readonly heldTraces: number;
  counters(): EngineCounters;
  /** Releases held spans and delivers everything within the flush deadline; never rejects. */
  close(): Promise<void>;
}
