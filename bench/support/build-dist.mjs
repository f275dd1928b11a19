/**
 * Builds `dist/` (JavaScript only) with the project's own tsup.config.ts, so
 * the benchmarks measure what users run. Declarations are skipped (they do
 * not affect runtime and take most of the build time) and `dist/` is not
 * wiped first, so declarations another build left there survive.
 */
import { build } from "tsup";
import { ROOT } from "./harness.mjs";

export async function buildDist() {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await build({ dts: false, clean: false, silent: true });
  } finally {
    process.chdir(cwd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDist();
