/**
 * Waiting on real time under vitest's fake timers: `setImmediate` is left
 * real, so sockets and microtasks run while the fake clock stands still.
 */

/** Real time passes (sockets, microtasks) until the condition holds; never the fake clock. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets real I/O and microtasks run for a moment, without moving the fake clock. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
