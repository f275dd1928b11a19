/**
 * OTLP/protobuf `ExportTraceServiceRequest` (opentelemetry-proto v1:
 * collector/trace, trace, resource, common) read from the wire straight
 * into span records, with the same records and rejections as
 * `spansFromRequest` gives for the same request in OTLP/JSON.
 *
 * Every field the specification declares is checked (its wire type, its
 * length, nested messages to their end), including those the records do not
 * use (the resource, links, dropped counts), so a body is refused or taken
 * whole. Fields it does not declare are skipped by their wire type. A body
 * that breaks the wire format throws `WireError`.
 */
import type { Attributes } from "@opentelemetry/api";
import type { SpanEventRecord, SpanRecord } from "../../engine/span-record.js";
import { readAttribute } from "./protobuf-attributes.js";
import {
  countRejection,
  fixed64NanosToMs,
  parentIsRemoteOf,
  requiredId,
  spanKindOf,
  statusOf,
  wireIdOf,
  type DecodedSpans,
} from "./spans.js";
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT, WireReader } from "./wire-reader.js";

export function spansFromProtobuf(body: Buffer): DecodedSpans {
  const result: DecodedSpans = { spans: [], rejected: 0, problems: [] };
  const reader = new WireReader(body);
  const end = body.length;
  let r = 0;
  reader.eachRepeated(end, "ExportTraceServiceRequest.resourceSpans", () =>
    readResourceSpans(reader, end, result, `resourceSpans[${r++}]`),
  );
  return result;
}

function readResourceSpans(reader: WireReader, end: number, result: DecodedSpans, where: string): void {
  const messageEnd = reader.enter(end, "ResourceSpans");
  let s = 0;
  while (reader.pos < messageEnd) {
    const tag = reader.tag(messageEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_LENGTH, "ResourceSpans.resource");
        checkMessage(reader, messageEnd, "ResourceSpans.resource", RESOURCE_FIELDS);
        break;
      case 2:
        reader.expect(tag, WIRE_LENGTH, "ResourceSpans.scopeSpans");
        readScopeSpans(reader, messageEnd, result, `${where}.scopeSpans[${s++}]`);
        break;
      case 3:
        reader.expect(tag, WIRE_LENGTH, "ResourceSpans.schemaUrl");
        reader.skip(tag, messageEnd);
        break;
      default:
        reader.skip(tag, messageEnd);
    }
  }
  reader.leave(messageEnd);
}

/** The scope may come after its spans on the wire: spans are found first and read once the scope is known. */
function readScopeSpans(reader: WireReader, end: number, result: DecodedSpans, where: string): void {
  const messageEnd = reader.enter(end, "ScopeSpans");
  let scope: string | undefined;
  const spanStarts: number[] = [];
  while (reader.pos < messageEnd) {
    const tag = reader.tag(messageEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_LENGTH, "ScopeSpans.scope");
        scope = readScopeName(reader, messageEnd);
        break;
      case 2:
        reader.expect(tag, WIRE_LENGTH, "ScopeSpans.spans");
        spanStarts.push(reader.pos);
        reader.pos = reader.length(messageEnd, "ScopeSpans.spans");
        break;
      case 3:
        reader.expect(tag, WIRE_LENGTH, "ScopeSpans.schemaUrl");
        reader.skip(tag, messageEnd);
        break;
      default:
        reader.skip(tag, messageEnd);
    }
  }
  for (let index = 0; index < spanStarts.length; index++) {
    reader.pos = spanStarts[index];
    try {
      result.spans.push(readSpan(reader, messageEnd, scope));
    } catch (error) {
      countRejection(result, error, `${where}.spans[${index}]`);
    }
  }
  reader.leave(messageEnd);
}

/** `InstrumentationScope`: its name, when not empty; the rest is checked. */
function readScopeName(reader: WireReader, end: number): string | undefined {
  const messageEnd = reader.enter(end, "InstrumentationScope");
  let name = "";
  while (reader.pos < messageEnd) {
    const tag = reader.tag(messageEnd);
    if (tag >>> 3 === 1) {
      reader.expect(tag, WIRE_LENGTH, "InstrumentationScope.name");
      name = reader.string(messageEnd, "InstrumentationScope.name");
    } else checkField(reader, tag, messageEnd, "InstrumentationScope", SCOPE_FIELDS);
  }
  reader.leave(messageEnd);
  return name === "" ? undefined : name;
}

/**
 * A span straight into its record: ids are kept as where they lie in the body until the span is read, then
 * checked and turned to hex in the order `spanRecord` checks them (a `SpanProblem` rejects this span alone).
 */
function readSpan(reader: WireReader, end: number, scope: string | undefined): SpanRecord {
  const messageEnd = reader.enter(end, "Span");
  let traceStart = 0;
  let traceEnd = 0;
  let spanStart = 0;
  let spanEnd = 0;
  let parentStart = 0;
  let parentEnd = 0;
  let flags = 0;
  let name = "";
  let kind = 0;
  let startMs = 0;
  let endMs = 0;
  const attributes: Attributes = {};
  const events: SpanEventRecord[] = [];
  let statusCode = 0;
  let statusMessage = "";
  while (reader.pos < messageEnd) {
    const tag = reader.tag(messageEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_LENGTH, "Span.traceId");
        traceEnd = reader.length(messageEnd, "Span.traceId");
        traceStart = reader.pos;
        reader.pos = traceEnd;
        break;
      case 2:
        reader.expect(tag, WIRE_LENGTH, "Span.spanId");
        spanEnd = reader.length(messageEnd, "Span.spanId");
        spanStart = reader.pos;
        reader.pos = spanEnd;
        break;
      case 4:
        reader.expect(tag, WIRE_LENGTH, "Span.parentSpanId");
        parentEnd = reader.length(messageEnd, "Span.parentSpanId");
        parentStart = reader.pos;
        reader.pos = parentEnd;
        break;
      case 5:
        reader.expect(tag, WIRE_LENGTH, "Span.name");
        name = reader.string(messageEnd, "Span.name");
        break;
      case 6:
        reader.expect(tag, WIRE_VARINT, "Span.kind");
        reader.varint(messageEnd, "Span.kind");
        kind = reader.lo | 0;
        break;
      case 7:
        reader.expect(tag, WIRE_FIXED64, "Span.startTimeUnixNano");
        reader.fixed64(messageEnd, "Span.startTimeUnixNano");
        startMs = fixed64NanosToMs(reader.lo, reader.hi);
        break;
      case 8:
        reader.expect(tag, WIRE_FIXED64, "Span.endTimeUnixNano");
        reader.fixed64(messageEnd, "Span.endTimeUnixNano");
        endMs = fixed64NanosToMs(reader.lo, reader.hi);
        break;
      case 9:
        reader.expect(tag, WIRE_LENGTH, "Span.attributes");
        readAttribute(reader, messageEnd, attributes, "Span.attributes");
        break;
      case 11:
        reader.expect(tag, WIRE_LENGTH, "Span.events");
        events.push(readEvent(reader, messageEnd));
        break;
      case 15: {
        reader.expect(tag, WIRE_LENGTH, "Span.status");
        const statusEnd = reader.enter(messageEnd, "Status");
        while (reader.pos < statusEnd) {
          const statusTag = reader.tag(statusEnd);
          if (statusTag >>> 3 === 2) {
            reader.expect(statusTag, WIRE_LENGTH, "Status.message");
            statusMessage = reader.string(statusEnd, "Status.message");
          } else if (statusTag >>> 3 === 3) {
            reader.expect(statusTag, WIRE_VARINT, "Status.code");
            reader.varint(statusEnd, "Status.code");
            statusCode = reader.lo | 0;
          } else reader.skip(statusTag, statusEnd);
        }
        reader.leave(statusEnd);
        break;
      }
      case 16:
        reader.expect(tag, WIRE_FIXED32, "Span.flags");
        flags = reader.fixed32(messageEnd, "Span.flags");
        break;
      default:
        checkField(reader, tag, messageEnd, "Span", SPAN_FIELDS);
    }
  }
  reader.leave(messageEnd);
  const bytes = reader.bytes;
  const readTraceId = wireIdOf(bytes, traceStart, traceEnd, 16, "traceId");
  const readSpanId = wireIdOf(bytes, spanStart, spanEnd, 8, "spanId");
  const traceId = requiredId(readTraceId, "traceId");
  const spanId = requiredId(readSpanId, "spanId");
  const parentSpanId = wireIdOf(bytes, parentStart, parentEnd, 8, "parentSpanId");
  return {
    traceId,
    spanId,
    parentSpanId,
    parentIsRemote: parentIsRemoteOf(parentSpanId, flags),
    name,
    kind: spanKindOf(kind),
    startMs,
    endMs,
    attributes,
    events,
    status: statusOf(statusCode, statusMessage),
    scope,
  };
}

function readEvent(reader: WireReader, end: number): SpanEventRecord {
  const messageEnd = reader.enter(end, "Span.Event");
  const event: SpanEventRecord = { name: "", timeMs: 0, attributes: {} };
  while (reader.pos < messageEnd) {
    const tag = reader.tag(messageEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_FIXED64, "Span.Event.timeUnixNano");
        reader.fixed64(messageEnd, "Span.Event.timeUnixNano");
        event.timeMs = fixed64NanosToMs(reader.lo, reader.hi);
        break;
      case 2:
        reader.expect(tag, WIRE_LENGTH, "Span.Event.name");
        event.name = reader.string(messageEnd, "Span.Event.name");
        break;
      case 3:
        reader.expect(tag, WIRE_LENGTH, "Span.Event.attributes");
        readAttribute(reader, messageEnd, event.attributes, "Span.Event.attributes");
        break;
      default:
        checkField(reader, tag, messageEnd, "Span.Event", EVENT_FIELDS);
    }
  }
  reader.leave(messageEnd);
  return event;
}

/**
 * Declared fields whose values no record uses: checked, not kept. A field
 * with `attributes` holds KeyValues; one with `message` is a nested message
 * checked the same way.
 */
interface CheckedField {
  name: string;
  wireType: number;
  attributes?: true;
  message?: Record<number, CheckedField>;
}

const DROPPED_COUNT = (name: string): CheckedField => ({ name, wireType: WIRE_VARINT });
const TEXT = (name: string): CheckedField => ({ name, wireType: WIRE_LENGTH });
const ATTRIBUTES: CheckedField = { name: "attributes", wireType: WIRE_LENGTH, attributes: true };

const RESOURCE_FIELDS: Record<number, CheckedField> = { 1: ATTRIBUTES, 2: DROPPED_COUNT("droppedAttributesCount") };
const SCOPE_FIELDS: Record<number, CheckedField> = { 2: TEXT("version"), 3: ATTRIBUTES, 4: DROPPED_COUNT("droppedAttributesCount") };
const EVENT_FIELDS: Record<number, CheckedField> = { 4: DROPPED_COUNT("droppedAttributesCount") };
const LINK_FIELDS: Record<number, CheckedField> = {
  1: TEXT("traceId"),
  2: TEXT("spanId"),
  3: TEXT("traceState"),
  4: ATTRIBUTES,
  5: DROPPED_COUNT("droppedAttributesCount"),
  6: { name: "flags", wireType: WIRE_FIXED32 },
};
const SPAN_FIELDS: Record<number, CheckedField> = {
  3: TEXT("traceState"),
  10: DROPPED_COUNT("droppedAttributesCount"),
  12: DROPPED_COUNT("droppedEventsCount"),
  13: { name: "links", wireType: WIRE_LENGTH, message: LINK_FIELDS },
  14: DROPPED_COUNT("droppedLinksCount"),
};

/** Checks one field of `message` against its declaration, or skips it when it has none. */
function checkField(reader: WireReader, tag: number, end: number, message: string, fields: Record<number, CheckedField>): void {
  const field = fields[tag >>> 3];
  if (field === undefined) return reader.skip(tag, end);
  const name = `${message}.${field.name}`;
  reader.expect(tag, field.wireType, name);
  if (field.attributes) readAttribute(reader, end, {}, name);
  else if (field.message) checkMessage(reader, end, name, field.message);
  else reader.skip(tag, end);
}

function checkMessage(reader: WireReader, end: number, message: string, fields: Record<number, CheckedField>): void {
  const messageEnd = reader.enter(end, message);
  while (reader.pos < messageEnd) checkField(reader, reader.tag(messageEnd), messageEnd, message, fields);
  reader.leave(messageEnd);
}
