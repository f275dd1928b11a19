/**
 * The client's documented defaults and the promises the README makes about
 * its connections: each checked against a real loopback server or a real
 * child process, so a changed default fails here.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError, SDK_VERSION } from "../../src/index.js";
import { createFailureReporter } from "../../src/client/failure-reporter.js";
import { resolveEndpoint } from "../../src/transport/endpoint.js";
import { startHoldingServer } from "../support/holding-server.js";
import { waitFor } from "../support/wait-for.js";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const text = { source: "user", type: "text", text: "hello" } as const;

beforeAll(async () => {
  if (!existsSync(join(root, "dist/index.js"))) await run("npx", ["tsup", "--silent"], { cwd: root });
}, 120_000);

/** A plain HTTP server whose handler the test writes; closed after each test. */
const servers: Server[] = [];
async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** A server that answers {} and keeps the User-Agent of the last request. */
async function userAgentReceiver(): Promise<{ url: string; userAgent: () => string | undefined }> {
  let userAgent: string | undefined;
  const { url } = await listen((request, response) => {
    userAgent = request.headers["user-agent"];
    request.resume();
    response.writeHead(200).end("{}");
  });
  return { url, userAgent: () => userAgent };
}

describe("documented defaults", () => {
  it("timeoutMs 10000, maxRetries 3, maxSockets 16", () => {
    const endpoint = resolveEndpoint({ apiKey: "k", baseUrl: "http://127.0.0.1:1" });
    expect({ timeoutMs: endpoint.timeoutMs, maxRetries: endpoint.maxRetries, maxSockets: endpoint.maxSockets }).toEqual({
      timeoutMs: 10_000,
      maxRetries: 3,
      maxSockets: 16,
    });
  });

  it("retries three times by default: four attempts in all", async () => {
    let attempts = 0;
    const { url } = await listen((request, response) => {
      attempts++;
      request.resume();
      // Retry-After: 0 keeps the test fast; the count of attempts is what is checked.
      response.writeHead(503, { "Retry-After": "0" }).end();
    });
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: url, raiseOnError: true });
    const error = await client.sendEvent("a", text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermisoCustomHooksError);
    expect((error as PermisoCustomHooksError).status).toBe(503);
    expect(attempts).toBe(4);
    await client.close();
  });

  it("opens at most 16 connections at once by default", async () => {
    const server = await startHoldingServer();
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: server.url, onError: () => {} });
    try {
      for (let index = 0; index < 24; index++) client.sendEventBackground("a", text);
      await waitFor(() => server.held.length === 16, "16 requests in flight");
      // Give the other 8 every chance to arrive on new sockets: they must not.
      await new Promise((done) => setTimeout(done, 300));
      expect(server.held.length).toBe(16);
      expect(server.sockets.size).toBe(16);
      await server.answerAll(24);
      await client.flush();
      expect(server.sockets.size).toBe(16);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("sends User-Agent permiso-io-custom-hooks-sdk/<version> (node <version>)", async () => {
    const { url, userAgent } = await userAgentReceiver();
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: url });
    await client.sendEvent("a", text);
    expect(userAgent()).toBe(`permiso-io-custom-hooks-sdk/${SDK_VERSION} (node ${process.version})`);
    await client.close();
  });
});

describe("the default onError", () => {
  it("warns at most once a minute, then says how many failures it held back", () => {
    let now = 0;
    const warnings: string[] = [];
    const report = createFailureReporter((message) => warnings.push(message), () => now);
    const failure = new PermisoCustomHooksError("API error: 503 Service Unavailable", { kind: "http" });
    report(failure);
    now = 30_000;
    report(failure);
    now = 59_999;
    report(failure);
    expect(warnings).toEqual(["[permiso] hook event not delivered: API error: 503 Service Unavailable"]);
    now = 60_000;
    report(failure);
    expect(warnings[1]).toBe(
      "[permiso] hook event not delivered: API error: 503 Service Unavailable (2 more failures in the previous minute)",
    );
  });

  it("is what a client without onError uses: one console warning for a burst of failures", async () => {
    const { url } = await listen((request, response) => {
      request.resume();
      response.writeHead(500).end();
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: url });
      await client.sendEvent("a", text);
      await client.sendEvent("b", text);
      client.sendEventBackground("c", text);
      await client.flush();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toBe("[permiso] hook event not delivered: API error: 500 Internal Server Error");
      await client.close();
    } finally {
      warn.mockRestore();
    }
  });
});

describe("connections and the process", () => {
  it("idle keep-alive sockets never keep the process alive", async () => {
    let requests = 0;
    const { url, server } = await listen((request, response) => {
      requests++;
      request.resume();
      response.writeHead(200, { Connection: "keep-alive", "Keep-Alive": "timeout=600" }).end("{}");
    });
    server.keepAliveTimeout = 600_000;
    // The child sends, never calls close(), and must still exit on its own.
    const script = `
      import { PermisoCustomHooksClient } from ${JSON.stringify(join(root, "dist/index.js"))};
      const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: ${JSON.stringify(url)} });
      await client.sendEvent("a", { source: "user", type: "text", text: "hi" });
      console.log("sent");
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
    expect(stdout.trim()).toBe("sent");
    expect(requests).toBe(1);
  });

  it("close() waits for sends in flight, then closes its pooled connections", async () => {
    const held: ServerResponse[] = [];
    const closed: string[] = [];
    const { url, server } = await listen((request, response) => {
      request.resume();
      held.push(response);
    });
    server.on("connection", (socket) => socket.on("close", () => closed.push("socket")));
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: url, onError: () => {} });
    client.sendEventBackground("a", text);
    await waitFor(() => held.length === 1, "the request");
    let done = false;
    const closing = client.close().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    held[0].writeHead(200, { Connection: "keep-alive" }).end("{}");
    await closing;
    await waitFor(() => closed.length === 1, "the pooled connection closed");
  });

  it("says (js) in its User-Agent where there is no process.version", async () => {
    const { url, userAgent } = await userAgentReceiver();
    const script = `
      Object.defineProperty(process, "version", { value: undefined });
      const { PermisoCustomHooksClient } = await import(${JSON.stringify(join(root, "dist/index.js"))});
      const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: ${JSON.stringify(url)}, raiseOnError: true });
      await client.sendEvent("a", { source: "user", type: "text", text: "hi" });
      await client.close();
    `;
    await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
    expect(userAgent()).toBe(`permiso-io-custom-hooks-sdk/${SDK_VERSION} (js)`);
  });

  it("falls back to fetch where node:http does not exist", async () => {
    const seen: Array<{ path?: string; key?: string; body: string }> = [];
    const { url } = await listen((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        seen.push({ path: request.url, key: request.headers["x-api-key"] as string, body });
        response.writeHead(200).end('{"permission":"allow"}');
      });
    });
    // A loader hook that makes node:http and node:https unresolvable, as in runtimes without them.
    const hook = `data:text/javascript,${encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (/^(node:)?https?$/.test(specifier)) throw new Error("no " + specifier + " in this runtime");
        return next(specifier, context);
      }`)}`;
    const script = `
      import { register } from "node:module";
      register(${JSON.stringify(hook)});
      const { PermisoCustomHooksClient } = await import(${JSON.stringify(join(root, "dist/index.js"))});
      const client = new PermisoCustomHooksClient({ apiKey: "fetch-key", baseUrl: ${JSON.stringify(url)}, raiseOnError: true });
      const answer = await client.sendEvent("a", { source: "user", type: "text", text: "via fetch" });
      let httpLoads = true;
      try { await import("node:http"); } catch { httpLoads = false; }
      console.log(JSON.stringify({ answer, httpLoads }));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ answer: { permission: "allow" }, httpLoads: false });
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe("/hooks");
    expect(seen[0].key).toBe("fetch-key");
    expect(JSON.parse(seen[0].body).event).toEqual({ source: "user", type: "text", text: "via fetch" });
  });
});
