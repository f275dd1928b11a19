/**
 * Turns the released spans of one run into hook events, in the order things
 * happened, each sent once.
 *
 * Model calls repeat the whole conversation in their input. A run therefore
 * remembers what it has sent: a multiset of contents by role and kind, and the
 * tool call ids used and answered. The first call of each agent contributes
 * only what follows the last assistant message (earlier turns are history);
 * every call after that contributes only what the run has not sent yet.
 *
 * Causality beats clocks: calls are ordered by conversation length, a
 * call's output follows its input, and the tools it asked for follow it.
 */
import type { AgentEvent, EventContent, JsonValue, UserEvent } from "../protocol/events.js";
import type { Message, ModelCall, Part, ToolExecution } from "../otel/model.js";
import { CLOCK_SKEW_MS } from "./clock.js";

/** What the composer needs to know of a span: which one, and when. */
export interface SpanTiming {
  readonly spanId: string;
  readonly startMs: number;
  /** NaN while open. */
  readonly endMs: number;
}

export interface ComposedEvent {
  hookEvent: string;
  event: UserEvent | AgentEvent;
  /** The span the event came from: its ancestors give identity and agent. */
  sourceSpanId: string;
  /** The system prompt of the model call behind the event, if any. */
  systemPrompt?: string;
  /** For a `tool_use`: whether the tool's own span said it (rather than a model's output or input). */
  fromToolSpan?: boolean;
}

export interface Composition {
  events: ComposedEvent[];
  /** Parts no event can express (audio, server tool calls, unknown types). */
  partsSkipped: number;
}

/** A model call, with where it came from. */
export interface CallItem {
  span: SpanTiming;
  call: ModelCall;
  /** The agent scope it ran in, for history stripping. */
  scope: string;
}

export interface ToolItem {
  span: SpanTiming;
  tool: ToolExecution;
}

export { toolUseEventId } from "./run-ids.js";

export class RunComposer {
  readonly #runId: string;
  #partsSkipped = 0;
  readonly #seen = new ContentTally();
  readonly #toolUsesSent = new Set<string>();
  readonly #toolResultsSent = new Set<string>();
  readonly #toolNames = new Map<string, string>();
  readonly #scopesStarted = new Set<string>();
  /** Tool calls sent and not yet answered, oldest first. */
  readonly #awaitingResult: Array<{ id: string; name: string; arguments: string | undefined }> = [];
  #lastTimestamp = 0;

  constructor(runId: string) {
    this.#runId = runId;
  }

  compose(calls: CallItem[], tools: ToolItem[]): Composition {
    const out: ComposedEvent[] = [];
    this.#partsSkipped = 0;
    const ordered = inCausalOrder(calls);
    const requestedBy = linkToolsToCalls(ordered, tools);
    const placed = new Set<ToolItem>();
    const byStart = [...tools].sort((a, b) => a.span.startMs - b.span.startMs);
    const placeTool = (item: ToolItem) => {
      if (placed.has(item)) return;
      placed.add(item);
      this.#emitTool(item, out);
    };

    for (const item of ordered) {
      // Tools no call asked for, that finished before this call began.
      for (const tool of byStart) {
        if (!requestedBy.has(tool) && endOf(tool.span) <= item.span.startMs + CLOCK_SKEW_MS) placeTool(tool);
      }
      this.#emitInput(item, out);
      this.#emitOutput(item, out);
      for (const tool of byStart) if (requestedBy.get(tool) === item) placeTool(tool);
    }
    for (const tool of byStart) placeTool(tool);
    return { events: out, partsSkipped: this.#partsSkipped };
  }

  #emitInput({ span, call, scope }: CallItem, out: ComposedEvent[]): void {
    const firstInScope = !this.#scopesStarted.has(scope);
    this.#scopesStarted.add(scope);
    const historyEnd = firstInScope ? lastIndexOf(call.input, (m) => m.role === "assistant") : -1;
    const occurrences = new ContentTally();
    call.input.forEach((message, messageIndex) => {
      const isHistory = messageIndex <= historyEnd;
      message.parts.forEach((part, partIndex) => {
        const timestamp = span.startMs;
        switch (part.type) {
          case "tool_call":
            this.#rememberToolName(part.id, part.name);
            if (isHistory) this.#markToolUse(part.id);
            else this.#pushToolUse(part, span, timestamp, undefined, call, out);
            return;
          case "tool_result":
            if (isHistory) this.#markToolResult(part.id);
            else this.#pushToolResult(part.id, part.name, part.result, part.isError, span, timestamp, out);
            return;
          case "unsupported":
            if (!isHistory) this.#partsSkipped++;
            return;
          default: {
            const occurrence = occurrences.add(message.role, part);
            if (occurrence <= this.#seen.count(message.role, part)) return;
            this.#seen.set(message.role, part, occurrence);
            // The slot names the part in its eventId; history is never sent, so it needs none.
            if (!isHistory) this.#pushContent(message, part, `${span.spanId}:i${messageIndex}.${partIndex}`, span, timestamp, undefined, call, out);
          }
        }
      });
    });
  }

  #emitOutput({ span, call }: CallItem, out: ComposedEvent[]): void {
    const timestamp = call.responseTimeMs ?? endOf(span);
    call.output.forEach((message, messageIndex) => {
      message.parts.forEach((part, partIndex) => {
        switch (part.type) {
          case "tool_call":
            this.#rememberToolName(part.id, part.name);
            this.#pushToolUse(part, span, timestamp, call, call, out);
            return;
          case "tool_result":
            this.#pushToolResult(part.id, part.name, part.result, part.isError, span, timestamp, out);
            return;
          case "unsupported":
            this.#partsSkipped++;
            return;
          default: {
            this.#seen.add(message.role, part);
            this.#pushContent(message, part, `${span.spanId}:o${messageIndex}.${partIndex}`, span, timestamp, call, call, out);
          }
        }
      });
    });
  }

  #emitTool({ span, tool }: ToolItem, out: ComposedEvent[]): void {
    const id = tool.callId ?? this.#claimAwaitingCall(tool) ?? `span-${span.spanId}`;
    const name = tool.name ?? this.#toolNames.get(id) ?? "tool";
    this.#rememberToolName(id, name);
    const sent = out.length;
    this.#pushToolUse({ type: "tool_call", id, name, arguments: tool.arguments }, span, span.startMs, undefined, undefined, out);
    if (out.length > sent) out[sent].fromToolSpan = true;
    if (tool.result !== undefined || tool.isError) {
      const result = tool.result !== undefined ? tool.result : tool.errorMessage;
      this.#pushToolResult(id, name, result, tool.isError || undefined, span, endOf(span), out);
    }
  }

  #pushToolUse(
    part: Extract<Part, { type: "tool_call" }>,
    span: SpanTiming,
    timestamp: number,
    modelFrom: ModelCall | undefined,
    call: ModelCall | undefined,
    out: ComposedEvent[],
  ): void {
    const id = part.id ?? `${span.spanId}-${part.name}`;
    if (this.#toolUsesSent.has(id) || !part.name) return;
    this.#toolUsesSent.add(id);
    this.#awaitingResult.push({ id, name: part.name, arguments: stableJson(part.arguments) });
    const content: EventContent = { type: "tool_use", name: part.name, toolUseId: id };
    if (part.arguments !== undefined) content.input = part.arguments as JsonValue;
    out.push(this.#event(part.name, "agent", content, `tool_use:${id}`, timestamp, span, modelFrom, call));
  }

  #pushToolResult(
    id: string | undefined,
    name: string | undefined,
    result: unknown,
    isError: boolean | undefined,
    span: SpanTiming,
    timestamp: number,
    out: ComposedEvent[],
  ): void {
    if (!id || this.#toolResultsSent.has(id)) return;
    this.#toolResultsSent.add(id);
    const awaiting = this.#awaitingResult.findIndex((call) => call.id === id);
    if (awaiting !== -1) this.#awaitingResult.splice(awaiting, 1);
    const toolName = name ?? this.#toolNames.get(id);
    const content: EventContent = { type: "tool_result", toolUseId: id };
    if (toolName) content.name = toolName;
    if (result !== undefined) content.content = typeof result === "string" ? result : JSON.stringify(result);
    if (isError) content.isError = true;
    out.push(this.#event(toolName ?? "tool_result", "agent", content, `tool_result:${id}`, timestamp, span, undefined, undefined));
  }

  #pushContent(
    message: Message,
    part: Part,
    slot: string,
    span: SpanTiming,
    timestamp: number,
    modelFrom: ModelCall | undefined,
    call: ModelCall | undefined,
    out: ComposedEvent[],
  ): void {
    const fromUser = message.role === "user";
    if (message.role === "tool" || message.role === "system" || (fromUser && part.type === "thinking")) {
      this.#partsSkipped++;
      return;
    }
    let content: EventContent;
    let hookEvent: string;
    switch (part.type) {
      case "text":
        content = { type: "text", text: part.text };
        hookEvent = fromUser ? "user_prompt" : "assistant_message";
        break;
      case "thinking":
        content = { type: "thinking", thinking: part.text };
        if (part.signature) content.signature = part.signature;
        hookEvent = "assistant_thinking";
        break;
      case "media": {
        const blob = { source: part.source, data: part.data, ...(part.mediaType ? { mediaType: part.mediaType } : {}) };
        content = part.kind === "image" ? { type: "image", image: blob } : { type: "document", document: blob };
        hookEvent = fromUser ? "user_prompt" : "assistant_message";
        break;
      }
      default:
        return;
    }
    out.push(this.#event(hookEvent, fromUser ? "user" : "agent", content, slot, timestamp, span, modelFrom, call));
  }

  #event(
    hookEvent: string,
    source: "user" | "agent",
    content: EventContent,
    slot: string,
    timestamp: number,
    span: SpanTiming,
    modelFrom: ModelCall | undefined,
    call: ModelCall | undefined,
  ): ComposedEvent {
    const time = this.nextTimestamp(timestamp);
    const event = { source, ...content, eventId: `${this.#runId}:${slot}`, timestamp: time } as UserEvent | AgentEvent;
    if (source === "agent" && modelFrom) {
      const agentEvent = event as AgentEvent;
      if (modelFrom.model) agentEvent.model = modelFrom.model;
      const { temperature, maxTokens, topP, topK } = modelFrom.settings;
      if (temperature !== undefined) agentEvent.temperature = temperature;
      if (maxTokens !== undefined) agentEvent.maxTokens = maxTokens;
      if (topP !== undefined) agentEvent.topP = topP;
      if (topK !== undefined) agentEvent.topK = topK;
    }
    return { hookEvent, event, sourceSpanId: span.spanId, systemPrompt: call?.systemPrompt };
  }

  /** The timestamp of an event sent next: never before the run's last one. */
  nextTimestamp(ms: number): number {
    const time = Math.max(Math.round(ms), this.#lastTimestamp);
    this.#lastTimestamp = time;
    return time;
  }

  /**
   * A tool span without a call id (some producers record none) answers the
   * oldest unanswered call of that tool, with the same arguments if possible.
   */
  #claimAwaitingCall(tool: ToolExecution): string | undefined {
    if (!tool.name) return undefined;
    const args = stableJson(tool.arguments);
    const sameName = this.#awaitingResult.filter((call) => call.name === tool.name);
    return (sameName.find((call) => call.arguments === args) ?? sameName[0])?.id;
  }

  #markToolUse(id: string | undefined): void {
    if (id) this.#toolUsesSent.add(id);
  }

  #markToolResult(id: string | undefined): void {
    if (id) this.#toolResultsSent.add(id);
  }

  #rememberToolName(id: string | undefined, name: string | undefined): void {
    if (id && name && !this.#toolNames.has(id)) this.#toolNames.set(id, name);
  }
}

function conversationLength(call: ModelCall): number {
  return call.input.length;
}

/**
 * Calls in the order they happened. Agents sharing a run go by when they
 * began. Within an agent, conversation length orders its calls (clocks of
 * sibling spans disagree); a call whose input was not recorded (Mastra's
 * inference spans carry only the response) goes after the calls of its
 * agent that started before it.
 */
function inCausalOrder(calls: readonly CallItem[]): CallItem[] {
  const byScope = new Map<string, CallItem[]>();
  for (const item of calls) byScope.set(item.scope, [...(byScope.get(item.scope) ?? []), item]);
  const scopes = [...byScope].map(([scope, items]) => ({ scope, items, start: Math.min(...items.map((item) => item.span.startMs)) }));
  scopes.sort((a, b) => a.start - b.start || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  return scopes.flatMap(({ items }) => callsOfOneScope(items));
}

function callsOfOneScope(items: readonly CallItem[]): CallItem[] {
  const byTime = (a: CallItem, b: CallItem) => a.span.startMs - b.span.startMs || endOf(a.span) - endOf(b.span);
  const ordered = items
    .filter((item) => item.call.input.length > 0)
    .sort((a, b) => conversationLength(a.call) - conversationLength(b.call) || byTime(a, b));
  for (const item of items.filter((candidate) => candidate.call.input.length === 0).sort(byTime)) {
    let after = -1;
    ordered.forEach((placed, index) => {
      if (placed.span.startMs <= item.span.startMs) after = index;
    });
    ordered.splice(after + 1, 0, item);
  }
  return ordered;
}

function endOf(span: SpanTiming): number {
  return Number.isNaN(span.endMs) ? span.startMs : span.endMs;
}

/**
 * Which call asked for each tool: by call id, or (for tool spans that record
 * none) the first call that asked for a tool of that name, same arguments
 * first. Causal, so independent of span clocks.
 */
function linkToolsToCalls(calls: CallItem[], tools: ToolItem[]): Map<ToolItem, CallItem> {
  const requests: Array<{ call: CallItem; id?: string; name: string; args?: string }> = [];
  for (const call of calls) {
    for (const message of call.call.output) {
      for (const part of message.parts) {
        if (part.type === "tool_call") requests.push({ call, id: part.id, name: part.name, args: stableJson(part.arguments) });
      }
    }
  }
  const links = new Map<ToolItem, CallItem>();
  const claimed = new Set<(typeof requests)[number]>();
  for (const tool of tools) {
    const request = tool.tool.callId ? requests.find((candidate) => candidate.id === tool.tool.callId) : undefined;
    if (request) {
      links.set(tool, request.call);
      claimed.add(request);
    }
  }
  for (const tool of tools) {
    if (tool.tool.callId || !tool.tool.name) continue;
    const args = stableJson(tool.tool.arguments);
    const open = requests.filter((candidate) => !claimed.has(candidate) && candidate.name === tool.tool.name);
    const request = open.find((candidate) => candidate.args === args) ?? open[0];
    if (request) {
      links.set(tool, request.call);
      claimed.add(request);
    }
  }
  return links;
}

function stableJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function lastIndexOf<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (predicate(items[index])) return index;
  return -1;
}

/**
 * How many times each piece of content was seen, by role and kind. Keyed by
 * the text itself rather than a string built around it: a long message is
 * hashed once, where it lies, instead of copied into a new key per call.
 */
class ContentTally {
  readonly #byKind = new Map<string, Map<string, number>>();

  count(role: string, part: Part): number {
    return this.#byKind.get(kindOf(role, part))?.get(contentOf(part)) ?? 0;
  }

  set(role: string, part: Part, count: number): void {
    const kind = kindOf(role, part);
    let counts = this.#byKind.get(kind);
    if (!counts) this.#byKind.set(kind, (counts = new Map()));
    counts.set(contentOf(part), count);
  }

  /** Counts one more; returns the new count. */
  add(role: string, part: Part): number {
    const count = this.count(role, part) + 1;
    this.set(role, part, count);
    return count;
  }
}

function kindOf(role: string, part: Part): string {
  return `${role}|${part.type}`;
}

/** Media by size and edges, not the whole payload. */
function contentOf(part: Part): string {
  switch (part.type) {
    case "text":
    case "thinking":
      return part.text;
    case "media":
      return `${part.source}|${part.data.length}|${part.data.slice(0, 64)}|${part.data.slice(-64)}`;
    default:
      return "";
  }
}
