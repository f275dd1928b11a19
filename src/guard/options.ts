/**
 * The guard's options, checked and resolved once, in the constructor. A bad
 * value throws there, naming the option; a missing API key does not: every
 * check then fails, by the fail mode, with a reason that says why.
 */
import type { MaskFunction } from "../engine/content-policy.js";
import { resolveContentSettings, type ContentSettings } from "../engine/settings.js";
import { PermisoCustomHooksError } from "../errors.js";
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import type { GuardLink } from "../otel/guard-link.js";
import { ConfigurationError, resolveEndpoint, type ResolvedEndpoint } from "../transport/endpoint.js";
import { linkOf, type LinkableProcessor } from "./run-link.js";

export type FailMode = "closed" | "open";

export interface PermisoToolGuardOptions {
  /** Permiso agent API secret. Defaults to `PERMISO_API_KEY`. */
  apiKey?: string;
  /** Base URL without `/hooks`. Defaults to `PERMISO_BASE_URL`, then `https://alb.permiso.io`. */
  baseUrl?: string;
  /**
   * What a check answers when Permiso gives no decision (unreachable, timed
   * out, 5xx, an invalid answer, no API key): `"closed"` denies the tool,
   * `"open"` lets it run. Either way the outcome says it was not Permiso's.
   * @defaultValue "closed"
   */
  failMode?: FailMode;
  /** The whole check, retries included: no answer by then is no decision. @defaultValue 5000 */
  timeoutMs?: number;
  /** Keep-alive sockets to the endpoint at most. @defaultValue 16 */
  maxSockets?: number;
  /**
   * The bridge's processor in this process: the guard's `tool_use` then goes
   * to the run the processor gives the active span, with its eventId and
   * context, and the processor does not send that `tool_use` itself.
   */
  processor?: LinkableProcessor;
  /** Agent fields sent when no linked run says otherwise. */
  agent?: PermisoAgentContext;
  /** Session id sent when no linked run says otherwise. */
  sessionId?: string;
  /** User fields sent when no linked run says otherwise. */
  user?: PermisoUser;
  /**
   * Send the tool's input and the agent's system prompt. `false` sends the
   * call without them (name, id and the agent's identity stay): a policy
   * cannot look at input it never receives. As the bridge's option, and
   * inherited from a linked processor when not set.
   * @defaultValue true
   */
  captureContent?: boolean;
  /**
   * Sees the `tool_use` request body as it will be sent (after truncation)
   * and returns it changed, or `null` to withhold it: Permiso is then not
   * asked, and the fail mode decides. May be async. If it throws or returns
   * an invalid body, the content is redacted rather than sent unmasked.
   * Inherited from a linked processor when not set; `null` sends unmasked
   * even then.
   */
  mask?: MaskFunction | null;
  /**
   * Longest string sent in a content field (the input as JSON text, the
   * system prompt); longer ones end with a truncation marker. Inherited from
   * a linked processor when not set.
   * @defaultValue 100000
   */
  maxFieldLength?: number;
}

export const GUARD_DEFAULTS = {
  failMode: "closed",
  timeoutMs: 5_000,
} as const;

export interface ResolvedGuardOptions {
  readonly failMode: FailMode;
  readonly timeoutMs: number;
  /** `undefined` when no API key is configured. */
  readonly endpoint: ResolvedEndpoint | undefined;
  /** The linked processor's seam. */
  readonly link: GuardLink | undefined;
  readonly agent: PermisoAgentContext | undefined;
  readonly sessionId: string | undefined;
  readonly user: PermisoUser | undefined;
  /** What may leave: the guard's own settings, else the linked processor's, else the defaults. */
  readonly content: ContentSettings;
}

function configurationError(message: string): PermisoCustomHooksError {
  return new PermisoCustomHooksError(message, { kind: "configuration" });
}

function environmentApiKey(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.PERMISO_API_KEY;
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw configurationError(`${name} must be a string (got ${typeof value})`);
}

function optionalFields<T extends object>(name: string, value: unknown, keys: readonly string[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configurationError(`${name} must be an object with ${keys.join(", ")} (got ${Array.isArray(value) ? "an array" : String(value)})`);
  }
  for (const [key, field] of Object.entries(value)) {
    if (!keys.includes(key)) throw configurationError(`${name}.${key} is not an option; expected ${keys.join(", ")}`);
    optionalString(`${name}.${key}`, field);
  }
  return { ...value } as T;
}

export function resolveGuardOptions(options: PermisoToolGuardOptions): ResolvedGuardOptions {
  if (typeof options !== "object" || options === null) throw configurationError("options must be an object");
  const failMode = options.failMode ?? GUARD_DEFAULTS.failMode;
  if (failMode !== "closed" && failMode !== "open") {
    throw configurationError(`failMode must be "closed" or "open" (got ${JSON.stringify(failMode)})`);
  }
  const timeoutMs = options.timeoutMs ?? GUARD_DEFAULTS.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw configurationError(`timeoutMs must be a positive integer of milliseconds (got ${String(timeoutMs)})`);
  }
  const link = options.processor === undefined ? undefined : linkOf(options.processor);
  if (options.processor !== undefined && !link) {
    throw configurationError(
      "processor must be a PermisoSpanProcessor from @permiso-io/custom-hooks-sdk/otel, the same version as the guard (an exporter cannot be linked)",
    );
  }
  const content = guardContent(options, link);
  const apiKey = optionalString("apiKey", options.apiKey) ?? environmentApiKey();
  const configured = typeof apiKey === "string" && apiKey.trim() !== "";
  // Checked even without a key, so a bad baseUrl is reported at once.
  const endpoint = asGuardError(() =>
    resolveEndpoint({
      apiKey: configured ? apiKey : "unset",
      baseUrl: optionalString("baseUrl", options.baseUrl),
      timeoutMs,
      maxSockets: options.maxSockets,
    }),
  );
  return Object.freeze({
    failMode,
    timeoutMs,
    endpoint: configured ? endpoint : undefined,
    link,
    agent: optionalFields<PermisoAgentContext>("agent", options.agent, ["systemPrompt", "name", "id"]),
    sessionId: optionalString("sessionId", options.sessionId),
    user: optionalFields<PermisoUser>("user", options.user, ["email", "id", "name"]),
    content,
  });
}

/** Each content option the guard does not set is the linked processor's; `mask: null` is no mask, whatever the processor's. */
function guardContent(options: PermisoToolGuardOptions, link: GuardLink | undefined): ContentSettings {
  const inherited = link?.content;
  return asGuardError(() =>
    Object.freeze(
      resolveContentSettings({
        captureContent: options.captureContent ?? inherited?.captureContent,
        mask: options.mask === null ? undefined : (options.mask ?? inherited?.mask),
        maxFieldLength: options.maxFieldLength ?? inherited?.maxFieldLength,
      }),
    ),
  );
}

/** Checks shared with the bridge throw its ConfigurationError; the guard throws its own kind. */
function asGuardError<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw error instanceof ConfigurationError ? configurationError(error.message) : error;
  }
}
