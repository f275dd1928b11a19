/**
 * Thrown through a framework when Permiso answers `continue: false`: the tool
 * does not run and the agent's run ends. Frameworks wrap it in their own
 * errors; it stays reachable on the `cause` chain (`PermisoRunStoppedError.find`).
 */
import type { ToolDecision } from "./decision.js";

export class PermisoRunStoppedError extends Error {
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
      if (current instanceof PermisoRunStoppedError) return current;
      const tripwireInfo = (current as { result?: { output?: { outputInfo?: unknown } } }).result?.output?.outputInfo;
      if (tripwireInfo instanceof PermisoRunStoppedError) return tripwireInfo;
      const wrapper = current as { cause?: unknown; error?: unknown };
      current = wrapper.cause ?? wrapper.error;
    }
    return undefined;
  }
}
