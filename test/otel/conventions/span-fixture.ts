/**
 * Hand-made `SpanView`s for reader tests: a finished span with the given
 * attributes and events, and nothing else that a reader should care about.
 */
import type { Attributes } from "@opentelemetry/api";
import type { SpanEventView, SpanView } from "../../../src/otel/span-view.js";

export interface SpanFixture {
  name?: string;
  attributes?: Attributes;
  events?: Array<{ name: string; attributes?: Attributes; timeMs?: number }>;
  status?: SpanView["status"];
  startMs?: number;
  endMs?: number;
}

export function spanView(fixture: SpanFixture = {}): SpanView {
  const startMs = fixture.startMs ?? 1_700_000_000_000;
  const events: SpanEventView[] = (fixture.events ?? []).map((event, index) => ({
    name: event.name,
    timeMs: event.timeMs ?? startMs + index + 1,
    attributes: event.attributes ?? {},
  }));
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    parentSpanId: undefined,
    parentIsRemote: undefined,
    name: fixture.name ?? "span",
    kind: 0,
    startMs,
    endMs: fixture.endMs ?? startMs + 100,
    attributes: fixture.attributes ?? {},
    events,
    status: fixture.status ?? { code: 0 },
    scope: "test",
  };
}

/** A string of about `megabytes` MB, for readers that must not choke on huge values. */
export function hugeText(megabytes: number): string {
  return "x".repeat(megabytes * 1024 * 1024);
}
