/**
 * Bodies that break the protobuf wire format of an ExportTraceServiceRequest,
 * written byte by byte, each with what the gateway's answer must name.
 */

export function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  return [...bytes, value];
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

export const tag = (field: number, wireType: number) => varint((field << 3) | wireType);
/** A length-delimited field holding `parts`. */
export const field = (number: number, ...parts: number[][]) => [...tag(number, LENGTH), ...varint(parts.flat().length), ...parts.flat()];
/** A request with one span made of `spanFields`. */
export const requestWithSpan = (...spanFields: number[][]) => field(1, field(2, field(2, ...spanFields)));
const TRACE_ID = field(1, Array.from({ length: 16 }, (_, i) => i + 1));
const SPAN_ID = field(2, Array.from({ length: 8 }, (_, i) => i + 1));
const attribute = (...anyValue: number[][]) => field(9, field(1, [0x6b]), field(2, ...anyValue));

function nestedArrays(depth: number): number[] {
  let value = field(1, [0x61]);
  for (let i = 0; i < depth; i++) value = field(5, field(1, value));
  return value;
}

export const MALFORMED_PROTOBUF: Array<{ case: string; body: Buffer; names: RegExp }> = [
  { case: "a truncated tag", body: [0x80], names: /a field tag: truncated varint/ },
  { case: "a truncated length", body: [0x0a, 0x80], names: /ResourceSpans: truncated varint/ },
  { case: "a varint longer than 10 bytes", body: [...tag(5, VARINT), ...Array(10).fill(0xff), 0x01], names: /field 5: varint longer than 10 bytes/ },
  { case: "a length past the end", body: [0x0a, 0x05, 0x00], names: /ResourceSpans: length 5 runs past the end of its message/ },
  {
    case: "a span longer than its scope (invalid nesting)",
    body: [...field(1, field(2, [...tag(2, LENGTH), 10])), ...Array(12).fill(0)],
    names: /ScopeSpans\.spans: length 10 runs past the end of its message/,
  },
  { case: "a truncated fixed64", body: requestWithSpan(TRACE_ID, SPAN_ID, [...tag(7, FIXED64), 1, 2, 3]), names: /Span\.startTimeUnixNano: truncated fixed64/ },
  { case: "a truncated fixed32", body: requestWithSpan(TRACE_ID, SPAN_ID, [...tag(16, FIXED32), 1]), names: /Span\.flags: truncated fixed32/ },
  { case: "resourceSpans as a varint", body: [...tag(1, VARINT), 1], names: /ExportTraceServiceRequest\.resourceSpans must be length-delimited, got varint/ },
  { case: "a time as a varint", body: requestWithSpan(TRACE_ID, [...tag(7, VARINT), 1]), names: /Span\.startTimeUnixNano must be fixed64, got varint/ },
  { case: "flags as a varint", body: requestWithSpan([...tag(16, VARINT), 1]), names: /Span\.flags must be fixed32, got varint/ },
  { case: "a span id as a fixed64", body: requestWithSpan([...tag(2, FIXED64), 1, 2, 3, 4, 5, 6, 7, 8]), names: /Span\.spanId must be length-delimited, got fixed64/ },
  { case: "a double as a fixed32", body: requestWithSpan(attribute([...tag(4, FIXED32), 0, 0, 0, 0])), names: /AnyValue\.doubleValue must be fixed64, got fixed32/ },
  { case: "a link's flags as a varint", body: requestWithSpan(field(13, [...tag(6, VARINT), 1])), names: /Span\.links\.flags must be fixed32, got varint/ },
  { case: "resource attributes as a varint", body: field(1, field(1, [...tag(1, VARINT), 1])), names: /ResourceSpans\.resource\.attributes must be length-delimited, got varint/ },
  { case: "wire type 7", body: [...tag(2, 7)], names: /field 2: unexpected wire type 7/ },
  { case: "field number 0", body: [0x00, 0x01], names: /a field tag with field number 0/ },
  { case: "a group end without its start", body: [...tag(2, 4)], names: /field 2: unexpected group end/ },
  { case: "a group without its end", body: [...tag(2, 3), ...tag(1, VARINT), 1], names: /field 2: group without its end/ },
  { case: "a group closed by another field", body: [...tag(2, 3), ...tag(3, 4)], names: /field 2: group closed by field 3/ },
  { case: "values nested 100 deep", body: requestWithSpan(attribute(nestedArrays(100))), names: /nested deeper than 64/ },
].map((entry) => ({ ...entry, body: Buffer.from(entry.body) }));
