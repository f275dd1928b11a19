/**
 * Span records for the engine's unit tests: the shapes the engine takes from
 * any source, built by name (`"A"` becomes a 16-digit hex span id), with the
 * GenAI attributes that make a span an agent, a model call or a tool.
 */
import type { Attributes } from "@opentelemetry/api";
import { RunEngine } from "../../src/engine/engine.js";
import { holdUntilRunKnown, knownFromStart } from "../../src/engine/release-policy.js";
import { resolveEngineSettings, type EngineOptions } from "../../src/engine/settings.js";
import type { SpanRecord, SpanSnapshot } from "../../src/engine/span-record.js";
import type { HookTransport, SendResult } from "../../src/transport/types.js";
import { ManualClock } from "./manual-clock.js";

export const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = 1_700_000_000_000;

/** `"A"` → `"0000000000000041"`: readable names, valid span ids. */
export function spanId(name: string): string {
  return [...name].map((char) => char.charCodeAt(0).toString(16)).join("").padStart(16, "0").slice(-16);
}

export interface RecordShape {
  parent?: string;
  attributes?: Attributes;
  /** Offsets from a fixed epoch, in ms. */
  start?: number;
  end?: number;
  open?: boolean;
  scope?: string;
  parentIsRemote?: boolean;
  traceId?: string;
  name?: string;
}

export function record(name: string, shape: RecordShape = {}): SpanRecord {
  const start = shape.start ?? 0;
  return {
    traceId: shape.traceId ?? TRACE_ID,
    spanId: spanId(name),
    parentSpanId: shape.parent === undefined ? undefined : spanId(shape.parent),
    parentIsRemote: shape.parentIsRemote ?? (shape.parent === undefined ? undefined : false),
    name: shape.name ?? name,
    kind: 0,
    startMs: T0 + start,
    endMs: shape.open ? Number.NaN : T0 + (shape.end ?? start + 10),
    attributes: shape.attributes ?? {},
    events: [],
    status: { code: 0 },
    scope: shape.scope ?? "test",
  };
}

const json = JSON.stringify;

export const agent = (agentName: string, extra: Attributes = {}): Attributes => ({
  "gen_ai.operation.name": "invoke_agent",
  "gen_ai.agent.name": agentName,
  ...extra,
});

export const chat = (input: string[], output: string, extra: Attributes = {}): Attributes => ({
  "gen_ai.operation.name": "chat",
  "gen_ai.request.model": "m",
  "gen_ai.input.messages": json(input.map((text, index) => ({ role: index % 2 === 0 ? "user" : "assistant", parts: [{ type: "text", content: text }] }))),
  "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: output }], finish_reason: "stop" }]),
  ...extra,
});

/** A model call whose answer is a call of `tool`. */
export const chatCallingTool = (input: string, tool: string, callId: string, args: object = {}): Attributes => ({
  "gen_ai.operation.name": "chat",
  "gen_ai.request.model": "m",
  "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "text", content: input }] }]),
  "gen_ai.output.messages": json([
    { role: "assistant", parts: [{ type: "tool_call", id: callId, name: tool, arguments: args }], finish_reason: "tool_calls" },
  ]),
});

export const tool = (toolName: string, callId: string, result: string): Attributes => ({
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": toolName,
  "gen_ai.tool.call.id": callId,
  "gen_ai.tool.call.result": result,
});

/** A live span for `spanStarted`: its attributes can be changed before it is read again. */
export function liveSpan(name: string, shape: RecordShape = {}, exportable = true) {
  const span = record(name, { ...shape, open: true });
  const read = (): SpanSnapshot => ({ span: { ...span, attributes: { ...span.attributes } }, exportable });
  return {
    read,
    setAttributes(attributes: Attributes) {
      Object.assign(span.attributes, attributes);
    },
    /** The same span, ended now (at offset `end`), with the attributes it has then. */
    ended(end: number, attributes: Attributes = {}): SpanRecord {
      return { ...span, endMs: T0 + end, attributes: { ...span.attributes, ...attributes } };
    },
  };
}

const OK: SendResult = { status: "success", response: { statusCode: 200, statusText: "OK", body: "{}" } };

/** An engine with a transport that records every request and answers 200, and a manual clock. */
export function engineUnderTest(policy: "hold-until-run-known" | "known-from-start", options: EngineOptions = {}) {
  const bodies: any[] = [];
  const transport: HookTransport = {
    send: (payload) => {
      bodies.push(JSON.parse(payload));
      return Promise.resolve(OK);
    },
    close() {},
  };
  const clock = new ManualClock(T0);
  const settings = resolveEngineSettings(options);
  const engine = new RunEngine(settings, {
    transport,
    clock,
    policy: policy === "known-from-start" ? knownFromStart({ maxOpenTraces: 100 }) : holdUntilRunKnown(settings),
  });
  /** Releases, and waits until every event released so far is delivered or has finally failed. */
  const release = async () => {
    engine.release();
    await engine.settleReleased(Infinity);
  };
  const summary = () => bodies.map((body) => `${body.hookEvent}:${body.event.type ?? body.event.source}`);
  return { engine, bodies, clock, transport, release, summary };
}
