/**
 * ExportTraceServiceRequest → span records (SpanRecord) for the engine, from
 * a parsed OTLP/JSON body, and the span rules every reader shares (ids, kind,
 * status, flags). Protobuf bodies have their own reader
 * (`protobuf-request.ts`), which gives the same records. This walker also
 * takes a message decoded by protobufjs: it has the same field names (see
 * schema.ts) and differs only in how ids (bytes or hex text), 64-bit integers
 * (Long, decimal text or number) and enums (number, or a name some JSON
 * producers send) are written, so the tests use it as an independent
 * reference for the protobuf reader.
 *
 * A span that cannot be read (ids of the wrong length, all-zero ids) is
 * rejected alone, with a message naming where it was and what was expected;
 * the other spans of the request still go through.
 */
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import type { SpanEventRecord, SpanRecord } from "../../engine/span-record.js";
import {
  OTLP_SPAN_KINDS,
  OTLP_STATUS_CODES,
  SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE,
  SPAN_FLAGS_CONTEXT_IS_REMOTE,
} from "./schema.js";

export interface DecodedSpans {
  spans: SpanRecord[];
  rejected: number;
  /** The first few problems, for `partialSuccess.errorMessage`. */
  problems: string[];
}

const MAX_PROBLEMS_REPORTED = 5;
const HEX_ID = /^[0-9a-fA-F]+$/;
const NANOS_PER_SECOND = 1_000_000_000n;

/** The problem with one span; thrown inside the walker and turned into a rejection. */
export class SpanProblem extends Error {}

type Obj = Record<string, any>;

const has = (object: Obj, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value : []);

export function spansFromRequest(request: Obj): DecodedSpans {
  const result: DecodedSpans = { spans: [], rejected: 0, problems: [] };
  list(request.resourceSpans).forEach((resourceSpans, r) => {
    list(resourceSpans?.scopeSpans).forEach((scopeSpans, s) => {
      const scopeName = typeof scopeSpans?.scope?.name === "string" && scopeSpans.scope.name !== "" ? scopeSpans.scope.name : undefined;
      list(scopeSpans?.spans).forEach((span, index) => {
        try {
          result.spans.push(toSpanView(span, scopeName));
        } catch (error) {
          countRejection(result, error, `resourceSpans[${r}].scopeSpans[${s}].spans[${index}]`);
        }
      });
    });
  });
  return result;
}

/** Counts a span that could not be read, keeping the first few problems; anything else than a SpanProblem is rethrown. */
export function countRejection(result: DecodedSpans, error: unknown, where: string): void {
  if (!(error instanceof SpanProblem)) throw error;
  result.rejected++;
  if (result.problems.length < MAX_PROBLEMS_REPORTED) result.problems.push(`${where}: ${error.message}`);
}

function toSpanView(span: Obj, scope: string | undefined): SpanRecord {
  if (!span || typeof span !== "object") throw new SpanProblem("expected a span object");
  const status = span.status && typeof span.status === "object" ? span.status : {};
  return spanRecord({
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    flags: typeof span.flags === "number" ? span.flags : 0,
    name: typeof span.name === "string" ? span.name : "",
    kind: enumOf(span.kind, OTLP_SPAN_KINDS),
    startMs: nanosToMs(span.startTimeUnixNano, "startTimeUnixNano"),
    endMs: nanosToMs(span.endTimeUnixNano, "endTimeUnixNano"),
    attributes: attributesOf(span.attributes),
    events: list(span.events).map(eventOf),
    statusCode: enumOf(status.code, OTLP_STATUS_CODES),
    statusMessage: typeof status.message === "string" ? status.message : "",
    scope,
  });
}

/** A span's fields as OTLP has them, whichever encoding they came in; the rest as the record has them. */
export interface OtlpSpanFields extends Omit<SpanRecord, "traceId" | "spanId" | "parentSpanId" | "parentIsRemote" | "kind" | "status"> {
  /** Bytes (protobuf) or hex text (JSON); empty or absent means absent. */
  traceId: unknown;
  spanId: unknown;
  parentSpanId: unknown;
  /** `Span.flags` (SpanFlags). */
  flags: number;
  /** OTLP's SpanKind (from UNSPECIFIED = 0). */
  kind: number;
  statusCode: number;
  statusMessage: string;
}

/** The span record, or a `SpanProblem` when its ids are missing or invalid. */
export function spanRecord(fields: OtlpSpanFields): SpanRecord {
  // Both ids are checked before either is required, so a malformed id is named before a missing one.
  const readTraceId = idOf(fields.traceId, 16, "traceId");
  const readSpanId = idOf(fields.spanId, 8, "spanId");
  const traceId = requiredId(readTraceId, "traceId");
  const spanId = requiredId(readSpanId, "spanId");
  const parentSpanId = idOf(fields.parentSpanId, 8, "parentSpanId");
  return {
    traceId,
    spanId,
    parentSpanId,
    parentIsRemote: parentIsRemoteOf(parentSpanId, fields.flags),
    name: fields.name,
    kind: spanKindOf(fields.kind),
    startMs: fields.startMs,
    endMs: fields.endMs,
    attributes: fields.attributes,
    events: fields.events,
    status: statusOf(fields.statusCode, fields.statusMessage),
    scope: fields.scope,
  };
}

export function requiredId(id: string | undefined, field: string): string {
  if (id === undefined) throw new SpanProblem(`${field} is required`);
  return id;
}

/** From `Span.flags` (SpanFlags), when the producer says whether the parent is remote. */
export function parentIsRemoteOf(parentSpanId: string | undefined, flags: number): boolean | undefined {
  return parentSpanId !== undefined && (flags & SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE) !== 0 ? (flags & SPAN_FLAGS_CONTEXT_IS_REMOTE) !== 0 : undefined;
}

/** OTLP counts kinds from UNSPECIFIED = 0; OpenTelemetry JS from INTERNAL = 0. */
export const spanKindOf = (otlpKind: number): number => Math.max(0, otlpKind - 1);

export const statusOf = (code: number, message: string): SpanRecord["status"] => (message === "" ? { code } : { code, message });

/**
 * An id as protobuf carries it, `bytes[start, end)`, in lowercase hex:
 * the same answer and the same problems as `idOf` gives for it as bytes.
 */
export function wireIdOf(bytes: Buffer, start: number, end: number, size: number, field: string): string | undefined {
  if (start === end) return undefined;
  if (end - start !== size) throw new SpanProblem(`${field} must be ${size} bytes (got ${end - start})`);
  let zeros = true;
  for (let i = start; i < end && zeros; i++) zeros = bytes[i] === 0;
  if (zeros) throw new SpanProblem(`${field} must not be all zeros`);
  return bytes.toString("hex", start, end);
}

function eventOf(event: Obj): SpanEventRecord {
  return {
    name: typeof event?.name === "string" ? event.name : "",
    timeMs: nanosToMs(event?.timeUnixNano, "events.timeUnixNano"),
    attributes: attributesOf(event?.attributes),
  };
}

/** Lowercase hex of an id: bytes from protobuf, hex text from JSON. Empty means absent. */
function idOf(value: unknown, bytes: number, field: string): string | undefined {
  // protobufjs leaves a shared empty default (an array) for bytes not on the wire.
  if (value === undefined || value === null || (value as { length?: number }).length === 0) return undefined;
  if (value instanceof Uint8Array) return wireIdOf(Buffer.from(value.buffer, value.byteOffset, value.length), 0, value.length, bytes, field);
  if (typeof value !== "string" || value.length !== bytes * 2 || !HEX_ID.test(value)) {
    const got = typeof value === "string" ? ` (got ${JSON.stringify(value.slice(0, 40))})` : "";
    throw new SpanProblem(`${field} must be ${bytes * 2} hex digits${got}`);
  }
  const hex = value.toLowerCase();
  if (/^0+$/.test(hex)) throw new SpanProblem(`${field} must not be all zeros`);
  return hex;
}

function enumOf(value: unknown, names: Record<string, number>): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") return names[value] ?? (/^\d+$/.test(value) ? Number(value) : 0);
  return 0;
}

/**
 * Epoch milliseconds exactly as OpenTelemetry JS computes them from its
 * `[seconds, nanos]` time, so a span gives the same numbers whichever way it
 * arrived. Nanoseconds come as a protobufjs Long, decimal text or a number.
 */
export function nanosToMs(value: unknown, field: string): number {
  const nanos = toBigInt(value, field);
  if (nanos === undefined) return 0;
  const seconds = nanos / NANOS_PER_SECOND;
  const rest = nanos - seconds * NANOS_PER_SECOND;
  return Number(seconds) * 1000 + Number(rest) / 1e6;
}

/**
 * The same milliseconds as `nanosToMs`, from a fixed64's 32-bit halves and
 * without BigInt: seconds and the nanoseconds left over by long division in
 * 16-bit steps, each exact in a double.
 */
export function fixed64NanosToMs(lo: number, hi: number): number {
  const highSeconds = Math.floor(hi / 1e9);
  let rest = hi - highSeconds * 1e9;
  const upper = rest * 65536 + (lo >>> 16);
  const upperSeconds = Math.floor(upper / 1e9);
  rest = upper - upperSeconds * 1e9;
  const lower = rest * 65536 + (lo & 0xffff);
  const lowerSeconds = Math.floor(lower / 1e9);
  rest = lower - lowerSeconds * 1e9;
  const seconds = highSeconds * 4294967296 + upperSeconds * 65536 + lowerSeconds;
  return seconds * 1000 + rest / 1e6;
}

function toBigInt(value: unknown, field: string): bigint | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new SpanProblem(`${field} must be a non-negative integer`);
    return BigInt(Math.trunc(value));
  }
  if (typeof value === "string") {
    if (!/^\d+$/.test(value)) throw new SpanProblem(`${field} must be a decimal integer (got ${JSON.stringify(value.slice(0, 40))})`);
    return BigInt(value);
  }
  if (typeof value === "object" && "low" in value && "high" in value) {
    const long = value as { low: number; high: number };
    return (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
  }
  throw new SpanProblem(`${field} must be an integer`);
}

function attributesOf(keyValues: unknown): Attributes {
  const attributes: Attributes = {};
  for (const keyValue of list(keyValues)) {
    if (typeof keyValue?.key !== "string") continue;
    const value = flatValue(keyValue.value);
    if (value !== undefined) attributes[keyValue.key] = value;
  }
  return attributes;
}

/**
 * An AnyValue as an OpenTelemetry JS attribute value. Arrays of scalars stay
 * arrays; maps and nested arrays (which OpenTelemetry JS attributes cannot
 * hold, but other SDKs send) become JSON text, as JS instrumentations write
 * structured values.
 */
function flatValue(value: unknown): AttributeValue | undefined {
  const scalar = scalarValue(value);
  if (scalar !== undefined) return scalar;
  if (!value || typeof value !== "object") return undefined;
  const any = value as Obj;
  if (has(any, "arrayValue")) {
    const items = list(any.arrayValue?.values).map(scalarValue);
    if (items.every((item) => item === undefined || typeof item !== "object")) {
      return items.filter((item) => item !== undefined) as AttributeValue;
    }
  }
  const structured = jsonValue(any);
  return structured === undefined ? undefined : JSON.stringify(structured);
}

function scalarValue(value: unknown): string | number | boolean | undefined {
  if (!value || typeof value !== "object") return undefined;
  const any = value as Obj;
  if (has(any, "stringValue")) return typeof any.stringValue === "string" ? any.stringValue : String(any.stringValue);
  if (has(any, "boolValue")) return any.boolValue === true || any.boolValue === "true";
  if (has(any, "intValue")) return int64ToNumber(any.intValue);
  if (has(any, "doubleValue")) return typeof any.doubleValue === "number" ? any.doubleValue : Number(any.doubleValue);
  if (has(any, "bytesValue")) return bytesToBase64(any.bytesValue);
  return undefined;
}

function jsonValue(value: unknown): unknown {
  const scalar = scalarValue(value);
  if (scalar !== undefined) return scalar;
  if (!value || typeof value !== "object") return undefined;
  const any = value as Obj;
  if (has(any, "arrayValue")) return list(any.arrayValue?.values).map(jsonValue);
  if (has(any, "kvlistValue")) {
    const object: Record<string, unknown> = {};
    for (const entry of list(any.kvlistValue?.values)) {
      if (typeof entry?.key === "string") object[entry.key] = jsonValue(entry.value);
    }
    return object;
  }
  return undefined;
}

function int64ToNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Number(value);
  if (value && typeof value === "object" && "low" in value && "high" in value) {
    const long = value as { low: number; high: number; unsigned?: boolean };
    return long.high * 4294967296 + (long.low >>> 0);
  }
  return Number.NaN;
}

function bytesToBase64(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString("base64");
  return typeof value === "string" ? value : "";
}
