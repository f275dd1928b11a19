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

  /** This error, wherever a framework wrapped it (`cause` chains, up to 8 deep). */
  static find(error: unknown): PermisoRunStoppedError | undefined {
    let current = error;
    for (let depth = 0; depth < 8 && current; depth++) {
      if (current instanceof PermisoRunStoppedError) return current;
      current = (current as { cause?: unknown }).cause;
    }
    return undefined;
  }
}
