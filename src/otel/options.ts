/** Options of the exporter and the processor, with their defaults. */
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import type { TransportOptions } from "../transport/endpoint.js";
import type { MaskFunction } from "./content-policy.js";
import type { Pricing } from "./run-summary.js";
import type { ReadableSpanLike } from "./span-view.js";

export interface PermisoBridgeOptions extends TransportOptions {
  /**
   * Send message text, reasoning, tool input and tool output. When false,
   * runs keep their shape (events, tool names and ids, usage) without content.
   * @defaultValue true
   */
  captureContent?: boolean;
  /**
   * Sees every outgoing request body (after truncation) and returns it
   * changed, or `null` to drop it. May be async. If it throws or returns an
   * invalid body, the content is redacted rather than sent unmasked.
   */
  mask?: MaskFunction;
  /** Longest string sent in any content field; longer ones end with a truncation marker. @defaultValue 100000 */
  maxFieldLength?: number;
  /**
   * Which spans may produce events. Others still link model calls to their
   * agents. Extend the default rather than replace it:
   * `shouldExportSpan: (span) => isDefaultExportSpan(span) && …`.
   * @defaultValue isDefaultExportSpan
   */
  shouldExportSpan?: (span: ReadableSpanLike) => boolean;
  /** Prices per million tokens by model name, for `usage.cost` on stops. */
  pricing?: Pricing;
  /** Agent fields used where spans say nothing. */
  agent?: PermisoAgentContext;
  /** Session id used where spans say nothing. */
  sessionId?: string;
  /** User fields used where spans say nothing. */
  user?: PermisoUser;
  /** Runs delivering at the same time (each sends one request at a time). @defaultValue 8 */
  maxConcurrentRequests?: number;
  /** Events waiting to be sent; beyond it new events are dropped and counted. @defaultValue 10000 */
  maxQueueSize?: number;
  /** How long export() waits for its events before reporting. @defaultValue 25000 */
  exportTimeoutMs?: number;
  /** How long forceFlush() and shutdown() may take. @defaultValue 30000 */
  flushTimeoutMs?: number;
  /** Exporter only: how long a span may wait for its run to be known. @defaultValue 60000 */
  holdTimeoutMs?: number;
  /** Exporter only: spans held at most while their runs are unknown. @defaultValue 20000 */
  maxHeldSpans?: number;
}

export const BRIDGE_DEFAULTS = {
  captureContent: true,
  maxFieldLength: 100_000,
  maxConcurrentRequests: 8,
  maxQueueSize: 10_000,
  exportTimeoutMs: 25_000,
  flushTimeoutMs: 30_000,
  holdTimeoutMs: 60_000,
  maxHeldSpans: 20_000,
} as const;
