/**
 * Builds and loads `.bench-results/build/internals.mjs` from
 * internals-entry.ts: the real `src/` code (same esbuild target and format
 * as tsup's dist/), with two exports of the bridge:
 *
 * - `Bridge`, `DeliveryQueue`, `createTransport`, ...: unchanged.
 * - `OfflineBridge`: the same Bridge class compiled against
 *   offline-endpoint.ts, i.e. with a transport that acknowledges every
 *   request at once (for measuring the bridge's own CPU per span).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { RESULTS_DIR, ROOT } from "./harness.mjs";

const OUT = join(RESULTS_DIR, "build");

const offlineTransport = {
  name: "offline-transport",
  setup(b) {
    b.onResolve({ filter: /\/transport\/endpoint\.js$/ }, (args) =>
      args.importer.endsWith(join("src", "otel", "bridge.ts")) ? { path: resolve(ROOT, "bench/support/offline-endpoint.ts") } : undefined,
    );
  },
};

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
  await build({
    ...common,
    stdin: { contents: 'export { Bridge as OfflineBridge } from "../../src/otel/bridge.js";', resolveDir: resolve(ROOT, "bench/support"), loader: "ts" },
    outfile: join(OUT, "offline-bridge.mjs"),
    plugins: [offlineTransport],
  });
}

export async function loadInternals() {
  await buildInternals();
  const internals = await import(pathToFileURL(join(OUT, "internals.mjs")).href);
  const { OfflineBridge } = await import(pathToFileURL(join(OUT, "offline-bridge.mjs")).href);
  return { ...internals, OfflineBridge };
}
