/**
 * What every benchmark shares: run settings, interleaved rounds, CPU and
 * wall-clock measurement, statistics, and the result file each benchmark
 * writes for `bench/run.mjs` to turn into BENCHMARKS.md.
 *
 * Absolute numbers on a shared 2-core machine drift by tens of percent over
 * a minute; two pipelines measured in alternating rounds of one process see
 * the same drift, so their ratio is what we report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Ignored by git (see the top-level .gitignore); results, profiles and the internals build. */
export const RESULTS_DIR = join(ROOT, ".bench-results");

/** `BENCH_QUICK=1` (or `--quick`): a smoke run with small inputs, not a measurement. */
export const QUICK = process.env.BENCH_QUICK === "1" || process.argv.includes("--quick");
// Child processes (receivers, per-pipeline runs) inherit the mode through the environment.
if (QUICK) process.env.BENCH_QUICK = "1";

export function flag(name) {
  const prefix = `--${name}=`;
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return arg === undefined ? undefined : arg.slice(prefix.length);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least-squares slope of y over x. */
export function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * A full collection: for measuring what stays reachable (the memory
 * benchmarks), and before a process's first measurement. Not between
 * measured rounds: a forced full collection lets V8 drop the maps of classes
 * with no live instance left and deoptimise the code built on them, so the
 * round after it runs partly unoptimised and pays for recompiling. That fell
 * on the pipelines that make requests (ours, and node:http's own classes),
 * not on OTLP's six requests per round: before this, our whole-process CPU
 * per span read 2–3× what a running process spends.
 */
export function collectGarbage() {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const nextTurn = () => new Promise((r) => setImmediate(r));

/**
 * CPU time (user + system, all threads of this process: GC and libuv
 * included) and wall time of `work`, including every asynchronous step it
 * awaits. No collection is forced first: not a full one (see
 * `collectGarbage`), nor a young-generation one, which made the mapping
 * benchmark's exporter rounds a third slower. What a round leaves for the
 * collector costs the round after little: a collection's work follows what
 * is still live, not what died.
 */
export async function measure(work) {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const detail = await work();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, detail };
}

/**
 * Runs each side `warmup + rounds` times, alternating sides within a round
 * and rotating which side goes first, so slow drift and "who ran after whom"
 * cancel out. Warm-up rounds (JIT, sockets, lazily loaded modules) are
 * discarded. `sides` maps a name to an async function returning a sample.
 */
export async function interleave(sides, { rounds, warmup, onSample } = {}) {
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const sample = await sides[name](round);
      if (round >= warmup) samples[name].push(sample);
      onSample?.(name, round, sample, round < warmup);
    }
  }
  return samples;
}

export function log(...args) {
  process.stderr.write(`${args.join(" ")}\n`);
}

/**
 * One benchmark's outcome. `rows` become lines of the results table:
 * `{ benchmark, compared, target, measured, verdict, notes }`; `details` is
 * markdown placed under the table; `data` is kept in the JSON for reference.
 */
export function writeResult(name, result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ name, quick: QUICK, at: new Date().toISOString(), ...result }, null, 2)}\n`);
  log(`wrote ${file}`);
}

export const fmt = {
  ratio: (x) => `${x.toFixed(2)}×`,
  ms: (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)),
  us: (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)),
  int: (x) => Math.round(x).toLocaleString("en-US"),
  mib: (bytes) => (bytes / 1024 / 1024).toFixed(1),
  kib: (bytes) => (bytes / 1024).toFixed(1),
};

/** "PASS" / "MISS (by …)" for a ratio against a ceiling or a floor. */
export function verdictAtMost(value, limit, unit = "×") {
  return value <= limit ? "PASS" : `MISS (+${(((value - limit) / limit) * 100).toFixed(0)}% over ${limit}${unit})`;
}

export function verdictAtLeast(value, limit, unit = "×") {
  return value >= limit ? "PASS" : `MISS (${(((limit - value) / limit) * 100).toFixed(0)}% under ${limit}${unit})`;
}

export function markdownTable(header, rows) {
  const escape = (cell) => String(cell).replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

/**
 * Request and reply over a forked child's IPC channel: `ask(message)` sends
 * it and resolves with the child's next message; `ask(undefined)` only waits
 * for the next one (e.g. the child's "ready").
 */
export function askChild(child) {
  const replies = [];
  child.on("message", (message) => replies.shift()?.(message));
  return (message) =>
    new Promise((resolve) => {
      replies.push(resolve);
      if (message !== undefined) child.send(message);
    });
}
