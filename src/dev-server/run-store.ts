/**
 * Accepted hook requests, kept in arrival order and grouped into runs, with
 * each child run nested under its parent.
 */
import type { HookBody, PermisoAgentContext, PermisoUser } from "../protocol/body.js";

export interface ReceivedEvent {
  /** Arrival order across the whole receiver, from 1. */
  seq: number;
  receivedAt: number;
  body: HookBody;
}

export interface RunView {
  runId: string;
  parentRunId?: string;
  sessionId?: string;
  agent?: PermisoAgentContext;
  user?: PermisoUser;
  firstReceivedAt: number;
  /** Events in arrival order, the stop included. */
  events: ReceivedEvent[];
  /** The run's stop event, once it arrived. */
  stop?: ReceivedEvent;
  /** Events that arrived after the stop (a protocol violation worth seeing). */
  afterStop: number;
  children: RunView[];
}

export class RunStore {
  readonly #events: ReceivedEvent[] = [];
  readonly #listeners = new Set<(event: ReceivedEvent) => void>();
  #seq = 0;

  add(body: HookBody, receivedAt = Date.now()): ReceivedEvent {
    const event = { seq: ++this.#seq, receivedAt, body };
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /** Every accepted request, in arrival order. */
  events(): ReceivedEvent[] {
    return [...this.#events];
  }

  clear(): void {
    this.#events.length = 0;
  }

  subscribe(listener: (event: ReceivedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs as a forest: top-level runs in arrival order, children nested. */
  runs(): RunView[] {
    const byId = new Map<string, RunView>();
    for (const received of this.#events) {
      const { body } = received;
      let run = byId.get(body.runId);
      if (!run) {
        run = {
          runId: body.runId,
          firstReceivedAt: received.receivedAt,
          events: [],
          afterStop: 0,
          children: [],
        };
        byId.set(body.runId, run);
      }
      run.parentRunId ??= body.parentRunId;
      run.sessionId ??= body.sessionId;
      run.agent ??= body.agent;
      run.user ??= body.user;
      if (run.stop) run.afterStop++;
      run.events.push(received);
      if ((body.event as { source?: unknown }).source === "stop") run.stop ??= received;
    }
    const roots: RunView[] = [];
    for (const run of byId.values()) {
      const parent = run.parentRunId ? byId.get(run.parentRunId) : undefined;
      if (parent && parent !== run) parent.children.push(run);
      else roots.push(run);
    }
    return roots;
  }
}
