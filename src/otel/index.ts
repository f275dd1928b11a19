/**
 * "@permiso-io/custom-hooks-sdk/otel": report gen_ai spans as Permiso runs,
 * through an OpenTelemetry SpanExporter or SpanProcessor.
 */
export { PermisoSpanExporter } from "./exporter.js";
export { PermisoSpanProcessor } from "./processor.js";
export { flushPermiso } from "./flush-permiso.js";
export { isDefaultExportSpan } from "./span-view.js";
export type { BridgeStats } from "../engine/stats.js";
export type { PermisoBridgeOptions } from "./options.js";
export { BRIDGE_DEFAULTS } from "./options.js";
export { runIdForSpan, runIdForTrace } from "../engine/run-ids.js";
export { CONTENT_NOT_CAPTURED, MASK_FAILED } from "../engine/content-policy.js";
export type { MaskFunction } from "../engine/content-policy.js";
export type { ModelPrice, Pricing } from "../engine/run-summary.js";
export type { ReadableSpanLike } from "./span-view.js";
