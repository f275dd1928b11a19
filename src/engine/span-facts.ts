/**
 * What a span says, read with the convention registry: its kind (cheap,
 * content unread) and its facts (content read).
 */
import { readIdentity } from "../otel/conventions/identity.js";
import { classifySpan, readSpan } from "../otel/conventions/registry.js";
import type { AgentInvocation, Identity, SpanFacts } from "../otel/model.js";
import type { SpanSnapshot } from "./span-record.js";
import type { SpanKind, SpanNode } from "./trace-graph.js";

const NONE: SpanFacts["meaning"] = { kind: "none" };

export function kindOf({ span, exportable }: SpanSnapshot): SpanKind {
  return exportable ? classifySpan(span) : "none";
}

/** A span the user's filter refuses means nothing, but still says who it is about. */
export function factsOf({ span, exportable }: SpanSnapshot): SpanFacts {
  return exportable ? readSpan(span) : { meaning: NONE, identity: readIdentity(span.attributes), convention: "none" };
}

/**
 * Reads open spans, which may still change. A reading is kept while the
 * span's attributes keep the same number of keys: instrumentations add
 * attributes as a span goes on (usage, output), so a new key means there is
 * something new to read, and an open agent's messages are not parsed again
 * at every release.
 */
export class OpenSpanReader {
  readonly #readings = new WeakMap<SpanNode, { keys: number; exportable: boolean; kind?: SpanKind; facts?: SpanFacts }>();

  /** The open span as it is now; `undefined` for a span seen only at its end. */
  snapshot(node: SpanNode): SpanSnapshot | undefined {
    return node.live?.();
  }

  /** What an open span is now, content unread. */
  kind(node: SpanNode): SpanKind | undefined {
    const reading = this.#reading(node);
    if (!reading) return undefined;
    return (reading.entry.kind ??= kindOf(reading.snapshot));
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
    if (!reading) return undefined;
    return (reading.entry.facts ??= factsOf(reading.snapshot));
  }

  #reading(node: SpanNode) {
    const snapshot = this.snapshot(node);
    if (!snapshot) return undefined;
    const keys = countKeys(snapshot.span.attributes);
    let entry = this.#readings.get(node);
    if (!entry || entry.keys !== keys || entry.exportable !== snapshot.exportable) {
      this.#readings.set(node, (entry = { keys, exportable: snapshot.exportable }));
    }
    return { snapshot, entry };
  }
}

function countKeys(attributes: object): number {
  let keys = 0;
  for (const _ in attributes) keys++;
  return keys;
}
