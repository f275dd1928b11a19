/**
 * `PermisoSpanExporter`: an OpenTelemetry SpanExporter, for any span
 * processor (NodeSDK's `traceExporter`, `@vercel/otel`, a BatchSpanProcessor).
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { DeliveryResult } from "../engine/delivery.js";
import type { BridgeStats } from "../engine/stats.js";
import type { PermisoBridgeOptions } from "./options.js";
import { OtelBridge } from "./otel-bridge.js";
import type { ReadableSpanLike } from "./span-view.js";

export class PermisoSpanExporter {
  readonly #bridge: OtelBridge;
  readonly #exportTimeoutMs: number;

  constructor(options: PermisoBridgeOptions = {}) {
    this.#bridge = new OtelBridge(options, "exporter");
    this.#exportTimeoutMs = this.#bridge.engine.settings.exportTimeoutMs;
  }

  /**
   * Reports once the events these spans released are delivered, or finally
   * failed, or the export timeout passed. Spans still waiting for their run
   * do not delay it. Re-entrant: processors call it concurrently.
   */
  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void {
    if (this.#bridge.isShutdown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("PermisoSpanExporter is shut down") });
      return;
    }
    let deliveries: Array<Promise<DeliveryResult>>;
    try {
      deliveries = this.#bridge.spansEnded(spans);
    } catch (error) {
      this.#bridge.reportFailure(error);
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    // Without an API key it is a no-op by design: reported once at construction, not once per batch.
    if (deliveries.length === 0 || this.#bridge.disabled) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    void settleWithin(deliveries, this.#exportTimeoutMs).then(resultCallback);
  }

  /** Releases held spans and delivers everything pending, within `flushTimeoutMs`. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#bridge.flush().catch(() => undefined);
  }

  /** Flushes, then refuses further exports. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    return this.#bridge.shutdown().catch(() => undefined);
  }

  /** Counters: events queued, delivered, failed, dropped, and spans skipped. */
  getStats(): Readonly<BridgeStats> {
    return this.#bridge.stats;
  }
}

async function settleWithin(deliveries: Array<Promise<DeliveryResult>>, timeoutMs: number): Promise<ExportResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    (timer as { unref?: () => void }).unref?.();
  });
  const outcome = await Promise.race([Promise.all(deliveries), timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    return { code: ExportResultCode.FAILED, error: new Error(`hook events not delivered within ${timeoutMs} ms`) };
  }
  const failed = outcome.filter((result) => result === "failed" || result === "dropped").length;
  if (failed > 0) {
    return { code: ExportResultCode.FAILED, error: new Error(`${failed} of ${outcome.length} hook events not delivered`) };
  }
  return { code: ExportResultCode.SUCCESS };
}
