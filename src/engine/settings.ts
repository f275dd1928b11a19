/**
 * The engine's options, and their resolution into one frozen, checked
 * object. Every value is read and checked once, at construction: a wrong
 * one throws a ConfigurationError naming the option and what it accepts,
 * rather than failing later (`maxConcurrentRequests: 0` would never deliver).
 */
import {
  booleanOption,
  durationOption,
  functionOption,
  integerOption,
  MAX_TIMER_MS,
  stringFieldsOption,
  stringOption,
  amountOption,
  ConfigurationError,
} from "../option-checks.js";
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import { DEFAULT_TIMEOUT_MS } from "../transport/endpoint.js";
import type { MaskFunction } from "./content-policy.js";
import type { ModelPrice, Pricing } from "./run-summary.js";

/** What may leave the process: the bridge's options, which a tool guard takes too. */
export interface ContentOptions {
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
}

/** What the engine does with spans, whatever their source. */
export interface EngineOptions extends ContentOptions {
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
  /**
   * Exporter: how long an export that waits for delivery (every export but a
   * full batch on its own) waits; events still pending then are aborted and
   * counted as failed. @defaultValue 25000
   */
  exportTimeoutMs?: number;
  /**
   * How long forceFlush(), flushPermiso() and shutdown() may take; events
   * still pending then are aborted and counted as failed. @defaultValue 30000
   */
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

/** The content options resolved. */
export interface ContentSettings {
  readonly captureContent: boolean;
  readonly mask: MaskFunction | undefined;
  /** `Infinity` when fields are never cut. */
  readonly maxFieldLength: number;
}

/** The options resolved: every default applied, every value checked. Frozen. */
export interface EngineSettings extends ContentSettings {
  readonly pricing: Pricing | undefined;
  readonly agent: Readonly<PermisoAgentContext>;
  readonly sessionId: string | undefined;
  readonly user: Readonly<PermisoUser>;
  readonly maxConcurrentRequests: number;
  readonly maxQueueSize: number;
  readonly exportTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly holdTimeoutMs: number;
  readonly maxHeldSpans: number;
  /** Limit of one request attempt (the transport's `timeoutMs`). */
  readonly attemptTimeoutMs: number;
}

export function resolveEngineSettings(options: EngineOptions, attemptTimeoutMs: number = DEFAULT_TIMEOUT_MS): EngineSettings {
  if (typeof options !== "object" || options === null) throw new ConfigurationError(`options must be an object (got ${String(options)})`);
  return Object.freeze({
    ...resolveContentSettings(options),
    pricing: pricingOption(options.pricing),
    agent: stringFieldsOption("agent", options.agent, ["name", "id", "systemPrompt"]),
    sessionId: stringOption("sessionId", options.sessionId),
    user: stringFieldsOption("user", options.user, ["id", "email", "name"]),
    maxConcurrentRequests: integerOption("maxConcurrentRequests", options.maxConcurrentRequests, BRIDGE_DEFAULTS.maxConcurrentRequests),
    maxQueueSize: integerOption("maxQueueSize", options.maxQueueSize, BRIDGE_DEFAULTS.maxQueueSize),
    exportTimeoutMs: durationOption("exportTimeoutMs", options.exportTimeoutMs, BRIDGE_DEFAULTS.exportTimeoutMs),
    flushTimeoutMs: durationOption("flushTimeoutMs", options.flushTimeoutMs, BRIDGE_DEFAULTS.flushTimeoutMs),
    holdTimeoutMs: durationOption("holdTimeoutMs", options.holdTimeoutMs, BRIDGE_DEFAULTS.holdTimeoutMs),
    maxHeldSpans: integerOption("maxHeldSpans", options.maxHeldSpans, BRIDGE_DEFAULTS.maxHeldSpans),
    attemptTimeoutMs: Math.min(attemptTimeoutMs, MAX_TIMER_MS),
  });
}

/** The content options with their defaults, each checked; a wrong one throws a ConfigurationError naming it. */
export function resolveContentSettings(options: ContentOptions): ContentSettings {
  return {
    captureContent: booleanOption("captureContent", options.captureContent, BRIDGE_DEFAULTS.captureContent),
    mask: functionOption<MaskFunction>("mask", options.mask),
    maxFieldLength: options.maxFieldLength === Infinity ? Infinity : integerOption("maxFieldLength", options.maxFieldLength, BRIDGE_DEFAULTS.maxFieldLength),
  };
}

/** A price table is checked entry by entry; a pricing function is the user's to get right. */
function pricingOption(pricing: unknown): Pricing | undefined {
  if (pricing === undefined || typeof pricing === "function") return pricing as Pricing | undefined;
  if (typeof pricing !== "object" || pricing === null || Array.isArray(pricing)) {
    throw new ConfigurationError(`pricing must be an object of prices by model, or a function (got ${Array.isArray(pricing) ? "an array" : String(pricing)})`);
  }
  const table: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(pricing)) {
    const name = `pricing[${JSON.stringify(model)}]`;
    if (typeof price !== "object" || price === null) throw new ConfigurationError(`${name} must be { input, output, cacheRead?, cacheWrite?, currency? } (got ${String(price)})`);
    const { input, output, cacheRead, cacheWrite, currency } = price as Record<string, unknown>;
    table[model] = Object.freeze({
      input: amountOption(`${name}.input`, input, true)!,
      output: amountOption(`${name}.output`, output, true)!,
      ...(cacheRead !== undefined ? { cacheRead: amountOption(`${name}.cacheRead`, cacheRead, false) } : {}),
      ...(cacheWrite !== undefined ? { cacheWrite: amountOption(`${name}.cacheWrite`, cacheWrite, false) } : {}),
      ...(currency !== undefined ? { currency: stringOption(`${name}.currency`, currency) } : {}),
    });
  }
  return Object.freeze(table);
}
