/**
 * Size and import time of the built package.
 *
 * Size: each public ESM entry of dist/ is bundled with its shared chunks by
 * esbuild and minified (peer dependencies `@opentelemetry/*` and Node
 * built-ins stay external, as they are for users), then gzipped: what a
 * user's bundler would add. The unminified bytes of the dist files involved
 * are shown too.
 *
 * Import time: a fresh `node` process per measurement runs
 * `await import(spec)` and reports how long that took (performance.now()
 * around the import); an empty module is the baseline, so the difference is
 * the cost of loading the entry itself. Processes alternate between the
 * specs; we report medians.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fmt, log, median, QUICK, ROOT, writeResult } from "./support/harness.mjs";

const ENTRIES = {
  "@permiso-io/custom-hooks-sdk": "dist/index.js",
  "@permiso-io/custom-hooks-sdk/otel": "dist/otel/index.js",
  "@permiso-io/custom-hooks-sdk/guard": "dist/guard/index.js",
  "@permiso-io/custom-hooks-sdk/dev-server": "dist/dev-server/index.js",
};
const RUNS = QUICK ? 5 : 15;
const PEERS_NAME = "@opentelemetry/api + @opentelemetry/core (the otel entry's peers)";
const EMPTY = pathToFileURL(resolve(ROOT, "bench/support/empty.mjs")).href;

async function sizeOf(file) {
  const result = await build({
    entryPoints: [join(ROOT, file)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node18",
    external: ["@opentelemetry/*"],
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  const raw = inputs.reduce((n, input) => n + statSync(resolve(ROOT, input)).size, 0);
  return { files: inputs.map((i) => i.replace(/^dist\//, "")), raw, minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** The otel entry's peers, imported alone: what an app using OpenTelemetry has loaded already. */
const PEERS = ["@opentelemetry/api", "@opentelemetry/core"];

function importOnce(spec) {
  const imports = (Array.isArray(spec) ? spec : [spec]).map((s) => `await import(${JSON.stringify(s)});`).join(" ");
  const code = `const t0 = performance.now(); ${imports} process.stdout.write(JSON.stringify({ importMs: performance.now() - t0, sinceStartMs: performance.now() }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" }));
}

async function main() {
  const sizes = {};
  for (const [spec, file] of Object.entries(ENTRIES)) sizes[spec] = await sizeOf(file);
  const specs = {
    "empty module (baseline)": EMPTY,
    ...Object.fromEntries(Object.keys(ENTRIES).map((s) => [s, s])),
    [PEERS_NAME]: PEERS,
  };
  const times = Object.fromEntries(Object.keys(specs).map((s) => [s, []]));
  for (const spec of Object.values(specs)) importOnce(spec);
  for (let run = 0; run < RUNS; run++) {
    const names = Object.keys(specs);
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length];
      times[name].push(importOnce(specs[name]));
    }
  }
  const med = (name, key) => median(times[name].map((t) => t[key]));
  const base = med("empty module (baseline)", "importMs");
  const rows = Object.entries(ENTRIES).map(([spec, file]) => {
    const s = sizes[spec];
    const importMs = med(spec, "importMs");
    return {
      benchmark: "size",
      compared: `${file} (${spec}) with its chunks, esbuild --minify, peers external`,
      target: "reported",
      ratio: s.minified,
      measured: `${fmt.int(s.minified)} B min, ${fmt.int(s.gzip)} B gzip`,
      verdict: "reported",
      notes:
        `dist files: ${s.files.join(", ")} (${fmt.int(s.raw)} B unminified); ` +
        `import ${fmt.ms(importMs)} ms vs ${fmt.ms(base)} ms for an empty module (+${fmt.ms(importMs - base)} ms)` +
        (spec.endsWith("/otel")
          ? `, of which @opentelemetry/api + core alone take ${fmt.ms(med(PEERS_NAME, "importMs") - base)} ms`
          : ""),
    };
  });
  const details = [
    `Import times: median of ${RUNS} fresh \`node\` processes each (Node ${process.version}); "since start" is process start to import done.`,
    "",
    "| import | import ms (median) | over empty module | since process start ms (median) |",
    "| --- | --- | --- | --- |",
    ...Object.keys(specs).map(
      (name) => `| ${name} | ${fmt.ms(med(name, "importMs"))} | +${fmt.ms(med(name, "importMs") - base)} | ${fmt.ms(med(name, "sinceStartMs"))} |`,
    ),
  ].join("\n");
  for (const row of rows) log(`${row.compared}: ${row.measured}; ${row.notes}`);
  writeResult("size", { title: "Size and import time", rows, details, data: { sizes, times } });
}

await main();
