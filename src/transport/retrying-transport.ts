/**
 * Wraps any transport with retries: exponential backoff with jitter,
 * `Retry-After` honoured, and no attempt started past the deadline.
 */
import {
  backoffDelayMs,
  DEFAULT_MAX_RETRIES,
  MAX_RETRY_AFTER_MS,
} from "./retry-policy.js";
import type { HookTransport, SendOptions, SendResult } from "./types.js";

export interface Clock {
  now(): number;
  random(): number;
  /** Resolves `true` after `ms`, or `false` at once if `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      // A pending retry must not keep the host process alive on its own.
      (timer as { unref?: () => void }).unref?.();
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export interface RetryNotice {
  retry: number;
  delayMs: number;
  reason: Error;
}

export interface RetryingTransportOptions {
  maxRetries?: number;
  /** Told of each scheduled retry (the bridge logs it through `diag.verbose`). */
  onRetry?: (notice: RetryNotice) => void;
  clock?: Clock;
}

export class RetryingTransport implements HookTransport {
  readonly #inner: HookTransport;
  readonly #maxRetries: number;
  readonly #onRetry: ((notice: RetryNotice) => void) | undefined;
  readonly #clock: Clock;

  constructor(inner: HookTransport, options: RetryingTransportOptions = {}) {
    this.#inner = inner;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#onRetry = options.onRetry;
    this.#clock = options.clock ?? systemClock;
  }

  async send(payload: string, options: SendOptions): Promise<SendResult> {
    const { deadline, signal } = options;
    const clock = this.#clock;
    const attemptTimeout = () =>
      deadline === undefined
        ? options.timeoutMs
        : Math.max(1, Math.min(options.timeoutMs, deadline - clock.now()));

    let result = await this.#inner.send(payload, { ...options, timeoutMs: attemptTimeout() });
    for (let retry = 1; result.status === "retryable" && retry <= this.#maxRetries; retry++) {
      const delayMs = result.retryAfterMs ?? backoffDelayMs(retry, clock.random());
      if (delayMs > MAX_RETRY_AFTER_MS) break;
      if (deadline !== undefined && clock.now() + delayMs >= deadline) break;
      this.#onRetry?.({ retry, delayMs, reason: result.error });
      if (!(await clock.sleep(delayMs, signal))) break;
      result = await this.#inner.send(payload, { ...options, timeoutMs: attemptTimeout() });
    }
    return result;
  }

  close(): void {
    this.#inner.close();
  }
}
