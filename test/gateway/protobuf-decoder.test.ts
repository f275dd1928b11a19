/**
 * The gateway's own OTLP/protobuf reader and writer, against protobufjs and
 * the OTLP specification's field numbers (test/gateway/support/
 * otlp-descriptor.ts): every field the span records use, unknown fields of
 * every wire type skipped at every level, each way a body can break the wire
 * format refused with what was wrong, and the answers it writes.
 */
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { MalformedRequest, OTLP_CODEC as codec } from "../../src/gateway/otlp/codec.js";
import { MALFORMED_PROTOBUF, tag, varint } from "./support/malformed-protobuf.js";
import { ExportRequest, OTLP_ROOT, OTLP_TRACE_DESCRIPTOR, referenceDecode } from "./support/otlp-descriptor.js";
import { weatherTrace } from "./support/otlp-bodies.js";

const hex = (text: string) => Buffer.from(text, "hex");
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const NESTED = { arrayValue: { values: [{ intValue: 1 }, { stringValue: "y" }] } };

/** One request with every field of the OTLP trace messages set, by name as the JSON mapping spells them. */
const EVERY_FIELD = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "py-agent" } }], droppedAttributesCount: 1 },
      schemaUrl: "https://opentelemetry.io/schemas/1.26.0",
      scopeSpans: [
        {
          scope: { name: "opentelemetry.instrumentation.openai_v2", version: "2.1b0", attributes: [{ key: "s", value: { boolValue: true } }], droppedAttributesCount: 2 },
          schemaUrl: "https://opentelemetry.io/schemas/1.28.0",
          spans: [
            {
              traceId: hex(TRACE_ID),
              spanId: hex("00f067aa0ba902b7"),
              traceState: "vendor=1",
              parentSpanId: hex("53995c3f42cd8ad8"),
              flags: 0x301,
              name: "chat gpt-4o",
              kind: "SPAN_KIND_CLIENT",
              startTimeUnixNano: "1700000000123456789",
              endTimeUnixNano: "1700000001987654321",
              attributes: [
                { key: "text", value: { stringValue: "héllo ✓" } },
                { key: "no", value: { boolValue: false } },
                { key: "negative", value: { intValue: "-42" } },
                { key: "largest", value: { intValue: "9007199254740991" } },
                { key: "ratio", value: { doubleValue: 0.25 } },
                { key: "raw", value: { bytesValue: Buffer.from([1, 2, 3]) } },
                {
                  key: "list",
                  value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: 2 }, { boolValue: true }, { doubleValue: 0.5 }, NESTED, {}] } },
                },
                {
                  key: "map",
                  value: { kvlistValue: { values: [{ key: "k", value: { stringValue: "v" } }, { key: "nested", value: NESTED }, { key: "empty", value: {} }] } },
                },
                { key: "unset", value: {} },
                { key: "absent" },
              ],
              droppedAttributesCount: 3,
              events: [
                {
                  timeUnixNano: "1700000000500000001",
                  name: "gen_ai.content.prompt",
                  attributes: [{ key: "gen_ai.prompt", value: { stringValue: "hi" } }],
                  droppedAttributesCount: 4,
                },
                { name: "no time" },
              ],
              droppedEventsCount: 5,
              links: [
                {
                  traceId: hex(TRACE_ID),
                  spanId: hex("1111111111111111"),
                  traceState: "l=1",
                  attributes: [{ key: "l", value: { intValue: 1 } }],
                  droppedAttributesCount: 6,
                  flags: 0x100,
                },
              ],
              droppedLinksCount: 7,
              status: { code: "STATUS_CODE_ERROR", message: "rate limited" },
            },
            { traceId: hex(TRACE_ID), spanId: hex("2222222222222222"), parentSpanId: hex("00f067aa0ba902b7"), flags: 0x100, kind: "SPAN_KIND_SERVER", status: { code: "STATUS_CODE_OK" } },
            { traceId: hex(TRACE_ID), spanId: hex("3333333333333333"), parentSpanId: hex("00f067aa0ba902b7") },
          ],
        },
      ],
    },
  ],
};

const EVERY_FIELD_RECORDS = [
  {
    traceId: TRACE_ID,
    spanId: "00f067aa0ba902b7",
    parentSpanId: "53995c3f42cd8ad8",
    parentIsRemote: true,
    name: "chat gpt-4o",
    kind: 2,
    startMs: 1700000000 * 1000 + 123456789 / 1e6,
    endMs: 1700000001 * 1000 + 987654321 / 1e6,
    attributes: {
      text: "héllo ✓",
      no: false,
      negative: -42,
      largest: 9007199254740991,
      ratio: 0.25,
      raw: "AQID",
      list: ["a", 2, true, 0.5],
      map: '{"k":"v","nested":[1,"y"]}',
    },
    events: [
      { name: "gen_ai.content.prompt", timeMs: 1700000000 * 1000 + 500000001 / 1e6, attributes: { "gen_ai.prompt": "hi" } },
      { name: "no time", timeMs: 0, attributes: {} },
    ],
    status: { code: 2, message: "rate limited" },
    scope: "opentelemetry.instrumentation.openai_v2",
  },
  {
    traceId: TRACE_ID,
    spanId: "2222222222222222",
    parentSpanId: "00f067aa0ba902b7",
    parentIsRemote: false,
    name: "",
    kind: 1,
    startMs: 0,
    endMs: 0,
    attributes: {},
    events: [],
    status: { code: 1 },
    scope: "opentelemetry.instrumentation.openai_v2",
  },
  {
    traceId: TRACE_ID,
    spanId: "3333333333333333",
    parentSpanId: "00f067aa0ba902b7",
    parentIsRemote: undefined,
    name: "",
    kind: 0,
    startMs: 0,
    endMs: 0,
    attributes: {},
    events: [],
    status: { code: 0 },
    scope: "opentelemetry.instrumentation.openai_v2",
  },
];

const encode = (type: protobuf.Type, request: object) => Buffer.from(type.encode(type.fromObject(request)).finish());

/** The same messages, each with five more fields the specification does not declare (one per wire type, and a message). */
function withUnknownFields(): { type: protobuf.Type; request: object } {
  const descriptor = structuredClone(OTLP_TRACE_DESCRIPTOR) as Record<string, any>;
  const visit = (namespace: Record<string, any>) => {
    for (const entry of Object.values<Record<string, any>>(namespace.nested ?? {})) {
      if (entry.fields) {
        Object.assign(entry.fields, {
          unknownVarint: { type: "uint64", id: 1001 },
          unknownFixed64: { type: "fixed64", id: 1002 },
          unknownText: { type: "string", id: 1003 },
          unknownFixed32: { type: "fixed32", id: 1004 },
          unknownMessage: { type: "google.protobuf.Duration", id: 1005 },
        });
      }
      visit(entry);
    }
  };
  visit(descriptor.nested.opentelemetry);
  const unknowns = { unknownVarint: "18446744073709551615", unknownFixed64: "12345678901234567", unknownText: "?", unknownFixed32: 7, unknownMessage: { seconds: 1 } };
  const addTo = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(addTo);
    if (!value || typeof value !== "object" || Buffer.isBuffer(value)) return value;
    return { ...Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, addTo(inner)])), ...unknowns };
  };
  const type = protobuf.Root.fromJSON(descriptor).lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
  return { type, request: addTo(EVERY_FIELD) as object };
}

describe("the OTLP/protobuf decoder", () => {
  it("reads every field the span records use, in every message, as the specification numbers them", () => {
    const body = encode(ExportRequest, EVERY_FIELD);
    const decoded = codec.decode(body, "protobuf");
    expect(decoded).toEqual({ spans: EVERY_FIELD_RECORDS, rejected: 0, problems: [] });
    expect(decoded).toEqual(referenceDecode(body));
  });

  it("reads a scope sent after its spans", () => {
    const body = encode(ExportRequest, EVERY_FIELD);
    const [scopeSpans] = (ExportRequest.decode(body) as any).resourceSpans[0].scopeSpans;
    const ScopeSpans = OTLP_ROOT.lookupType("opentelemetry.proto.trace.v1.ScopeSpans");
    const spansOnly = ScopeSpans.encode({ spans: scopeSpans.spans }).finish();
    const scopeOnly = ScopeSpans.encode({ scope: scopeSpans.scope }).finish();
    const scopeLast = Buffer.concat([spansOnly, scopeOnly]);
    const request = Buffer.from([0x0a, ...varint(scopeLast.length + 1 + varint(scopeLast.length).length), 0x12, ...varint(scopeLast.length), ...scopeLast]);
    expect(codec.decode(request, "protobuf").spans).toEqual(EVERY_FIELD_RECORDS);
  });

  it("skips fields it does not know, of every wire type, at every level, groups included", () => {
    const { type, request } = withUnknownFields();
    const group = [...tag(50, 3), ...tag(1, 0), 5, ...tag(51, 3), ...tag(2, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...tag(51, 4), ...tag(50, 4)];
    const body = Buffer.concat([Buffer.from(group), encode(type, request), Buffer.from(group)]);
    expect(body.length).toBeGreaterThan(encode(ExportRequest, EVERY_FIELD).length + 100);
    expect(codec.decode(body, "protobuf")).toEqual({ spans: EVERY_FIELD_RECORDS, rejected: 0, problems: [] });
  });

  it("rejects a span with invalid ids alone, as the OTLP/JSON walker does", () => {
    const request = structuredClone(EVERY_FIELD);
    const spans = request.resourceSpans[0].scopeSpans[0].spans as Array<Record<string, unknown>>;
    spans[1].spanId = hex("22");
    spans[2].traceId = Buffer.alloc(16);
    const body = encode(ExportRequest, request);
    const decoded = codec.decode(body, "protobuf");
    expect(decoded.spans.map((span) => span.spanId)).toEqual(["00f067aa0ba902b7"]);
    expect(decoded.problems).toEqual([
      "resourceSpans[0].scopeSpans[0].spans[1]: spanId must be 8 bytes (got 1)",
      "resourceSpans[0].scopeSpans[0].spans[2]: traceId must not be all zeros",
    ]);
    expect(decoded).toEqual(referenceDecode(body));
  });

  it.each(MALFORMED_PROTOBUF)("refuses $case, naming it", ({ body, names }) => {
    expect(() => codec.decode(body, "protobuf")).toThrow(MalformedRequest);
    expect(() => codec.decode(body, "protobuf")).toThrow(/^the body is not a valid ExportTraceServiceRequest: /);
    expect(() => codec.decode(body, "protobuf")).toThrow(names);
  });

  it("refuses a real request cut anywhere inside a message, and takes it cut between messages, as protobufjs does", async () => {
    const { protobuf: body } = await weatherTrace();
    const twice = Buffer.concat([body, body]);
    for (let length = 0; length <= twice.length; length++) {
      const cut = twice.subarray(0, length);
      let reference: unknown;
      try {
        reference = referenceDecode(cut);
      } catch {
        reference = "refused";
      }
      let ours: unknown;
      try {
        ours = codec.decode(cut, "protobuf");
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedRequest);
        ours = "refused";
      }
      expect(ours, `cut at ${length}`).toEqual(reference);
    }
  });
});

describe("the answers it writes", () => {
  const Status = OTLP_ROOT.lookupType("google.rpc.Status");
  const RetryInfo = OTLP_ROOT.lookupType("google.rpc.RetryInfo");
  const Response = OTLP_ROOT.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");

  it("ExportTraceServiceResponse, empty or with its partialSuccess", () => {
    expect(codec.encodeResponse(undefined, "protobuf")).toHaveLength(0);
    const partial = codec.encodeResponse({ rejectedSpans: 300, errorMessage: "spans[1]: spanId ✗" }, "protobuf");
    expect(Response.decode(partial).toJSON()).toEqual({ partialSuccess: { rejectedSpans: "300", errorMessage: "spans[1]: spanId ✗" } });
  });

  it("google.rpc.Status, with a RetryInfo when the sender should retry", () => {
    expect(Status.decode(codec.encodeStatus(3, "bad ✗", "protobuf")).toJSON()).toEqual({ code: 3, message: "bad ✗" });
    const status = Status.decode(codec.encodeStatus(8, "full", "protobuf", 200)) as any;
    expect(status.code).toBe(8);
    expect(status.details[0].typeUrl).toBe("type.googleapis.com/google.rpc.RetryInfo");
    expect(RetryInfo.decode(status.details[0].value).toJSON()).toEqual({ retryDelay: { seconds: "200" } });
  });
});
