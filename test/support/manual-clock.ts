/**
 * A clock that moves only when told: timers fire during `advance()`, in
 * order of their due time. For hold deadlines and burst windows that would
 * otherwise take seconds of real waiting.
 */
import type { Clock, Timer } from "../../src/engine/clock.js";

export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): Timer {
    const timer = { at: this.#now + ms, callback, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward, firing every timer that falls due on the way (timers set meanwhile included). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => !timer.cancelled && timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = Math.max(this.#now, due.at);
      due.cancelled = true;
      due.callback();
    }
    this.#now = end;
    this.#timers = this.#timers.filter((timer) => !timer.cancelled);
  }

  get pendingTimers(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }
}
