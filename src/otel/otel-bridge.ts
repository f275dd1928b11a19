/**
 * The engine behind the exporter and the processor: what OpenTelemetry JS
 * gives them (ReadableSpans, the `diag` logger, the suppress-tracing
 * context) wired to the source-neutral engine. Sampled spans only, through
 * the user's span filter, converted to SpanRecords. Its options are resolved
 * and checked here, once. What the host hands over goes through the intake,
 * so the host's own calls only record it (see span-intake.ts).
 */
import { context, diag, ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { Clock } from "../engine/clock.js";
import { createEngine } from "../engine/create-engine.js";
import type { Settlement } from "../engine/delivery.js";
import type { RunEngine } from "../engine/engine.js";
import { bridgeStatsOf, type BridgeStats } from "../engine/stats.js";
import { functionOption } from "../option-checks.js";
import { MISSING_API_KEY } from "../transport/endpoint.js";
import type { HookTransport } from "../transport/types.js";
import { SDK_NAME } from "../version.js";
import type { PermisoBridgeOptions } from "./options.js";
import { SpanIntake } from "./span-intake.js";
import { isSampled, parentSpanIdOf, toSpanView, type ReadableSpanLike } from "./span-view.js";

export type Attachment = "exporter" | "processor";

/** Replacements for tests and benchmarks. */
export interface OtelBridgeParts {
  transport?: HookTransport;
  clock?: Clock;
}

const NAMES: Record<Attachment, string> = { exporter: "PermisoSpanExporter", processor: "PermisoSpanProcessor" };

/** An exporter's batch once the engine has taken it in. */
export interface TakenBatch {
  /** Events the batch released. */
  released: number;
  /** Events it released that the full queue dropped. */
  dropped: number;
  /** Batches recorded in the same synchronous run of the host's code, this one included (a BatchSpanProcessor's flush sends several at once). */
  together: number;
  /** Set when taking it in failed. */
  error?: Error;
}

export class OtelBridge {
  readonly engine: RunEngine;
  /** No API key: spans are read, nothing is sent, every event is counted as dropped. */
  readonly disabled: boolean;
  readonly #shouldExport: ((span: ReadableSpanLike) => boolean) | undefined;
  readonly #intake: SpanIntake;
  /** Exporter batches waiting in the intake, in order, with who waits for them. */
  readonly #batchesTaken: Array<(taken: TakenBatch) => void> = [];

  constructor(options: PermisoBridgeOptions, attachment: Attachment, parts: OtelBridgeParts = {}) {
    const log = diag.createComponentLogger({ namespace: SDK_NAME });
    const { engine, disabled } = createEngine(options, {
      policy: attachment === "exporter" ? "hold-until-run-known" : "known-from-start",
      transport: parts.transport,
      wrapTransport: untraced,
      clock: parts.clock,
      log,
    });
    this.#shouldExport = functionOption("shouldExportSpan", options.shouldExportSpan);
    this.engine = engine;
    this.disabled = disabled;
    this.#intake = new SpanIntake({
      started: (span, parentContext) => this.spanStarted(span, parentContext),
      ended: (span) => this.#takeEnded(span),
      exported: (spans, together) => this.#takeBatch(spans, together),
      drained: () => void this.engine.release(),
      failed: (error) => this.reportFailure(error),
    });
    if (disabled) log.error(`${NAMES[attachment]} sends nothing: ${MISSING_API_KEY}. Events are counted as dropped.`);
  }

  get isShutdown(): boolean {
    return this.engine.isShutdown;
  }

  /**
   * Records where a span sits, before any of its children end. Its
   * attributes are read again later; the user's filter is asked at the start
   * and at the end only, and its answer at the start stands in between.
   */
  spanStarted(span: ReadableSpanLike, parentContext?: Context): void {
    if (!isSampled(span)) return;
    const parent = parentContext ? trace.getSpanContext(parentContext) : undefined;
    // A 1.x span does not say whether its parent is remote; its parent context does.
    const parentIsRemote = parent && parent.spanId === parentSpanIdOf(span) ? parent.isRemote : undefined;
    const snapshot = { span: toSpanView(span, parentIsRemote), exportable: this.#exportable(span) };
    // Read again, an open span can have new attributes and a new name; the rest is as it started.
    this.engine.spanStarted(() => {
      snapshot.span.attributes = span.attributes;
      snapshot.span.name = span.name;
      return snapshot;
    });
  }

  /** A processor's span start, handed to the engine later (see span-intake.ts). */
  startLater(span: ReadableSpanLike, parentContext?: Context): void {
    this.#intake.started(span, parentContext);
  }

  /** A processor's span end, handed to the engine later. */
  endLater(span: ReadableSpanLike): void {
    this.#intake.ended(span);
  }

  /** An exporter's batch, taken in later; `taken` is told what it released. Never throws. */
  exportLater(spans: readonly ReadableSpanLike[], taken: (batch: TakenBatch) => void): void {
    this.#batchesTaken.push(taken);
    this.#intake.exported(spans);
  }

  /** Hands everything recorded so far to the engine, now (flush, shutdown, a guard's question). */
  drain(): void {
    this.#intake.drain();
  }

  /** Takes ended spans at once; returns how many events this released. */
  spansEnded(spans: readonly ReadableSpanLike[]): number {
    for (const span of spans) this.#takeEnded(span);
    return this.engine.release();
  }

  flush(): Promise<Settlement> {
    this.drain();
    return this.engine.flush();
  }

  shutdown(): Promise<void> {
    this.drain();
    return this.engine.shutdown();
  }

  /** The documented counters. */
  get stats(): BridgeStats {
    return bridgeStatsOf(this.engine.stats());
  }

  /** An exception inside the engine: reported once per burst, never thrown into the host. */
  reportFailure(error: unknown): void {
    this.engine.bursts.report("span processing failed", error instanceof Error ? error.message : String(error));
  }

  #takeEnded(span: ReadableSpanLike): void {
    if (!isSampled(span)) return;
    this.engine.spanEnded(toSpanView(span), this.#exportable(span));
  }

  #takeBatch(spans: readonly ReadableSpanLike[], together: number): void {
    const taken = this.#batchesTaken.shift()!;
    let batch: TakenBatch;
    try {
      const droppedBefore = this.engine.eventsDropped;
      const released = this.spansEnded(spans);
      batch = { released, dropped: this.engine.eventsDropped - droppedBefore, together };
    } catch (error) {
      this.reportFailure(error);
      batch = { released: 0, dropped: 0, together, error: error instanceof Error ? error : new Error(String(error)) };
    }
    taken(batch);
  }

  #exportable(span: ReadableSpanLike): boolean {
    if (!this.#shouldExport) return true;
    try {
      return this.#shouldExport(span);
    } catch (error) {
      this.engine.bursts.report("shouldExportSpan threw", String(error));
      return false;
    }
  }
}

/** The bridge's own requests must not become spans of the host's traces. */
function untraced(transport: HookTransport): HookTransport {
  // Contexts are immutable: one suppressing context serves every request.
  const suppressed = suppressTracing(ROOT_CONTEXT);
  return {
    send: (payload, options) => context.with(suppressed, () => transport.send(payload, options)),
    close: () => transport.close(),
  };
}
