/**
 * The gateway's documented defaults, each checked by its effect with the
 * option left unset, so a changed default fails here. Windows of seconds
 * run on vitest's fake timers (`setTimeout`, `setInterval`, `Date`), with real sockets;
 * requests then go through `node:http`, whose sockets use no global timers.
 * The fixed ports (4318, 4317) are read from the resolved options, not
 * bound: other test runs on the machine may hold them.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { startGateway, type Gateway } from "../../src/gateway/index.js";
import { resolveGatewayOptions, type GatewayOptions } from "../../src/gateway/options.js";
import { weatherTrace } from "./support/otlp-bodies.js";
import { settle, until } from "../support/real-time.js";

const MIB = 1024 * 1024;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setup(options: GatewayOptions = {}, receiver?: DevServer): Promise<{ gateway: Gateway; receiver: DevServer }> {
  receiver ??= await startDevServer({ port: 0 });
  const gateway = await startGateway({ httpPort: 0, grpcPort: 0, apiKey: "gateway-key", baseUrl: receiver.url, traceSettleMs: 0, ...options });
  cleanup.push(() => receiver.close(), () => gateway.close());
  return { gateway, receiver };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over `node:http` (no global timers, so it works under fake ones). */
function send(url: string, method = "GET", body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers: body ? { ...headers, "content-length": String(body.length) } : headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const postJson = (gateway: Gateway, body: Buffer, headers: Record<string, string> = {}) =>
  send(`${gateway.httpUrl}/v1/traces`, "POST", body, { "content-type": "application/json", ...headers });

const useFakeClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });

describe("gateway defaults", () => {
  it("host 127.0.0.1, httpPort 4318, grpcPort 4317", async () => {
    expect(resolveGatewayOptions({ apiKey: "k" })).toMatchObject({ host: "127.0.0.1", httpPort: 4318, grpcPort: 4317 });
    const { gateway } = await setup();
    expect(gateway.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("maxBodyBytes: 20 MiB", async () => {
    const { gateway } = await setup();
    // An empty request padded with whitespace to an exact size: valid JSON at any length.
    const padded = (size: number) => {
      const json = '{"resourceSpans":[]}';
      return Buffer.from(json + " ".repeat(size - json.length));
    };
    const post = (body: Buffer) => fetch(`${gateway.httpUrl}/v1/traces`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": "application/json" } });
    expect((await post(padded(20 * MIB))).status).toBe(200);
    expect((await post(padded(20 * MIB + 1))).status).toBe(413);
  });

  it("retryAfterSeconds: 2", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const receiver = await startDevServer({ port: 0, intercept: () => held.then(() => undefined) });
    const { gateway } = await setup({}, receiver);
    expect((await postJson(gateway, (await weatherTrace()).json)).status).toBe(200);
    const closed = gateway.close();
    const refused = await postJson(gateway, (await weatherTrace()).json);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("2");
    release();
    await closed;
  });

  it("traceSettleMs: 1000", async () => {
    const trace = await weatherTrace();
    useFakeClock();
    // Permiso holds every request: what reached the engine stays in its queue, where /metrics shows it.
    const receiver = await startDevServer({ port: 0, intercept: () => ({ hang: true }) });
    const { gateway } = await setup({ traceSettleMs: undefined, flushTimeoutMs: 100 }, receiver);
    const queueDepth = async () => Number(/^permiso_gateway_queue_depth (\d+)$/m.exec((await send(`${gateway.httpUrl}/metrics`)).text)?.[1]);
    expect((await postJson(gateway, trace.json)).status).toBe(200);
    await vi.advanceTimersByTimeAsync(999);
    expect(await queueDepth()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await queueDepth()).toBe(6);
    vi.useRealTimers();
  });

  it("readinessWindowMs: 60000", async () => {
    const trace = await weatherTrace();
    useFakeClock();
    // Permiso cannot be reached: every delivery fails at once.
    const { gateway } = await setup({ baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
    expect((await postJson(gateway, trace.json)).status).toBe(200);
    const failedDeliveries = async () => Number(/^permiso_gateway_events_failed_total (\d+)$/m.exec((await send(`${gateway.httpUrl}/metrics`)).text)?.[1]);
    for (const started = performance.now(); (await failedDeliveries()) === 0; ) {
      if (performance.now() - started > 15_000) throw new Error("no delivery failed");
    }
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await send(`${gateway.httpUrl}/readyz`)).status).toBe(200);
    await vi.advanceTimersByTimeAsync(1);
    const answer = await send(`${gateway.httpUrl}/readyz`);
    expect(answer.status).toBe(503);
    expect(answer.text).toMatch(/^not ready: Permiso not reached in the last 60000 ms/);
    vi.useRealTimers();
  });

  it("close() delivers within flushTimeoutMs, 30000", async () => {
    const trace = await weatherTrace();
    useFakeClock();
    let requests = 0;
    const receiver = await startDevServer({ port: 0, intercept: () => (requests++, { hang: true }) });
    const { gateway } = await setup({}, receiver);
    expect((await postJson(gateway, trace.json)).status).toBe(200);
    await until(() => requests === 1, "the first event in flight");
    let closed = false;
    void gateway.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(29_999);
    await settle(50);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => closed, "the close");
    vi.useRealTimers();
  });

  it("maxApiKeys: 32, the gateway's own key served whatever the count", async () => {
    const { gateway } = await setup();
    const json = (await weatherTrace()).json;
    for (let index = 1; index <= 32; index++) {
      expect((await postJson(gateway, json, { "x-permiso-api-key": `sender-${index}` })).status, `sender-${index}`).toBe(200);
    }
    const refused = await postJson(gateway, json, { "x-permiso-api-key": "sender-33" });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toMatchObject({ message: "too many distinct x-permiso-api-key values in use" });
    expect((await postJson(gateway, json)).status).toBe(200);
  });
});
