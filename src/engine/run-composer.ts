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
import type { AgentEvent, JsonValue, PermisoBlob, UserEvent } from "../protocol/events.js";
import type { Message, ModelCall, Part, Role, ToolExecution } from "../otel/model.js";
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
  /** How often each content occurs in the input being read; cleared for each call. */
  readonly #occurrences = new ContentTally();
  readonly #toolUsesSent = new Set<string>();
  readonly #toolResultsSent = new Set<string>();
  readonly #toolNames = new Map<string, string>();
  readonly #scopesStarted = new Set<string>();
  /** Tool calls sent and not yet answered, oldest first. */
  readonly #awaitingResult: Array<{ id: string; name: string; arguments: unknown }> = [];
  #lastTimestamp = 0;

  constructor(runId: string) {
    this.#runId = runId;
  }

  compose(calls: CallItem[], tools: ToolItem[]): Composition {
    const out: ComposedEvent[] = [];
    this.#partsSkipped = 0;
    const ordered = inCausalOrder(calls);
    if (tools.length === 0) {
      for (let index = 0; index < ordered.length; index++) {
        this.#emitInput(ordered[index], out);
        this.#emitOutput(ordered[index], out);
      }
      return { events: out, partsSkipped: this.#partsSkipped };
    }
    const requestedBy = linkToolsToCalls(ordered, tools);
    const placed = new Set<ToolItem>();
    const byStart = sortSmall(tools.slice(), byStartTime);
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
    if (firstInScope) this.#scopesStarted.add(scope);
    const { input } = call;
    const historyEnd = firstInScope ? lastAssistantIndex(input) : -1;
    const occurrences = this.#occurrences;
    occurrences.clear();
    const timestamp = span.startMs;
    for (let messageIndex = 0; messageIndex < input.length; messageIndex++) {
      const message = input[messageIndex];
      const isHistory = messageIndex <= historyEnd;
      const { parts } = message;
      for (let partIndex = 0; partIndex < parts.length; partIndex++) {
        const part = parts[partIndex];
        switch (part.type) {
          case "tool_call":
            this.#rememberToolName(part.id, part.name);
            if (isHistory) this.#markToolUse(part.id);
            else this.#pushToolUse(part, span, timestamp, undefined, call, out);
            continue;
          case "tool_result":
            if (isHistory) this.#markToolResult(part.id);
            else this.#pushToolResult(part.id, part.name, part.result, part.isError, span, timestamp, out);
            continue;
          case "unsupported":
            if (!isHistory) this.#partsSkipped++;
            continue;
          default: {
            const occurrence = occurrences.add(message.role, part);
            if (occurrence <= this.#seen.count(message.role, part)) continue;
            this.#seen.set(message.role, part, occurrence);
            // The slot names the part in its eventId; history is never sent, so it needs none.
            if (!isHistory) this.#pushContent(message, part, `${span.spanId}:i${messageIndex}.${partIndex}`, span, timestamp, undefined, call, out);
          }
        }
      }
    }
  }

  #emitOutput({ span, call }: CallItem, out: ComposedEvent[]): void {
    const { output } = call;
    const timestamp = call.responseTimeMs ?? endOf(span);
    for (let messageIndex = 0; messageIndex < output.length; messageIndex++) {
      const message = output[messageIndex];
      const { parts } = message;
      for (let partIndex = 0; partIndex < parts.length; partIndex++) {
        const part = parts[partIndex];
        switch (part.type) {
          case "tool_call":
            this.#rememberToolName(part.id, part.name);
            this.#pushToolUse(part, span, timestamp, call, call, out);
            continue;
          case "tool_result":
            this.#pushToolResult(part.id, part.name, part.result, part.isError, span, timestamp, out);
            continue;
          case "unsupported":
            this.#partsSkipped++;
            continue;
          default:
            this.#seen.add(message.role, part);
            this.#pushContent(message, part, `${span.spanId}:o${messageIndex}.${partIndex}`, span, timestamp, call, call, out);
        }
      }
    }
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
    const { name } = part;
    const id = part.id ?? `${span.spanId}-${name}`;
    if (this.#toolUsesSent.has(id) || !name) return;
    this.#toolUsesSent.add(id);
    this.#awaitingResult.push({ id, name, arguments: part.arguments });
    const event: AgentEvent = { source: "agent", type: "tool_use", name, toolUseId: id };
    if (part.arguments !== undefined) event.input = part.arguments as JsonValue;
    out.push(this.#event(name, event, `tool_use:${id}`, timestamp, span, modelFrom, call));
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
    const event: AgentEvent = { source: "agent", type: "tool_result", toolUseId: id };
    if (toolName) event.name = toolName;
    if (result !== undefined) event.content = typeof result === "string" ? result : JSON.stringify(result);
    if (isError) event.isError = true;
    out.push(this.#event(toolName ?? "tool_result", event, `tool_result:${id}`, timestamp, span, undefined, undefined));
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
    const source = fromUser ? "user" : "agent";
    let event: UserEvent | AgentEvent;
    let hookEvent: string;
    switch (part.type) {
      case "text":
        event = { source, type: "text", text: part.text };
        hookEvent = fromUser ? "user_prompt" : "assistant_message";
        break;
      case "thinking":
        event = { source: "agent", type: "thinking", thinking: part.text };
        if (part.signature) event.signature = part.signature;
        hookEvent = "assistant_thinking";
        break;
      case "media": {
        const blob: PermisoBlob = { source: part.source, data: part.data };
        if (part.mediaType) blob.mediaType = part.mediaType;
        event = part.kind === "image" ? { source, type: "image", image: blob } : { source, type: "document", document: blob };
        hookEvent = fromUser ? "user_prompt" : "assistant_message";
        break;
      }
      default:
        return;
    }
    out.push(this.#event(hookEvent, event, slot, timestamp, span, modelFrom, call));
  }

  /** Completes an event with its id, its time and, for an agent's, the model behind it. */
  #event(
    hookEvent: string,
    event: UserEvent | AgentEvent,
    slot: string,
    timestamp: number,
    span: SpanTiming,
    modelFrom: ModelCall | undefined,
    call: ModelCall | undefined,
  ): ComposedEvent {
    event.eventId = `${this.#runId}:${slot}`;
    event.timestamp = this.nextTimestamp(timestamp);
    if (event.source === "agent" && modelFrom) {
      if (modelFrom.model) event.model = modelFrom.model;
      const { temperature, maxTokens, topP, topK } = modelFrom.settings;
      if (temperature !== undefined) event.temperature = temperature;
      if (maxTokens !== undefined) event.maxTokens = maxTokens;
      if (topP !== undefined) event.topP = topP;
      if (topK !== undefined) event.topK = topK;
    }
    return { hookEvent, event, sourceSpanId: span.spanId, systemPrompt: call?.systemPrompt };
  }

  /**
   * The timestamp of an event sent next: never before the run's last one. A
   * time that is not a number is refused with its event and leaves the
   * run's clock as it was.
   */
  nextTimestamp(ms: number): number {
    const time = Math.max(Math.round(ms), this.#lastTimestamp);
    if (!Number.isNaN(time)) this.#lastTimestamp = time;
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
    return (sameName.find((call) => stableJson(call.arguments) === args) ?? sameName[0])?.id;
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
function inCausalOrder(calls: readonly CallItem[]): readonly CallItem[] {
  if (calls.length < 2) return calls;
  if (inOneScope(calls)) return callsOfOneScope(calls);
  const byScope = new Map<string, CallItem[]>();
  for (const item of calls) {
    const items = byScope.get(item.scope);
    if (items) items.push(item);
    else byScope.set(item.scope, [item]);
  }
  const scopes = [...byScope].map(([scope, items]) => ({ scope, items, start: earliestStart(items) }));
  scopes.sort((a, b) => a.start - b.start || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  return scopes.flatMap(({ items }) => callsOfOneScope(items));
}

function earliestStart(items: readonly CallItem[]): number {
  let start = Infinity;
  for (const item of items) start = Math.min(start, item.span.startMs);
  return start;
}

function inOneScope(calls: readonly CallItem[]): boolean {
  const { scope } = calls[0];
  for (let index = 1; index < calls.length; index++) if (calls[index].scope !== scope) return false;
  return true;
}

function byTime(a: CallItem, b: CallItem): number {
  return a.span.startMs - b.span.startMs || endOf(a.span) - endOf(b.span);
}

function byConversationThenTime(a: CallItem, b: CallItem): number {
  return conversationLength(a.call) - conversationLength(b.call) || byTime(a, b);
}

/** Past this, insertion sort's quadratic cost beats the working copy's. */
const SMALL_SORT = 32;

/**
 * Sorts in place, stably, as `Array.prototype.sort` does, without its
 * working copy when the list is short: a run's calls in one release are
 * usually a handful.
 */
function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > SMALL_SORT) return items.sort(compare);
  for (let index = 1; index < items.length; index++) {
    const item = items[index];
    let at = index - 1;
    while (at >= 0 && compare(items[at], item) > 0) {
      items[at + 1] = items[at];
      at--;
    }
    items[at + 1] = item;
  }
  return items;
}

function callsOfOneScope(items: readonly CallItem[]): CallItem[] {
  const ordered: CallItem[] = [];
  for (const item of items) if (item.call.input.length > 0) ordered.push(item);
  sortSmall(ordered, byConversationThenTime);
  if (ordered.length === items.length) return ordered;
  for (const item of items.filter((candidate) => candidate.call.input.length === 0).sort(byTime)) {
    let after = -1;
    ordered.forEach((placed, index) => {
      if (placed.span.startMs <= item.span.startMs) after = index;
    });
    ordered.splice(after + 1, 0, item);
  }
  return ordered;
}

function byStartTime(a: ToolItem, b: ToolItem): number {
  return a.span.startMs - b.span.startMs;
}

function endOf(span: SpanTiming): number {
  return Number.isNaN(span.endMs) ? span.startMs : span.endMs;
}

/** A model's call of a tool, which a tool span may answer. */
interface ToolRequest {
  call: CallItem;
  id: string | undefined;
  name: string;
  arguments: unknown;
}

/**
 * Which call asked for each tool: by call id, or (for tool spans that record
 * none) the first call that asked for a tool of that name, same arguments
 * first. Causal, so independent of span clocks.
 */
function linkToolsToCalls(calls: readonly CallItem[], tools: readonly ToolItem[]): Map<ToolItem, CallItem> {
  const requests: ToolRequest[] = [];
  for (const call of calls) {
    for (const message of call.call.output) {
      for (const part of message.parts) {
        if (part.type === "tool_call") requests.push({ call, id: part.id, name: part.name, arguments: part.arguments });
      }
    }
  }
  const links = new Map<ToolItem, CallItem>();
  const claimed = new Set<ToolRequest>();
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
    const request = open.find((candidate) => stableJson(candidate.arguments) === args) ?? open[0];
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

function lastAssistantIndex(messages: readonly Message[]): number {
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index].role === "assistant") return index;
  return -1;
}

/** Content kinds a run counts, by role and part type: a slot in a short array rather than a key built per part. */
const ROLE_SLOT: Record<Role, number> = { system: 0, user: 1, assistant: 2, tool: 3 };
const PART_SLOT: Partial<Record<Part["type"], number>> = { text: 0, thinking: 1, media: 2 };
const PART_KINDS = 4;

/**
 * How many times each piece of content was seen, by role and kind. Keyed by
 * the text itself rather than a string built around it: a long message is
 * hashed once, where it lies, instead of copied into a new key per call.
 */
class ContentTally {
  readonly #byKind: Array<Map<string, number> | undefined> = [];

  count(role: Role, part: Part): number {
    return this.#byKind[kindSlot(role, part)]?.get(contentOf(part)) ?? 0;
  }

  set(role: Role, part: Part, count: number): void {
    const slot = kindSlot(role, part);
    let counts = this.#byKind[slot];
    if (!counts) this.#byKind[slot] = counts = new Map();
    counts.set(contentOf(part), count);
  }

  /** Counts one more; returns the new count. */
  add(role: Role, part: Part): number {
    const count = this.count(role, part) + 1;
    this.set(role, part, count);
    return count;
  }

  clear(): void {
    const byKind = this.#byKind;
    for (let slot = 0; slot < byKind.length; slot++) byKind[slot]?.clear();
  }
}

function kindSlot(role: Role, part: Part): number {
  return (ROLE_SLOT[role] ?? 4) * PART_KINDS + (PART_SLOT[part.type] ?? PART_KINDS);
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
