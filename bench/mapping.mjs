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
 * Rounds alternate the three sides; we report ratios of medians of CPU per
 * span.
 */
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import {
  flag,
  fmt,
  interleave,
  log,
  measure,
  median,
  QUICK,
  verdictAtMost,
  writeResult,
} from "./support/harness.mjs";
import { loadInternals } from "./support/internals.mjs";
import { createReplay, endedSpans, prepareTraces } from "./support/workload.mjs";

const TRACES = Number(process.env.BENCH_MAPPING_TRACES ?? (QUICK ? 200 : 1200));
const BATCH = 512;
const ROUNDS = QUICK ? 2 : 7;
/** The target: mapping CPU at most twice what OTLP spends serialising the same spans. */
const TARGET = 2.0;
const WARMUP = QUICK ? 1 : 2;

const { OfflineBridge, readSpan, toSpanView } = await loadInternals();
const replay = createReplay();
const OPTIONS = { apiKey: "bench-key", baseUrl: "http://127.0.0.1:9" };

function batches(spans) {
  const out = [];
  for (let i = 0; i < spans.length; i += BATCH) out.push(spans.slice(i, i + BATCH));
  return out;
}

async function settle(bridge) {
  await bridge.flush();
  const stats = bridge.stats;
  if (stats.eventsFailed || stats.eventsDropped || stats.eventsInvalid) throw new Error(`bridge lost events: ${JSON.stringify(stats)}`);
  return { events: stats.eventsDelivered };
}

const SIDES = {
  "bridge (exporter mode)": async () => {
    const { traces, spans } = prepareTraces(replay, TRACES);
    const input = batches(endedSpans(traces));
    const bridge = new OfflineBridge(OPTIONS, "exporter");
    const m = await measure(async () => {
      // A BatchSpanProcessor waits for each export to report before the next one.
      let released = 0;
      for (const batch of input) {
        released += bridge.spansEnded(batch);
        await bridge.engine.settleReleased(Infinity);
      }
      return { ...(await settle(bridge)), released };
    });
    await bridge.shutdown();
    return { ...m, spans, cpuUsPerSpan: (m.cpuMs * 1000) / spans };
  },
  "bridge (processor mode)": async () => {
    const { traces, spans } = prepareTraces(replay, TRACES);
    const bridge = new OfflineBridge(OPTIONS, "processor");
    const m = await measure(async () => {
      // As the processor runs: onStart/onEnd record, and the engine takes what the host's synchronous
      // code recorded at once (here one trace); the released events are awaited after every cycle of the recorded runs.
      for (let i = 0; i < traces.length; i++) {
        for (const op of traces[i].ops) {
          if (op.start) bridge.startLater(op.span, op.parentContext);
          else bridge.endLater(op.span);
        }
        bridge.drain();
        if ((i + 1) % replay.templates.length === 0) await bridge.engine.settleReleased(Infinity);
      }
      return settle(bridge);
    });
    await bridge.shutdown();
    return { ...m, spans, cpuUsPerSpan: (m.cpuMs * 1000) / spans };
  },
  "convention readers alone": async () => {
    const { traces, spans } = prepareTraces(replay, TRACES);
    const input = endedSpans(traces);
    const m = await measure(async () => {
      let meanings = 0;
      for (const span of input) if (readSpan(toSpanView(span)).meaning.kind !== "none") meanings++;
      if (meanings === 0) throw new Error("the readers found nothing in the workload");
      return { meanings };
    });
    return { ...m, spans, cpuUsPerSpan: (m.cpuMs * 1000) / spans };
  },
  "OTLP JsonTraceSerializer": async () => {
    const { traces, spans } = prepareTraces(replay, TRACES);
    const input = batches(endedSpans(traces));
    const m = await measure(async () => {
      let bytes = 0;
      for (const batch of input) bytes += JsonTraceSerializer.serializeRequest(batch).byteLength;
      return { bytes };
    });
    return { ...m, spans, cpuUsPerSpan: (m.cpuMs * 1000) / spans };
  },
};

const only = flag("profile-side");
if (only) {
  for (let round = 0; round < Number(flag("rounds") ?? 10); round++) {
    const s = await SIDES[only]();
    log(`${only} round ${round}: ${fmt.us(s.cpuUsPerSpan)} µs/span`);
  }
} else {
  const samples = await interleave(SIDES, {
    rounds: ROUNDS,
    warmup: WARMUP,
    onSample: (side, round, s, warm) =>
      log(`${warm ? "warm-up " : ""}round ${round} ${side}: ${fmt.us(s.cpuUsPerSpan)} µs CPU/span, ${fmt.ms(s.wallMs)} ms wall`),
  });
  const med = (side) => median(samples[side].map((s) => s.cpuUsPerSpan));
  const otlp = med("OTLP JsonTraceSerializer");
  const spans = samples["OTLP JsonTraceSerializer"][0].spans;
  const rows = [];
  for (const [side, profileSide] of [
    ["bridge (exporter mode)", "bridge (exporter mode)"],
    ["bridge (processor mode)", "bridge (processor mode)"],
  ]) {
    const ratio = med(side) / otlp;
    const events = samples[side][0].detail.events;
    rows.push({
      benchmark: "mapping",
      compared: `span→event mapping, ${side}, vs OTLP JsonTraceSerializer.serializeRequest`,
      target: `≤ ${TARGET.toFixed(1)}×`,
      ratio,
      measured: fmt.ratio(ratio),
      verdict: verdictAtMost(ratio, TARGET),
      notes: `CPU/span ${fmt.us(med(side))} µs vs ${fmt.us(otlp)} µs (${fmt.int(spans)} spans → ${fmt.int(events)} request bodies vs ${Math.ceil(spans / BATCH)} OTLP bodies)`,
      profileSide,
    });
  }
  const readers = med("convention readers alone") / otlp;
  const readerRatios = samples["convention readers alone"].map((s, i) => s.cpuUsPerSpan / samples["OTLP JsonTraceSerializer"][i].cpuUsPerSpan);
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
    `${TRACES} traces (${fmt.int(spans)} spans) per round, batches of ${BATCH}; ${ROUNDS} measured rounds per side after ${WARMUP} warm-up. ` +
      `OTLP output: ${fmt.int(samples["OTLP JsonTraceSerializer"][0].detail.bytes)} bytes per round.`,
    "",
    "| side | CPU µs/span (median) | CPU µs/span (min–max) |",
    "| --- | --- | --- |",
    ...Object.keys(SIDES).map((side) => {
      const xs = samples[side].map((s) => s.cpuUsPerSpan);
      return `| ${side} | ${fmt.us(median(xs))} | ${fmt.us(Math.min(...xs))}–${fmt.us(Math.max(...xs))} |`;
    }),
  ].join("\n");
  writeResult("mapping", { title: "Mapping", rows, details, data: { traces: TRACES, batch: BATCH, rounds: ROUNDS, warmup: WARMUP } });
}
