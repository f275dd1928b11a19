/**
 * CPU profiles of our side of a benchmark that missed its target: the
 * benchmark script runs that side alone (`--profile-side`) under
 * `node --cpu-prof`, and the profile is summarised by self time, with dist/
 * frames mapped back to src/ (support/cpu-profile.mjs).
 *
 * Usage: node bench/profile.mjs <benchmark> <side> [KEY=VALUE env ...]
 *   e.g. node bench/profile.mjs app-cost processor
 *        node bench/profile.mjs delivery-throughput "bridge DeliveryQueue" BENCH_THROUGHPUT_CONCURRENCY=8
 * Profiles are written to .bench-results/profiles/.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { profileMarkdown, summarizeProfile } from "./support/cpu-profile.mjs";
import { log, RESULTS_DIR, ROOT } from "./support/harness.mjs";

/** How long each benchmark's side runs under the profiler: long enough that start-up is a small share. */
const PROFILE_RUNS = {
  "app-cost": { script: "bench/app-cost.mjs", rounds: 4 },
  mapping: { script: "bench/mapping.mjs", rounds: 12 },
  "delivery-throughput": { script: "bench/delivery-throughput.mjs", rounds: 4 },
};

export function profileSide(bench, side, env = {}) {
  const run = PROFILE_RUNS[bench];
  if (!run) throw new Error(`no profile run for ${bench}`);
  const dir = join(RESULTS_DIR, "profiles");
  mkdirSync(dir, { recursive: true });
  const slug = `${bench}--${side}${Object.values(env).map((v) => `--${v}`).join("")}`.replace(/[^a-z0-9.+-]+/gi, "_");
  const name = `${slug}.cpuprofile`;
  log(`profiling ${bench} / ${side} ${JSON.stringify(env)}`);
  execFileSync(
    process.execPath,
    ["--expose-gc", "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, join(ROOT, run.script), `--profile-side=${side}`, `--rounds=${run.rounds}`],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } },
  );
  const file = join(dir, name);
  const summary = summarizeProfile(file);
  return { bench, side, env, file: file.slice(ROOT.length + 1), summary, markdown: profileMarkdown(summary) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [bench, side, ...pairs] = process.argv.slice(2);
  const env = Object.fromEntries(pairs.map((p) => p.split("=")));
  const result = profileSide(bench, side, env);
  console.log(`${result.file}\n\n${result.markdown}`);
}
