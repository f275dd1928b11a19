/** Options of the exporter and the processor, with their defaults. */
import type { EngineOptions } from "../engine/settings.js";
import type { TransportOptions } from "../transport/endpoint.js";
import type { ReadableSpanLike } from "./span-view.js";

export { BRIDGE_DEFAULTS } from "../engine/settings.js";

export interface PermisoBridgeOptions extends TransportOptions, EngineOptions {
  /**
   * Which spans may produce events. Others still link model calls to their
   * agents. Extend the default rather than replace it:
   * `shouldExportSpan: (span) => isDefaultExportSpan(span) && …`.
   * @defaultValue isDefaultExportSpan
   */
  shouldExportSpan?: (span: ReadableSpanLike) => boolean;
}
