import { defineConfig } from "vitest/config";

/** `npm run test:reliability`: the fault-injection suite, run on its own. */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 20_000,
    // Timing assertions (event-loop stalls) need the machine to themselves.
    fileParallelism: false,
  },
});
