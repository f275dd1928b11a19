/**
 * A local receiver for the Custom Hooks API: validates every request as
 * strictly as the real endpoint, keeps what it accepts, and serves the runs
 * as JSON and as a live viewer page.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { HookBody } from "../protocol/body.js";
import { validateHookBody, type ValidationIssue } from "../protocol/validate.js";
import { RunStore, type ReceivedEvent } from "./run-store.js";
import { VIEWER_HTML } from "./viewer-page.js";

export const DEFAULT_DEV_PORT = 8787;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface InterceptedRequest {
  /** Count of POST /hooks requests so far, this one included. */
  attempt: number;
  headers: IncomingMessage["headers"];
  /** The raw body text. */
  body: string;
}

/**
 * What an interceptor may do with a hook request instead of (or before)
 * handling it: answer with a status, hold it forever, reset the connection,
 * delay it, or handle it and then lose the answer (the client cannot know
 * it was stored, so it sends it again). Returning `undefined` handles the
 * request normally.
 */
export type Interception =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { hang: true }
  | { reset: true }
  | { delayMs: number }
  | { loseResponse: true };

export interface DevServerOptions {
  /** Port to listen on; 0 picks a free one. @defaultValue 8787 */
  port?: number;
  /** Interface to bind. @defaultValue "127.0.0.1" */
  host?: string;
  /** Append every accepted request as one JSON line to this file. */
  logFile?: string;
  /** Answer 401 when `x-api-key` is missing. @defaultValue true */
  requireApiKey?: boolean;
  /** Called for each accepted event (the CLI prints them). */
  onEvent?: (event: ReceivedEvent) => void;
  /** Called for each rejected request, with the problems found. */
  onReject?: (issues: ValidationIssue[], body: unknown) => void;
  /** Fault injection for tests: see Interception. */
  intercept?: (request: InterceptedRequest) => Interception | undefined | Promise<Interception | undefined>;
}

export interface DevServer {
  /** Base URL to give the client or the bridge, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  readonly store: RunStore;
  /** Requests refused with 400, with their problems. */
  readonly rejected: Array<{ body: unknown; issues: ValidationIssue[] }>;
  close(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const store = new RunStore();
  const rejected: Array<{ body: unknown; issues: ValidationIssue[] }> = [];
  const sockets = new Set<Socket>();
  const log: WriteStream | undefined = options.logFile
    ? createWriteStream(options.logFile, { flags: "a" })
    : undefined;
  const requireApiKey = options.requireApiKey ?? true;
  const liveClients = new Set<ServerResponse>();
  let attempts = 0;

  const unsubscribe = store.subscribe((event) => {
    log?.write(`${JSON.stringify({ receivedAt: event.receivedAt, ...event.body })}\n`);
    options.onEvent?.(event);
    for (const client of liveClients) client.write(`data: ${event.seq}\n\n`);
  });

  const handleHook = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    if (raw === undefined) return sendJson(response, 413, { error: `Body exceeds ${MAX_BODY_BYTES} bytes` });
    const interception = await options.intercept?.({ attempt: ++attempts, headers: request.headers, body: raw });
    if (interception) {
      if ("hang" in interception) return;
      if ("reset" in interception) return request.socket.destroy();
      if ("delayMs" in interception && interception.delayMs) await sleep(interception.delayMs);
      if ("status" in interception) {
        response.writeHead(interception.status, { "Content-Type": "application/json", ...interception.headers });
        return response.end(interception.body ?? "");
      }
    }
    if (requireApiKey && !request.headers["x-api-key"]) {
      return sendJson(response, 401, { error: "Missing x-api-key header" });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      const issues = [{ path: "body", message: "is not valid JSON" }];
      rejected.push({ body: raw, issues });
      options.onReject?.(issues, raw);
      return sendJson(response, 400, { error: "Invalid request body", issues });
    }
    const issues = validateHookBody(body);
    if (issues.length > 0) {
      rejected.push({ body, issues });
      options.onReject?.(issues, body);
      return sendJson(response, 400, { error: "Invalid request body", issues });
    }
    store.add(body as HookBody);
    if (interception && "loseResponse" in interception) return request.socket.destroy();
    sendJson(response, 200, {});
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const route = `${request.method} ${path}`;
    const handle = async () => {
      switch (route) {
        case "POST /hooks":
          return handleHook(request, response);
        case "GET /api/runs":
          return sendJson(response, 200, { runs: store.runs() });
        case "GET /api/events":
          return sendJson(response, 200, { events: store.events() });
        case "DELETE /api/runs":
          store.clear();
          return sendJson(response, 200, {});
        case "GET /api/live":
          response.writeHead(200, {
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            Connection: "keep-alive",
          });
          response.write(": connected\n\n");
          liveClients.add(response);
          request.on("close", () => liveClients.delete(response));
          return;
        case "GET /":
        case "GET /index.html":
          response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
          return response.end(VIEWER_HTML);
        default:
          return sendJson(response, 404, { error: `No route for ${route}` });
      }
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_DEV_PORT, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    rejected,
    close: async () => {
      unsubscribe();
      for (const client of liveClients) client.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (log) await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
