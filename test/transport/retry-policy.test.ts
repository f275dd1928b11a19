import { describe, expect, it } from "vitest";
import { backoffDelayMs, isRetryableNetworkError, isRetryableStatus, parseRetryAfterMs } from "../../src/transport/retry-policy.js";

describe("retry policy", () => {
  it("retries 429, 502, 503, 504 only", () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 500, 501].some(isRetryableStatus)).toBe(false);
  });

  it("retries transient network errors, including fetch's wrapped ones", () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH"]) {
      expect(isRetryableNetworkError(error(code)), code).toBe(true);
    }
    expect(isRetryableNetworkError(new TypeError("fetch failed", { cause: error("ECONNREFUSED") }))).toBe(true);
    expect(isRetryableNetworkError(error("ERR_INVALID_URL"))).toBe(false);
    expect(isRetryableNetworkError(new Error("plain"))).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("3", now)).toBe(3000);
    expect(parseRetryAfterMs(" 0 ", now)).toBe(0);
    expect(parseRetryAfterMs("1.5", now)).toBe(1500);
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfterMs("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it("backs off exponentially within ±20 % and caps at 5 s", () => {
    expect(backoffDelayMs(1, 0.5)).toBe(500);
    expect(backoffDelayMs(2, 0.5)).toBe(1000);
    expect(backoffDelayMs(3, 0.5)).toBe(2000);
    expect(backoffDelayMs(10, 0.5)).toBe(5000);
    expect(backoffDelayMs(1, 0)).toBe(400);
    expect(backoffDelayMs(1, 0.999999)).toBe(600);
  });
});
