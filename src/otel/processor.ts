/**
 * `PermisoSpanProcessor`: sees every span start, so it knows each span's run
 * when the span ends and delivers its events right away, with no batching
 * delay and no spans held.
 */
import type { Context } from "@opentelemetry/api";
import { Bridge, type BridgeStats } from "./bridge.js";
import type { PermisoBridgeOptions } from "./options.js";
import type { ReadableSpanLike } from "./span-view.js";

export class PermisoSpanProcessor {
  readonly #bridge: Bridge;

  constructor(options: PermisoBridgeOptions = {}) {
    this.#bridge = new Bridge(options, "processor");
  }

  onStart(span: ReadableSpanLike, parentContext?: Context): void {
    if (this.#bridge.isShutdown) return;
    try {
      this.#bridge.spanStarted(span, parentContext);
    } catch {
      // Never let our bookkeeping break the host's span.
    }
  }

  onEnd(span: ReadableSpanLike): void {
    if (this.#bridge.isShutdown) return;
    try {
      this.#bridge.spansEnded([span]);
    } catch {
      // Delivery failures are reported through diag; nothing reaches the host.
    }
  }

  /** Delivers everything pending, within `flushTimeoutMs`. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#bridge.flush().catch(() => undefined);
  }

  /** Flushes, then ignores further spans. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    return this.#bridge.shutdown().catch(() => undefined);
  }

  getStats(): Readonly<BridgeStats> {
    return { ...this.#bridge.stats };
  }
}
