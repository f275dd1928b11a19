/**
 * Real spans recorded from the framework suite (`npm run record:fixtures`),
 * stored as the version-neutral `SpanView` the readers take, and turned back
 * into SDK-shaped spans to replay them through the bridge.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toSpanView, type ReadableSpanLike, type SpanView } from "../../src/otel/span-view.js";

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "spans");

/** Whether this run re-records the fixtures (`RECORD_FIXTURES=1`). */
export const RECORDING = process.env.RECORD_FIXTURES === "1";

/** Writes the spans of one scenario, in the order they ended. */
export function recordFixture(suite: string, scenario: string, spans: readonly ReadableSpanLike[]): void {
  const file = join(FIXTURES_DIR, suite, `${scenario}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(spans.map((span) => toSpanView(span)), null, 1)}\n`);
}

/** The recorded spans of one scenario, as the readers see them. */
export function loadFixture(suite: string, scenario: string): SpanView[] {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, suite, `${scenario}.json`), "utf8")) as SpanView[];
}

/** The one recorded span with this name (and, when given, a matching attribute). */
export function fixtureSpan(spans: SpanView[], name: string, where: (span: SpanView) => boolean = () => true): SpanView {
  const found = spans.filter((span) => span.name === name && where(span));
  if (found.length !== 1) throw new Error(`expected one span named "${name}", found ${found.length}`);
  return found[0];
}

/** A recorded span shaped like an sdk-trace-base 2.x ReadableSpan, to replay through the bridge. */
export function asReadableSpan(view: SpanView): ReadableSpanLike {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  return {
    name: view.name,
    kind: view.kind,
    spanContext: () => ({ traceId: view.traceId, spanId: view.spanId, traceFlags: 1 }),
    parentSpanContext: view.parentSpanId
      ? { traceId: view.traceId, spanId: view.parentSpanId, traceFlags: 1, isRemote: view.parentIsRemote ?? false }
      : undefined,
    startTime: hr(view.startMs),
    endTime: hr(view.endMs),
    ended: true,
    attributes: view.attributes,
    events: view.events.map((event) => ({ name: event.name, time: hr(event.timeMs), attributes: event.attributes })),
    status: view.status,
    instrumentationScope: { name: view.scope ?? "" },
  };
}
