/**
 * Tools for end-to-end tests on hand-built traces: spans made with the real
 * OpenTelemetry tracer, run through the real bridge in every attachment,
 * and the checks every such run must pass.
 */
import type { Attributes, Span, Tracer } from "@opentelemetry/api";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { expect } from "vitest";
import type { HookBody } from "../../../src/protocol/body.js";
import { ATTACHMENTS, capture, captureSideBySide, expectWellFormedRun, runsOf, summarize } from "../../support/bridge-harness.js";
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
