/**
 * The engine on recorded real spans, with no OpenTelemetry SDK in the way:
 * fed in end order under "hold until the run is known" (as an exporter or
 * an OTLP receiver feeds it) and start by start under "known from the
 * start" (as a processor does), it sends the same requests.
 */
import { describe, expect, it } from "vitest";
import { runIdForTrace } from "../../src/engine/run-ids.js";
import { WEATHER_EVENT_KINDS, type AiConvention } from "../support/ai-scenarios.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { endedSpans, loadRecordedRun, replayAsProcessor, SCENARIO_NAMES, type Recording, type ScenarioName } from "../support/recorded-runs.js";
import { FIXTURES_DIR, loadRecording } from "../support/span-fixtures.js";
import { engineUnderTest } from "../support/span-records.js";

async function sentBy(policy: "hold-until-run-known" | "known-from-start", convention: AiConvention, scenario: ScenarioName) {
  return replayed(policy, loadRecordedRun(convention, scenario));
}

async function replayed(policy: "hold-until-run-known" | "known-from-start", run: Recording) {
  const { engine, bodies } = engineUnderTest(policy);
  if (policy === "known-from-start") {
    replayAsProcessor(engine, run);
  } else {
    for (const span of endedSpans(run)) engine.spanEnded(span);
    engine.release();
  }
  await engine.flush();
  // Requests by run, in order within each run; the send time differs by nature.
  const byRun = new Map<string, unknown[]>();
  for (const { clientSentAtMs: _sent, ...body } of bodies) byRun.set(body.runId, [...(byRun.get(body.runId) ?? []), body]);
  return { byRun, traceId: endedSpans(run)[0].traceId };
}

describe.each<AiConvention>(["genai", "legacy"])("recorded AI SDK 7 runs (%s)", (convention) => {
  it("the weather agent becomes the worked example's six events", async () => {
    const { byRun, traceId } = await sentBy("hold-until-run-known", convention, "weatherAgent");
    expect([...byRun.keys()]).toEqual([runIdForTrace(traceId)]);
    const events = [...byRun.values()][0] as Array<{ hookEvent: string; event: { type?: string }; agent: object }>;
    expect(events.map((body) => `${body.hookEvent}:${body.event.type ?? "stop"}`)).toEqual(WEATHER_EVENT_KINDS);
    for (const body of events) expect(body.agent).toEqual({ name: "weather-agent", systemPrompt: "You are a weather bot." });
  });

  it.each(SCENARIO_NAMES)("%s: both release policies send the same requests", async (scenario) => {
    const held = await sentBy("hold-until-run-known", convention, scenario);
    const known = await sentBy("known-from-start", convention, scenario);
    expect(known.byRun).toEqual(held.byRun);
    expect(held.byRun.size).toBe(scenario === "orchestratorWithSubAgent" ? 2 : 1);
  });
});

/** Every framework recording whose spans were seen at their start too (not Mastra's exporter, which gets ended spans). */
const FRAMEWORK_RECORDINGS = readdirSync(FIXTURES_DIR).flatMap((suite) =>
  readdirSync(join(FIXTURES_DIR, suite)).map((file) => [suite, file.replace(/\.json$/, "")] as const),
);

describe("recorded framework runs (test/fixtures/spans)", () => {
  it.each(FRAMEWORK_RECORDINGS)("%s %s: both release policies send the same requests", async (suite, scenario) => {
    const recording = loadRecording(suite, scenario);
    const held = await replayed("hold-until-run-known", recording);
    expect(held.byRun.size).toBeGreaterThan(0);
    if (!recording.order.some(([what]) => what === "start")) return;
    const known = await replayed("known-from-start", recording);
    expect(known.byRun).toEqual(held.byRun);
  });
});
