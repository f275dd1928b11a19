/**
 * The OTLP/HTTP and OTLP/gRPC contract of the gateway, request by request:
 * answers in the request's encoding, google.rpc.Status on errors, bearer
 * token, per-request Permiso key, and the operational endpoints.
 */
import { gzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import type { GatewayOptions } from "../../src/gateway/options.js";
import { OTLP_TRACE_DESCRIPTOR } from "./support/otlp-descriptor.js";
import { grpcExport, weatherTrace } from "./support/otlp-bodies.js";
import { waitFor } from "../support/wait-for.js";

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
const Status = root.lookupType("google.rpc.Status");
const Response = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setup(options: GatewayOptions = {}): Promise<{ gateway: Gateway; receiver: DevServer }> {
  const receiver = await startDevServer({ port: 0 });
  const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "gateway-key", baseUrl: receiver.url, traceSettleMs: 0, ...options });
  cleanup.push(() => receiver.close(), () => gateway.close());
  return { gateway, receiver };
}

const post = (gateway: Gateway, body: Buffer, headers: Record<string, string>) =>
  fetch(`${gateway.httpUrl}/v1/traces`, { method: "POST", body: new Uint8Array(body), headers });

describe("OTLP/HTTP POST /v1/traces", () => {
  it("answers 200 in the request's encoding, protobuf or JSON, gzip or not, and delivers the run", async () => {
    const { gateway, receiver } = await setup();
    const trace = await weatherTrace();
    const proto = await post(gateway, gzipSync(trace.protobuf), { "content-type": "application/x-protobuf", "content-encoding": "gzip" });
    expect(proto.status).toBe(200);
    expect(proto.headers.get("content-type")).toBe("application/x-protobuf");
    expect(Response.decode(new Uint8Array(await proto.arrayBuffer())).toJSON()).toEqual({});

    const json = await post(gateway, (await weatherTrace()).json, { "content-type": "application/json; charset=utf-8" });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(await json.json()).toEqual({});
    await waitFor(() => receiver.store.events().filter((event) => event.body.event.source === "stop").length === 2, "two runs");
  });

  it("answers an empty request with success", async () => {
    const { gateway } = await setup();
    expect((await post(gateway, Buffer.from("{}"), { "content-type": "application/json" })).status).toBe(200);
    expect((await post(gateway, Buffer.alloc(0), { "content-type": "application/x-protobuf" })).status).toBe(200);
  });

  it("requires the bearer token when one is set: 401 with a Status, or UNAUTHENTICATED over gRPC", async () => {
    const { gateway, receiver } = await setup({ token: "s3cret" });
    const trace = await weatherTrace();
    const refused = await post(gateway, trace.protobuf, { "content-type": "application/x-protobuf", authorization: "Bearer wrong" });
    expect(refused.status).toBe(401);
    expect(Status.decode(new Uint8Array(await refused.arrayBuffer())).toJSON()).toMatchObject({ code: 16, message: "missing or wrong bearer token" });
    const missing = await post(gateway, trace.json, { "content-type": "application/json" });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 16 });

    const grpcRefused = await grpcExport(gateway.grpcAddress, trace.protobuf);
    expect(grpcRefused.error?.code).toBe(16);
    const grpcAccepted = await grpcExport(gateway.grpcAddress, trace.protobuf, { authorization: "Bearer s3cret" });
    expect(grpcAccepted.error).toBeNull();
    const accepted = await post(gateway, (await weatherTrace()).json, { "content-type": "application/json", authorization: "Bearer s3cret" });
    expect(accepted.status).toBe(200);
    await waitFor(() => receiver.store.events().filter((event) => event.body.event.source === "stop").length === 2, "two runs");
  });

  it("sends a request's runs with its own x-permiso-api-key, and never shows keys in metrics", async () => {
    const keys: string[] = [];
    const receiver = await startDevServer({
      port: 0,
      intercept: ({ headers }) => {
        keys.push(String(headers["x-api-key"]));
        return undefined;
      },
    });
    const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "gateway-key", baseUrl: receiver.url, traceSettleMs: 0 });
    cleanup.push(() => receiver.close(), () => gateway.close());
    await post(gateway, (await weatherTrace()).json, { "content-type": "application/json", "x-permiso-api-key": "agent-a-key" });
    await grpcExport(gateway.grpcAddress, (await weatherTrace()).protobuf, { "x-permiso-api-key": "agent-b-key" });
    await post(gateway, (await weatherTrace()).json, { "content-type": "application/json" });
    await waitFor(() => receiver.store.events().filter((event) => event.body.event.source === "stop").length === 3, "three runs");
    const runKeys = new Map<string, Set<string>>();
    receiver.store.events().forEach((event, index) => runKeys.set(event.body.runId, (runKeys.get(event.body.runId) ?? new Set()).add(keys[index])));
    expect([...runKeys.values()].map((set) => [...set].join()).sort()).toEqual(["agent-a-key", "agent-b-key", "gateway-key"]);
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^permiso_gateway_api_keys 3$/m);
    expect(metrics).not.toMatch(/agent-a-key|agent-b-key|gateway-key/);
  });

  it("refuses requests with no Permiso key anywhere, naming both ways to give one", async () => {
    const receiver = await startDevServer({ port: 0 });
    const saved = process.env.PERMISO_API_KEY;
    delete process.env.PERMISO_API_KEY;
    try {
      const gateway = await startGateway({ httpPort: 0, grpcPort: 0, baseUrl: receiver.url });
      cleanup.push(() => receiver.close(), () => gateway.close());
      const answer = await post(gateway, (await weatherTrace()).json, { "content-type": "application/json" });
      expect(answer.status).toBe(401);
      expect((await answer.json()).message).toBe("no Permiso API key: set PERMISO_API_KEY on the gateway or send x-permiso-api-key");
    } finally {
      if (saved !== undefined) process.env.PERMISO_API_KEY = saved;
    }
  });
});

describe("startGateway options", () => {
  it("refuses a wrong value at start, naming the option, before any sender's request", async () => {
    await expect(startGateway({ apiKey: "k", httpPort: 0, grpcPort: 0, maxQueueSize: 0 })).rejects.toThrow(/maxQueueSize/);
    await expect(startGateway({ apiKey: "k", httpPort: 70_000 })).rejects.toThrow("httpPort must be an integer from 0 to 65535 (got 70000)");
    await expect(startGateway({ apiKey: "k", httpPort: 0, grpcPort: 0, baseUrl: "not a url" })).rejects.toThrow(/baseUrl/);
    await expect(startGateway({ apiKey: "k", httpPort: 0, grpcPort: 0, token: " " })).rejects.toThrow("token must be a non-empty string when set");
  });
});

describe("operational endpoints", () => {
  it("serves /healthz, /readyz and Prometheus /metrics", async () => {
    const { gateway, receiver } = await setup();
    expect(await (await fetch(`${gateway.httpUrl}/healthz`)).text()).toBe("ok\n");
    expect((await fetch(`${gateway.httpUrl}/readyz`)).status).toBe(200);
    const trace = await weatherTrace();
    await post(gateway, trace.protobuf, { "content-type": "application/x-protobuf" });
    await waitFor(() => receiver.store.events().some((event) => event.body.event.source === "stop"), "the run");
    const response = await fetch(`${gateway.httpUrl}/metrics`);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4");
    const text = await response.text();
    expect(text).toMatch(/^# TYPE permiso_gateway_spans_received_total counter$/m);
    expect(text).toMatch(new RegExp(`^permiso_gateway_spans_received_total ${trace.spanCount}$`, "m"));
    expect(text).toMatch(/^permiso_gateway_events_delivered_total 6$/m);
    expect(text).toMatch(/^permiso_gateway_requests_total\{transport="http",outcome="200"\} 1$/m);
    for (const name of ["events_failed_total", "events_dropped_total", "queue_depth", "held_traces", "held_spans"]) {
      expect(text).toMatch(new RegExp(`^permiso_gateway_${name} \\d+$`, "m"));
    }
    expect((await fetch(`${gateway.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${gateway.httpUrl}/v1/traces`)).status).toBe(405);
  });

  it("is not ready while Permiso cannot be reached and events wait", async () => {
    const { gateway } = await setup({ baseUrl: "http://127.0.0.1:9", readinessWindowMs: 50, maxRetries: 0 });
    await post(gateway, (await weatherTrace()).json, { "content-type": "application/json" });
    const deadline = Date.now() + 15_000;
    let answer = await fetch(`${gateway.httpUrl}/readyz`);
    while (answer.status !== 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await fetch(`${gateway.httpUrl}/readyz`);
    }
    expect(answer.status).toBe(503);
    expect(await answer.text()).toMatch(/^not ready: Permiso not reached in the last 50 ms/);
  });

  it("ignores duplicate spans, as OTLP retries send them", async () => {
    // The three copies must reach the trace while it is open: a settle window far longer than a loaded machine
    // takes between two requests (with 200 ms, a slow second post found the trace handed over, and nothing duplicate).
    const { gateway, receiver } = await setup({ traceSettleMs: 5_000 });
    const spansDuplicate = async () => Number(/^permiso_gateway_spans_duplicate_total (\d+)$/m.exec(await (await fetch(`${gateway.httpUrl}/metrics`)).text())?.[1]);
    const trace = await weatherTrace();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await post(gateway, trace.protobuf, { "content-type": "application/x-protobuf" })).status).toBe(200);
    }
    await waitFor(() => receiver.store.events().some((event) => event.body.event.source === "stop"), "the run");
    expect(await spansDuplicate()).toBe(2 * trace.spanCount);
    await gateway.close();
    expect(receiver.store.events()).toHaveLength(6);
  });

  it("while draining: 503 + Retry-After over HTTP, UNAVAILABLE over gRPC, not ready; then it delivers what it held", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const receiver = await startDevServer({ port: 0, intercept: () => held.then(() => undefined) });
    const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "k", baseUrl: receiver.url, traceSettleMs: 0, retryAfterSeconds: 5 });
    cleanup.push(() => receiver.close());
    const trace = await weatherTrace();
    expect((await post(gateway, trace.json, { "content-type": "application/json" })).status).toBe(200);
    const closed = gateway.close();

    const refused = await post(gateway, (await weatherTrace()).json, { "content-type": "application/json" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ code: 14, message: "the gateway is shutting down" });
    expect((await grpcExport(gateway.grpcAddress, trace.protobuf)).error?.code).toBe(14);
    const readiness = await fetch(`${gateway.httpUrl}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.text()).toMatch(/draining/);

    release();
    await closed;
    expect(receiver.store.events().filter((event) => event.body.runId.startsWith(trace.traceId.slice(0, 8)))).toHaveLength(6);
    expect(receiver.store.events()).toHaveLength(6);
  });

  it("on close: releases the spans it held and delivers them, then stops listening", async () => {
    const { gateway, receiver } = await setup({ traceSettleMs: 60_000 });
    await post(gateway, (await weatherTrace()).json, { "content-type": "application/json" });
    expect(receiver.store.events()).toHaveLength(0);
    await gateway.close();
    expect(receiver.store.events().filter((event) => event.body.event.source === "stop")).toHaveLength(1);
    await expect(fetch(`${gateway.httpUrl}/healthz`)).rejects.toThrow();
  });
});
