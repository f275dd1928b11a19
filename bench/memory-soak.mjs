/**
 * Memory over a healthy soak: steady traffic (the recorded AI SDK runs,
 * replayed at RATE traces/s) through our processor and, in a second process
 * at the same time, our exporter behind a default BatchSpanProcessor, both
 * delivering to a receiver process on 127.0.0.1 that answers 200 at once.
 *
 * Each process samples its RSS (as the OS sees it, no forced GC) every
 * BENCH_SOAK_INTERVAL seconds for BENCH_SOAK_SECONDS (default 120). A leak
 * shows as a climb that does not level off, so we fit a least-squares slope
 * to the second half of the samples (the first half is heap growth to the
 * working set, GC-driven dips included). Two full GCs, one at 20% of the
 * run and one at the end, give the retained heap, the leak signal without
 * allocator noise.
 *
 * "Flat" means: RSS slope over the second half ≤ 2 MiB/min (allocator
 * drift of a ~100 MiB process), and retained heap grew ≤ 2 MiB between the
 * two full GCs. The bridge keeps the ids of the last 10,000 stopped traces
 * (about 0.6 MiB) on purpose; at the default rate that set fills in 100 s.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { collectGarbage, flag, fmt, log, QUICK, slope, sleep, writeResult } from "./support/harness.mjs";
import { startSink } from "./support/sink.mjs";

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? (QUICK ? 20 : 120));
const INTERVAL = Number(process.env.BENCH_SOAK_INTERVAL ?? (QUICK ? 2 : 5));
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 100);
const TICK_MS = 10;
const WARMUP_SHARE = 0.2;
const SLOPE_FROM_SHARE = 0.5;
const MAX_SLOPE_MIB_PER_MIN = 2;
const MAX_RETAINED_GROWTH_MIB = 2;
const SIDES = { processor: "PermisoSpanProcessor", "exporter+bsp": "BatchSpanProcessor(PermisoSpanExporter)" };

async function child(kind, url) {
  const { PIPELINES } = await import("./support/pipelines.mjs");
  const { createReplay, feed } = await import("./support/workload.mjs");
  const replay = createReplay();
  const pipeline = PIPELINES[kind].create(url);
  const samples = [];
  const retained = {};
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ t: elapsed(), rss, heapUsed });
  };
  sample();
  const sampler = setInterval(sample, INTERVAL * 1000);
  const warmupAt = setTimeout(() => {
    collectGarbage();
    retained.warm = process.memoryUsage().heapUsed;
  }, SECONDS * WARMUP_SHARE * 1000);
  let debt = 0;
  let spans = 0;
  while (elapsed() < SECONDS) {
    debt += (RATE * TICK_MS) / 1000;
    for (; debt >= 1; debt--) {
      const t = replay.next();
      feed(pipeline.processor, t);
      spans += t.spans;
    }
    await sleep(TICK_MS);
  }
  clearInterval(sampler);
  clearTimeout(warmupAt);
  sample();
  await pipeline.flush();
  collectGarbage();
  retained.end = process.memoryUsage().heapUsed;
  const stats = pipeline.stats();
  process.stdout.write(`${JSON.stringify({ kind, spans, samples, retained, stats })}\n`);
  process.exit(0);
}

function runChild(kind, url) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), `--child=${kind}`, `--url=${url}`],
      { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, env: process.env },
      (error, stdout, stderr) => {
        if (stderr) process.stderr.write(stderr);
        if (error) reject(error);
        else resolve(JSON.parse(stdout.trim().split("\n").pop()));
      },
    );
  });
}

async function main() {
  log(`soaking for ${SECONDS} s at ${RATE} traces/s per pipeline, sampling every ${INTERVAL} s`);
  const sink = await startSink();
  let results;
  try {
    results = await Promise.all(Object.keys(SIDES).map((kind) => runChild(kind, sink.url)));
  } finally {
    await sink.close();
  }
  const rows = [];
  const detailLines = [
    `${SECONDS} s at ${RATE} traces/s (≈${fmt.int((RATE * 27) / 4)} spans/s) per pipeline, both at once, RSS sampled every ${INTERVAL} s; slope fitted to the second half; retained heap after full GC at ${WARMUP_SHARE * 100}% and at the end.`,
    "",
    "| side | RSS samples (MiB) |",
    "| --- | --- |",
  ];
  for (const r of results) {
    const s = r.samples;
    const after = s.filter((x) => x.t >= SECONDS * SLOPE_FROM_SHARE);
    const perMin = slope(
      after.map((x) => x.t / 60),
      after.map((x) => x.rss / 1024 / 1024),
    );
    const retainedGrowth = (r.retained.end - (r.retained.warm ?? r.retained.end)) / 1024 / 1024;
    const flat = perMin <= MAX_SLOPE_MIB_PER_MIN && retainedGrowth <= MAX_RETAINED_GROWTH_MIB;
    const st = r.stats;
    rows.push({
      benchmark: "memory, healthy soak",
      compared: `${SIDES[r.kind]}, ${SECONDS} s steady load to a local receiver`,
      target: "flat",
      ratio: perMin,
      measured: `${perMin >= 0 ? "+" : ""}${perMin.toFixed(2)} MiB/min over the second half; RSS ${fmt.mib(s[0].rss)} → ${fmt.mib(s[s.length - 1].rss)} MiB`,
      verdict: flat ? "PASS" : "MISS",
      notes:
        `retained heap after full GC ${fmt.mib(r.retained.warm ?? 0)} → ${fmt.mib(r.retained.end)} MiB (${retainedGrowth >= 0 ? "+" : ""}${retainedGrowth.toFixed(2)}); ` +
        `RSS min/max over the second half ${fmt.mib(Math.min(...after.map((x) => x.rss)))}/${fmt.mib(Math.max(...after.map((x) => x.rss)))} MiB; ` +
        `${fmt.int(r.spans)} spans, ${fmt.int(st.eventsDelivered)} events delivered, ${st.eventsFailed} failed, ${st.eventsDropped} dropped`,
    });
    detailLines.push(`| ${SIDES[r.kind]} | ${s.map((x) => fmt.mib(x.rss)).join(", ")} |`);
  }
  writeResult("memory-soak", { title: "Memory over a healthy soak", rows, details: detailLines.join("\n"), data: results });
}

const kind = flag("child");
if (kind) await child(kind, flag("url"));
else await main();
