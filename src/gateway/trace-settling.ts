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

  const handOver = (traceId: string, trace: SettlingTrace) => {
    settling.delete(traceId);
    settlingSpans -= trace.spans.length;
    inner.accept(trace.spans);
  };
  const handOverSettled = () => {
    const at = now();
    for (const [traceId, trace] of settling) {
      if (at - trace.lastSeenAt >= options.settleMs || at - trace.firstSeenAt >= options.maxWaitMs) handOver(traceId, trace);
    }
    if (settling.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    accept(spans) {
      const at = now();
      for (const span of spans) {
        let trace = settling.get(span.traceId);
        if (!trace) {
          trace = { spans: [], firstSeenAt: at, lastSeenAt: at };
          settling.set(span.traceId, trace);
        }
        trace.spans.push(span);
        trace.lastSeenAt = at;
        settlingSpans++;
      }
      while (settlingSpans > options.maxSettlingSpans && settling.size > 0) {
        const [traceId, oldest] = settling.entries().next().value as [string, SettlingTrace];
        handOver(traceId, oldest);
      }
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
      for (const [traceId, trace] of [...settling]) handOver(traceId, trace);
      await inner.close();
    },
  };
}
