/** Options of `startGateway()`, checked once, with their defaults. */
import { resolveEngineSettings, type EngineOptions } from "../engine/settings.js";
import { resolveEndpointSettings, type TransportOptions } from "../transport/endpoint.js";

/** What each engine of the gateway takes: the bridge's options, except the span filter (OTLP spans are not SDK spans). */
export type GatewayEngineOptions = EngineOptions & TransportOptions;
import { ConfigurationError } from "../transport/endpoint.js";

export interface GatewayOptions extends GatewayEngineOptions {
  /** Interface to bind. Anything but loopback exposes the gateway: set `token` then. @defaultValue "127.0.0.1" */
  host?: string;
  /** OTLP/HTTP port; 0 picks a free one. @defaultValue 4318 */
  httpPort?: number;
  /** OTLP/gRPC port; 0 picks a free one. @defaultValue 4317 */
  grpcPort?: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (HTTP header or gRPC metadata). */
  token?: string;
  /** Largest request body, after decompression. @defaultValue 20 MiB */
  maxBodyBytes?: number;
  /** Seconds a throttled client is told to wait (`Retry-After`, gRPC RetryInfo). @defaultValue 2 */
  retryAfterSeconds?: number;
  /** Distinct `x-permiso-api-key` values served at once; each has its own delivery. @defaultValue 32 */
  maxApiKeys?: number;
  /**
   * A trace's spans reach the engine once none of them has arrived for this
   * long (requests race; the span closing a run may come first). @defaultValue 1000
   */
  traceSettleMs?: number;
  /** How long Permiso may go unreached (while there is something to deliver) before `/readyz` fails. @defaultValue 60000 */
  readinessWindowMs?: number;
}

export const GATEWAY_DEFAULTS = {
  host: "127.0.0.1",
  httpPort: 4318,
  grpcPort: 4317,
  maxBodyBytes: 20 * 1024 * 1024,
  retryAfterSeconds: 2,
  maxApiKeys: 32,
  readinessWindowMs: 60_000,
  traceSettleMs: 1000,
} as const;

export interface ResolvedGatewayOptions {
  host: string;
  httpPort: number;
  grpcPort: number;
  token: string | undefined;
  maxBodyBytes: number;
  retryAfterSeconds: number;
  maxApiKeys: number;
  readinessWindowMs: number;
  traceSettleMs: number;
  bridge: GatewayEngineOptions;
}

function integer(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  const { host, httpPort, grpcPort, token, maxBodyBytes, retryAfterSeconds, maxApiKeys, readinessWindowMs, traceSettleMs, ...bridge } = options;
  if (host !== undefined && (typeof host !== "string" || host === "")) {
    throw new ConfigurationError(`host must be a host name or address (got ${JSON.stringify(host)})`);
  }
  if (token !== undefined && (typeof token !== "string" || token.trim() === "")) {
    throw new ConfigurationError("token must be a non-empty string when set");
  }
  // The engines are made per API key, on first use: their options are checked now, not on a sender's request.
  resolveEngineSettings(bridge, resolveEndpointSettings(bridge).timeoutMs);
  return Object.freeze({
    host: host ?? GATEWAY_DEFAULTS.host,
    httpPort: integer("httpPort", httpPort, GATEWAY_DEFAULTS.httpPort, 0, 65535),
    grpcPort: integer("grpcPort", grpcPort, GATEWAY_DEFAULTS.grpcPort, 0, 65535),
    token,
    maxBodyBytes: integer("maxBodyBytes", maxBodyBytes, GATEWAY_DEFAULTS.maxBodyBytes, 1),
    retryAfterSeconds: integer("retryAfterSeconds", retryAfterSeconds, GATEWAY_DEFAULTS.retryAfterSeconds, 1, 3600),
    maxApiKeys: integer("maxApiKeys", maxApiKeys, GATEWAY_DEFAULTS.maxApiKeys, 1),
    readinessWindowMs: integer("readinessWindowMs", readinessWindowMs, GATEWAY_DEFAULTS.readinessWindowMs, 1),
    traceSettleMs: integer("traceSettleMs", traceSettleMs, GATEWAY_DEFAULTS.traceSettleMs, 0, 60_000),
    bridge,
  });
}
