/**
 * Readers in priority order; the first whose `matches` accepts a span reads
 * it. Specific conventions come before the generic GenAI ones because their
 * spans often carry some `gen_ai.*` attributes too.
 */
import type { SpanFacts } from "../model.js";
import type { SpanView } from "../span-view.js";
import { aiSdkLegacyReader } from "./ai-sdk-legacy.js";
import { genAiEventsReader } from "./genai-events.js";
import { genAiReader } from "./genai.js";
import { genkitReader } from "./genkit.js";
import { readIdentity } from "./identity.js";
import { mastraReader } from "./mastra.js";
import { openInferenceReader } from "./openinference.js";
import { openLlmetryReader } from "./openllmetry.js";
import type { ConventionReader } from "./reader.js";

/**
 * The order, and why:
 *
 * 1. `ai-sdk` (`ai.operationId`): the AI SDK's own attributes are the
 *    source; `@arizeai/openinference-vercel` adds OpenInference attributes to
 *    the same spans at their end, which would otherwise make a span change
 *    convention between its start and its end, and lose the response time
 *    that orders a model's output before its tools.
 * 2. `openinference` (`openinference.span.kind`): its spans may also carry
 *    `gen_ai.*` (converted GenAI spans, Mastra through Arize), and its kind
 *    is the more deliberate statement of what the span is.
 * 3. `mastra` (`mastra.span.type`): GenAI attributes with Mastra's quirks;
 *    its span type must win over its custom operation names.
 * 4. `openllmetry` (`traceloop.*`, `llm.request.type`, `gen_ai.prompt.0.*`):
 *    its spans carry `gen_ai.system` and `gen_ai.request.model` too, which
 *    alone would make them GenAI model calls without their messages.
 * 5. `genkit` (`genkit:type`): Genkit's own attributes, on spans that carry
 *    no other convention's.
 * 6. `genai-events`: the older GenAI forms with content in span events, and
 *    old spans that name `gen_ai.system` but no operation.
 * 7. `genai`: the newest GenAI attributes, the generic fallback.
 */
export const CONVENTION_READERS: readonly ConventionReader[] = [
  aiSdkLegacyReader,
  openInferenceReader,
  mastraReader,
  openLlmetryReader,
  genkitReader,
  genAiEventsReader,
  genAiReader,
];

export function readerFor(span: SpanView): ConventionReader | undefined {
  for (const reader of CONVENTION_READERS) if (reader.matches(span)) return reader;
  return undefined;
}

/** What kind of span this is, content unread. */
export function classifySpan(span: SpanView): SpanFacts["meaning"]["kind"] {
  const reader = readerFor(span);
  if (!reader) return "none";
  try {
    return reader.classify(span);
  } catch {
    return "none";
  }
}

/** Whether an open span could still turn out to be an agent once its producer finishes it (see ConventionReader). */
export function mayBecomeAgent(span: SpanView): boolean {
  try {
    return readerFor(span)?.mayBecomeAgent?.(span) === true;
  } catch {
    return false;
  }
}

/** The default `shouldExportSpan`: the span follows a known LLM or agent convention. */
export function isAiSpan(span: SpanView): boolean {
  return readerFor(span) !== undefined;
}

const NONE: SpanFacts["meaning"] = { kind: "none" };

export function readSpan(span: SpanView): SpanFacts {
  const reader = readerFor(span);
  let meaning = NONE;
  if (reader) {
    try {
      meaning = reader.read(span);
    } catch {
      // A reader bug must never break the host's tracing; the span just carries no meaning.
      meaning = NONE;
    }
  }
  return { meaning, identity: readIdentity(span.attributes), convention: reader?.name ?? "none" };
}
