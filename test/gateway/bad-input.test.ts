/**
 * Hostile and broken OTLP input. Each case gets the answer the OTLP
 * specification gives it, the gateway keeps serving, and a good trace sent
 * alongside is delivered whole.
 */
import { request as httpRequest } from "node:http";
import { createGzip, gzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer, type DevServerOptions } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import { OTLP_TRACE_DESCRIPTOR } from "./support/otlp-descriptor.js";
import { MALFORMED_PROTOBUF } from "./support/malformed-protobuf.js";
import { grpcExport, weatherTrace, type AgentTrace } from "./support/otlp-bodies.js";

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
const Status = root.lookupType("google.rpc.Status");
const RetryInfo = root.lookupType("google.rpc.RetryInfo");
const Request = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
const Response = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
const MiB = 1024 * 1024;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

async function setup(intercept?: DevServerOptions["intercept"], options = {}) {
  const receiver: DevServer = await startDevServer({ port: 0, intercept });
  const gateway: Gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: receiver.url, traceSettleMs: 0, ...options });
  cleanup.push(() => receiver.close(), () => gateway.close());
  return { receiver, gateway };
}

const post = (gateway: Gateway, body: Buffer, headers: Record<string, string>) =>
  fetch(`${gateway.httpUrl}/v1/traces`, { method: "POST", body: new Uint8Array(body), headers });

async function stopsOf(receiver: DevServer, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (receiver.store.events().filter((event) => event.body.event.source === "stop").length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} runs to stop`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** After the bad request: a good trace still goes through whole. */
async function stillServes(gateway: Gateway, receiver: DevServer, stopsBefore: number): Promise<void> {
  const good = await weatherTrace();
  expect((await post(gateway, good.protobuf, { "content-type": "application/x-protobuf" })).status).toBe(200);
  await stopsOf(receiver, stopsBefore + 1);
  expect(receiver.store.events().filter((event) => event.body.runId.startsWith(good.traceId.slice(0, 8)))).toHaveLength(6);
}

describe("bad input", () => {
  it("truncated protobuf: 400 with a google.rpc.Status in protobuf; gRPC: INVALID_ARGUMENT", async () => {
    const { gateway, receiver } = await setup();
    const trace = await weatherTrace();
    const truncated = trace.protobuf.subarray(0, trace.protobuf.length - 7);
    const answer = await post(gateway, truncated, { "content-type": "application/x-protobuf" });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toBe("application/x-protobuf");
    const status = Status.decode(new Uint8Array(await answer.arrayBuffer())).toJSON();
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^the body is not a valid ExportTraceServiceRequest: /);
    expect((await grpcExport(gateway.grpcAddress, truncated)).error?.code).toBe(3);
    await stillServes(gateway, receiver, 0);
  });

  it("every way a body breaks the wire format: 400 / INVALID_ARGUMENT naming what was wrong", async () => {
    const { gateway, receiver } = await setup();
    for (const { case: what, body, names } of MALFORMED_PROTOBUF) {
      const answer = await post(gateway, body, { "content-type": "application/x-protobuf" });
      expect(answer.status, what).toBe(400);
      const status = Status.decode(new Uint8Array(await answer.arrayBuffer())).toJSON();
      expect(status.code, what).toBe(3);
      expect(status.message, what).toMatch(names);
      const grpc = await grpcExport(gateway.grpcAddress, body);
      expect(grpc.error?.code, what).toBe(3);
      expect(grpc.error?.details, what).toMatch(names);
    }
    await stillServes(gateway, receiver, 0);
  });

  it("the wrong content type or encoding: 415", async () => {
    const { gateway, receiver } = await setup();
    const trace = await weatherTrace();
    const plain = await post(gateway, trace.json, { "content-type": "text/plain" });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ code: 3, message: expect.stringContaining("application/x-protobuf or application/json") });
    expect((await post(gateway, trace.json, { "content-type": "application/json", "content-encoding": "br" })).status).toBe(415);
    await stillServes(gateway, receiver, 0);
  });

  // Half a GiB compressed first: 5 to 10 s on a loaded 2-core machine.
  it("a gzip bomb: 413, cut off once the inflated size passes the limit", async () => {
    const { gateway, receiver } = await setup();
    // 512 MiB of zeros compress to about half a MiB; inflating them whole would take 512 MiB.
    const bomb = await new Promise<Buffer>((resolve) => {
      const gzip = createGzip({ level: 9 });
      const chunks: Buffer[] = [];
      gzip.on("data", (chunk: Buffer) => chunks.push(chunk));
      gzip.on("end", () => resolve(Buffer.concat(chunks)));
      const zeros = Buffer.alloc(16 * MiB);
      let written = 0;
      const write = () => {
        while (written < 512 * MiB) {
          written += zeros.length;
          if (!gzip.write(zeros)) return gzip.once("drain", write);
        }
        gzip.end();
      };
      write();
    });
    expect(bomb.length).toBeLessThan(20 * MiB);
    const before = process.memoryUsage().rss;
    const answer = await post(gateway, bomb, { "content-type": "application/x-protobuf", "content-encoding": "gzip" });
    expect(answer.status).toBe(413);
    expect(Status.decode(new Uint8Array(await answer.arrayBuffer())).toJSON().message).toBe(
      `the body is larger than ${20 * MiB} bytes after decompression`,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * MiB);
    await stillServes(gateway, receiver, 0);
  }, 120_000);

  it("a 30 MiB body: 413, declared or streamed without a length", async () => {
    const { gateway, receiver } = await setup();
    const big = Buffer.alloc(30 * MiB, 0x20);
    const declared = await post(gateway, big, { "content-type": "application/json" });
    expect(declared.status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${gateway.httpUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      for (let offset = 0; offset < big.length; offset += MiB) request.write(big.subarray(offset, offset + MiB));
      request.end();
    });
    expect(streamed).toBe(413);
    // gRPC: grpc-js refuses a message over the limit itself.
    expect((await grpcExport(gateway.grpcAddress, Buffer.alloc(21 * MiB))).error?.code).toBe(8);
    await stillServes(gateway, receiver, 0);
  }, 60_000);

  it("invalid ids: the span alone is rejected (200 with partialSuccess), the rest of the request delivered", async () => {
    const { gateway, receiver } = await setup();
    const trace = await weatherTrace();
    const request = JSON.parse(trace.json.toString());
    const spans = request.resourceSpans[0].scopeSpans.flatMap((scope: any) => scope.spans);
    const extra = { ...spans[0], spanId: "not-hex!", name: "broken" };
    request.resourceSpans[0].scopeSpans[0].spans.push(extra, { ...spans[0], traceId: "00000000000000000000000000000000" });
    const answer = await post(gateway, Buffer.from(JSON.stringify(request)), { "content-type": "application/json" });
    expect(answer.status).toBe(200);
    const { partialSuccess } = await answer.json();
    expect(partialSuccess.rejectedSpans).toBe("2");
    expect(partialSuccess.errorMessage).toMatch(/spanId must be 16 hex digits \(got "not-hex!"\); .*traceId must not be all zeros/);
    await stopsOf(receiver, 1);
    expect(receiver.store.events()).toHaveLength(6);
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^permiso_gateway_spans_rejected_total 2$/m);

    // The same over gRPC: OK with partial_success.
    const broken = Request.encode({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from("abc"), spanId: Buffer.alloc(8, 1), name: "broken" }] }] }],
    }).finish();
    const grpc = await grpcExport(gateway.grpcAddress, Buffer.from(broken));
    expect(grpc.error).toBeNull();
    expect(Response.decode(grpc.response!).toJSON()).toEqual({
      partialSuccess: { rejectedSpans: "1", errorMessage: "resourceSpans[0].scopeSpans[0].spans[0]: traceId must be 16 bytes (got 3)" },
    });
  });

  it("JSON with unknown fields: accepted, the fields ignored", async () => {
    const { gateway, receiver } = await setup();
    const trace = await weatherTrace();
    const request = JSON.parse(trace.json.toString());
    request.somethingNew = { nested: [1, 2] };
    request.resourceSpans[0].unknownResourceField = true;
    for (const scope of request.resourceSpans[0].scopeSpans) for (const span of scope.spans) span.futureSpanField = "x";
    const answer = await post(gateway, Buffer.from(JSON.stringify(request)), { "content-type": "application/json" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    await stopsOf(receiver, 1);
    expect(receiver.store.events()).toHaveLength(6);
  });

  it("a flood past the queue: 429 + Retry-After (gRPC RESOURCE_EXHAUSTED with RetryInfo), nothing dropped, every accepted trace delivered", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { gateway, receiver } = await setup(() => gate.then(() => undefined), { maxQueueSize: 40, retryAfterSeconds: 3 });
    const traces: AgentTrace[] = [];
    for (let index = 0; index < 20; index++) traces.push(await weatherTrace());
    const accepted: AgentTrace[] = [];
    let throttled: Response | undefined;
    for (const trace of traces) {
      const answer = await post(gateway, gzipSync(trace.protobuf), { "content-type": "application/x-protobuf", "content-encoding": "gzip" });
      if (answer.status === 200) accepted.push(trace);
      else {
        expect(answer.status).toBe(429);
        throttled = answer;
      }
    }
    expect(throttled, "the queue never filled").toBeDefined();
    expect(throttled!.headers.get("retry-after")).toBe("3");
    const status = Status.decode(new Uint8Array(await throttled!.arrayBuffer()));
    expect(status.toJSON()).toMatchObject({ code: 8, message: "the delivery queue is full; retry later" });
    expect(RetryInfo.decode((status as any).details[0].value).toJSON()).toEqual({ retryDelay: { seconds: "3" } });

    const grpcThrottled = await grpcExport(gateway.grpcAddress, traces[0].protobuf);
    expect(grpcThrottled.error?.code).toBe(8);
    const details = grpcThrottled.error!.metadata.get("grpc-status-details-bin")[0] as Buffer;
    expect((Status.decode(details) as any).details[0].typeUrl).toBe("type.googleapis.com/google.rpc.RetryInfo");
    const json = await post(gateway, traces[0].json, { "content-type": "application/json" });
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({ code: 8, details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "3s" }] });

    open();
    await stopsOf(receiver, accepted.length);
    for (const trace of accepted) {
      expect(receiver.store.events().filter((event) => event.body.runId.startsWith(trace.traceId.slice(0, 8)))).toHaveLength(6);
    }
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^permiso_gateway_events_dropped_total 0$/m);
    expect(metrics).toMatch(/^permiso_gateway_requests_total\{transport="http",outcome="429"\} \d+$/m);
    await stillServes(gateway, receiver, accepted.length);
  });

  it("with less room left than the last request took, the next request is refused (429) before its body is decoded", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Room for 31 events (a quarter of 42 is kept for batches already admitted); a weather trace is 6 spans, 6 events.
    const { gateway } = await setup(() => gate.then(() => undefined), { maxQueueSize: 42 });
    const queueDepth = async () => Number(/^permiso_gateway_queue_depth (\d+)$/m.exec(await (await fetch(`${gateway.httpUrl}/metrics`)).text())?.[1]);
    let last!: AgentTrace;
    for (let sent = 1; sent <= 5; sent++) {
      last = await weatherTrace();
      expect(last.spanCount).toBe(6);
      expect((await post(gateway, last.protobuf, { "content-type": "application/x-protobuf" })).status).toBe(200);
      const deadline = Date.now() + 20_000;
      while ((await queueDepth()) !== 6 * sent) {
        if (Date.now() > deadline) throw new Error(`expected ${6 * sent} events queued`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // One event of room is left: a body that cannot even be decoded is refused as throttled, not as malformed.
    const truncated = last.protobuf.subarray(0, last.protobuf.length - 7);
    expect((await post(gateway, truncated, { "content-type": "application/x-protobuf" })).status).toBe(429);
    open();
  });
});
