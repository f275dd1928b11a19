/**
 * Readers in priority order; the first whose `matches` accepts a span reads
 * it. Specific conventions come before the generic GenAI ones because their
 * spans often carry some `gen_ai.*` attributes too.
 */
import type { SpanFacts } from "../model.js";
import type { SpanView } from "../span-view.js";
import { aiSdkLegacyReader } from "./ai-sdk-legacy.js";
import { genAiReader } from "./genai.js";
import { readIdentity } from "./identity.js";
import type { ConventionReader } from "./reader.js";

export const CONVENTION_READERS: readonly ConventionReader[] = [aiSdkLegacyReader, genAiReader];

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
