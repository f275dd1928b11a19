/**
 * OTLP/HTTP: `POST /v1/traces` following the OTLP specification, plus the
 * operational endpoints `/healthz`, `/readyz` and `/metrics`.
 *
 * Answers: 200 (with `partialSuccess` when spans were rejected), 400 for a
 * body that cannot be decoded, 401 without the bearer token, 413 past the
 * size limit (after decompression), 415 for other content types or
 * encodings, 429 when the queue is full and 503 while draining, both with
 * `Retry-After`. Error bodies are google.rpc.Status; every answer is in the
 * request's encoding.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./http-body.js";
import type { Intake, IntakeOutcome } from "./intake.js";
import type { GatewayMetrics } from "./metrics.js";
import { GRPC_CODE, type Encoding, type OtlpCodec } from "./otlp/codec.js";

const CONTENT_TYPES: Record<Encoding, string> = { protobuf: "application/x-protobuf", json: "application/json" };
export const API_KEY_HEADER = "x-permiso-api-key";

export interface HttpReceiverOptions {
  intake: Intake;
  codec: OtlpCodec;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  retryAfterSeconds: number;
  /** `/readyz`: whether the gateway can take spans and reach Permiso. */
  readiness(): { ready: boolean; reasons: string[] };
  metricsText(): string;
}

export function createHttpReceiver(options: HttpReceiverOptions): Server {
  const server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      // Nothing a request does may take the gateway down; answer and move on.
      if (!response.headersSent) answerStatus(response, 500, "json", options, GRPC_CODE.INTERNAL, "internal error");
      else response.destroy();
      void error;
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export function httpUrlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

async function route(request: IncomingMessage, response: ServerResponse, options: HttpReceiverOptions): Promise<void> {
  const path = (request.url ?? "/").split("?")[0];
  if (path === "/v1/traces") {
    if (request.method !== "POST") return plain(response, 405, "use POST\n", { allow: "POST" });
    return exportTraces(request, response, options);
  }
  if (request.method !== "GET" && request.method !== "HEAD") return plain(response, 404, "not found\n");
  if (path === "/healthz") return plain(response, 200, "ok\n");
  if (path === "/readyz") {
    const { ready, reasons } = options.readiness();
    return plain(response, ready ? 200 : 503, ready ? "ready\n" : `not ready: ${reasons.join("; ")}\n`);
  }
  if (path === "/metrics") return plain(response, 200, options.metricsText(), { "content-type": "text/plain; version=0.0.4" });
  return plain(response, 404, "not found\n");
}

async function exportTraces(request: IncomingMessage, response: ServerResponse, options: HttpReceiverOptions): Promise<void> {
  const { intake, codec, metrics } = options;
  const mediaType = String(request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const encoding: Encoding | undefined =
    mediaType === CONTENT_TYPES.protobuf ? "protobuf" : mediaType === CONTENT_TYPES.json ? "json" : undefined;
  const answer = (status: number, code: number, message: string) => {
    metrics.countRequest("http", String(status));
    answerStatus(response, status, encoding ?? "json", options, code, message);
    if (!request.complete) discardRest(request, response, status === 413 ? 0 : options.maxBodyBytes);
  };

  if (!encoding) {
    return answer(415, GRPC_CODE.INVALID_ARGUMENT, `unsupported content type ${JSON.stringify(mediaType)}: use ${CONTENT_TYPES.protobuf} or ${CONTENT_TYPES.json}`);
  }
  const contentEncoding = String(request.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (contentEncoding !== "gzip" && contentEncoding !== "identity" && contentEncoding !== "") {
    return answer(415, GRPC_CODE.INVALID_ARGUMENT, `unsupported content encoding ${JSON.stringify(contentEncoding)}: use gzip or none`);
  }
  const admitted = intake.admit({ authorization: request.headers.authorization, apiKey: headerValue(request, API_KEY_HEADER) });
  if ("kind" in admitted) return refuse(admitted, answer);

  const body = await readBody(request, options.maxBodyBytes, contentEncoding === "gzip");
  if (!body.ok) {
    return body.reason === "too-large"
      ? answer(413, GRPC_CODE.INVALID_ARGUMENT, body.message)
      : answer(400, GRPC_CODE.INVALID_ARGUMENT, body.message);
  }
  const outcome: IntakeOutcome = intake.receive(admitted.engine, body.body, encoding);
  if (outcome.kind === "malformed") return answer(400, GRPC_CODE.INVALID_ARGUMENT, outcome.message);
  if (outcome.kind !== "accepted") return refuse(outcome, answer);
  metrics.countRequest("http", outcome.partial ? "200-partial" : "200");
  const answerBody = codec.encodeResponse(outcome.partial, encoding);
  // With its length known the answer goes out in one write, not as chunked framing.
  response.writeHead(200, { "content-type": CONTENT_TYPES[encoding], "content-length": answerBody.length });
  response.end(answerBody);

  function refuse(refusal: Exclude<IntakeOutcome, { kind: "accepted" | "malformed" }>, send: typeof answer) {
    if (refusal.kind === "unauthenticated") return send(401, GRPC_CODE.UNAUTHENTICATED, refusal.message);
    response.setHeader("retry-after", String(options.retryAfterSeconds));
    return refusal.kind === "throttled"
      ? send(429, GRPC_CODE.RESOURCE_EXHAUSTED, refusal.message)
      : send(503, GRPC_CODE.UNAVAILABLE, refusal.message);
  }
}

function answerStatus(
  response: ServerResponse,
  status: number,
  encoding: Encoding,
  options: HttpReceiverOptions,
  code: number,
  message: string,
): void {
  const retryable = status === 429 || status === 503;
  const body = options.codec.encodeStatus(code, message, encoding, retryable ? options.retryAfterSeconds : undefined);
  response.writeHead(status, { "content-type": CONTENT_TYPES[encoding], "content-length": body.length });
  response.end(body);
}

function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(text);
}

/**
 * What is left of a refused request's body. Up to the size limit it is read
 * and thrown away, so the client gets the answer (and its Retry-After) on a
 * connection still in use rather than a reset; past it the connection is
 * closed.
 */
function discardRest(request: IncomingMessage, response: ServerResponse, budget: number): void {
  const close = () => void response.once("finish", () => request.destroy());
  if (budget <= 0) return close();
  let left = budget;
  request.on("data", (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) close();
  });
  request.resume();
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
