/**
 * One side of the gateway benchmark in its own process, so the CPU and
 * memory it reports are its own: `--gateway` runs a gateway (its Permiso
 * being the URL it is given), `--exporter` runs the in-process exporter over
 * replayed spans. The parent drives it over IPC: `startChild()` below.
 */
import { fork } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { askChild, collectGarbage } from "./harness.mjs";

async function runGateway(baseUrl, { sampleMemory = false, ...options }) {
  const { startGateway } = await import("@permiso-io/custom-hooks-sdk/gateway");
  const gateway = await startGateway({ apiKey: "bench-key", baseUrl, httpPort: 0, grpcPort: 0, ...options });
  let peakRss = 0;
  // Only where memory is the measurement: sampling costs CPU.
  const sampler = sampleMemory ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50) : undefined;
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  process.send({ ready: true, httpUrl: gateway.httpUrl });
  process.on("message", async (message) => {
    if (message === "cpu") process.send({ cpu: process.cpuUsage() });
    if (message === "memory") process.send({ baselineRss, peakRss: Math.max(peakRss, process.memoryUsage().rss) });
    if (message === "close") {
      if (sampler) clearInterval(sampler);
      await gateway.close();
      process.exit(0);
    }
  });
}

/**
 * The exporter side: one exporter for the life of the process, as an app
 * has. `{ prepare: [n, ...] }` builds every set of traces first and collects
 * the garbage of building them, before the exporter has run; `{ run: i }`
 * then exports set `i` and reports its CPU. No collection is forced between
 * runs: a forced one, with an earlier run's engine objects gone, makes V8
 * drop the code it compiled for the engine (see mapping-sides.mjs), which a
 * running app does not pay for on every batch.
 */
async function runExporter(baseUrl, options) {
  const { PermisoSpanExporter } = await import("@permiso-io/custom-hooks-sdk/otel");
  const { createReplay, endedSpans, prepareTraces } = await import("./workload.mjs");
  const replay = createReplay();
  let sets = [];
  let exporter;
  process.send({ ready: true });
  process.on("message", async (message) => {
    if (message.prepare) {
      sets = message.prepare.map((count) => prepareTraces(replay, count));
      collectGarbage();
      exporter = new PermisoSpanExporter({ apiKey: "bench-key", baseUrl, ...options });
      return process.send({ prepared: sets.length });
    }
    if (message.run === undefined) {
      await exporter?.shutdown();
      return process.exit(0);
    }
    const { traces, spans } = sets[message.run];
    sets[message.run] = undefined;
    const ended = endedSpans(traces);
    const before = exporter.getStats();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < ended.length; i += 512) {
      await new Promise((resolve) => exporter.export(ended.slice(i, i + 512), resolve));
    }
    await exporter.forceFlush();
    const cpu = process.cpuUsage(cpu0);
    const stats = exporter.getStats();
    process.send({
      cpuMs: (cpu.user + cpu.system) / 1000,
      spans,
      delivered: stats.eventsDelivered - before.eventsDelivered,
      dropped: stats.eventsDropped - before.eventsDropped,
    });
  });
}

/** Starts a child; `ask(message)` sends and resolves with its next reply. */
export async function startChild(mode, baseUrl, options = {}) {
  const child = fork(fileURLToPath(import.meta.url), [mode, baseUrl, JSON.stringify(options)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // BENCH_GATEWAY_PROFILE=<dir>: a CPU profile of each child, for `node bench/support/cpu-profile.mjs`-style summaries.
    execArgv: ["--expose-gc", ...(process.env.BENCH_GATEWAY_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_GATEWAY_PROFILE}`] : [])],
  });
  const ask = askChild(child);
  const ready = await ask(undefined);
  return {
    ...ready,
    ask,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.send(mode === "--gateway" ? "close" : {});
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // A parent that stops without closing its children leaves none behind.
  process.on("disconnect", () => process.exit(0));
  const [mode, baseUrl, options] = process.argv.slice(2);
  if (mode === "--gateway") await runGateway(baseUrl, JSON.parse(options));
  if (mode === "--exporter") await runExporter(baseUrl, JSON.parse(options));
}
