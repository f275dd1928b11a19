/**
 * Tools for end-to-end tests on hand-built traces: spans made with the real
 * OpenTelemetry tracer, run through the real bridge in every attachment,
 * and the checks every such run must pass.
 */
import type { Attributes, Span, Tracer } from "@opentelemetry/api";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { expect } from "vitest";
import type { HookBody } from "../../../src/protocol/body.js";
import { ATTACHMENTS, capture, captureSideBySide, runsOf, summarize } from "../../support/bridge-harness.js";
import type { TestProvider } from "../../support/otel-sdk.js";

export type Scenario = (provider: TestProvider) => Promise<unknown>;
export type Summary = ReturnType<typeof summarize>;

export interface SpanPlan {
  kind?: SpanKind;
  /** Set when the span starts, as instrumentations set what they know up front. */
  attributes?: Attributes;
  /** Set just before the span ends: responses, usage, results. */
  endAttributes?: Attributes;
  /** Added just before the span ends, in order. */
  events?: Array<{ name: string; attributes?: Attributes }>;
  failed?: string;
}

/** Runs `body` inside an active span built from `plan`; the span ends when `body` is done. */
export async function inSpan(tracer: Tracer, name: string, plan: SpanPlan, body: (span: Span) => Promise<void> = async () => {}): Promise<void> {
  await tracer.startActiveSpan(name, { kind: plan.kind ?? SpanKind.INTERNAL, attributes: plan.attributes ?? {} }, async (span) => {
    await pause();
    await body(span);
    for (const event of plan.events ?? []) span.addEvent(event.name, event.attributes ?? {});
    if (plan.endAttributes) span.setAttributes(plan.endAttributes);
    if (plan.failed) span.setStatus({ code: SpanStatusCode.ERROR, message: plan.failed });
    await pause();
    span.end();
  });
}

/** Lets the clock move, so sibling spans do not all share one millisecond. */
export function pause(ms = 2): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs the scenario through every attachment and checks that each sends
 * exactly `expected`, that the user prompt goes once, that every tool
 * result follows its tool use, and that one stop comes last.
 */
export async function expectEventsInEveryAttachment(
  scenario: Scenario,
  expected: Summary[],
  checkBody: (body: HookBody) => void = () => {},
): Promise<void> {
  for (const attachment of ATTACHMENTS) {
    const { bodies } = await capture(attachment, scenario);
    expect(bodies.map(summarize), attachment).toEqual(expected);
    expectWellFormedRun(bodies);
    bodies.forEach(checkBody);
  }
}

export function expectWellFormedRun(bodies: HookBody[]): void {
  const events = bodies.map((body) => body.event as Record<string, unknown>);
  const prompts = events.filter((event) => event.source === "user" && event.type === "text");
  expect(new Set(prompts.map((event) => event.text)).size, "each user prompt is sent once").toBe(prompts.length);

  const toolUses = new Map<unknown, number>();
  events.forEach((event, index) => {
    if (event.type === "tool_use") {
      expect(toolUses.has(event.toolUseId), `tool_use ${String(event.toolUseId)} sent once`).toBe(false);
      toolUses.set(event.toolUseId, index);
    }
    if (event.type === "tool_result") {
      expect(toolUses.get(event.toolUseId), `tool_use ${String(event.toolUseId)} precedes its result`).toBeLessThan(index);
    }
  });

  const stops = events.filter((event) => event.source === "stop");
  expect(stops, "one stop").toHaveLength(1);
  expect(events[events.length - 1], "the stop comes last").toBe(stops[0]);

  const ids = events.map((event) => event.eventId);
  expect(new Set(ids).size, "event ids are unique").toBe(ids.length);
}

/**
 * The same spans through an exporter behind a batch processor and through
 * a processor: per run, the same events with the same ids.
 */
export async function expectExporterAndProcessorAgree(scenario: Scenario): Promise<void> {
  const { exporter, processor } = await captureSideBySide(scenario);
  const comparable = (bodies: HookBody[]) =>
    [...runsOf(bodies)].map(([runId, run]) => ({
      runId,
      events: run.map((body) => ({ ...summarize(body as HookBody), eventId: (body.event as { eventId?: string }).eventId })),
    }));
  expect(exporter.length).toBeGreaterThan(0);
  expect(comparable(exporter)).toEqual(comparable(processor));
}
