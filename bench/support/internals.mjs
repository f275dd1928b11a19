/**
 * Builds and loads `.bench-results/build/internals.mjs` from
 * internals-entry.ts: the real `src/` code (same esbuild target and format
 * as tsup's dist/): `DeliveryQueue`, `createTransport`, ..., and
 * `OfflineBridge`, the bridge with a transport that acknowledges every
 * request at once (for measuring the bridge's own CPU per span).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { RESULTS_DIR, ROOT } from "./harness.mjs";

const OUT = join(RESULTS_DIR, "build");

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node18",
  packages: "external",
  sourcemap: true,
  logLevel: "error",
};

export async function buildInternals() {
  mkdirSync(OUT, { recursive: true });
  await build({ ...common, entryPoints: [resolve(ROOT, "bench/support/internals-entry.ts")], outfile: join(OUT, "internals.mjs") });
}

/** The internals as last built: for child processes of a benchmark whose parent built them. */
export function importInternals() {
  return import(pathToFileURL(join(OUT, "internals.mjs")).href);
}

export async function loadInternals() {
  await buildInternals();
  return importInternals();
}
