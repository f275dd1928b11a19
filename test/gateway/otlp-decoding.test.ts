/**
 * Decoding what the real OpenTelemetry JS OTLP exporters send: every span of
 * the AI SDK scenarios comes back as the same span record the in-process
 * exporter reads from the SDK's own spans.
 */
import { gunzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { afterEach, describe, expect, it } from "vitest";
import { createCodec, MalformedRequest } from "../../src/gateway/otlp/codec.js";
import { spansFromRequest } from "../../src/gateway/otlp/spans.js";
import type { SpanRecord as SpanView } from "../../src/engine/span-record.js";
import { toSpanView } from "../../src/otel/span-view.js";
import { orchestratorWithSubAgent, reasoningImageAndToolError, weatherAgent } from "../support/ai-scenarios.js";
import { BatchSpanProcessor, createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";
import { otlpExporter, startOtlpSink } from "./support/otlp-clients.js";

const codec = createCodec(protobuf);
const byId = (a: SpanView, b: SpanView) => a.spanId.localeCompare(b.spanId);
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((close) => close()));
  cleanup = [];
});

describe.each(["http/json", "http/protobuf+gzip"] as const)("OTLP %s from the real exporter", (client) => {
  it("decodes to the span records the in-process exporter reads", async () => {
    const sink = await startOtlpSink();
    cleanup.push(sink.close);
    const memory = new InMemorySpanExporter();
    const provider = createProvider([
      new SimpleSpanProcessor(memory),
      new BatchSpanProcessor(otlpExporter(client, { httpUrl: sink.url }), { maxExportBatchSize: 4, scheduledDelayMillis: 10 }),
    ]);
    await weatherAgent("genai", provider);
    await orchestratorWithSubAgent("legacy", provider);
    await reasoningImageAndToolError("genai", provider);
    await provider.forceFlush();
    const expected = memory.getFinishedSpans().map((span) => toSpanView(span as never));
    await provider.shutdown();

    expect(sink.bodies.length).toBeGreaterThan(1);
    const decoded: SpanView[] = [];
    for (const { headers, body } of sink.bodies) {
      const gzipped = headers["content-encoding"] === "gzip";
      expect(gzipped).toBe(client === "http/protobuf+gzip");
      const raw = gzipped ? gunzipSync(body) : body;
      const result = spansFromRequest(codec.decode(raw, client === "http/json" ? "json" : "protobuf"));
      expect(result.problems).toEqual([]);
      decoded.push(...result.spans);
    }
    expect(decoded.length).toBe(expected.length);
    expect(decoded.sort(byId)).toEqual(expected.sort(byId));
  });
});

describe("OTLP/JSON normalising", () => {
  const span = (fields: Record<string, unknown>) => ({
    resourceSpans: [{ scopeSpans: [{ scope: { name: "s" }, spans: [fields] }] }],
  });
  const decode = (request: unknown) => spansFromRequest(codec.decode(Buffer.from(JSON.stringify(request)), "json"));

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
