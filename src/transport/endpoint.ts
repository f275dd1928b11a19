/**
 * Settings shared by the client and the bridge: where to send, with which
 * key, and how patiently. Environment fallbacks are resolved once, here.
 */
import { ConfigurationError, integerOption } from "../option-checks.js";
import { SDK_NAME, SDK_VERSION } from "../version.js";
import { HttpTransport } from "./http-transport.js";
import { DEFAULT_MAX_RETRIES } from "./retry-policy.js";
import { RetryingTransport, type RetryNotice } from "./retrying-transport.js";
import type { HookTransport } from "./types.js";

export const DEFAULT_BASE_URL = "https://alb.permiso.io";
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_SOCKETS = 16;

export interface TransportOptions {
  /** Permiso agent API secret. Defaults to `PERMISO_API_KEY`. */
  apiKey?: string;
  /** Base URL without `/hooks`. Defaults to `PERMISO_BASE_URL`, then `https://alb.permiso.io`. */
  baseUrl?: string;
  /** Limit for one attempt, connect to last byte. @defaultValue 10000 */
  timeoutMs?: number;
  /** Retries after the first attempt, for 429/502/503/504, timeouts and network errors. @defaultValue 3 */
  maxRetries?: number;
  /** Upper bound on open keep-alive sockets to the endpoint. @defaultValue 16 */
  maxSockets?: number;
}

export interface ResolvedEndpoint {
  baseUrl: string;
  url: URL;
  timeoutMs: number;
  maxRetries: number;
  maxSockets: number;
  /** Kept out of enumerable state so it never shows up in logs. */
  readonly apiKey: string;
}

export { ConfigurationError };

function environment(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

export const MISSING_API_KEY = "apiKey is required: pass { apiKey } or set the PERMISO_API_KEY environment variable";

/** Every setting but the key, checked; the key as given (`undefined` when there is none). */
export interface EndpointSettings extends Omit<ResolvedEndpoint, "apiKey"> {
  readonly apiKey: string | undefined;
}

/** Throws on a missing API key, as the documented client does. */
export function resolveEndpoint(options: TransportOptions): ResolvedEndpoint {
  if (apiKeyOf(options) === undefined) throw new ConfigurationError(MISSING_API_KEY);
  return resolveEndpointSettings(options) as ResolvedEndpoint;
}

function apiKeyOf(options: TransportOptions): string | undefined {
  const key = options.apiKey ?? environment().PERMISO_API_KEY;
  return typeof key === "string" && key.trim() !== "" ? key : undefined;
}

/**
 * Checks every setting and falls back to the environment. A missing key is
 * not an error here: the bridge turns itself off instead of failing the host.
 */
export function resolveEndpointSettings(options: TransportOptions): EndpointSettings {
  const env = environment();
  const baseUrl = (options.baseUrl ?? env.PERMISO_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/$/, "");
  let url: URL;
  try {
    url = new URL(`${baseUrl}/hooks`);
  } catch {
    throw new ConfigurationError(`baseUrl must be an absolute http(s) URL (got ${JSON.stringify(baseUrl)})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`baseUrl must use http or https (got ${JSON.stringify(baseUrl)})`);
  }
  const resolved = {
    baseUrl,
    url,
    timeoutMs: integerOption("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS),
    maxRetries: integerOption("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES, 0),
    maxSockets: integerOption("maxSockets", options.maxSockets, DEFAULT_MAX_SOCKETS),
  } as EndpointSettings;
  Object.defineProperty(resolved, "apiKey", { value: apiKeyOf(options), enumerable: false });
  return resolved;
}

export const USER_AGENT = `${SDK_NAME.replace("@", "").replace("/", "-")}/${SDK_VERSION} (${runtimeName()})`;

function runtimeName(): string {
  const version = (globalThis as { process?: { version?: string } }).process?.version;
  return version ? `node ${version}` : "js";
}

export function hookHeaders(apiKey: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "x-api-key": apiKey,
    "X-Hook-Source": "custom",
    "User-Agent": USER_AGENT,
  };
}

/** The full sending stack: keep-alive HTTP wrapped in retries. */
export function createTransport(
  endpoint: ResolvedEndpoint,
  onRetry?: (notice: RetryNotice) => void,
): HookTransport {
  const http = new HttpTransport({
    url: endpoint.url,
    headers: hookHeaders(endpoint.apiKey),
    maxSockets: endpoint.maxSockets,
  });
  return new RetryingTransport(http, { maxRetries: endpoint.maxRetries, onRetry });
}
