/**
 * Names and numbers of the OTLP specification (opentelemetry-proto v1) the
 * gateway's decoder and services use. The wire format itself is read in
 * protobuf-request.ts and written in protobuf-answers.ts.
 */

/** OTLP's SpanKind, which counts from UNSPECIFIED = 0 (OpenTelemetry JS counts from INTERNAL = 0). */
export const OTLP_SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
export const OTLP_STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

export const TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
export const EXPORT_METHOD = "Export";
export const RETRY_INFO = "google.rpc.RetryInfo";

/** Bits of `Span.flags` (SpanFlags): whether the parent's remoteness is known, and whether it is remote. */
export const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
export const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
