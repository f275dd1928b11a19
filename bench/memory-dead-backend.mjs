/**
 * Memory against a dead backend: 100k gen_ai spans (the recorded AI SDK
 * runs, replayed) are fed as fast as an app could produce them, yielding to
 * the event loop after every trace, into a pipeline whose endpoint refuses
 * connections (a closed port on 127.0.0.1), with default options. Every
 * send fails and is retried, so whatever the pipeline buffers stays
 * buffered: this is where an unbounded queue would show.
 *
 * Each pipeline runs in a fresh child process (so one cannot inherit the
 * other's heap). We record RSS after setup and a full GC (the baseline),
 * sample RSS every 50 ms while feeding and for a settle period after it,
 * and take the peak from the samples and the kernel's maxRSS. The verdict
 * is on peak − baseline.
 *
 * Sides: our exporter behind a default BatchSpanProcessor, our processor,
 * and, for context, BatchSpanProcessor + OTLPTraceExporter. The processor
 * runs a second time with twice the spans: growth that is bounded by the
 * queue limits stays put, growth that scales with traffic doubles.
 */
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { collectGarbage, flag, fmt, log, nextTurn, QUICK, sleep, writeResult } from "./support/harness.mjs";

const SPANS = Number(process.env.BENCH_DEAD_SPANS ?? (QUICK ? 20_000 : 100_000));
const SETTLE_MS = QUICK ? 2_000 : 5_000;
const LIMIT_MIB = 64;
const RUNS = [
  { kind: "exporter+bsp", spans: SPANS },
  { kind: "processor", spans: SPANS },
  { kind: "otlp+bsp", spans: SPANS },
  { kind: "processor", spans: 2 * SPANS, key: "processor@2x" },
];

/** A port with nothing listening on it: connections are refused at once. */
async function deadPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function child(kind, target) {
  const { PIPELINES } = await import("./support/pipelines.mjs");
  const { createReplay, feed } = await import("./support/workload.mjs");
  const replay = createReplay();
  const pipeline = PIPELINES[kind].create(`http://127.0.0.1:${await deadPort()}`);
  // Load everything the feed touches once, so the baseline includes code, not data.
  feed(pipeline.processor, replay.next());
  await sleep(200);
  collectGarbage();
  const { rss: baseline, heapUsed: baselineHeap } = process.memoryUsage();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = baseline;
  let heapPeak = 0;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    sampled = Math.max(sampled, rss);
    heapPeak = Math.max(heapPeak, heapUsed);
  }, 50);
  let spans = 0;
  const started = performance.now();
  while (spans < target) {
    const t = replay.next();
    feed(pipeline.processor, t);
    spans += t.spans;
    await nextTurn();
  }
  const feedMs = performance.now() - started;
  await sleep(SETTLE_MS);
  clearInterval(sampler);
  const end = process.memoryUsage();
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  const peak = Math.max(sampled, maxAfter > maxBefore ? maxAfter : 0, end.rss);
  // What is still reachable once the garbage is gone: the pipeline's buffers, not V8's headroom.
  collectGarbage();
  const retainedHeap = process.memoryUsage().heapUsed - baselineHeap;
  process.stdout.write(
    `${JSON.stringify({ kind, spans, feedMs, baseline, peak, growth: peak - baseline, endRss: end.rss, heapPeak, retainedHeap, stats: pipeline.stats() ?? null })}\n`,
  );
  process.exit(0);
}

function main() {
  const results = {};
  for (const { kind, spans, key = kind } of RUNS) {
    const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), `--child=${kind}`, `--spans=${spans}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    const r = JSON.parse(out.trim().split("\n").pop());
    results[key] = r;
    log(
      `${key}: ${fmt.int(r.spans)} spans in ${fmt.ms(r.feedMs)} ms; RSS baseline ${fmt.mib(r.baseline)} MiB, peak ${fmt.mib(r.peak)} MiB (+${fmt.mib(r.growth)}), ` +
        `end ${fmt.mib(r.endRss)} MiB; stats ${JSON.stringify(r.stats)}`,
    );
  }
  const labels = {
    "exporter+bsp": "BatchSpanProcessor(PermisoSpanExporter)",
    processor: "PermisoSpanProcessor",
    "otlp+bsp": "BatchSpanProcessor(OTLPTraceExporter)",
    "processor@2x": `PermisoSpanProcessor, ${fmt.int(2 * SPANS)} spans`,
  };
  const rows = ["exporter+bsp", "processor"].map((kind) => {
    const r = results[kind];
    const s = r.stats;
    return {
      benchmark: "memory, dead backend",
      compared: `${labels[kind]}, ${fmt.int(r.spans)} spans to a refused port, default options`,
      target: `growth ≤ ${LIMIT_MIB} MiB`,
      ratio: r.growth / 1024 / 1024,
      measured: `+${fmt.mib(r.growth)} MiB`,
      verdict: r.growth <= LIMIT_MIB * 1024 * 1024 ? "PASS" : `MISS (+${fmt.mib(r.growth - LIMIT_MIB * 1024 * 1024)} MiB over)`,
      notes:
        `peak RSS ${fmt.mib(r.peak)} MiB from ${fmt.mib(r.baseline)}, ${fmt.mib(r.retainedHeap)} MiB of heap still reachable after a full GC; ${fmt.int(s.spansSeen)} spans reached the bridge, ` +
        `${fmt.int(s.eventsQueued)} events queued, ${fmt.int(s.eventsDropped)} dropped (queue full), ${fmt.int(s.eventsFailed)} failed so far; ` +
        `OTLP for context: +${fmt.mib(results["otlp+bsp"].growth)} MiB` +
        (kind === "processor" ? `; with ${fmt.int(2 * SPANS)} spans: +${fmt.mib(results["processor@2x"].growth)} MiB` : ""),
    };
  });
  const details = [
    `${fmt.int(SPANS)} spans (${fmt.int(2 * SPANS)} in the second processor run) fed as fast as possible (one event-loop turn per trace), then ${SETTLE_MS / 1000} s of settling; each side in a fresh process.`,
    "",
    "| side | feed time | RSS baseline | RSS peak | growth | RSS at end | heap peak | heap retained after full GC (over baseline) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...Object.keys(results).map((kind) => {
      const r = results[kind];
      return `| ${labels[kind]} | ${fmt.ms(r.feedMs)} ms | ${fmt.mib(r.baseline)} MiB | ${fmt.mib(r.peak)} MiB | +${fmt.mib(r.growth)} MiB | ${fmt.mib(r.endRss)} MiB | ${fmt.mib(r.heapPeak)} MiB | ${fmt.mib(r.retainedHeap)} MiB |`;
    }),
  ].join("\n");
  writeResult("memory-dead-backend", { title: "Memory against a dead backend", rows, details, data: results });
}

const kind = flag("child");
if (kind) await child(kind, Number(flag("spans") ?? SPANS));
else main();
