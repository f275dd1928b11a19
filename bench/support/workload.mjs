/**
 * Replays the recorded AI SDK traces (see record-workload.mjs) as fresh
 * traces: each copy gets new trace and span ids, so a pipeline sees many
 * distinct runs, while the span contents stay byte-identical across copies,
 * pipelines and rounds.
 *
 * A replayed span is a plain object with the fields of an sdk-trace-base
 * 2.x ReadableSpan, which is all a SpanProcessor, our bridge and the OTLP
 * transformer read. `onStart` gets a view with the attributes the span had
 * when it started; `onEnd` gets the finished span, as a provider would.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { RESULTS_DIR } from "./harness.mjs";

const SAMPLED = 1;

/**
 * Attributes with their own strings, as a real span's are: a span made by an
 * app shares no string (nor a string's cached hash) with the span before it.
 * The recorded attributes came from JSON, so the round trip keeps them whole.
 */
function ownCopy(value) {
  return JSON.parse(JSON.stringify(value));
}

class ReplaySpan {
  constructor(template, context, parentSpanContext, resource, ended, own) {
    this.name = template.name;
    this.kind = template.kind;
    this._context = context;
    this.parentSpanContext = parentSpanContext;
    this.startTime = template.startTime;
    this.endTime = ended ? template.endTime : [0, 0];
    this.duration = ended ? hrDiff(template.endTime, template.startTime) : [0, 0];
    this.ended = ended;
    this.status = ended ? template.status : { code: 0 };
    const attributes = ended ? template.attributes : template.startAttributes;
    this.attributes = own ? ownCopy(attributes) : attributes;
    this.events = ended ? (own ? ownCopy(template.events) : template.events) : [];
    this.links = [];
    this.resource = resource;
    this.instrumentationScope = template.scope;
    this.droppedAttributesCount = 0;
    this.droppedEventsCount = 0;
    this.droppedLinksCount = 0;
  }
  spanContext() {
    return this._context;
  }
}

function hrDiff(a, b) {
  let sec = a[0] - b[0];
  let ns = a[1] - b[1];
  if (ns < 0) {
    sec -= 1;
    ns += 1e9;
  }
  return [sec, ns];
}

export function loadWorkload(file = join(RESULTS_DIR, "workload.json")) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run "node --import tsx bench/support/record-workload.mjs" (bench/run.mjs does)`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * `next()` returns the next trace copy (cycling through the recorded
 * scenarios) as `{ ops, spans }`: `ops` are `{ start: true, span,
 * parentContext }` and `{ start: false, span }` in recorded order.
 * `next(true)` gives the copy's spans their own attribute strings (see
 * `ownCopy`), at a cost benchmarks pay before measuring (`prepareTraces`);
 * copies made while measuring share the recorded ones.
 */
export function createReplay(workload = loadWorkload()) {
  const resource = resourceFromAttributes(workload.resourceAttributes);
  const templates = workload.traces;
  let copy = 0;
  let spanCounter = 0;
  const spansPerCycle = templates.reduce((n, t) => n + t.spans.length, 0);
  return {
    templates,
    spansPerCycle,
    next(own = false) {
      const template = templates[copy % templates.length];
      const traceId = `5ebe${(++copy).toString(16).padStart(28, "0")}`;
      const ids = new Map();
      const contexts = template.spans.map((s) => {
        const spanId = (++spanCounter).toString(16).padStart(16, "0");
        ids.set(s.spanId, spanId);
        return { traceId, spanId, traceFlags: SAMPLED, isRemote: false };
      });
      const parents = template.spans.map((s) =>
        s.parentSpanId && ids.has(s.parentSpanId)
          ? { traceId, spanId: ids.get(s.parentSpanId), traceFlags: SAMPLED, isRemote: false }
          : undefined,
      );
      const ops = template.ops.map(([isStart, i]) =>
        isStart
          ? {
              start: true,
              span: new ReplaySpan(template.spans[i], contexts[i], parents[i], resource, false, own),
              parentContext: parents[i] ? trace.setSpanContext(ROOT_CONTEXT, parents[i]) : ROOT_CONTEXT,
            }
          : { start: false, span: new ReplaySpan(template.spans[i], contexts[i], parents[i], resource, true, own) },
      );
      return { ops, spans: template.spans.length, scenario: template.name };
    },
  };
}

/** `count` trace copies, built before any measurement starts, each span with its own attribute strings. */
export function prepareTraces(replay, count) {
  const traces = [];
  let spans = 0;
  for (let i = 0; i < count; i++) {
    const t = replay.next(true);
    traces.push(t);
    spans += t.spans;
  }
  return { traces, spans };
}

/** Drives a SpanProcessor exactly as a tracer provider would for these traces. */
export function feed(processor, traceCopy) {
  for (const op of traceCopy.ops) {
    if (op.start) processor.onStart(op.span, op.parentContext);
    else processor.onEnd(op.span);
  }
}

/** The finished spans of these traces in the order they ended: what a BatchSpanProcessor hands its exporter. */
export function endedSpans(traces) {
  const out = [];
  for (const t of traces) for (const op of t.ops) if (!op.start) out.push(op.span);
  return out;
}
