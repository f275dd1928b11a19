/**
 * Draws runs. Each run is a section whose header is always drawn and whose
 * timeline is drawn only while the run is expanded and near the screen, a
 * page of rows at a time; later changes touch only the rows that changed.
 */
import { blobSize, costTotal, formatBytes } from "../../event-preview.js";
import { happenedAt } from "../../event-time.js";
import type { ReceivedEvent } from "../../run-store.js";
import { el, type Child } from "./dom.js";
import { clock, describeUser, isLong, num, preview, prettyIfJson, prettyJson } from "./format.js";
import type { RunModel, TimelineItem } from "./model.js";

/** Rows drawn per run before a "show more" button. */
export const PAGE_ROWS = 200;
/** Height a not-yet-drawn row is assumed to take, so the page scrolls about right. */
const ESTIMATED_ROW_PX = 40;

export interface ViewState {
  collapsed: Set<string>;
  /** Long contents shown whole, by `seq:field`. */
  expandedContent: Set<string>;
  /** Runs whose system prompt is shown. */
  promptsShown: Set<string>;
}

export interface RenderContext {
  state: ViewState;
  /** The section of a run, made on first use. */
  sectionFor(run: RunModel): RunSection;
  /** Starts watching a placeholder; `draw` runs when it comes near the screen. */
  whenVisible(placeholder: Element, draw: () => void): void;
  /** Rows made now are new arrivals, highlighted once. */
  live: boolean;
}

export class RunSection {
  readonly element: HTMLElement;
  readonly #run: RunModel;
  readonly #context: RenderContext;
  #header: HTMLElement;
  readonly #body: HTMLElement;
  #timeline?: HTMLOListElement;
  #placeholder?: HTMLElement;
  readonly #rows = new Map<TimelineItem, HTMLElement>();
  #more?: HTMLElement;
  #limit = PAGE_ROWS;

  constructor(run: RunModel, context: RenderContext) {
    this.#run = run;
    this.#context = context;
    this.#header = renderHeader(run, context, this);
    this.#body = el("div", { class: "run-body" });
    this.element = el("section", { class: "run", "data-testid": "run", "data-run-id": run.runId }, this.#header, this.#body);
  }

  get drawn(): boolean {
    return this.#timeline !== undefined;
  }

  /** Brings the section up to date with the run's dirty marks. */
  sync(): void {
    const run = this.#run;
    if (run.dirty.header) {
      const header = renderHeader(run, this.#context, this);
      this.#header.replaceWith(header);
      this.#header = header;
    }
    const items = run.dirty.items;
    run.dirty.header = false;
    run.dirty.items = false;
    if (this.#context.state.collapsed.has(run.runId)) {
      this.#drop();
    } else if (this.#timeline) {
      if (items) this.#reconcile();
    } else {
      this.#awaitScreen();
    }
  }

  toggleCollapsed(): void {
    const { collapsed } = this.#context.state;
    if (collapsed.has(this.#run.runId)) collapsed.delete(this.#run.runId);
    else collapsed.add(this.#run.runId);
    this.#run.dirty.header = true;
    this.sync();
  }

  /** Redraws one row (its content was expanded or collapsed). */
  redraw(item: TimelineItem): void {
    const old = this.#rows.get(item);
    if (!old) return;
    const row = this.#row(item, false);
    old.replaceWith(row);
    this.#rows.set(item, row);
  }

  #awaitScreen(): void {
    const estimate = `${Math.min(this.#run.items.length, PAGE_ROWS) * ESTIMATED_ROW_PX}px`;
    if (this.#placeholder) {
      this.#placeholder.style.height = estimate;
      return;
    }
    const placeholder = el("div", { class: "pending", "data-testid": "pending-timeline" });
    placeholder.style.height = estimate;
    this.#placeholder = placeholder;
    this.#body.replaceChildren(placeholder);
    this.#context.whenVisible(placeholder, () => {
      if (this.#placeholder !== placeholder) return;
      this.#placeholder = undefined;
      this.#timeline = el("ol", { class: "timeline", "data-testid": "timeline" });
      this.#body.replaceChildren();
      this.element.insertBefore(this.#timeline, this.#body);
      this.#reconcile(false);
    });
  }

  #drop(): void {
    this.#timeline?.remove();
    this.#timeline = undefined;
    this.#placeholder = undefined;
    this.#rows.clear();
    this.#more = undefined;
    this.#body.replaceChildren();
  }

  /** Makes the drawn rows match the first `limit` items, creating only the missing ones. */
  #reconcile(fresh = this.#context.live): void {
    const timeline = this.#timeline as HTMLOListElement;
    const shown = this.#run.items.slice(0, this.#limit);
    const wanted = new Set(shown);
    for (const [item, row] of this.#rows) {
      if (!wanted.has(item)) {
        row.remove();
        this.#rows.delete(item);
      }
    }
    let cursor: ChildNode | null = timeline.firstChild;
    for (const item of shown) {
      let row = this.#rows.get(item);
      if (!row) {
        row = this.#row(item, fresh);
        this.#rows.set(item, row);
      }
      if (row === cursor) cursor = cursor.nextSibling;
      else timeline.insertBefore(row, cursor);
    }
    const hidden = this.#run.items.length - shown.length;
    this.#more?.remove();
    this.#more = undefined;
    if (hidden > 0) {
      this.#more = el("button", {
        class: "more-rows", type: "button", "data-testid": "more-rows",
        onclick: () => {
          this.#limit += PAGE_ROWS;
          this.#reconcile(false);
        },
      }, `show ${num(Math.min(hidden, PAGE_ROWS))} more of ${num(hidden)} hidden`);
      this.#body.replaceChildren(this.#more);
    }
  }

  #row(item: TimelineItem, fresh: boolean): HTMLElement {
    if (item.child) {
      const section = this.#context.sectionFor(item.child);
      return el("li", { class: "sub-run", "data-testid": "sub-run" }, section.element);
    }
    return renderEvent(item.event as ReceivedEvent, this.#context, fresh, () => this.redraw(item));
  }
}

function renderHeader(run: RunModel, context: RenderContext, section: RunSection): HTMLElement {
  const open = !context.state.collapsed.has(run.runId);
  const stop = run.stop?.body.event as StopEvent | undefined;
  const agent = run.agent ?? {};
  const prompt = agent.systemPrompt;
  const promptShown = prompt !== undefined && context.state.promptsShown.has(run.runId);
  const togglePrompt = () => {
    const shown = context.state.promptsShown;
    if (shown.has(run.runId)) shown.delete(run.runId);
    else shown.add(run.runId);
    run.dirty.header = true;
    section.sync();
  };
  return el("header", { class: "run-head" },
    el("div", { class: "run-line" },
      el("button", {
        class: "toggle", type: "button", "aria-expanded": String(open), title: open ? "Collapse run" : "Expand run",
        "data-testid": "run-toggle", onclick: () => section.toggleCollapsed(),
      },
      agent.name ? el("span", { class: "agent-name" }, agent.name) : null,
      el("span", { class: "run-id" }, run.runId)),
      stop ? stopSummary(stop, "run-stop") : el("span", { class: "badge open", "data-testid": "run-open" }, "open"),
      run.denied ? el("span", { class: "badge denied", "data-testid": "run-denied" }, `${num(run.denied)} denied`) : null,
      prompt !== undefined
        ? el("button", { class: "ghost small", type: "button", "aria-expanded": String(promptShown), "data-testid": "prompt-toggle", onclick: togglePrompt },
          promptShown ? "hide system prompt" : "system prompt")
        : null),
    el("div", { class: "meta" },
      metaItem("parent", run.parentRunId, true),
      metaItem("agent id", agent.id, true),
      metaItem("session", run.sessionId, true),
      metaItem("user", describeUser(run.user)),
      el("span", { "data-testid": "run-started" }, el("b", {}, "started"),
        el("time", { datetime: new Date(run.startedAt).toISOString(), title: new Date(run.startedAt).toString() }, clock(run.startedAt))),
      metaItem("events", num(run.eventCount)),
      run.childCount ? metaItem("sub-runs", num(run.childCount)) : null,
      run.afterStop ? el("span", { class: "warn" }, `${run.afterStop} event(s) after stop`) : null,
      run.warnings.map((warning) => el("span", { class: "warn", "data-testid": "run-warning" }, warning))),
    promptShown ? el("pre", { class: "block prompt", "data-testid": "system-prompt" }, prompt) : null);
}

function metaItem(label: string, value: string | undefined, mono = false): Child {
  return value ? el("span", {}, el("b", {}, label), el("span", { class: mono ? "mono" : null }, value)) : null;
}

interface StopEvent {
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadTokens?: number; cacheWriteTokens?: number; cost?: Record<string, number | string> };
}

function stopSummary(stop: StopEvent, testid?: string): HTMLElement {
  return el("span", { class: "usage", "data-testid": testid }, el("span", { class: "badge stop" }, stop.stopReason || "stopped"), usageTokens(stop.usage));
}

function usageTokens(usage: StopEvent["usage"]): Child {
  if (!usage) return null;
  const part = (value: string, label: string, title: string) => el("span", { title }, el("b", {}, value), label);
  const parts = [
    part(num(usage.inputTokens), "in", "input tokens"),
    part(num(usage.outputTokens), "out", "output tokens"),
    part(num(usage.totalTokens), "total", "total tokens"),
  ];
  if (usage.cacheReadTokens !== undefined) parts.push(part(num(usage.cacheReadTokens), "cache read", "tokens read from the prompt cache"));
  if (usage.cacheWriteTokens !== undefined) parts.push(part(num(usage.cacheWriteTokens), "cache write", "tokens written to the prompt cache"));
  const { cost } = usage;
  if (cost) {
    const breakdown = `input ${cost.inputTokensCost}, output ${cost.outputTokensCost}, cache read ${cost.cacheReadTokensCost}, cache write ${cost.cacheWriteTokensCost} ${cost.currency}`;
    parts.push(part(String(costTotal(cost)), String(cost.currency), breakdown));
  }
  return el("span", { class: "tokens" }, parts);
}

function renderEvent(received: ReceivedEvent, context: RenderContext, fresh: boolean, redraw: () => void): HTMLElement {
  const event = received.body.event as Record<string, unknown>;
  const source = String(event.source);
  const type = source === "stop" ? "stop" : String(event.type);
  const at = happenedAt(received);
  const { decision } = received;
  return el("li", {
    class: `event${fresh ? " fresh" : ""}${decision ? " denied" : ""}`, "data-testid": "event",
    "data-source": source, "data-type": type, "data-seq": received.seq, "data-denied": decision ? "true" : null,
  },
  el("time", { class: "ev-time", datetime: new Date(at).toISOString(), title: new Date(at).toString() }, clock(at)),
  el("span", { class: `ev-source ${source}` }, source),
  el("span", { class: "ev-type" }, type),
  el("div", { class: "ev-body" },
    el("div", { class: "ev-hook" }, el("span", { class: "mono" }, received.body.hookEvent), event.model ? ` \u00b7 ${String(event.model)}` : null),
    eventContent(received, context, redraw),
    decision
      ? el("div", { class: "decision", "data-testid": "denied" },
        el("span", { class: "badge denied" }, decision.continue === false ? "denied \u00b7 run ends" : "denied"),
        el("span", {}, decision.agent_message),
        decision.user_message ? el("span", { class: "muted" }, `(to the user: ${decision.user_message})`) : null,
        el("span", { class: "muted mono" }, decision.rule))
      : null));
}

function eventContent(received: ReceivedEvent, context: RenderContext, redraw: () => void): Child {
  const event = received.body.event as Record<string, unknown>;
  const collapsible = (field: string, value: string, className: string, tag: "div" | "pre" = "div"): Child => {
    const key = `${received.seq}:${field}`;
    if (!isLong(value)) return el(tag, { class: className }, value);
    const open = context.state.expandedContent.has(key);
    const shown = open ? value : preview(value);
    const toggle = () => {
      if (open) context.state.expandedContent.delete(key);
      else context.state.expandedContent.add(key);
      redraw();
    };
    return [
      el(tag, { class: className }, shown),
      el("button", { class: "more", type: "button", "data-testid": "show-more", "aria-expanded": String(open), onclick: toggle },
        open ? "show less" : `show more (${num(value.length - shown.length + 1)} more characters)`),
    ];
  };
  if (event.source === "stop") return stopSummary(event as StopEvent);
  switch (event.type) {
    case "text":
      return collapsible("text", String(event.text), "text");
    case "thinking":
      return collapsible("thinking", String(event.thinking), "thinking");
    case "tool_use":
      return [
        el("div", { class: "tool" }, el("span", { class: "tool-name" }, String(event.name)), el("span", { class: "tool-id" }, String(event.toolUseId))),
        event.input === undefined ? null : collapsible("input", prettyJson(event.input), "block", "pre"),
      ];
    case "tool_result":
      return [
        el("div", { class: "tool" },
          event.name ? el("span", { class: "tool-name" }, String(event.name)) : null,
          el("span", { class: "tool-id" }, String(event.toolUseId)),
          event.isError ? el("span", { class: "badge error", "data-testid": "tool-error" }, "error") : null),
        event.content === undefined ? null : collapsible("content", prettyIfJson(String(event.content)), event.isError ? "block error" : "block", "pre"),
      ];
    case "image":
    case "document": {
      const blob = (event[event.type] ?? {}) as { source?: string; data?: string; mediaType?: string };
      return el("div", { class: "tool" },
        el("span", { class: "tool-name" }, blob.mediaType || "unknown type"),
        el("span", { class: "chip" }, formatBytes(blobSize(blob))),
        el("span", { class: "tool-id" }, blob.source),
        blob.source === "base64" ? null : el("span", { class: "tool-id" }, blob.data));
    }
    default:
      return null;
  }
}
