/**
 * Thrown through a framework when Permiso answers `continue: false`: the tool
 * does not run and the agent's run ends. Frameworks wrap it in their own
 * errors; it stays reachable on the `cause` chain (`PermisoRunStoppedError.find`).
 */
import type { ToolDecision } from "./decision.js";

/** Marks the error across copies of the package (its ESM and CommonJS builds each have the class). */
const RUN_STOPPED = Symbol.for("@permiso-io/custom-hooks-sdk/run-stopped");

function isRunStopped(value: unknown): value is PermisoRunStoppedError {
  return value instanceof PermisoRunStoppedError || (value as { [RUN_STOPPED]?: unknown } | null)?.[RUN_STOPPED] === true;
}

export class PermisoRunStoppedError extends Error {
  readonly [RUN_STOPPED] = true;

  constructor(
    /** Permiso's decision: `userMessage` is for the person. */
    readonly decision: ToolDecision,
    readonly toolName: string,
    readonly toolCallId: string,
  ) {
    super(decision.reason ?? "Permiso ended the run.");
    this.name = "PermisoRunStoppedError";
  }

  /**
   * This error, wherever a framework wrapped it: down `cause` (or, in the
   * OpenAI Agents SDK, `error`) up to 8 deep, or as the `outputInfo` of an
   * Agents SDK guardrail tripwire.
   */
  static find(error: unknown): PermisoRunStoppedError | undefined {
    let current = error;
    for (let depth = 0; depth < 8 && current; depth++) {
      if (isRunStopped(current)) return current;
      const tripwireInfo = (current as { result?: { output?: { outputInfo?: unknown } } }).result?.output?.outputInfo;
      if (isRunStopped(tripwireInfo)) return tripwireInfo;
      const wrapper = current as { cause?: unknown; error?: unknown };
      current = wrapper.cause ?? wrapper.error;
    }
    return undefined;
  }
}
