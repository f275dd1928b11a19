/**
 * What a span says, read with the convention registry: its kind (cheap,
 * content unread) and its facts (content read). An open span's attributes
 * may still change, so it is read again at each release, and at most once
 * in one release.
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

/** The open spans read during one release: each at most once. */
export class LiveReadings {
  readonly #snapshots = new Map<SpanNode, SpanSnapshot>();
  readonly #facts = new Map<SpanNode, SpanFacts>();

  /** The open span as it is now; `undefined` for a span seen only at its end. */
  snapshot(node: SpanNode): SpanSnapshot | undefined {
    if (!node.live) return undefined;
    let snapshot = this.#snapshots.get(node);
    if (!snapshot) this.#snapshots.set(node, (snapshot = node.live()));
    return snapshot;
  }

  /** Who a span is about: said at its end, or by its live attributes while open. */
  identity(node: SpanNode): Identity | undefined {
    return node.ended ? node.identity : this.#liveFacts(node)?.identity;
  }

  /** The agent a span is, if it is one. */
  agent(node: SpanNode | null | undefined): AgentInvocation | undefined {
    if (!node || node.kind !== "agent") return undefined;
    if (node.ended) return node.agent;
    const meaning = this.#liveFacts(node)?.meaning;
    return meaning?.kind === "agent" ? meaning.agent : undefined;
  }

  #liveFacts(node: SpanNode): SpanFacts | undefined {
    let facts = this.#facts.get(node);
    if (!facts) {
      const snapshot = this.snapshot(node);
      if (!snapshot) return undefined;
      this.#facts.set(node, (facts = factsOf(snapshot)));
    }
    return facts;
  }
}
