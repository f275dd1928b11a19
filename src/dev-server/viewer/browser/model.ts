/**
 * The viewer's copy of the runs, built one received event at a time (from
 * the first read and then from the live stream), so nothing is re-read or
 * rebuilt when an event arrives. Each change marks what the page must redraw.
 */
import type { PermisoAgentContext, PermisoUser } from "../../../protocol/body.js";
import { happenedAt } from "../../event-time.js";
import type { ReceivedEvent } from "../../run-store.js";

/** One line of a run's timeline: an event, or a sub-run where it started. */
export interface TimelineItem {
  at: number;
  seq: number;
  event?: ReceivedEvent;
  child?: RunModel;
}

export interface RunModel {
  runId: string;
  parentRunId?: string;
  sessionId?: string;
  agent?: PermisoAgentContext;
  user?: PermisoUser;
  firstSeq: number;
  /** When the earliest event happened, by the events' own timestamps. */
  startedAt: number;
  /** Events and sub-runs by when they happened, sub-runs after events of the same instant. */
  items: TimelineItem[];
  eventCount: number;
  stop?: ReceivedEvent;
  afterStop: number;
  denied: number;
  parent?: RunModel;
  childCount: number;
  warnings: string[];
  /** Lower-cased text the filter searches, and the tool names the run used. */
  haystack: string;
  tools: Set<string>;
  /** What the page must redraw: the header, the timeline's rows. */
  dirty: { header: boolean; items: boolean };
}

const SEARCHED_CHARS = 400;

export class ViewerModel {
  readonly runs = new Map<string, RunModel>();
  /** Top-level runs, the newest first. */
  roots: RunModel[] = [];
  rootsChanged = false;
  /** Runs changed since the page last drew them. */
  readonly dirtyRuns = new Set<RunModel>();
  eventCount = 0;
  lastSeq = 0;
  /** Children whose parent has not arrived yet, by parentRunId. */
  readonly #waitingFor = new Map<string, RunModel[]>();

  /** Takes one received event; one already seen (a replay after reconnecting) is ignored. */
  add(received: ReceivedEvent): void {
    if (received.seq <= this.lastSeq) return;
    this.lastSeq = received.seq;
    this.eventCount++;
    const { body } = received;
    let run = this.runs.get(body.runId);
    const at = happenedAt(received);
    if (!run) {
      run = newRun(body.runId, received.seq, at);
      run.parentRunId = body.parentRunId;
      this.runs.set(run.runId, run);
      this.#place(run);
      for (const child of this.#waitingFor.get(run.runId) ?? []) this.#adopt(run, child);
      this.#waitingFor.delete(run.runId);
    }
    run.sessionId ??= body.sessionId;
    run.agent ??= body.agent;
    run.user ??= body.user;
    if (at < run.startedAt) this.#moveStart(run, at);
    const event = body.event as Record<string, unknown>;
    if (run.stop) run.afterStop++;
    if (event.source === "stop") run.stop ??= received;
    if (received.decision) run.denied++;
    run.eventCount++;
    insertSorted(run.items, { at, seq: received.seq, event: received });
    this.#mark(run, true);
    indexForSearch(run, body.hookEvent, event);
  }

  /** Forgets runs the receiver evicted; their sub-runs move to the top level. */
  evict(runIds: readonly string[]): void {
    for (const runId of runIds) {
      const run = this.runs.get(runId);
      if (!run) continue;
      this.runs.delete(runId);
      this.dirtyRuns.delete(run);
      this.eventCount -= run.eventCount;
      if (run.parent) this.#detach(run);
      else this.#removeRoot(run);
      for (const item of run.items) {
        if (!item.child) continue;
        item.child.parent = undefined;
        this.#insertRoot(item.child);
        this.#mark(item.child, false);
      }
      for (const [parentRunId, waiting] of this.#waitingFor) {
        const rest = waiting.filter((child) => child !== run);
        if (rest.length) this.#waitingFor.set(parentRunId, rest);
        else this.#waitingFor.delete(parentRunId);
      }
    }
  }

  /** Every run under `root`, `root` included. */
  *tree(root: RunModel): Generator<RunModel> {
    yield root;
    for (const item of root.items) if (item.child) yield* this.tree(item.child);
  }

  #place(run: RunModel): void {
    const parent = run.parentRunId ? this.runs.get(run.parentRunId) : undefined;
    if (parent) {
      this.#adopt(parent, run, true);
      return;
    }
    if (run.parentRunId) {
      const waiting = this.#waitingFor.get(run.parentRunId) ?? [];
      waiting.push(run);
      this.#waitingFor.set(run.parentRunId, waiting);
    }
    this.#insertRoot(run);
  }

  /** Puts `child` under `parent` where it started, unless that would close a loop of parentRunIds. */
  #adopt(parent: RunModel, child: RunModel, isNew = false): void {
    for (let up: RunModel | undefined = parent; up; up = up.parent) {
      if (up === child) {
        child.warnings.push(`parentRunId forms a loop (${loopChain(parent, child)}); shown as a top-level run`);
        this.#mark(child, false);
        if (isNew) this.#insertRoot(child);
        return;
      }
    }
    if (!isNew) this.#removeRoot(child);
    child.parent = parent;
    parent.childCount++;
    insertSorted(parent.items, { at: child.startedAt, seq: child.firstSeq, child });
    this.#mark(parent, true);
  }

  #detach(child: RunModel): void {
    const parent = child.parent as RunModel;
    parent.items = parent.items.filter((item) => item.child !== child);
    parent.childCount--;
    this.#mark(parent, true);
    child.parent = undefined;
  }

  /** An event earlier than any before moves the run: within its parent's timeline, or among the top-level runs. */
  #moveStart(run: RunModel, at: number): void {
    run.startedAt = at;
    const parent = run.parent;
    if (parent) {
      parent.items = parent.items.filter((item) => item.child !== run);
      insertSorted(parent.items, { at, seq: run.firstSeq, child: run });
      this.#mark(parent, true);
    } else {
      this.#removeRoot(run);
      this.#insertRoot(run);
    }
  }

  #mark(run: RunModel, items: boolean): void {
    run.dirty.header = true;
    if (items) run.dirty.items = true;
    this.dirtyRuns.add(run);
  }

  #insertRoot(run: RunModel): void {
    let low = 0;
    let high = this.roots.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (newerFirst(this.roots[mid], run) < 0) low = mid + 1;
      else high = mid;
    }
    this.roots.splice(low, 0, run);
    this.rootsChanged = true;
  }

  #removeRoot(run: RunModel): void {
    const index = this.roots.indexOf(run);
    if (index !== -1) this.roots.splice(index, 1);
    this.rootsChanged = true;
  }
}

function newRun(runId: string, seq: number, at: number): RunModel {
  return {
    runId,
    firstSeq: seq,
    startedAt: at,
    items: [],
    eventCount: 0,
    afterStop: 0,
    denied: 0,
    childCount: 0,
    warnings: [],
    haystack: runId.toLowerCase(),
    tools: new Set(),
    dirty: { header: true, items: true },
  };
}

function newerFirst(a: RunModel, b: RunModel): number {
  return b.startedAt - a.startedAt || b.firstSeq - a.firstSeq;
}

/** Inserts by time, then seq; a sub-run goes after events of the same instant. Returns the index. */
function insertSorted(items: TimelineItem[], item: TimelineItem): number {
  const key = (x: TimelineItem) => [x.at, x.child ? 1 : 0, x.seq];
  const [at, kind, seq] = key(item);
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const [midAt, midKind, midSeq] = key(items[mid]);
    if (midAt < at || (midAt === at && (midKind < kind || (midKind === kind && midSeq < seq)))) low = mid + 1;
    else high = mid;
  }
  items.splice(low, 0, item);
  return low;
}

/** Adds what the filter's free text searches: the hook, tool names, the start of each text. */
function indexForSearch(run: RunModel, hookEvent: string, event: Record<string, unknown>): void {
  const pieces = [hookEvent];
  if (typeof event.name === "string") {
    run.tools.add(event.name.toLowerCase());
    pieces.push(event.name);
  }
  for (const field of ["text", "thinking", "content"]) {
    const value = event[field];
    if (typeof value === "string") pieces.push(value.slice(0, SEARCHED_CHARS));
  }
  if (event.input !== undefined) pieces.push(JSON.stringify(event.input).slice(0, SEARCHED_CHARS));
  run.haystack += `\n${pieces.join("\n").toLowerCase()}`;
}

function loopChain(parent: RunModel, child: RunModel): string {
  const chain = [child.runId];
  for (let up: RunModel | undefined = parent; up && up !== child; up = up.parent) chain.push(up.runId);
  chain.push(child.runId);
  return chain.join(" → ");
}
