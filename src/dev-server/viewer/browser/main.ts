/**
 * The run viewer's script. Reads every event once from `/api/events`, then
 * follows `/api/live` for new ones (falling back to polling `/api/events`
 * for what came after), and redraws only what changed.
 */
import type { ReceivedEvent } from "../../run-store.js";
import { el } from "./dom.js";
import { parseFilter, type RunFilter } from "./filter.js";
import { num } from "./format.js";
import { ViewerModel, type RunModel } from "./model.js";
import { RunSection, type RenderContext, type ViewState } from "./render.js";

const POLL_MS = 2000;
const FLUSH_DELAY_MS = 16;
const FILTER_DELAY_MS = 120;
/** Timelines are drawn this far before they scroll into view. */
const DRAW_AHEAD = "1200px 0px";

interface EventsPage {
  lastSeq: number;
  generation: number;
  evicted: { runs: number; events: number };
  limits: { maxEvents: number; maxBytes: number };
  events: ReceivedEvent[];
}

type Status = { state: "connecting" | "live" | "polling" | "offline" } | { state: "server-error"; detail: string };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const runsRoot = byId<HTMLElement>("runs");
const summary = byId<HTMLElement>("summary");
const statusBadge = byId<HTMLElement>("status");
const notice = byId<HTMLElement>("notice");
const filterInput = byId<HTMLInputElement>("filter");

const state: ViewState = { collapsed: new Set(), expandedContent: new Set(), promptsShown: new Set() };
let model = new ViewerModel();
let sections = new Map<RunModel, RunSection>();
let filter: RunFilter | undefined;
let generation = -1;
let evicted = { runs: 0, events: 0 };
let limits = { maxEvents: 0, maxBytes: 0 };

const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      drawWhenVisible.get(entry.target)?.();
      drawWhenVisible.delete(entry.target);
    }
  },
  { rootMargin: DRAW_AHEAD },
);
const drawWhenVisible = new Map<Element, () => void>();

const context: RenderContext = {
  state,
  live: false,
  sectionFor(run) {
    let section = sections.get(run);
    if (!section) {
      section = new RunSection(run, context);
      sections.set(run, section);
    }
    return section;
  },
  whenVisible(placeholder, draw) {
    drawWhenVisible.set(placeholder, draw);
    observer.observe(placeholder);
  },
};

// ---- drawing -------------------------------------------------------------

let flushTimer = 0;
function scheduleFlush(): void {
  if (!flushTimer) flushTimer = window.setTimeout(flush, FLUSH_DELAY_MS);
}

function flush(): void {
  flushTimer = 0;
  for (const run of model.dirtyRuns) context.sectionFor(run).sync();
  model.dirtyRuns.clear();
  if (model.rootsChanged) placeRoots();
  model.rootsChanged = false;
  showSummary();
}

/** Top-level sections in the model's order (newest first), hiding those the filter leaves out. */
function placeRoots(): void {
  if (model.roots.length === 0) {
    runsRoot.replaceChildren(emptyState());
    return;
  }
  runsRoot.querySelector("[data-testid=empty-state]")?.remove();
  let cursor: ChildNode | null = runsRoot.firstChild;
  for (const run of model.roots) {
    const { element } = context.sectionFor(run);
    element.hidden = filter !== undefined && !treeMatches(run, filter);
    if (element === cursor) cursor = cursor.nextSibling;
    else runsRoot.insertBefore(element, cursor);
  }
  // Whatever is left after the roots is no longer top-level (adopted, or evicted).
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function treeMatches(root: RunModel, test: RunFilter): boolean {
  for (const run of model.tree(root)) if (test(run)) return true;
  return false;
}

function emptyState(): HTMLElement {
  return el("div", { class: "empty", "data-testid": "empty-state" },
    el("h2", {}, "No runs yet"),
    el("div", {}, "Point the SDK at this server and events will appear here as they arrive."),
    el("code", {}, `PERMISO_BASE_URL=${location.origin}`));
}

function showSummary(): void {
  const runs = model.runs.size;
  const events = model.eventCount;
  let text = `${num(runs)} ${runs === 1 ? "run" : "runs"} \u00b7 ${num(events)} ${events === 1 ? "event" : "events"}`;
  if (filter) {
    const shown = model.roots.filter((run) => !context.sectionFor(run).element.hidden).length;
    text = `${num(shown)} of ${num(model.roots.length)} top-level runs match \u00b7 ${text}`;
  }
  summary.textContent = text;
  notice.hidden = evicted.runs === 0;
  notice.textContent = evicted.runs
    ? `${num(evicted.runs)} older runs (${num(evicted.events)} events) were evicted to stay within the receiver's limit of ${num(limits.maxEvents)} events / ${num(Math.round(limits.maxBytes / 1048576))} MB.`
    : "";
}

function showStatus(status: Status): void {
  statusBadge.dataset.state = status.state;
  statusBadge.textContent = status.state === "server-error" ? `server error: ${status.detail}` : status.state;
  statusBadge.title = status.state === "server-error" ? "The receiver is running but answered with an error." : "";
}

// ---- data ----------------------------------------------------------------

/** A failed answer is a server error (the receiver is up); a failed fetch means it is unreachable. */
async function readEvents(after: number): Promise<EventsPage | undefined> {
  let response: Response;
  try {
    response = await fetch(`/api/events?after=${after}`, { cache: "no-store" });
  } catch {
    showStatus({ state: "offline" });
    return undefined;
  }
  if (!response.ok) {
    const detail = await response.json().then((body: { error?: string }) => body.error, () => undefined);
    showStatus({ state: "server-error", detail: `HTTP ${response.status}${detail ? ` (${detail})` : ""}` });
    return undefined;
  }
  return (await response.json()) as EventsPage;
}

function absorb(page: EventsPage): void {
  generation = page.generation;
  evicted = page.evicted;
  limits = page.limits;
  for (const event of page.events) model.add(event);
}

/** Reads everything again, into a new model: at start, and when the receiver says our copy is stale. */
async function reload(): Promise<boolean> {
  const page = await readEvents(0);
  if (!page) return false;
  model = new ViewerModel();
  sections = new Map();
  drawWhenVisible.clear();
  observer.disconnect();
  runsRoot.replaceChildren();
  context.live = false;
  absorb(page);
  model.rootsChanged = true;
  flush();
  context.live = true;
  return true;
}

let source: EventSource | undefined;
let pollTimer = 0;

function follow(): void {
  source?.close();
  if (typeof EventSource !== "function") return startPolling();
  source = new EventSource(`/api/live?after=${model.lastSeq}&generation=${generation}`);
  source.onopen = () => {
    stopPolling();
    showStatus({ state: "live" });
  };
  source.addEventListener("hook", (message) => {
    model.add(JSON.parse((message as MessageEvent<string>).data) as ReceivedEvent);
    scheduleFlush();
  });
  source.addEventListener("evicted", (message) => {
    const change = JSON.parse((message as MessageEvent<string>).data) as { runIds: string[]; evicted: typeof evicted; generation: number };
    model.evict(change.runIds);
    for (const [run, section] of sections) {
      if (model.runs.get(run.runId) === run) continue;
      section.element.remove();
      sections.delete(run);
    }
    evicted = change.evicted;
    generation = change.generation;
    scheduleFlush();
  });
  source.addEventListener("reset", () => void restart());
  source.onerror = () => {
    // The browser reconnects by itself (sending Last-Event-ID); polling covers the gap.
    startPolling();
  };
}

/** Reads everything and follows from there; while the receiver cannot answer, tries again. */
async function restart(): Promise<void> {
  source?.close();
  source = undefined;
  stopPolling();
  if (await reload()) follow();
  else window.setTimeout(() => void restart(), POLL_MS);
}

async function poll(): Promise<void> {
  const page = await readEvents(model.lastSeq);
  if (!page) return;
  if (page.generation !== generation) return void restart();
  showStatus({ state: source?.readyState === EventSource.OPEN ? "live" : "polling" });
  absorb(page);
  scheduleFlush();
}

function startPolling(): void {
  if (!pollTimer) pollTimer = window.setInterval(() => void poll(), POLL_MS);
}

function stopPolling(): void {
  window.clearInterval(pollTimer);
  pollTimer = 0;
}

// ---- controls ------------------------------------------------------------

let filterTimer = 0;
filterInput.addEventListener("input", () => {
  window.clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => {
    filter = parseFilter(filterInput.value);
    placeRoots();
    showSummary();
    runsRoot.dataset.filter = filterInput.value;
  }, FILTER_DELAY_MS);
});

function setAllCollapsed(collapse: boolean): void {
  for (const run of model.runs.values()) {
    if (collapse) state.collapsed.add(run.runId);
    else state.collapsed.delete(run.runId);
    run.dirty.header = true;
    model.dirtyRuns.add(run);
  }
  flush();
}
byId("collapse-all").addEventListener("click", () => setAllCollapsed(true));
byId("expand-all").addEventListener("click", () => setAllCollapsed(false));

const clearButton = byId<HTMLButtonElement>("clear");
const confirmBox = byId<HTMLElement>("confirm-clear");
clearButton.addEventListener("click", () => {
  byId("confirm-text").textContent = `Forget all ${num(model.runs.size)} runs on the receiver?`;
  confirmBox.hidden = false;
  clearButton.hidden = true;
  byId("confirm-cancel").focus();
});
const closeConfirm = () => {
  confirmBox.hidden = true;
  clearButton.hidden = false;
};
byId("confirm-cancel").addEventListener("click", closeConfirm);
byId("confirm-yes").addEventListener("click", async () => {
  closeConfirm();
  state.collapsed.clear();
  state.expandedContent.clear();
  state.promptsShown.clear();
  // The live stream then says "reset", and the page reads the (empty) store again.
  await fetch("/api/runs", { method: "DELETE" });
  await restart();
});

showStatus({ state: "connecting" });
void restart();
