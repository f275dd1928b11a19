/**
 * The recorded AI SDK 7 runs (test/fixtures/ai-sdk/, written by
 * scripts/record-ai-sdk-fixtures.ts): real spans as SpanRecords, replayed
 * into readers and into the engine without running the AI SDK.
 */
import { readFileSync } from "node:fs";
import type { Attributes } from "@opentelemetry/api";
import { join } from "node:path";
import type { RunEngine } from "../../src/engine/engine.js";
import type { SpanRecord } from "../../src/engine/span-record.js";
import type { SpanFacts } from "../../src/otel/model.js";
import { toSpanView, type ReadableSpanLike } from "../../src/otel/span-view.js";
import { readerFor, readSpan } from "../../src/otel/conventions/registry.js";
import type { AiConvention } from "./ai-scenarios.js";

export const SCENARIO_NAMES = ["weatherAgent", "orchestratorWithSubAgent", "agentInHttpSpan", "secondTurn", "reasoningImageAndToolError", "streamingAgent"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The spans of one recorded run: what any recording keeps. */
export interface Recording {
  /** Every start and end, in the order the SDK reported them (only ends where spans were seen only at their end). */
  order: Array<["start" | "end", string]>;
  /** By span id: the span at its end, and its attributes when it started. */
  spans: Record<string, { span: SpanRecord; startAttributes: Attributes }>;
}

export interface RecordedRun extends Recording {
  scenario: ScenarioName;
  convention: AiConvention;
  recordedWith: Record<string, string>;
}

/** A span processor that records every start and end, as the fixtures keep them. */
export class RecordingProcessor implements Recording {
  readonly order: Recording["order"] = [];
  readonly spans: Recording["spans"] = {};
  readonly #started = new Map<string, Attributes>();
  onStart(span: ReadableSpanLike): void {
    const id = span.spanContext().spanId;
    this.#started.set(id, structuredClone(span.attributes));
    this.order.push(["start", id]);
  }
  onEnd(span: ReadableSpanLike): void {
    const id = span.spanContext().spanId;
    this.spans[id] = { span: structuredClone(toSpanView(span)), startAttributes: this.#started.get(id) ?? {} };
    this.order.push(["end", id]);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export const FIXTURE_DIR = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "fixtures", "ai-sdk");

export function loadRecordedRun(convention: AiConvention, scenario: ScenarioName): RecordedRun {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${convention}-${scenario}.json`), "utf8"));
}

/** The spans in the order they ended, as an exporter receives them. */
export function endedSpans(run: Recording): SpanRecord[] {
  return run.order.filter(([what]) => what === "end").map(([, id]) => run.spans[id].span);
}

/** Each ended span's name, reader and facts, in end order. */
export function readRecorded(run: RecordedRun): Array<{ name: string; reader: string | undefined; facts: SpanFacts }> {
  return endedSpans(run).map((span) => ({ name: span.name, reader: readerFor(span)?.name, facts: readSpan(span) }));
}

/** Feeds a recorded run to an engine as a processor would see it: every start, then every end, in order. */
export function replayAsProcessor(engine: RunEngine, run: Recording): void {
  for (const [what, id] of run.order) {
    const { span, startAttributes } = run.spans[id];
    if (what === "start") {
      // An open span reads as it started: the recording keeps no state in between.
      const atStart: SpanRecord = { ...span, endMs: Number.NaN, events: [], attributes: startAttributes };
      engine.spanStarted(() => ({ span: atStart, exportable: true }));
    } else {
      engine.spanEnded(span);
      void engine.release();
    }
  }
}
