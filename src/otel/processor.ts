/**
 * `PermisoSpanProcessor`: sees every span start, so it knows each span's run
 * when the span ends and delivers its events right away, with no batching
 * delay. A span waits only while something above it is still open that
 * decides its events: a model call (its output came first), or a span that
 * could still turn out to be an agent.
 */
import type { Context } from "@opentelemetry/api";
import type { BridgeStats } from "../engine/stats.js";
import { attachGuardLink, GUARD_LINK_VERSION } from "./guard-link.js";
import type { PermisoBridgeOptions } from "./options.js";
import { OtelBridge } from "./otel-bridge.js";
import type { ReadableSpanLike } from "./span-view.js";

export class PermisoSpanProcessor {
  readonly #bridge: OtelBridge;

  constructor(options: PermisoBridgeOptions = {}) {
    this.#bridge = new OtelBridge(options, "processor");
    const { engine } = this.#bridge;
    const { captureContent, mask, maxFieldLength } = engine.settings;
    attachGuardLink(this, {
      version: GUARD_LINK_VERSION,
      content: Object.freeze({ captureContent, mask, maxFieldLength }),
      runOfSpan: (traceId, spanId) => engine.runOfSpan(traceId, spanId),
      runOfToolCall: (toolUseId) => engine.runOfToolCall(toolUseId),
      deferToolUses: () => engine.setDeferToolUses(true),
      markToolUseReported: (runId, toolUseId) => engine.markToolUseReported(runId, toolUseId),
    });
  }

  onStart(span: ReadableSpanLike, parentContext?: Context): void {
    if (this.#bridge.isShutdown) return;
    try {
      this.#bridge.spanStarted(span, parentContext);
    } catch (error) {
      // Never let our bookkeeping break the host's span.
      this.#bridge.reportFailure(error);
    }
  }

  onEnd(span: ReadableSpanLike): void {
    if (this.#bridge.isShutdown) return;
    try {
      this.#bridge.spansEnded([span]);
    } catch (error) {
      this.#bridge.reportFailure(error);
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
    return this.#bridge.stats;
  }
}
