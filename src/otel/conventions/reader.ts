/** The contract of a convention reader: a cheap test, then a pure read. */
import type { AgentInvocation, ModelCall, SpanMeaning, ToolExecution } from "../model.js";
import type { SpanView } from "../span-view.js";

export interface ConventionReader {
  /** Shown in diagnostics and tests, e.g. "openinference". */
  name: string;
  /** Whether the span follows this convention. Must be cheap: it runs on every span. */
  matches(span: SpanView): boolean;
  /**
   * What kind of span this is, without reading content. Used when a span
   * starts, to know agents and model calls before they end.
   */
  classify(span: SpanView): SpanMeaning["kind"];
  /** What the span means. Never throws; malformed values are skipped. */
  read(span: SpanView): SpanMeaning;
  /**
   * Whether an open span this reader does not read as an agent could still
   * turn out to be one when it ends, because its producer writes the
   * attributes that decide it only then. A processor waits for such spans
   * before sending what happened below them.
   */
  mayBecomeAgent?(span: SpanView): boolean;
}

/** How one convention reads each kind of span. */
export interface KindReaders {
  model(span: SpanView): ModelCall;
  tool(span: SpanView): ToolExecution;
  agent(span: SpanView): AgentInvocation;
  /** Names the AI work no event can express. */
  skipped(span: SpanView): string;
}

/** The meaning of a span of the given kind, read with the convention's readers. */
export function meaningByKind(kind: SpanMeaning["kind"] | undefined, span: SpanView, read: KindReaders): SpanMeaning {
  switch (kind) {
    case "model":
      return { kind, call: read.model(span) };
    case "tool":
      return { kind, tool: read.tool(span) };
    case "agent":
      return { kind, agent: read.agent(span) };
    case "skipped":
      return { kind, what: read.skipped(span) };
    default:
      return { kind: "none" };
  }
}
