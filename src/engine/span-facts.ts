/**
 * What a span says, read with the convention registry: its kind (cheap,
 * content unread) and its facts (content read).
 */
import { readIdentity } from "../otel/conventions/identity.js";
import { classifySpan, readSpan } from "../otel/conventions/registry.js";
import type { AgentInvocation, Identity, SpanFacts } from "../otel/model.js";
import type { SpanRecord, SpanSnapshot } from "./span-record.js";
import type { SpanKind, SpanNode } from "./trace-graph.js";

const NONE: SpanFacts["meaning"] = { kind: "none" };

export function kindOf(span: SpanRecord, exportable: boolean): SpanKind {
  return exportable ? classifySpan(span) : "none";
}

/** A span the user's filter refuses means nothing, but still says who it is about. */
export function factsOf(span: SpanRecord, exportable: boolean): SpanFacts {
  return exportable ? readSpan(span) : { meaning: NONE, identity: readIdentity(span.attributes), convention: "none" };
}

/**
 * Reads open spans, which may still change. A reading is kept while the
 * span's attributes keep the same number of keys: instrumentations add
 * attributes as a span goes on (usage, output), so a new key means there is
 * something new to read, and an open agent's messages are not parsed again
 * at every release. Within one release (`nextRelease()`), a span is looked
 * at once.
 */
export class OpenSpanReader {
  #release = 0;

  /** Starts a release: spans are looked at again, at most once until the next one. */
  nextRelease(): void {
    this.#release++;
  }

  /** The open span as it is now; `undefined` for a span seen only at its end. */
  snapshot(node: SpanNode): SpanSnapshot | undefined {
    return this.#reading(node)?.snapshot;
  }

  /** What an open span is now, content unread. */
  kind(node: SpanNode): SpanKind | undefined {
    const reading = this.#reading(node);
    return reading && (reading.kind ??= kindOf(reading.snapshot.span, reading.snapshot.exportable));
  }

  /** Who a span is about: said at its end, or by its attributes while open. */
  identity(node: SpanNode): Identity | undefined {
    return node.ended ? node.identity : this.#facts(node)?.identity;
  }

  /** The agent a span is, if it is one. */
  agent(node: SpanNode | null | undefined): AgentInvocation | undefined {
    if (!node || node.kind !== "agent") return undefined;
    if (node.ended) return node.agent;
    const meaning = this.#facts(node)?.meaning;
    return meaning?.kind === "agent" ? meaning.agent : undefined;
  }

  #facts(node: SpanNode): SpanFacts | undefined {
    const reading = this.#reading(node);
    return reading && (reading.facts ??= factsOf(reading.snapshot.span, reading.snapshot.exportable));
  }

  #reading(node: SpanNode): OpenSpanReading | undefined {
    if (!node.live) return undefined;
    // Kept on the node, not in a WeakMap: it then dies young with the node instead of waiting for a full GC.
    let reading = node.reading;
    if (reading?.release === this.#release) return reading;
    const snapshot = node.live();
    const keys = countKeys(snapshot.span.attributes);
    if (!reading || reading.keys !== keys || reading.snapshot.exportable !== snapshot.exportable) {
      node.reading = reading = { release: this.#release, keys, snapshot };
    }
    reading.release = this.#release;
    reading.snapshot = snapshot;
    return reading;
  }
}

/** The last reading of an open span. */
export interface OpenSpanReading {
  release: number;
  keys: number;
  snapshot: SpanSnapshot;
  kind?: SpanKind;
  facts?: SpanFacts;
}

function countKeys(attributes: object): number {
  let keys = 0;
  for (const _ in attributes) keys++;
  return keys;
}
