/** The contract of a convention reader: a cheap test, then a pure read. */
import type { SpanMeaning } from "../model.js";
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
}
