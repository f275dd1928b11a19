/**
 * Waits for a condition, not a clock: polls it on real timers until it holds,
 * and fails naming what it waited for only after `timeoutMs`, which is long
 * because CI machines are loaded. (Under vitest's fake timers use
 * `real-time.ts`'s `until` instead.)
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
