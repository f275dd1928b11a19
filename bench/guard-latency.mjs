/**
 * Guard latency: how long a tool call waits for its decision, one call at a
 * time, against a receiver in another process on 127.0.0.1 that answers
 * 200 `{}` at once, each call made inside an active span of a traced app
 * (AsyncLocalStorage context manager), measured for
 *   A. `guard.check({ toolName, toolCallId, input })` of the built guard
 *      entry (body building, JSON encoding, keep-alive node:http, the
 *      retrying transport, tracing suppressed, the answer read as a
 *      decision, stats and outcome);
 *   B. the same check by a guard linked to the `PermisoSpanProcessor` of
 *      that app's provider (the run is looked up for every call);
 *   C. a raw keep-alive `node:http` request (one socket, LIFO agent as ours)
 *      POSTing the same body with the same headers (User-Agent included),
 *      `JSON.stringify` per call, the response read in full and parsed:
 *      what the guard costs on top of the network round trip itself.
 * Each call's wall time is one sample. Sides alternate in rounds; we report
 * p50 and p99 of all samples per side and their ratios. Every guard call
 * must have been allowed and every raw request answered 200, and the
 * receiver's count must match, or the benchmark fails.
 */
import http from "node:http";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { SDK_VERSION } from "@permiso-io/custom-hooks-sdk";
import { PermisoToolGuard } from "@permiso-io/custom-hooks-sdk/guard";
import { PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";
import { fmt, interleave, log, QUICK, verdictAtMost, writeResult } from "./support/harness.mjs";
import { startSink } from "./support/sink.mjs";

const CALLS = QUICK ? 200 : 1000;
const ROUNDS = QUICK ? 2 : 8;
const WARMUP = 1;
const API_KEY = "bench-key";
const TARGET = 1.2;
const INPUT = { path: "/srv/app/config.yaml", reason: "read the deployment settings before changing them", lines: [1, 80] };

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The raw side: the request the guard makes, without the guard. */
function rawClient(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, scheduling: "lifo" });
  const target = new URL(`${url}/hooks`);
  const runId = "0f8fad5b-d9cb-469f-a165-70867728950e";
  return (i) =>
    new Promise((resolve, reject) => {
      const toolUseId = `call_${i}`;
      const body = JSON.stringify({
        hookEvent: "read_file",
        runId,
        bourneVersion: "v2",
        event: { source: "agent", type: "tool_use", name: "read_file", toolUseId, input: INPUT, eventId: `${runId}:tool_use:${toolUseId}`, timestamp: Date.now() },
        clientSentAtMs: Date.now(),
      });
      const request = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: {
            "Content-Type": "application/json",
            "x-api-key": API_KEY,
            "X-Hook-Source": "custom",
            "User-Agent": `permiso-io-custom-hooks-sdk/${SDK_VERSION} (node ${process.version})`,
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`status ${response.statusCode}`))));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
}

async function main() {
  const sink = await startSink();
  const guard = new PermisoToolGuard({ apiKey: API_KEY, baseUrl: sink.url, maxSockets: 1 });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const processor = new PermisoSpanProcessor({ apiKey: API_KEY, baseUrl: sink.url });
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer("bench");
  const linked = new PermisoToolGuard({ apiKey: API_KEY, baseUrl: sink.url, maxSockets: 1, processor });
  const raw = rawClient(sink.url);
  let call = 0;
  // Every side runs inside an active span, as a tool call in a traced app does,
  // so each pays the same context propagation.
  const timed = (once) =>
    tracer.startActiveSpan("POST /agent", async (span) => {
      const latencies = [];
      for (let i = 0; i < CALLS; i++) {
        const t0 = performance.now();
        await once(call++);
        latencies.push(performance.now() - t0);
      }
      span.end();
      return latencies;
    });
  const sides = {
    "guard.check()": () =>
      timed(async (i) => {
        const decision = await guard.check({ toolName: "read_file", toolCallId: `call_${i}`, input: INPUT });
        if (decision.outcome !== "allowed") throw new Error(`guard: ${decision.outcome}: ${decision.reason}`);
      }),
    "guard.check(), linked": () =>
      timed(async (i) => {
        const decision = await linked.check({ toolName: "read_file", toolCallId: `call_${i}`, input: INPUT });
        if (decision.outcome !== "allowed") throw new Error(`linked guard: ${decision.outcome}: ${decision.reason}`);
      }),
    "raw keep-alive request": () => timed(raw),
  };
  log(`guard latency: ${CALLS} sequential calls per side per round, ${ROUNDS} rounds (+${WARMUP} warm-up)`);
  const samples = await interleave(sides, {
    rounds: ROUNDS,
    warmup: WARMUP,
    onSample: (name, round, latencies, warm) => log(`  round ${round}${warm ? " (warm-up)" : ""} ${name}: p50 ${fmt.us(percentile(latencies, 50) * 1000)} µs`),
  });
  const counts = await sink.counts();
  if (counts.hooks !== call) throw new Error(`the receiver got ${counts.hooks} requests for ${call} calls`);
  for (const side of [guard, linked]) {
    const stats = side.getStats();
    if (stats.allowed !== stats.checks) throw new Error(`guard outcomes: ${JSON.stringify(stats)}`);
    await side.close();
  }
  await processor.shutdown();
  await sink.close();

  const all = Object.fromEntries(Object.entries(samples).map(([name, rounds]) => [name, rounds.flat()]));
  const us = (ms) => `${fmt.us(ms * 1000)} µs`;
  const at = (name, p) => percentile(all[name], p);
  const guardSide = "guard.check()";
  const linkedSide = "guard.check(), linked";
  const rawSide = "raw keep-alive request";
  const p50 = at(guardSide, 50) / at(rawSide, 50);
  const linkedP50 = at(linkedSide, 50) / at(rawSide, 50);
  const p99 = at(guardSide, 99) / at(rawSide, 99);
  const perRound = samples[guardSide].map((latencies, round) => percentile(latencies, 50) / percentile(samples[rawSide][round], 50));
  const n = all[guardSide].length;
  writeResult("guard-latency", {
    title: "Guard latency per tool call",
    rows: [
      {
        benchmark: "guard latency per tool call, p50",
        compared: "guard.check() vs a raw keep-alive request to the same receiver",
        target: `≤ ${TARGET}×`,
        measured: fmt.ratio(p50),
        verdict: verdictAtMost(p50, TARGET),
        notes: `${us(at(guardSide, 50))} vs ${us(at(rawSide, 50))}; per-round ratios ${fmt.ratio(Math.min(...perRound))}–${fmt.ratio(Math.max(...perRound))}; ${fmt.int(n)} calls per side`,
      },
      {
        benchmark: "guard latency per tool call, p50, linked",
        compared: "guard.check() linked to a PermisoSpanProcessor vs a raw keep-alive request",
        target: "—",
        measured: fmt.ratio(linkedP50),
        verdict: "context",
        notes: `${us(at(linkedSide, 50))} vs ${us(at(rawSide, 50))}; the run is looked up for every call`,
      },
      {
        benchmark: "guard latency per tool call, p99",
        compared: "guard.check() vs a raw keep-alive request to the same receiver",
        target: "—",
        measured: fmt.ratio(p99),
        verdict: "context",
        notes: `${us(at(guardSide, 99))} vs ${us(at(rawSide, 99))}`,
      },
    ],
    details: [
      `One call at a time, each waiting for its answer, inside an active span (AsyncLocalStorage context), ${fmt.int(n)} calls per side in ${ROUNDS} alternating rounds, to a receiver in another process answering 200 \`{}\` at once.`,
      "",
      `| side | p50 | p90 | p99 | max |`,
      `| --- | --- | --- | --- | --- |`,
      ...[guardSide, linkedSide, rawSide].map((name) => `| ${name} | ${us(at(name, 50))} | ${us(at(name, 90))} | ${us(at(name, 99))} | ${us(Math.max(...all[name]))} |`),
    ].join("\n"),
    data: {
      p50: { guard: at(guardSide, 50), linked: at(linkedSide, 50), raw: at(rawSide, 50) },
      p99: { guard: at(guardSide, 99), linked: at(linkedSide, 99), raw: at(rawSide, 99) },
      perRound,
    },
  });
}

await main();
