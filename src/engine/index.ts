/**
 * The engine's seams, for the package's own entries (the OpenTelemetry
 * adapters, an OTLP receiver, a tool guard). Not a public entry: nothing
 * here is exported from ".", "./otel" or "./dev-server".
 *
 * Feeding it from any source of spans:
 *
 * ```ts
 * const { engine } = createEngine({ apiKey, baseUrl, ...bridgeOptions }, { policy: "hold-until-run-known", log });
 * for (const span of decoded) engine.spanEnded(span);   // SpanRecords; a span seen again is ignored
 * const deliveries = engine.release();                  // what became releasable, sent in order per run
 * engine.capacity();                                    // queueDepth, hasRoom, heldSpans, heldTraces, openTraces
 * await engine.shutdown();                              // releases what is held, delivers within flushTimeoutMs
 * ```
 */
export { createEngine, MAX_OPEN_TRACES, type EngineWiring, type WiredEngine } from "./create-engine.js";
export { RunEngine, type EngineCapacity, type EngineParts, type LinkedRun } from "./engine.js";
export { holdUntilRunKnown, knownFromStart, isLateClassifying, LATE_CLASSIFYING_SCOPES, type ReleasePolicy } from "./release-policy.js";
export { BRIDGE_DEFAULTS, resolveEngineSettings, type EngineOptions, type EngineSettings } from "./settings.js";
export type { SpanEventRecord, SpanRecord, SpanSnapshot } from "./span-record.js";
export { systemClock, CLOCK_SKEW_MS, type Clock, type Timer } from "./clock.js";
export { bridgeStatsOf, type BridgeStats, type EngineStats } from "./stats.js";
export type { EngineLog, OutboundCounters } from "./outbound.js";
export type { DeliveryResult } from "./delivery.js";
export { toolUseEventId } from "./run-composer.js";
export { runIdForSpan, runIdForTrace } from "./run-ids.js";
