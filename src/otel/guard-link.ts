/**
 * What a tool guard needs from a `PermisoSpanProcessor` in the same process,
 * kept out of the documented API: the run the processor assigns to a live
 * span (child runs included) with the context its events carry there, a
 * way to keep the processor from sending the `tool_use` events the guard
 * sends itself, and the processor's content policy, which the guard follows
 * unless told otherwise.
 *
 * The processor carries its link under a symbol from the global registry,
 * non-enumerable, so a guard entry finds it whichever build (ESM or
 * CommonJS) created the processor: `guardLinkOf(processor)`.
 */
import type { LinkedRun } from "../engine/engine.js";
import type { ContentSettings } from "../engine/settings.js";

export type { LinkedRun } from "../engine/engine.js";
export { toolUseEventId } from "../engine/run-ids.js";

export const GUARD_LINK = Symbol.for("@permiso-io/custom-hooks-sdk/guard-link");

/** Bumped when the link's shape changes, so mismatched copies of the package ignore each other. */
export const GUARD_LINK_VERSION = 2;

export interface GuardLink {
  readonly version: typeof GUARD_LINK_VERSION;
  /** The processor's `captureContent`, `mask` and `maxFieldLength`, resolved. */
  readonly content: ContentSettings;
  /**
   * The run of a span the processor saw start (the active span when a tool
   * is about to run) and the context (agent, session, user) it puts on
   * that run's events; `undefined` for a span it does not know. The answer
   * is final: the processor's own events for that span go to the same run.
   */
  runOfSpan(traceId: string, spanId: string): LinkedRun | undefined;
  /**
   * The run holding back a model's call of `toolUseId` (with `deferToolUses`),
   * with the context of the model call that made it; `undefined` when no
   * run, or more than one, holds it. For hooks that run with no span of the
   * call active.
   */
  runOfToolCall(toolUseId: string): LinkedRun | undefined;
  /**
   * From now on, `tool_use` events read from a model's output wait until
   * their tool's span ends (then go just before the `tool_result`) or until
   * their run stops, so a guard can report them first.
   */
  deferToolUses(): void;
  /**
   * The guard sent this tool call's `tool_use` (eventId
   * `toolUseEventId(runId, toolUseId)`): the processor never sends it.
   */
  markToolUseReported(runId: string, toolUseId: string): void;
}

export function attachGuardLink(target: object, link: GuardLink): void {
  Object.defineProperty(target, GUARD_LINK, { value: link, enumerable: false, writable: false, configurable: false });
}

/** The processor's link, or `undefined` for anything else (or a copy of the package with another link shape). */
export function guardLinkOf(processor: unknown): GuardLink | undefined {
  if (typeof processor !== "object" || processor === null) return undefined;
  const link = (processor as { [GUARD_LINK]?: unknown })[GUARD_LINK] as Partial<GuardLink> | undefined;
  return link?.version === GUARD_LINK_VERSION ? (link as GuardLink) : undefined;
}
