/**
 * `PermisoSpanExporter`: an OpenTelemetry SpanExporter, for any span
 * processor (NodeSDK's `traceExporter`, `@vercel/otel`, a BatchSpanProcessor).
 *
 * When it reports an export's result decides two things at once. A
 * BatchSpanProcessor runs one export at a time and drops spans while its
 * queue is full, so in a burst `export()` must answer before delivery. And
 * the processor's `forceFlush()` (which `provider.forceFlush()` runs) only
 * exports what it has buffered and waits for those exports, so the export
 * a flush triggers must wait for delivery. The batch says which case it is:
 *
 * - A full batch (512 spans, or `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`) taken on
 *   its own means the BatchSpanProcessor has more spans behind it: a burst.
 *   It is answered once its events are queued (FAILED if the queue dropped
 *   any).
 * - Any other export (a smaller batch, or the batches a flush sends
 *   together) is answered when every event released so far, by any export,
 *   has been delivered or has finally failed, within `exportTimeoutMs`;
 *   what is still pending then is aborted and counted as failed.
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { Settlement } from "../engine/delivery.js";
import type { BridgeStats } from "../engine/stats.js";
import { registerFlushable } from "./flush-permiso.js";
import type { PermisoBridgeOptions } from "./options.js";
import { OtelBridge, type TakenBatch } from "./otel-bridge.js";
import type { ReadableSpanLike } from "./span-view.js";

/** The BatchSpanProcessor's default `maxExportBatchSize`. */
export const DEFAULT_FULL_BATCH = 512;

/** A full batch: the BatchSpanProcessor's batch size, as its environment variable sets it for NodeSDK. */
function fullBatchSize(): number {
  const configured = Number((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.OTEL_BSP_MAX_EXPORT_BATCH_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_FULL_BATCH;
}

export class PermisoSpanExporter {
  readonly #bridge: OtelBridge;
  readonly #exportTimeoutMs: number;
  readonly #fullBatch = fullBatchSize();

  constructor(options: PermisoBridgeOptions = {}) {
    this.#bridge = new OtelBridge(options, "exporter");
    this.#exportTimeoutMs = this.#bridge.engine.settings.exportTimeoutMs;
    registerFlushable(this);
  }

  /**
   * Takes the spans off the caller's stack and reports: a full batch on its
   * own once its events are queued; any other export once every event
   * released so far is delivered or finally failed (within
   * `exportTimeoutMs`). Spans still waiting for their run do not delay it.
   * Re-entrant: processors call it concurrently.
   */
  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void {
    if (this.#bridge.isShutdown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("PermisoSpanExporter is shut down") });
      return;
    }
    this.#bridge.exportLater(spans, (batch) => this.#report(spans.length, batch, resultCallback));
  }

  /**
   * Releases held spans (with what is known), then waits until every event
   * released so far has been delivered or has finally failed, within
   * `flushTimeoutMs`; what is still pending then is aborted and counted as
   * failed. Never rejects.
   */
  forceFlush(): Promise<void> {
    return this.#bridge.flush().then(
      () => undefined,
      () => undefined,
    );
  }

  /** Flushes, then refuses further exports. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    return this.#bridge.shutdown().catch(() => undefined);
  }

  /** Counters: events queued, delivered, failed, dropped, and spans skipped. */
  getStats(): Readonly<BridgeStats> {
    return this.#bridge.stats;
  }

  #report(spanCount: number, batch: TakenBatch, resultCallback: (result: ExportResult) => void): void {
    if (batch.error) return resultCallback({ code: ExportResultCode.FAILED, error: batch.error });
    // Without an API key it is a no-op by design: reported once at construction, not once per batch.
    if (this.#bridge.disabled) return resultCallback({ code: ExportResultCode.SUCCESS });
    if (spanCount >= this.#fullBatch && batch.together === 1) {
      // A burst: the BatchSpanProcessor must get its next batch to us rather than drop it.
      return resultCallback(
        batch.dropped > 0
          ? { code: ExportResultCode.FAILED, error: new Error(`${batch.dropped} of the ${batch.released} hook events of this batch were dropped (the delivery queue was full)`) }
          : { code: ExportResultCode.SUCCESS },
      );
    }
    void this.#bridge.engine
      .settleReleased(this.#exportTimeoutMs, `the export deadline (${this.#exportTimeoutMs} ms)`)
      .then((settlement) => resultCallback(exportResult(settlement, batch.dropped, this.#exportTimeoutMs)))
      // A callback that throws is the caller's bug; it must not surface as an unhandled rejection in the host.
      .catch((error: unknown) => this.#bridge.reportFailure(error));
  }
}

function exportResult(settlement: Settlement, dropped: number, timeoutMs: number): ExportResult {
  if (!settlement.settled) {
    return { code: ExportResultCode.FAILED, error: new Error(`hook events not delivered within ${timeoutMs} ms`) };
  }
  const failed = settlement.failed + dropped;
  if (failed > 0) {
    return { code: ExportResultCode.FAILED, error: new Error(`${failed} of ${settlement.total + dropped} hook events not delivered`) };
  }
  return { code: ExportResultCode.SUCCESS };
}
