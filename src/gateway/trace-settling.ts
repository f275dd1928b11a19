/**
 * Lets each trace settle before its spans reach the engine. Over OTLP a
 * trace's spans come in many requests that race each other (concurrent
 * exports, a Collector's parallel queue consumers), so the span that closes a
 * run (a trace's root, a sub-agent's agent span) can arrive before spans of
 * that run; the engine would then treat those as late. Holding a trace until
 * no span of it has arrived for `settleMs` (at most `maxWaitMs` in all), as
 * the Collector's groupbytrace processor does, restores the order an
 * in-process exporter sees. Spans of a trace that arrive after it was handed
 * over go straight through.
 */
import type { SpanRecord } from "../engine/span-record.js";
import type { EngineCounters, SpanEngine } from "./engine.js";

export interface SettlingOptions {
  settleMs: number;
  maxWaitMs: number;
  /** Spans waiting to settle at most; past it the oldest traces are handed over early. */
  maxSettlingSpans: number;
  now?: () => number;
}

interface SettlingTrace {
  spans: SpanRecord[];
  firstSeenAt: number;
  lastSeenAt: number;
}

export function settlingEngine(inner: SpanEngine, options: SettlingOptions): SpanEngine {
  const now = options.now ?? Date.now;
  const settling = new Map<string, SettlingTrace>();
  let settlingSpans = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  /** Takes traces out of settling; their spans reach the engine in one batch (one release for all of them). */
  const handOver = (traces: Array<[string, SettlingTrace]>) => {
    if (traces.length === 0) return;
    const spans: SpanRecord[] = [];
    for (const [traceId, trace] of traces) {
      settling.delete(traceId);
      settlingSpans -= trace.spans.length;
      for (const span of trace.spans) spans.push(span);
    }
    inner.accept(spans);
  };
  const handOverSettled = () => {
    const at = now();
    const settled: Array<[string, SettlingTrace]> = [];
    for (const entry of settling) {
      const trace = entry[1];
      if (at - trace.lastSeenAt >= options.settleMs || at - trace.firstSeenAt >= options.maxWaitMs) settled.push(entry);
    }
    handOver(settled);
    if (settling.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    accept(spans) {
      const at = now();
      // A request's spans come grouped by trace (a BatchSpanProcessor sends them in the order they ended):
      // the trace of the span before is looked up once for its whole run of spans.
      let traceId: string | undefined;
      let trace: SettlingTrace | undefined;
      for (const span of spans) {
        if (span.traceId !== traceId || trace === undefined) {
          traceId = span.traceId;
          trace = settling.get(traceId);
          if (!trace) {
            trace = { spans: [], firstSeenAt: at, lastSeenAt: at };
            settling.set(traceId, trace);
          }
          trace.lastSeenAt = at;
        }
        trace.spans.push(span);
      }
      settlingSpans += spans.length;
      const early: Array<[string, SettlingTrace]> = [];
      let over = settlingSpans - options.maxSettlingSpans;
      for (const entry of settling) {
        if (over <= 0) break;
        early.push(entry);
        over -= entry[1].spans.length;
      }
      handOver(early);
      if (settling.size > 0 && !timer) {
        timer = setInterval(handOverSettled, Math.max(10, Math.floor(options.settleMs / 4)));
        (timer as { unref?: () => void }).unref?.();
      }
    },
    // Settling spans become events soon: they count against the queue's room (about one event per span).
    get room() {
      return Math.min(inner.room - settlingSpans, options.maxSettlingSpans - settlingSpans);
    },
    get queueDepth() {
      return inner.queueDepth;
    },
    get heldSpans() {
      return inner.heldSpans + settlingSpans;
    },
    get heldTraces() {
      return inner.heldTraces + settling.size;
    },
    counters: (): EngineCounters => inner.counters(),
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      handOver([...settling]);
      await inner.close();
    },
  };
}
