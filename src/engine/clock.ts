/**
 * Time, handed to the engine: what time it is, and a timer. Tests pass a
 * manual clock so that hold deadlines and burst windows need no waiting.
 */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `ms`. Such a timer never keeps the process alive on its own. */
  setTimer(ms: number, callback: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, ms);
    (timer as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * How far two span clocks may disagree. Producers mix times truncated to the
 * millisecond with the SDK's high-resolution clock, and a process's
 * wall clock drifts from its monotonic one; a few milliseconds cover both.
 * Used wherever causality is judged from span times.
 */
export const CLOCK_SKEW_MS = 5;
