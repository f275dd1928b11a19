/**
 * Bursts of real AI SDK spans: the four agent runs the benchmarks record
 * (`bench/support/record-workload.mjs`), recorded once on the SDK under
 * test and replayed as fresh traces (new ids, the same content), in the
 * recorded order of starts and ends, the way a busy host offers them. A
 * start shows the attributes the span had when it started; an end hands
 * over the finished span, as a tracer provider does.
 */
import { randomBytes } from "node:crypto";
import { ROOT_CONTEXT, trace, type Context, type SpanContext } from "@opentelemetry/api";
import { orchestratorWithSubAgent, secondTurn, streamingAgent, weatherAgent } from "./ai-scenarios.js";
import { createProvider, type SpanProcessorLike } from "./otel-sdk.js";

const SCENARIOS = [weatherAgent, orchestratorWithSubAgent, secondTurn, streamingAgent];

interface Template {
  span: any;
  startAttributes: Record<string, unknown>;
}

interface RecordedTrace {
  templates: Template[];
  /** `[isStart, index]`, in the order they happened. */
  ops: Array<[boolean, number]>;
}

/** Notes every start and end, in order, with the attributes a span had when it started. */
class RecordingProcessor implements SpanProcessorLike {
  readonly order: Array<[boolean, any]> = [];
  readonly started = new Map<any, Record<string, unknown>>();
  onStart(span: any): void {
    this.started.set(span, { ...span.attributes });
    this.order.push([true, span]);
  }
  onEnd(span: any): void {
    this.order.push([false, span]);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface SpanBurst {
  /** Spans in one cycle of the recorded runs (one trace of each). */
  spansPerCycle: number;
  tracesPerCycle: number;
  /** Copies of the recorded traces, each with fresh ids, `count` traces in all. */
  traces(count: number): ReplayedTrace[];
}

export interface ReplayedTrace {
  spans: number;
  feed(processor: SpanProcessorLike): void;
}

export async function recordBurst(): Promise<SpanBurst> {
  const recorded: RecordedTrace[] = [];
  for (const scenario of SCENARIOS) {
    const recorder = new RecordingProcessor();
    const provider = createProvider([recorder]);
    await scenario("genai", provider);
    await provider.shutdown();
    const spans = [...recorder.started.keys()];
    const index = new Map(spans.map((span, i) => [span, i]));
    recorded.push({
      templates: spans.map((span) => ({ span, startAttributes: recorder.started.get(span)! })),
      ops: recorder.order.map(([isStart, span]) => [isStart, index.get(span)!]),
    });
  }
  return {
    spansPerCycle: recorded.reduce((sum, t) => sum + t.templates.length, 0),
    tracesPerCycle: recorded.length,
    traces(count) {
      const out: ReplayedTrace[] = [];
      for (let i = 0; i < count; i++) out.push(replay(recorded[i % recorded.length]));
      return out;
    },
  };
}

/** Random ids, as an IdGenerator makes them: run ids derived from them never collide. */
function replay(recorded: RecordedTrace): ReplayedTrace {
  const traceId = randomBytes(16).toString("hex");
  const ids = new Map<string, string>();
  for (const { span } of recorded.templates) ids.set(span.spanContext().spanId, randomBytes(8).toString("hex"));
  const contextOf = (spanId: string | undefined): SpanContext | undefined =>
    spanId && ids.has(spanId) ? { traceId, spanId: ids.get(spanId)!, traceFlags: 1, isRemote: false } : undefined;
  const starts: any[] = [];
  const ends: any[] = [];
  const parents: Context[] = [];
  for (const { span, startAttributes } of recorded.templates) {
    const own = contextOf(span.spanContext().spanId)!;
    const parentId: string | undefined = span.parentSpanContext?.spanId ?? span.parentSpanId;
    const parent = contextOf(parentId);
    ends.push(copy(span, own, parent, true, span.attributes));
    starts.push(copy(span, own, parent, false, startAttributes));
    parents.push(parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
  }
  return {
    spans: recorded.templates.length,
    feed(processor) {
      for (const [isStart, index] of recorded.ops) {
        if (isStart) processor.onStart(starts[index], parents[index]);
        else processor.onEnd(ends[index]);
      }
    },
  };
}

/** A plain ReadableSpan with new ids, in the shape of the SDK that recorded it (1.x or 2.x). */
function copy(span: any, own: SpanContext, parent: SpanContext | undefined, ended: boolean, attributes: Record<string, unknown>): any {
  const out: any = {
    name: span.name,
    kind: span.kind,
    spanContext: () => own,
    startTime: span.startTime,
    endTime: ended ? span.endTime : [0, 0],
    duration: ended ? span.duration : [0, 0],
    ended,
    status: ended ? span.status : { code: 0 },
    attributes,
    events: ended ? span.events : [],
    links: [],
    resource: span.resource,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  if ("parentSpanContext" in span) out.parentSpanContext = parent;
  else out.parentSpanId = parent?.spanId;
  if (span.instrumentationScope) out.instrumentationScope = span.instrumentationScope;
  else out.instrumentationLibrary = span.instrumentationLibrary;
  return out;
}

/** Feeds the traces as fast as a host produces them: one trace per turn of the event loop. */
export async function offer(processor: SpanProcessorLike, traces: ReplayedTrace[]): Promise<number> {
  let spans = 0;
  for (const t of traces) {
    t.feed(processor);
    spans += t.spans;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return spans;
}
