/**
 * OpenTelemetry JS spans as the engine's `SpanRecord`. sdk-trace-base 1.x and
 * 2.x differ in how a span names its parent and its scope; nothing past
 * this file needs to know which one produced the span.
 */
import { TraceFlags, type Attributes, type HrTime, type SpanContext } from "@opentelemetry/api";
import type { SpanEventRecord, SpanRecord } from "../engine/span-record.js";
import { isAiSpan } from "./conventions/registry.js";

/** The record as the convention readers know it. */
export type SpanView = SpanRecord;
export type SpanEventView = SpanEventRecord;

/** The fields this package reads, present in 1.x and 2.x ReadableSpans alike. */
export interface ReadableSpanLike {
  name: string;
  kind: number;
  spanContext(): SpanContext;
  startTime: HrTime;
  endTime: HrTime;
  ended?: boolean;
  attributes: Attributes;
  events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Attributes }>;
  status: { code: number; message?: string };
  /** 2.x */
  parentSpanContext?: SpanContext;
  /** 1.x */
  parentSpanId?: string;
  /** 2.x */
  instrumentationScope?: { name: string };
  /** 1.x */
  instrumentationLibrary?: { name: string };
}

export function hrTimeToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

export function parentSpanIdOf(span: ReadableSpanLike): string | undefined {
  const parent = span.parentSpanContext;
  return parent ? parent.spanId : span.parentSpanId || undefined;
}

/** Whether the parent is remote: `undefined` when a 1.x span cannot say. */
function parentIsRemoteOf(span: ReadableSpanLike): boolean | undefined {
  const parent = span.parentSpanContext;
  return parent ? (parent.isRemote ?? false) : undefined;
}

/** Spans with no events (most of them) share one empty list, frozen: nothing may add to it. */
const NO_EVENTS = Object.freeze([]) as unknown as SpanEventRecord[];

/**
 * `parentIsRemote` fills in what a 1.x span cannot say (a processor learns it
 * from the parent context at the span's start).
 */
export function toSpanView(span: ReadableSpanLike, parentIsRemote?: boolean): SpanRecord {
  const context = span.spanContext();
  const ended = span.ended ?? true;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parentSpanIdOf(span),
    parentIsRemote: parentIsRemoteOf(span) ?? parentIsRemote,
    name: span.name,
    kind: span.kind,
    startMs: hrTimeToMs(span.startTime),
    endMs: ended ? hrTimeToMs(span.endTime) : Number.NaN,
    attributes: span.attributes,
    events:
      span.events.length === 0
        ? NO_EVENTS
        : span.events.map((event) => ({
            name: event.name,
            timeMs: hrTimeToMs(event.time),
            attributes: event.attributes ?? {},
          })),
    status: span.status,
    scope: (span.instrumentationScope ?? span.instrumentationLibrary)?.name,
  };
}

/** Unsampled spans (a record-only sampler) are not reported, as the SDK's own processors do not export them. */
export function isSampled(span: ReadableSpanLike): boolean {
  const flags = span.spanContext().traceFlags;
  return flags === undefined || (flags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

/** The default `shouldExportSpan`: spans that follow a known LLM or agent convention. */
export function isDefaultExportSpan(span: ReadableSpanLike): boolean {
  return isAiSpan(toSpanView(span));
}
