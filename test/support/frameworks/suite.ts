/**
 * The conformance suite one framework + instrumentation pair runs: every
 * scenario it supports, through the exporter behind a simple processor,
 * and through the exporter behind a batch processor and the processor side
 * by side (which must send identical events), each checked against the
 * scenario's expected runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HookBody } from "../../../src/protocol/body.js";
import { runIdForSpan, runIdForTrace, type PermisoBridgeOptions } from "../../../src/otel/index.js";
import { capture, captureSideBySide, captureThroughExporter, expectWellFormedRun, runsOf, summarize, type SpanExporterLike } from "../bridge-harness.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedReply } from "../fake-openai.js";
import type { TestProvider } from "../otel-sdk.js";
import { RECORDING, recordFixture } from "../span-fixtures.js";
import { expectedRuns, PROMPTS, SCRIPTS, type Carried, type ExpectedRun, type Gaps, type ScenarioId } from "./scenarios.js";

export interface ScenarioEnv {
  server: FakeOpenAI;
  /** The API key whose requests the server answers from this scenario's script. */
  apiKey: string;
}

/** Runs a scenario on a tracer provider the instrumentation is pointed at. */
export type ProviderScenario = (env: ScenarioEnv & { provider: TestProvider }) => Promise<unknown>;
/** Runs a scenario handing the bridge's exporter to a framework that owns its span processor. */
export type ExporterScenario = (env: ScenarioEnv & { exporter: SpanExporterLike }) => Promise<unknown>;

interface SuiteBase {
  /** e.g. `openai-agents+openinference`: names the describe block and the fixture folder. */
  name: string;
  /** What the instrumentation does not carry, per scenario. */
  gaps?: Partial<Record<ScenarioId, Gaps>>;
  /** What the instrumentation carries beyond the scenario (settings, usage details, error wording). */
  carried?: Carried;
  /** The framework fetches LangChain's tokenizer (a streaming `ChatOpenAI`): serve it from the fake server. */
  fetchesTokenizer?: boolean;
  /** Runs stated outright, for a scenario whose instrumentation records it too oddly for gaps to say. */
  expected?: Partial<Record<ScenarioId, ExpectedRun[]>>;
  /** Bridge options, as a user of this framework would set them. */
  bridgeOptions?: PermisoBridgeOptions;
  /** The model's replies, for a scenario the framework ends sooner than the others (a tool error that fails the run). */
  scripts?: Partial<Record<ScenarioId, ScriptedReply[]>>;
}

export interface ProviderSuite extends SuiteBase {
  scenarios: Partial<Record<ScenarioId, ProviderScenario>>;
  /** Points the instrumentation at the scenario's tracer provider, as `setTracerProvider` does. */
  instrument?(provider: TestProvider): void;
}

export interface ExporterSuite extends SuiteBase {
  exporterScenarios: Partial<Record<ScenarioId, ExporterScenario>>;
}

/** The system prompt each agent of the scenarios is given. */
export const SYSTEM_PROMPTS: Record<string, string> = {
  "weather-agent": PROMPTS.weatherSystem,
  weather_agent: PROMPTS.weatherSystem,
  orchestrator: PROMPTS.orchestratorSystem,
  "research-agent": PROMPTS.researcherSystem,
  triage: PROMPTS.triageSystem,
};

export function defineFrameworkSuite(suite: ProviderSuite | ExporterSuite): void {
  let server: FakeOpenAI;
  beforeAll(async () => {
    server = await startFakeOpenAI();
    if (suite.fetchesTokenizer) await server.serveTokenizer();
  });
  afterAll(() => server?.close());

  describe(suite.name, () => {
    const scenarios = "scenarios" in suite ? suite.scenarios : suite.exporterScenarios;
    for (const id of Object.keys(scenarios) as ScenarioId[]) {
      const expected = suite.expected?.[id] ?? expectedRuns(id, suite.gaps?.[id], suite.carried);
      const script = () => {
        const apiKey = server.script(suite.scripts?.[id] ?? SCRIPTS[id]);
        return { server, apiKey };
      };
      const allRepliesUsed = (apiKey: string) => expect(server.unused(apiKey), "every scripted reply was asked for").toBe(0);

      if ("scenarios" in suite) {
        const scenario = suite.scenarios[id]!;
        const run: ProviderScenario = (env) => {
          suite.instrument?.(env.provider);
          return scenario(env);
        };
        it(`${id}: exporter behind a simple span processor`, async () => {
          const env = script();
          const { bodies, spans } = await capture("exporter+simple", (provider) => run({ ...env, provider }), suite.bridgeOptions);
          allRepliesUsed(env.apiKey);
          expectRuns(bodies, expected, spans);
        });
        it(`${id}: exporter behind a batch span processor, and the processor, send the same events`, async () => {
          const env = script();
          const { exporter, processor, spans, recording } = await captureSideBySide((provider) => run({ ...env, provider }), suite.bridgeOptions);
          allRepliesUsed(env.apiKey);
          if (RECORDING) recordFixture(suite.name, id, recording);
          expectRuns(exporter, expected, spans);
          expectRuns(processor, expected, spans);
          expect(comparable(exporter)).toEqual(comparable(processor));
        });
      } else {
        const run = suite.exporterScenarios[id]!;
        it(`${id}: exporter behind the framework's own span processor`, async () => {
          const env = script();
          const { bodies, spans, recording } = await captureThroughExporter((exporter) => run({ ...env, exporter }), suite.bridgeOptions);
          allRepliesUsed(env.apiKey);
          if (RECORDING) recordFixture(suite.name, id, recording);
          expectRuns(bodies, expected, spans);
        });
      }
    }
  });
}

/** Per run (runs go in parallel, so by id), in order: the events and their ids, to compare two deliveries of the same spans. */
export function comparable(bodies: HookBody[]) {
  const runs = [...runsOf(bodies)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return runs.map(([runId, run]) => ({
    runId,
    parentRunId: run[0]?.parentRunId,
    events: run.map((body) => ({
      ...summarize(body as HookBody),
      eventId: (body.event as { eventId?: string }).eventId,
      agent: body.agent,
    })),
  }));
}

/**
 * The bodies form exactly the expected runs: the trace's run (id from the
 * trace id) and child runs under the run of their parent agent, each with
 * the expected events in order, every event naming its agent and that
 * agent's system prompt, and each run well formed.
 */
export function expectRuns(bodies: HookBody[], expected: ExpectedRun[], spans: any[] = []): void {
  const runs = runsOf(bodies);
  const described = [...runs].map(([runId, run]) => `${runId} (parent ${run[0]?.parentRunId ?? "none"}): ${run.length} events`);
  expect(runs.size, `runs sent: ${described.join("; ")}`).toBe(expected.length);

  const runIdOf = new Map<string, string>();
  const remaining = new Map(runs);
  for (const want of expected) {
    const parentRunId = want.parent === undefined ? undefined : runIdOf.get(want.parent);
    const match = [...remaining].find(([, run]) => run[0]?.parentRunId === parentRunId && run[0]?.agent?.name === want.agent) ??
      [...remaining].find(([, run]) => run[0]?.parentRunId === parentRunId);
    expect(match, `a run for ${want.agent} with parent run ${parentRunId ?? "none"}`).toBeDefined();
    const [runId, run] = match!;
    remaining.delete(runId);
    runIdOf.set(want.agent, runId);

    const got = run.map((body) => ({ ...summarize(body as HookBody), agent: body.agent?.name }));
    expect(got, `events of ${want.agent}'s run`).toEqual(want.events);
    for (const body of run) {
      const systemPrompt = want.noSystemPrompt ? undefined : SYSTEM_PROMPTS[body.agent?.name ?? ""];
      expect(body.agent?.systemPrompt, `system prompt on ${body.hookEvent} of ${want.agent}'s run`).toBe(systemPrompt);
    }
    expectWellFormedRun(run as HookBody[]);
  }

  const traceId = spans[0]?.spanContext().traceId;
  if (traceId) {
    const top = expected.find((run) => run.parent === undefined)!;
    expect(runIdOf.get(top.agent), "the trace's run id comes from the trace id").toBe(runIdForTrace(traceId));
    const childRunIds = new Set(spans.map((span) => runIdForSpan(traceId, span.spanContext().spanId)));
    for (const run of expected.filter((candidate) => candidate.parent !== undefined)) {
      expect(childRunIds.has(runIdOf.get(run.agent)!), `${run.agent}'s run id comes from its agent span`).toBe(true);
    }
  }
}
