/**
 * Capacity: how many gen_ai spans per second each attachment delivers
 * without loss, and the offered rate at which loss starts, for
 *   A. our PermisoSpanProcessor,
 *   B. our PermisoSpanExporter behind the default BatchSpanProcessor,
 *   C. the default BatchSpanProcessor + OTLPTraceExporter (reference),
 * each sending to a receiver in another process on 127.0.0.1 that answers
 * at once.
 *
 * A trial offers whole cycles of the recorded AI SDK runs at a steady rate
 * (spans per second) for WINDOW seconds, one tick every 10 ms, then:
 * - "kept up": nothing was lost, and a flush right after the offering
 *   stopped delivered the rest within GRACE seconds (the backlog did not
 *   grow; the flush only cuts short a BatchSpanProcessor's 5 s wait);
 * - "loss": after a flush, the receiver got less than was offered: spans
 *   the BatchSpanProcessor dropped, events our queue dropped or that failed.
 *   What the receiver counted is what counts, never what was offered.
 * Rates climb a ladder (×1.5) until a trial loses something. The sustained
 * rate is the highest one kept up; loss starts at the lowest one that lost
 * anything in a WINDOW-second burst (a longer burst would lose sooner once
 * the rate is above the sustained one: bounded queues absorb only a burst).
 */
import { fmt, log, QUICK, sleep, writeResult } from "./support/harness.mjs";
import { PIPELINES } from "./support/pipelines.mjs";
import { startSink } from "./support/sink.mjs";
import { createReplay, feed } from "./support/workload.mjs";
import { startDevServer } from "@permiso-io/custom-hooks-sdk/dev-server";

const WINDOW_S = Number(process.env.BENCH_CAPACITY_WINDOW ?? (QUICK ? 1 : 3));
/** The backlog a flush may still have to deliver after a kept-up window: 15 % of it. */
const GRACE_S = WINDOW_S * 0.15;
const TICK_MS = 10;
const FIRST_RATE = 500;
const STEP = 1.5;
const MAX_RATE = QUICK ? 20_000 : 150_000;
const SIDES = ["processor", "exporter+bsp", "otlp+bsp"];

const replay = createReplay();

/** Hook events our bridge sends for one cycle of the recorded runs, checked against the strict receiver. */
async function eventsPerCycle(kind) {
  const server = await startDevServer({ port: 0 });
  try {
    const pipeline = PIPELINES[kind].create(server.url);
    for (let i = 0; i < replay.templates.length; i++) feed(pipeline.processor, replay.next());
    await pipeline.flush();
    await pipeline.shutdown();
    if (server.rejected.length > 0) throw new Error(`${kind}: receiver rejected ${JSON.stringify(server.rejected[0]).slice(0, 300)}`);
    return server.store.events().length;
  } finally {
    await server.close();
  }
}

/** What reached the receiver, in the unit each side delivers: hook events for ours, spans for OTLP. */
function delivered(kind, counts) {
  return kind === "otlp+bsp" ? counts.spans : counts.hooks;
}

async function trial(kind, rate, sink, perCycle) {
  await sink.reset();
  const pipeline = PIPELINES[kind].create(sink.url);
  const cycleSpans = replay.spansPerCycle;
  let offeredCycles = 0;
  const started = performance.now();
  for (let elapsed = 0; elapsed < WINDOW_S * 1000; elapsed = performance.now() - started) {
    const due = Math.floor(((elapsed + TICK_MS) / 1000) * (rate / cycleSpans));
    for (; offeredCycles < due; offeredCycles++) for (let i = 0; i < replay.templates.length; i++) feed(pipeline.processor, replay.next());
    await sleep(TICK_MS);
  }
  const offeredMs = performance.now() - started;
  const offeredSpans = offeredCycles * cycleSpans;
  const expected = kind === "otlp+bsp" ? offeredSpans : offeredCycles * perCycle;
  const flushStarted = performance.now();
  await pipeline.flush();
  const drainMs = performance.now() - flushStarted;
  const final = delivered(kind, await sink.counts());
  const stats = pipeline.stats();
  await pipeline.shutdown();
  const lost = Math.max(0, expected - final);
  return {
    rate,
    offeredRate: (offeredSpans / offeredMs) * 1000,
    offeredSpans,
    expected,
    drainMs,
    final,
    lost,
    keptUp: lost === 0 && drainMs <= GRACE_S * 1000,
    dropped: stats?.eventsDropped ?? 0,
    spansSeen: stats?.spansSeen,
  };
}

async function ladder(kind, sink, perCycle) {
  const trials = [];
  for (let rate = FIRST_RATE; rate <= MAX_RATE; rate = Math.round(rate * STEP)) {
    const t = await trial(kind, rate, sink, perCycle);
    trials.push(t);
    log(
      `${kind} @ ${fmt.int(rate)} spans/s (offered ${fmt.int(t.offeredRate)}): ${fmt.int(t.final)} of ${fmt.int(t.expected)} delivered, ` +
        `the rest ${fmt.ms(t.drainMs)} ms after the end${t.lost ? `, LOST ${fmt.int(t.lost)}` : ""}${t.dropped ? ` (our queue dropped ${fmt.int(t.dropped)})` : ""}`,
    );
    if (t.lost > 0) break;
    // Well past keeping up without loss yet: the next steps would only grow the backlog.
    if (!t.keptUp && trials.filter((x) => !x.keptUp).length >= 3) break;
  }
  const sustained = trials.filter((t) => t.keptUp).at(-1);
  const loss = trials.find((t) => t.lost > 0);
  return { trials, sustained, loss };
}

async function main() {
  const perCycle = { processor: await eventsPerCycle("processor"), "exporter+bsp": await eventsPerCycle("exporter+bsp") };
  const sink = await startSink();
  const results = {};
  try {
    for (const kind of SIDES) results[kind] = await ladder(kind, sink, perCycle[kind]);
  } finally {
    await sink.close();
  }
  const describe = (r) => (r ? `${fmt.int(r.offeredRate)} spans/s` : "—");
  const rows = SIDES.map((kind) => {
    const { sustained, loss, trials } = results[kind];
    const top = trials.at(-1);
    return {
      benchmark: "capacity",
      compared: `${PIPELINES[kind].label}: gen_ai spans/s delivered without loss; offered rate at which loss starts (${WINDOW_S} s burst)`,
      target: "reported",
      measured: `${describe(sustained)} sustained; loss from ${loss ? describe(loss) : `none up to ${describe(top)}`}`,
      verdict: "reported",
      notes: loss
        ? `at ${describe(loss)}: ${fmt.int(loss.final)} of ${fmt.int(loss.expected)} ${kind === "otlp+bsp" ? "spans" : "events"} reached the receiver` +
          (kind === "otlp+bsp" ? "" : `, ${fmt.int(loss.dropped)} dropped by our queue (counted), ${fmt.int(loss.spansSeen)} of ${fmt.int(loss.offeredSpans)} spans reached the bridge`)
        : `no loss at any offered rate tried`,
    };
  });
  const details = [
    `Each trial offers whole cycles of the 4 recorded AI SDK runs at a steady rate for ${WINDOW_S} s (a tick every ${TICK_MS} ms), then flushes. ` +
      `Kept up: nothing was lost and the flush delivered the rest within ${GRACE_S.toFixed(2)} s. Loss: after the flush the receiver counted less than was offered. ` +
      `Rates climb ×${STEP} from ${FIRST_RATE} spans/s until a trial loses something. Offered rates are as achieved (the feed shares the CPU).`,
    "",
    "| side | offered spans/s | delivered / offered (events for ours, spans for OTLP) | flush after the window, ms | lost | of which our queue dropped |",
    "| --- | --- | --- | --- | --- | --- |",
    ...SIDES.flatMap((kind) =>
      results[kind].trials.map(
        (t) => `| ${PIPELINES[kind].label} | ${fmt.int(t.offeredRate)} | ${fmt.int(t.final)} / ${fmt.int(t.expected)} | ${fmt.ms(t.drainMs)} | ${fmt.int(t.lost)} | ${fmt.int(t.dropped)} |`,
      ),
    ),
  ].join("\n");
  writeResult("capacity", { title: "Capacity", rows, details, data: { windowS: WINDOW_S, graceS: GRACE_S, perCycle, results } });
}

await main();
