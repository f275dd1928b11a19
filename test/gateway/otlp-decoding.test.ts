/**
 * Decoding what the real OpenTelemetry JS OTLP exporters send (http/json,
 * http/protobuf with gzip, gRPC): every span of the AI SDK scenarios comes
 * back as the same span record the in-process exporter reads from the SDK's
 * own spans, and the gateway's protobuf decoder gives exactly the records of
 * an independent decoding (protobufjs, then the OTLP/JSON walker).
 */
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { MalformedRequest, OTLP_CODEC as codec, type Encoding } from "../../src/gateway/otlp/codec.js";
import type { SpanRecord as SpanView } from "../../src/engine/span-record.js";
import { toSpanView } from "../../src/otel/span-view.js";
import { orchestratorWithSubAgent, reasoningImageAndToolError, weatherAgent } from "../support/ai-scenarios.js";
import { BatchSpanProcessor, createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";
import { OTLP_CLIENTS, otlpExporter, startOtlpGrpcSink, startOtlpSink, type OtlpClient } from "./support/otlp-clients.js";
import { referenceDecode } from "./support/otlp-descriptor.js";

const byId = (a: SpanView, b: SpanView) => a.spanId.localeCompare(b.spanId);
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((close) => close()));
  cleanup = [];
});

/** The raw requests a real exporter sends for the AI SDK scenarios, and the span records the in-process exporter reads from the same spans. */
async function exported(client: OtlpClient): Promise<{ requests: Array<{ body: Buffer; encoding: Encoding }>; expected: SpanView[] }> {
  const httpSink = await startOtlpSink();
  const grpcSink = await startOtlpGrpcSink();
  cleanup.push(httpSink.close, grpcSink.close);
  const memory = new InMemorySpanExporter();
  const provider = createProvider([
    new SimpleSpanProcessor(memory),
    new BatchSpanProcessor(otlpExporter(client, { httpUrl: httpSink.url, grpcAddress: grpcSink.address }), {
      maxExportBatchSize: 4,
      scheduledDelayMillis: 10,
    }),
  ]);
  await weatherAgent("genai", provider);
  await orchestratorWithSubAgent("legacy", provider);
  await reasoningImageAndToolError("genai", provider);
  await provider.forceFlush();
  const expected = memory.getFinishedSpans().map((span) => toSpanView(span as never));
  await provider.shutdown();
  if (client === "grpc") return { requests: grpcSink.messages.map((body) => ({ body, encoding: "protobuf" })), expected };
  const requests = httpSink.bodies.map(({ headers, body }) => {
    const gzipped = headers["content-encoding"] === "gzip";
    expect(gzipped).toBe(client === "http/protobuf+gzip");
    return { body: gzipped ? gunzipSync(body) : body, encoding: (client === "http/json" ? "json" : "protobuf") as Encoding };
  });
  return { requests, expected };
}

describe.each(OTLP_CLIENTS)("OTLP %s from the real exporter", (client) => {
  it("decodes to the span records the in-process exporter reads", async () => {
    const { requests, expected } = await exported(client);
    expect(requests.length).toBeGreaterThan(1);
    const decoded: SpanView[] = [];
    for (const { body, encoding } of requests) {
      const result = codec.decode(body, encoding);
      expect(result.problems).toEqual([]);
      decoded.push(...result.spans);
    }
    expect(decoded.length).toBe(expected.length);
    expect(decoded.sort(byId)).toEqual(expected.sort(byId));
  });

  it.skipIf(client === "http/json")("gives, request by request, the records of protobufjs's decoding of the same bytes", async () => {
    const { requests } = await exported(client);
    for (const { body } of requests) {
      expect(codec.decode(body, "protobuf")).toEqual(referenceDecode(body));
    }
  });
});

describe("OTLP/JSON normalising", () => {
  const span = (fields: Record<string, unknown>) => ({
    resourceSpans: [{ scopeSpans: [{ scope: { name: "s" }, spans: [fields] }] }],
  });
  const decode = (request: unknown) => codec.decode(Buffer.from(JSON.stringify(request)), "json");

  it("reads hex ids in either case, enum names or numbers, int64 as text or number, and ignores unknown fields", () => {
    const result = decode({
      futureField: { anything: 1 },
      resourceSpans: [
        {
          unknown: true,
          scopeSpans: [
            {
              scope: { name: "py", extra: 1 },
              spans: [
                {
                  traceId: "4BF92F3577B34DA6A3CE929D0E0E4736",
                  spanId: "00F067AA0BA902B7",
                  name: "chat",
                  kind: "SPAN_KIND_CLIENT",
                  startTimeUnixNano: "1700000000123456789",
                  endTimeUnixNano: 1700000001000000000,
                  attributes: [
                    { key: "n", value: { intValue: "42" } },
                    { key: "d", value: { doubleValue: 0.5 } },
                    { key: "b", value: { boolValue: true } },
                    { key: "a", value: { arrayValue: { values: [{ stringValue: "x" }, { stringValue: "y" }] } } },
                    { key: "m", value: { kvlistValue: { values: [{ key: "k", value: { intValue: 1 } }] } } },
                    { key: "z", value: {}, weird: 1 },
                  ],
                  status: { code: 2, message: "boom" },
                  brandNew: "ignored",
                },
              ],
            },
          ],
        },
      ],
    });
    expect(result.rejected).toBe(0);
    expect(result.spans).toEqual([
      {
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId: "00f067aa0ba902b7",
        parentSpanId: undefined,
        parentIsRemote: undefined,
        name: "chat",
        kind: 2,
        startMs: 1700000000123.4568,
        endMs: 1700000001000,
        attributes: { n: 42, d: 0.5, b: true, a: ["x", "y"], m: '{"k":1}' },
        events: [],
        status: { code: 2, message: "boom" },
        scope: "py",
      },
    ]);
  });

  it("rejects only the spans whose ids are invalid, saying where and what was expected", () => {
    const good = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", name: "ok" };
    const result = decode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                good,
                { ...good, traceId: "xyz" },
                { ...good, spanId: "0000000000000000" },
                { ...good, traceId: undefined },
                { ...good, parentSpanId: "abc" },
              ],
            },
          ],
        },
      ],
    });
    expect(result.spans.map((s) => s.name)).toEqual(["ok"]);
    expect(result.rejected).toBe(4);
    expect(result.problems[0]).toBe('resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 32 hex digits (got "xyz")');
    expect(result.problems[1]).toMatch(/spans\[2\]: spanId must not be all zeros/);
    expect(result.problems[2]).toMatch(/spans\[3\]: traceId is required/);
    expect(result.problems[3]).toMatch(/spans\[4\]: parentSpanId must be 16 hex digits/);
  });

  it("refuses bodies that are not an ExportTraceServiceRequest", () => {
    expect(() => codec.decode(Buffer.from("{nope"), "json")).toThrow(MalformedRequest);
    expect(() => codec.decode(Buffer.from("[]"), "json")).toThrow(/must be a JSON object/);
    expect(() => codec.decode(Buffer.from('{"resourceSpans":{}}'), "json")).toThrow(/resourceSpans must be an array/);
    expect(() => codec.decode(Buffer.from([0x0a, 0xff, 0x01]), "protobuf")).toThrow(MalformedRequest);
    expect(span({}).resourceSpans).toHaveLength(1);
  });
});
