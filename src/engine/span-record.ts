/**
 * The span the engine takes: plain data, whoever produced it. The
 * OpenTelemetry JS adapters convert ReadableSpans into it
 * (`src/otel/span-view.ts`); an OTLP receiver decodes OTLP into it. Nothing
 * in the engine knows where a span came from.
 */
import type { Attributes } from "@opentelemetry/api";

export interface SpanEventRecord {
  name: string;
  /** Epoch milliseconds. */
  timeMs: number;
  attributes: Attributes;
}

export interface SpanRecord {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId: string | undefined;
  /** `true`/`false` when the producer says; `undefined` when it cannot (sdk-trace-base 1.x). */
  parentIsRemote: boolean | undefined;
  name: string;
  /** OpenTelemetry's SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: number;
  /** Epoch milliseconds. */
  startMs: number;
  /** Epoch milliseconds; NaN while the span is still open. */
  endMs: number;
  /** Flat attributes; structured values arrive as JSON text or arrays. */
  attributes: Attributes;
  events: SpanEventRecord[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  /** The instrumentation scope's name. */
  scope: string | undefined;
}

/**
 * A span as it is now, and whether it may produce events: a span the
 * user's filter refuses still links the spans below it to their agent.
 */
export interface SpanSnapshot {
  span: SpanRecord;
  exportable: boolean;
}
