/**
 * One version-neutral view of a span. sdk-trace-base 1.x and 2.x differ in
 * how a span names its parent and its scope; nothing past this file needs to
 * know which one produced the span.
 */
import type { Attributes, HrTime, SpanContext } from "@opentelemetry/api";

export interface SpanEventView {
  name: string;
  timeMs: number;
  attributes: Attributes;
}

export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  /** `true`/`false` when the SDK says; `undefined` when it cannot (1.x spans). */
  parentIsRemote: boolean | undefined;
  name: string;
  kind: number;
  startMs: number;
  /** NaN while the span is still open. */
  endMs: number;
  attributes: Attributes;
  events: SpanEventView[];
  status: { code: number; message?: string };
  scope: string | undefined;
}

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

export function parentOf(span: ReadableSpanLike): { spanId: string | undefined; isRemote: boolean | undefined } {
  const parent = span.parentSpanContext;
  if (parent) return { spanId: parent.spanId, isRemote: parent.isRemote ?? false };
  return { spanId: span.parentSpanId || undefined, isRemote: undefined };
}

export function toSpanView(span: ReadableSpanLike): SpanView {
  const context = span.spanContext();
  const parent = parentOf(span);
  const ended = span.ended ?? true;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent.spanId,
    parentIsRemote: parent.isRemote,
    name: span.name,
    kind: span.kind,
    startMs: hrTimeToMs(span.startTime),
    endMs: ended ? hrTimeToMs(span.endTime) : Number.NaN,
    attributes: span.attributes,
    events: span.events.map((event) => ({
      name: event.name,
      timeMs: hrTimeToMs(event.time),
      attributes: event.attributes ?? {},
    })),
    status: span.status,
    scope: (span.instrumentationScope ?? span.instrumentationLibrary)?.name,
  };
}
