/**
 * A local receiver for the Custom Hooks API: validates every request as
 * strictly as the real endpoint, keeps what it accepts (bounded), answers
 * tool calls by the user's deny list and policy, and serves the runs as JSON,
 * as a stream of changes and as a live viewer.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { HookBody } from "../protocol/body.js";
import { validateHookBody, type ValidationIssue } from "../protocol/validate.js";
import { allowedHostNames, isAllowedHost, originHost } from "./host-check.js";
import { LiveStream } from "./live-stream.js";
import { RejectionLog, type Rejection } from "./rejections.js";
import { RunStore, type ReceivedEvent, type StoreChange, type StoreLimits } from "./run-store.js";
import { ToolDecider, decisionResponse, type ToolPolicy } from "./tool-policy.js";
import { serveViewerAsset } from "./viewer/assets.js";

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

export interface DevServerOptions extends StoreLimits {
  /** Port to listen on; 0 picks a free one. @defaultValue 8787 */
  port?: number;
  /** Interface to bind. @defaultValue "127.0.0.1" */
  host?: string;
  /**
   * Host names accepted in the `Host` header besides loopback ones and the
   * bound address (requests naming any other host are refused, against DNS
   * rebinding).
   */
  allowedHosts?: string[];
  /** Append every accepted request as one JSON line to this file. */
  logFile?: string;
  /** Answer 401 when `x-api-key` is missing. @defaultValue true */
  requireApiKey?: boolean;
  /** Deny every call of these tools (answer `permission: "deny"` to their `tool_use`). */
  denyTools?: string[];
  /** Rules that deny tool calls by name and input (see `parseToolPolicy`, or `loadToolPolicy` for a file). */
  policy?: ToolPolicy;
  /** Called for each accepted event (the CLI prints them). */
  onEvent?: (event: ReceivedEvent) => void;
  /** Called for each rejected request, with the problems found. */
  onReject?: (issues: ValidationIssue[], body: unknown) => void;
  /** Called when runs are evicted to stay within `maxEvents`/`maxBytes`, or the store is cleared. */
  onStoreChange?: (change: StoreChange) => void;
  /** Called once if appending to the log file fails after it was opened. */
  onLogError?: (error: Error) => void;
  /** Fault injection for tests: see Interception. */
  intercept?: (request: InterceptedRequest) => Interception | undefined | Promise<Interception | undefined>;
}

export interface DevServer {
  /** Base URL to give the client or the bridge, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  readonly store: RunStore;
  /** The most recent requests refused with 400 (at most 100), with their problems and the start of their body. */
  readonly rejected: readonly Rejection[];
  /** Every request refused with 400 since the start or the last clear. */
  readonly rejectedCount: number;
  close(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const store = new RunStore({ maxEvents: options.maxEvents, maxBytes: options.maxBytes });
  const rejections = new RejectionLog();
  const decider = new ToolDecider(options.denyTools, options.policy);
  const requireApiKey = options.requireApiKey ?? true;
  const boundHost = options.host ?? "127.0.0.1";
  const allowedHosts = allowedHostNames(boundHost, options.allowedHosts);
  const live = new LiveStream(store);
  const sockets = new Set<Socket>();
  let log: WriteStream | undefined;
  let attempts = 0;

  const unsubscribe = store.subscribe((event) => {
    log?.write(`${JSON.stringify({ receivedAt: event.receivedAt, ...event.body, ...(event.decision ? { decision: event.decision } : {}) })}\n`);
    options.onEvent?.(event);
  });
  const unwatch = store.watchChanges((change) => options.onStoreChange?.(change));

  const reject = (response: ServerResponse, raw: string, issues: ValidationIssue[], body: unknown) => {
    rejections.add(raw, issues);
    options.onReject?.(issues, body);
    sendJson(response, 400, { error: "Invalid request body", issues });
  };

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
      return reject(response, raw, [{ path: "body", message: "is not valid JSON" }], raw);
    }
    const issues = validateHookBody(body);
    if (issues.length > 0) return reject(response, raw, issues, body);
    const hook = body as HookBody;
    const decision = decider.decide(hook.event);
    store.add(hook, Date.now(), decision);
    if (interception && "loseResponse" in interception) return request.socket.destroy();
    sendJson(response, 200, decisionResponse(decision));
  };

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => unknown> = {
    "POST /hooks": handleHook,
    "GET /api/runs": (_request, response) => sendJson(response, 200, { runs: store.runs() }),
    "GET /api/events": (_request, response, query) => sendEvents(response, store, Number(query.get("after") ?? 0) || 0, rejections.count),
    "DELETE /api/runs": (_request, response) => {
      store.clear();
      rejections.clear();
      sendJson(response, 200, {});
    },
    "GET /api/live": (request, response, query) => live.open(request, response, query),
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://receiver");
    // HEAD is answered like GET; Node leaves the body out.
    const method = request.method === "HEAD" ? "GET" : request.method;
    const route = `${method} ${url.pathname}`;
    if (!isAllowedHost(request.headers.host, allowedHosts)) {
      return sendJson(response, 403, {
        error: `Host "${request.headers.host}" is not allowed. Use ${[...allowedHosts].slice(0, 3).join(", ")}, or start the receiver with --allow-host.`,
      });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && method !== "GET" && !isAllowedHost(originHost(origin) ?? "\u0000", allowedHosts)) {
      return sendJson(response, 403, { error: `Requests from origin ${origin} are not allowed` });
    }
    const handle = routes[route] ?? ((_request, response) => serveViewerAsset(url.pathname, response) || sendJson(response, 404, { error: `No route for ${route}` }));
    Promise.resolve()
      .then(() => handle(request, response, url.searchParams))
      .catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: `Internal error: ${String(error)}` });
        else response.destroy();
      });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await listen(server, options.port ?? DEFAULT_DEV_PORT, boundHost);
  if (options.logFile) {
    // Opened only once the port is ours, so a busy port leaves no empty file behind.
    try {
      log = await openLog(options.logFile, options.onLogError);
    } catch (error) {
      await closeServer(server, sockets);
      throw error;
    }
  }
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    get rejected() {
      return rejections.entries;
    },
    get rejectedCount() {
      return rejections.count;
    },
    close: async () => {
      unsubscribe();
      unwatch();
      live.close();
      await closeServer(server, sockets);
      if (log) await new Promise<void>((resolve) => log!.end(() => resolve()));
    },
  };
}

/** Events after `after`, assembled from each event's stored JSON, with what a viewer needs to stay in step. */
function sendEvents(response: ServerResponse, store: RunStore, after: number, rejected: number): void {
  const head = JSON.stringify({
    lastSeq: store.lastSeq,
    generation: store.generation,
    evicted: store.evictions,
    limits: store.limits,
    rejected,
  });
  sendJsonText(response, 200, `${head.slice(0, -1)},"events":[${store.serializedAfter(after).map((entry) => entry.json).join(",")}]}`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new Error(`port ${port} on ${host} is already in use; choose another with --port, or --port 0 for any free port`));
      } else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
        reject(new Error(`cannot listen on ${host}: no such local address`));
      } else if (error.code === "EACCES") {
        reject(new Error(`not allowed to listen on port ${port}; ports below 1024 need privileges`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve());
  });
}

function openLog(file: string, onError?: (error: Error) => void): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(file, { flags: "a" });
    stream.once("error", (error) => reject(new Error(`cannot write the log file ${file}: ${error.message}`)));
    stream.once("open", () => {
      stream.removeAllListeners("error");
      let reported = false;
      stream.on("error", (error) => {
        if (!reported) onError?.(error);
        reported = true;
      });
      resolve(stream);
    });
  });
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
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

export function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  sendJsonText(response, status, JSON.stringify(payload));
}

function sendJsonText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
