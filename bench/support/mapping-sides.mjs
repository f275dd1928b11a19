/**
 * The sides of the mapping benchmark, each run in a process of its own
 * (`startSide`), as each pipeline runs in an app: one long-lived bridge (or
 * serialiser) takes round after round of fresh traces, keeps the code the
 * JIT compiled for it, and pays for its own garbage.
 *
 * Why not one process with a full collection before each round: a forced
 * full collection, with the previous round's engine objects gone, lets V8
 * drop the maps of the engine's classes and the optimised code built on
 * them ("weak objects" deoptimisations), so every round after it ran
 * partly unoptimised and recompiled on the way. The literal-built objects
 * of OTLP's serialiser keep their maps, so that cost fell on one side only.
 *
 * A side prepares every round's traces when it starts, collects the garbage
 * of preparing them once, before any of its own code has run, and keeps
 * them all until it exits. Rounds then measure only the side's own work and
 * garbage: with the traces prepared round by round instead, collecting the
 * spans of earlier rounds fell into random later rounds (its marking runs
 * beside the measured code), and one side's rounds varied by 2×.
 */
import { fork } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { askChild, collectGarbage, measure } from "./harness.mjs";
import { importInternals } from "./internals.mjs";
import { createReplay, endedSpans, prepareTraces } from "./workload.mjs";

export const BATCH = 512;
export const SIDE_NAMES = ["bridge (exporter mode)", "bridge (processor mode)", "convention readers alone", "OTLP JsonTraceSerializer"];
const OPTIONS = { apiKey: "bench-key", baseUrl: "http://127.0.0.1:9" };

function batches(spans) {
  const out = [];
  for (let i = 0; i < spans.length; i += BATCH) out.push(spans.slice(i, i + BATCH));
  return out;
}

/** What the bridge delivered since `before`; throws if it lost anything. */
function delivered(bridge, before) {
  const stats = bridge.stats;
  if (stats.eventsFailed || stats.eventsDropped || stats.eventsInvalid) throw new Error(`bridge lost events: ${JSON.stringify(stats)}`);
  return stats.eventsDelivered - before;
}

/**
 * One side, from the internals as built (`buildInternals()` first), with
 * `rounds` sets of `traces` trace copies prepared: `runRound(i)` measures the
 * side's CPU on set `i` and returns `{ cpuMs, wallMs, spans, cpuUsPerSpan,
 * detail }`.
 */
export async function createSide(name, { rounds, traces: count }) {
  const { OfflineBridge, readSpan, toSpanView } = await importInternals();
  const replay = createReplay();
  const sets = Array.from({ length: rounds }, () => prepareTraces(replay, count));
  collectGarbage();
  let work;
  switch (name) {
    case "bridge (exporter mode)": {
      const bridge = new OfflineBridge(OPTIONS, "exporter");
      work = (traces) => {
        const input = batches(endedSpans(traces));
        return async () => {
          const before = bridge.stats.eventsDelivered;
          // A BatchSpanProcessor waits for each export to report before the next one.
          for (const batch of input) {
            bridge.spansEnded(batch);
            await bridge.engine.settleReleased(Infinity);
          }
          await bridge.flush();
          return { events: delivered(bridge, before) };
        };
      };
      break;
    }
    case "bridge (processor mode)": {
      const bridge = new OfflineBridge(OPTIONS, "processor");
      work = (traces) => async () => {
        const before = bridge.stats.eventsDelivered;
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
        await bridge.flush();
        return { events: delivered(bridge, before) };
      };
      break;
    }
    case "convention readers alone":
      work = (traces) => {
        const input = endedSpans(traces);
        return async () => {
          let meanings = 0;
          for (const span of input) if (readSpan(toSpanView(span)).meaning.kind !== "none") meanings++;
          if (meanings === 0) throw new Error("the readers found nothing in the workload");
          return { meanings };
        };
      };
      break;
    case "OTLP JsonTraceSerializer":
      work = (traces) => {
        const input = batches(endedSpans(traces));
        return async () => {
          let bytes = 0;
          for (const batch of input) bytes += JsonTraceSerializer.serializeRequest(batch).byteLength;
          return { bytes };
        };
      };
      break;
    default:
      throw new Error(`unknown mapping side ${name}`);
  }
  return {
    async runRound(round) {
      const { traces, spans } = sets[round];
      const m = await measure(work(traces));
      return { ...m, spans, cpuUsPerSpan: (m.cpuMs * 1000) / spans };
    },
  };
}

/** Starts a side in a process of its own; `runRound(i)` there resolves with its sample. */
export async function startSide(name, sizes) {
  const child = fork(fileURLToPath(import.meta.url), [name, JSON.stringify(sizes)], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--expose-gc"] });
  const ask = askChild(child);
  const ready = await ask(undefined);
  if (ready.error) throw new Error(`mapping side ${name}: ${ready.error}`);
  return {
    async runRound(round) {
      const reply = await ask({ round });
      if (reply.error) throw new Error(`mapping side ${name}: ${reply.error}`);
      return reply.sample;
    },
    close: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.send({ close: true });
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // A parent that stops without closing its children leaves none behind.
  process.on("disconnect", () => process.exit(0));
  try {
    const side = await createSide(process.argv[2], JSON.parse(process.argv[3]));
    process.on("message", async (message) => {
      if (message.close) process.exit(0);
      try {
        process.send({ sample: await side.runRound(message.round) });
      } catch (error) {
        process.send({ error: error instanceof Error ? error.stack : String(error) });
      }
    });
    process.send({ ready: true });
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack : String(error) });
  }
}
