/**
 * Real spans recorded from the framework suite (`npm run record:fixtures`),
 * one file per suite and scenario in test/fixtures/spans/, kept as the AI SDK
 * recordings are (every start and end in order, each span at its end and
 * its attributes at its start): the readers' tests read the ended spans, and
 * the processor's view can be replayed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpanRecord } from "../../src/engine/span-record.js";
import { endedSpans, type Recording } from "./recorded-runs.js";

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "spans");

/** Whether this run re-records the fixtures (`RECORD_FIXTURES=1`). */
export const RECORDING = process.env.RECORD_FIXTURES === "1";

/** The packages a suite's spans come from, whose versions a recording names. */
const RECORDED_PACKAGES = [
  "openai",
  "@openai/agents",
  "langchain",
  "@langchain/core",
  "@langchain/openai",
  "@mastra/core",
  "@mastra/otel-exporter",
  "@mastra/otel-bridge",
  "@arizeai/openinference-instrumentation-openai",
  "@arizeai/openinference-instrumentation-openai-agents",
  "@arizeai/openinference-instrumentation-langchain",
  "@traceloop/instrumentation-openai",
  "@traceloop/instrumentation-langchain",
  "genkit",
  "@genkit-ai/compat-oai",
];

export interface FrameworkRecording extends Recording {
  suite: string;
  scenario: string;
  recordedWith: Record<string, string>;
}

function versionOf(name: string): string {
  return JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8")).version;
}

export function recordFixture(suite: string, scenario: string, recording: Recording): void {
  const file = join(FIXTURES_DIR, suite, `${scenario}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const recordedWith = Object.fromEntries(RECORDED_PACKAGES.map((name) => [name, versionOf(name)]));
  const fixture: FrameworkRecording = { suite, scenario, recordedWith, order: recording.order, spans: recording.spans };
  writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
}

export function loadRecording(suite: string, scenario: string): FrameworkRecording {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, suite, `${scenario}.json`), "utf8")) as FrameworkRecording;
}

/** The recorded spans of one scenario, in the order they ended, as the readers see them. */
export function loadFixture(suite: string, scenario: string): SpanRecord[] {
  return endedSpans(loadRecording(suite, scenario));
}

/** The one recorded span with this name (and, when given, a matching attribute). */
export function fixtureSpan(spans: SpanRecord[], name: string, where: (span: SpanRecord) => boolean = () => true): SpanRecord {
  const found = spans.filter((span) => span.name === name && where(span));
  if (found.length !== 1) throw new Error(`expected one span named "${name}", found ${found.length}`);
  return found[0];
}
