/**
 * Mapping: the CPU the bridge spends turning spans into request bodies,
 * network excluded, vs the CPU the OTLP exporter spends turning the same
 * spans into its request body.
 *
 * Ours: the real bridge from src/ (bundled like dist/): `OfflineBridge`, the
 * span conversion and engine the exporter and processor run, whose
 * transport acknowledges every request at once without I/O. Measured per
 * round from the first span to the last event acknowledged, that is all the
 * bridge does before the network:
 *   span view (SpanView), trace graph and run resolution, the convention
 *   readers (`readSpan`: JSON.parse of messages, usage, identity), the
 *   RunComposer (dedup, ordering), `buildHookBody`, the content policy
 *   (truncation), schema validation, the ordered delivery queue, and
 *   `JSON.stringify` of every body;
 * in both modes: as the exporter (`spansEnded` with 512-span batches in end
 * order, each batch's events awaited before the next) and as the processor
 * (starts and ends recorded in order and taken by the engine once per
 * trace, as its intake does once per synchronous run of the host's code, the released
 * events awaited after each cycle of the four recorded runs).
 *
 * For context, the convention readers alone on the same spans (`toSpanView`
 * + `readSpan`: classification, `JSON.parse` of the messages, usage,
 * identity), with no engine, composition or request after them: the share
 * of the budget that reading what the spans say takes before anything is
 * sent.
 *
 * Theirs: `JsonTraceSerializer.serializeRequest(batch)` from
 * `@opentelemetry/otlp-transformer` for the same 512-span batches: what
 * `OTLPTraceExporter` (JSON) does before the network.
 *
 * Each side runs in a process of its own, as a pipeline runs in an app:
 * one bridge (or serialiser) for the whole run, taking round after round of
 * fresh traces (all prepared before the first), keeping its compiled code
 * and paying for its own garbage (support/mapping-sides.mjs says why not
 * one process with a full collection before every round). Rounds alternate
 * the sides, rotating which goes first; we report ratios of medians of CPU
 * per span. The first round of each fresh process, compilation included,
 * is reported beside it as context: what a process that has just started
 * spends on its first traces.
 */
import { flag, fmt, log, median, QUICK, verdictAtMost, writeResult } from "./support/harness.mjs";
import { buildInternals } from "./support/internals.mjs";
import { BATCH, createSide, SIDE_NAMES, startSide } from "./support/mapping-sides.mjs";

const TRACES = Number(process.env.BENCH_MAPPING_TRACES ?? (QUICK ? 200 : 1200));
const ROUNDS = QUICK ? 2 : 11;
/** The target: mapping CPU at most twice what OTLP spends serialising the same spans. */
const TARGET = 2.0;
const WARMUP = QUICK ? 1 : 3;
const OTLP = "OTLP JsonTraceSerializer";

await buildInternals();

const only = flag("profile-side");
if (only) {
  // Under `bench/profile.mjs`: this side alone, in this process.
  const rounds = Number(flag("rounds") ?? 10);
  const side = await createSide(only, { rounds, traces: TRACES });
  for (let round = 0; round < rounds; round++) {
    const s = await side.runRound(round);
    log(`${only} round ${round}: ${fmt.us(s.cpuUsPerSpan)} µs/span`);
  }
} else {
  const sizes = { rounds: WARMUP + ROUNDS, traces: TRACES };
  const sides = Object.fromEntries(await Promise.all(SIDE_NAMES.map(async (name) => [name, await startSide(name, sizes)])));
  const cold = {};
  const samples = Object.fromEntries(SIDE_NAMES.map((name) => [name, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (let i = 0; i < SIDE_NAMES.length; i++) {
      const name = SIDE_NAMES[(round + i) % SIDE_NAMES.length];
      const sample = await sides[name].runRound(round);
      if (round === 0) cold[name] = sample;
      if (round >= WARMUP) samples[name].push(sample);
      log(`${round < WARMUP ? "warm-up " : ""}round ${round} ${name}: ${fmt.us(sample.cpuUsPerSpan)} µs CPU/span, ${fmt.ms(sample.wallMs)} ms wall`);
    }
  }
  await Promise.all(Object.values(sides).map((side) => side.close()));

  const med = (side) => median(samples[side].map((s) => s.cpuUsPerSpan));
  const otlp = med(OTLP);
  const spans = samples[OTLP][0].spans;
  const rows = [];
  for (const side of ["bridge (exporter mode)", "bridge (processor mode)"]) {
    const ratio = med(side) / otlp;
    const perRound = samples[side].map((s, i) => s.cpuUsPerSpan / samples[OTLP][i].cpuUsPerSpan);
    const events = samples[side][0].detail.events;
    rows.push({
      benchmark: "mapping",
      compared: `span→event mapping, ${side}, vs OTLP JsonTraceSerializer.serializeRequest`,
      target: `≤ ${TARGET.toFixed(1)}×`,
      ratio,
      measured: fmt.ratio(ratio),
      verdict: verdictAtMost(ratio, TARGET),
      notes:
        `CPU/span ${fmt.us(med(side))} µs vs ${fmt.us(otlp)} µs (${fmt.int(spans)} spans → ${fmt.int(events)} request bodies vs ${Math.ceil(spans / BATCH)} OTLP bodies); ` +
        `per-round ratios ${fmt.ratio(Math.min(...perRound))}–${fmt.ratio(Math.max(...perRound))}`,
      profileSide: side,
    });
  }
  for (const side of ["bridge (exporter mode)", "bridge (processor mode)"]) {
    const ratio = cold[side].cpuUsPerSpan / cold[OTLP].cpuUsPerSpan;
    rows.push({
      benchmark: "mapping (context)",
      compared: `first round in a fresh process (compilation included), ${side}, vs OTLP JsonTraceSerializer's first round`,
      target: "—",
      ratio,
      measured: fmt.ratio(ratio),
      verdict: "context",
      notes: `CPU/span ${fmt.us(cold[side].cpuUsPerSpan)} µs vs ${fmt.us(cold[OTLP].cpuUsPerSpan)} µs: what a process spends on its first ${fmt.int(TRACES)} traces, while V8 compiles the engine`,
    });
  }
  const readers = med("convention readers alone") / otlp;
  const readerRatios = samples["convention readers alone"].map((s, i) => s.cpuUsPerSpan / samples[OTLP][i].cpuUsPerSpan);
  rows.push({
    benchmark: "mapping (context)",
    compared: "the convention readers alone (toSpanView + readSpan, no engine, no requests) vs OTLP JsonTraceSerializer.serializeRequest",
    target: "—",
    ratio: readers,
    measured: fmt.ratio(readers),
    verdict: "context",
    notes:
      `CPU/span ${fmt.us(med("convention readers alone"))} µs vs ${fmt.us(otlp)} µs; per-round ratios ${fmt.ratio(Math.min(...readerRatios))}–${fmt.ratio(Math.max(...readerRatios))}: ` +
      `reading what the spans say, before any event is composed or written, takes this share of the ${TARGET.toFixed(1)}× budget`,
  });
  const details = [
    `${TRACES} traces (${fmt.int(spans)} spans) per round, batches of ${BATCH}; each side in a process of its own, ${ROUNDS} measured rounds after ${WARMUP} warm-up. ` +
      `OTLP output: ${fmt.int(samples[OTLP][0].detail.bytes)} bytes per round.`,
    "",
    "| side | CPU µs/span (median) | CPU µs/span (min–max) | first round in a fresh process |",
    "| --- | --- | --- | --- |",
    ...SIDE_NAMES.map((side) => {
      const xs = samples[side].map((s) => s.cpuUsPerSpan);
      return `| ${side} | ${fmt.us(median(xs))} | ${fmt.us(Math.min(...xs))}–${fmt.us(Math.max(...xs))} | ${fmt.us(cold[side].cpuUsPerSpan)} |`;
    }),
  ].join("\n");
  writeResult("mapping", { title: "Mapping", rows, details, data: { traces: TRACES, batch: BATCH, rounds: ROUNDS, warmup: WARMUP } });
}
