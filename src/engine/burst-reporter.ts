/**
 * Reports a recurring problem once per burst: the first occurrence at once,
 * then one summary line for whatever followed within the window.
 */
import { systemClock, type Clock, type Timer } from "./clock.js";

export const BURST_WINDOW_MS = 10_000;

export class BurstReporter {
  readonly #log: (message: string) => void;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #bursts = new Map<string, { count: number; timer: Timer }>();

  constructor(log: (message: string) => void, clock: Clock = systemClock, windowMs = BURST_WINDOW_MS) {
    this.#log = log;
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /** `what` names the problem ("events dropped"); `detail` describes this occurrence. */
  report(what: string, detail: string): void {
    const burst = this.#bursts.get(what);
    if (burst) {
      burst.count++;
      return;
    }
    this.#log(`${what}: ${detail}`);
    const timer = this.#clock.setTimer(this.#windowMs, () => this.#close(what));
    this.#bursts.set(what, { count: 0, timer });
  }

  /** Writes out pending summaries now (shutdown). */
  flush(): void {
    for (const [what, burst] of this.#bursts) {
      burst.timer.cancel();
      this.#close(what);
    }
  }

  #close(what: string): void {
    const burst = this.#bursts.get(what);
    this.#bursts.delete(what);
    if (burst && burst.count > 0) {
      this.#log(`${what}: ${burst.count} more in the last ${Math.round(this.#windowMs / 1000)} s`);
    }
  }
}
