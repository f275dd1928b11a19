/**
 * Which failures are worth another attempt, and how long to wait before it.
 * Mirrors the OTLP exporters: 429/502/503/504, timeouts and transient network
 * errors are retried with exponential backoff and jitter; `Retry-After` wins.
 */
import type { HttpResponse, SendResult } from "./types.js";
import { HttpStatusError } from "./types.js";

export const DEFAULT_MAX_RETRIES = 3;
export const INITIAL_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 5_000;
export const BACKOFF_MULTIPLIER = 2;
/** ±20 % around the computed delay. */
export const JITTER = 0.2;
/** A `Retry-After` longer than this ends the retries instead of stalling the sender. */
export const MAX_RETRY_AFTER_MS = 60_000;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function isRetryableStatus(statusCode: number): boolean {
  return RETRYABLE_STATUS.has(statusCode);
}

export function isRetryableNetworkError(error: unknown): boolean {
  let current: unknown = error;
  // fetch wraps the socket error in a TypeError's `cause`.
  for (let depth = 0; depth < 3 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof TypeError && (error as { cause?: unknown }).cause === undefined;
}

/** Seconds (`120`) or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before retry number `retry` (1-based), jittered by `random` in [0, 1). */
export function backoffDelayMs(retry: number, random: number = Math.random()): number {
  const base = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * BACKOFF_MULTIPLIER ** (retry - 1));
  return Math.round(base * (1 + JITTER * (2 * random - 1)));
}

/** Turns an HTTP answer into a SendResult. */
export function classifyResponse(response: HttpResponse): SendResult {
  if (response.statusCode >= 200 && response.statusCode < 300) return { status: "success", response };
  const error = new HttpStatusError(response);
  if (!isRetryableStatus(response.statusCode)) return { status: "failure", error, response };
  return { status: "retryable", error, response, retryAfterMs: parseRetryAfterMs(response.retryAfter) };
}

/** Turns a thrown transport error into a SendResult. */
export function classifyError(error: unknown): SendResult {
  const err = error instanceof Error ? error : new Error(String(error));
  return isRetryableNetworkError(err) ? { status: "retryable", error: err } : { status: "failure", error: err };
}
