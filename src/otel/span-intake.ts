/**
 * Spans taken off the host's call stack. `onStart`, `onEnd` and `export()`
 * run inside the host's own calls (`span.end()`, and a BatchSpanProcessor
 * exports from inside `span.end()` when its batch fills), so they only
 * record what they were handed. The engine's work (reading conventions,
 * composing events, building requests) runs in a microtask, right after the
 * host's current synchronous code, for everything recorded in it, in the
 * order it was recorded; or at once when someone needs the engine's state:
 * a flush, a shutdown, a guard's question. A microtask rather than a later
 * turn of the event loop: a host whose work never leaves the microtask
 * queue (mock models, cached answers) would otherwise have its spans pile
 * up here unprocessed, without bound.
 */
import type { Context } from "@opentelemetry/api";
import type { ReadableSpanLike } from "./span-view.js";

/** What the intake hands over, in the order it was recorded. */
export interface IntakeHandler {
  started(span: ReadableSpanLike, parentContext: Context | undefined): void;
  ended(span: ReadableSpanLike): void;
  /** An exporter's batch; `together` counts the batches taken in the same turn. */
  exported(spans: readonly ReadableSpanLike[], together: number): void;
  /** After each drain that took ended spans (one release for all of them). */
  drained(): void;
  /** An exception while handing something over: reported, never thrown into the host. */
  failed(error: unknown): void;
}

const STARTED = 0;
const ENDED = 1;
const EXPORTED = 2;
type OpKind = typeof STARTED | typeof ENDED | typeof EXPORTED;

const later: (task: () => void) => void =
  typeof queueMicrotask === "function" ? queueMicrotask : (task) => void Promise.resolve().then(task);

export class SpanIntake {
  readonly #handler: IntakeHandler;
  // Parallel arrays rather than an object per operation: the host pays for a push, nothing more.
  #kinds: OpKind[] = [];
  #items: Array<ReadableSpanLike | readonly ReadableSpanLike[]> = [];
  #contexts: Array<Context | undefined> = [];
  #scheduled = false;
  readonly #drainLater = () => {
    this.#scheduled = false;
    this.drain();
  };

  constructor(handler: IntakeHandler) {
    this.#handler = handler;
  }

  /** Operations recorded and not yet handed over. */
  get pending(): number {
    return this.#kinds.length;
  }

  started(span: ReadableSpanLike, parentContext: Context | undefined): void {
    this.#record(STARTED, span, parentContext);
  }

  ended(span: ReadableSpanLike): void {
    this.#record(ENDED, span, undefined);
  }

  exported(spans: readonly ReadableSpanLike[]): void {
    this.#record(EXPORTED, spans, undefined);
  }

  /** Hands over everything recorded so far, now. */
  drain(): void {
    while (this.#kinds.length > 0) {
      const kinds = this.#kinds;
      const items = this.#items;
      const contexts = this.#contexts;
      this.#kinds = [];
      this.#items = [];
      this.#contexts = [];
      let together = 0;
      for (const kind of kinds) if (kind === EXPORTED) together++;
      let ended = false;
      for (let index = 0; index < kinds.length; index++) {
        try {
          switch (kinds[index]) {
            case STARTED:
              this.#handler.started(items[index] as ReadableSpanLike, contexts[index]);
              break;
            case ENDED:
              ended = true;
              this.#handler.ended(items[index] as ReadableSpanLike);
              break;
            default:
              this.#handler.exported(items[index] as readonly ReadableSpanLike[], together);
          }
        } catch (error) {
          this.#handler.failed(error);
        }
      }
      if (!ended) continue;
      try {
        this.#handler.drained();
      } catch (error) {
        this.#handler.failed(error);
      }
    }
  }

  #record(kind: OpKind, item: ReadableSpanLike | readonly ReadableSpanLike[], parentContext: Context | undefined): void {
    this.#kinds.push(kind);
    this.#items.push(item);
    this.#contexts.push(parentContext);
    if (this.#scheduled) return;
    this.#scheduled = true;
    later(this.#drainLater);
  }
}
