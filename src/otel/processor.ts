/**
 * `PermisoSpanProcessor`: sees every span start, so it knows each span's run
 * when the span ends and delivers its events right away, with no batching
 * delay. A span waits only while something above it is still open that
 * decides its events: a model call (its output came first), or a span that
 * could still turn out to be an agent.
 *
 * `onStart` and `onEnd` only record the span: the engine takes what was
 * recorded in a microtask right after the host's code, off its call stack.
 */
import type { Context } from "@opentelemetry/api";
import type { BridgeStats } from "../engine/stats.js";
import { registerFlushable } from "./flush-permiso.js";
import { attachGuardLink, GUARD_LINK_VERSION } from "./guard-link.js";
import type { PermisoBridgeOptions } from "./options.js";
import { OtelBridge } from "./otel-bridge.js";
import type { ReadableSpanLike } from "./span-view.js";

export class PermisoSpanProcessor {
  readonly #bridge: OtelBridge;

  constructor(options: PermisoBridgeOptions = {}) {
    this.#bridge = new OtelBridge(options, "processor");
    const bridge = this.#bridge;
    const { engine } = bridge;
    const { captureContent, mask, maxFieldLength } = engine.settings;
    // A guard asks about the spans that started and ended so far: what the intake recorded goes in first.
    attachGuardLink(this, {
      version: GUARD_LINK_VERSION,
      content: Object.freeze({ captureContent, mask, maxFieldLength }),
      runOfSpan: (traceId, spanId) => (bridge.drain(), engine.runOfSpan(traceId, spanId)),
      runOfToolCall: (toolUseId) => (bridge.drain(), engine.runOfToolCall(toolUseId)),
      deferToolUses: () => (bridge.drain(), engine.setDeferToolUses(true)),
      markToolUseReported: (runId, toolUseId) => (bridge.drain(), engine.markToolUseReported(runId, toolUseId)),
    });
    registerFlushable(this);
  }

  onStart(span: ReadableSpanLike, parentContext?: Context): void {
    if (this.#bridge.isShutdown) return;
    this.#bridge.startLater(span, parentContext);
  }

  onEnd(span: ReadableSpanLike): void {
    if (this.#bridge.isShutdown) return;
    this.#bridge.endLater(span);
  }

  /**
   * Hands over what the host's calls recorded, then waits until every event
   * released so far has been delivered or has finally failed, within
   * `flushTimeoutMs`; what is still pending then is aborted and counted as
   * failed. Spans waiting for an open span above them are not released.
   * Never rejects.
   */
  forceFlush(): Promise<void> {
    return this.#bridge.flush().then(
      () => undefined,
      () => undefined,
    );
  }

  /** Flushes, then ignores further spans. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    return this.#bridge.shutdown().catch(() => undefined);
  }

  getStats(): Readonly<BridgeStats> {
    return this.#bridge.stats;
  }
}
