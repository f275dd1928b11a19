/**
 * What leaves the engine, and how: each request's JSON text is written
 * straight from its parts (`request-json.ts`) when nothing is to be changed
 * in it; otherwise its body goes through the content policy (capture,
 * truncation, mask), the strict schema check and JSON encoding. Then it
 * waits in the ordered delivery queue for the transport it was handed.
 * It counts its own events; nothing else writes its counters.
 */
import { buildHookBody, type TypedHookBody } from "../protocol/body.js";
import type { AgentEvent, HookEventPayload, StopEvent, UserEvent } from "../protocol/events.js";
import { encodeJson } from "../protocol/json.js";
import { validateHookBody } from "../protocol/validate.js";
import { toOutcome } from "../transport/outcome.js";
import type { HookTransport } from "../transport/types.js";
import type { BurstReporter } from "./burst-reporter.js";
import type { Clock } from "./clock.js";
import { applyMask, hasLongText, truncateBody, withoutContent } from "./content-policy.js";
import { DeliveryQueue, openJson, type DeliveryItem, type DeliveryMark, type DeliveryResult, type Settlement } from "./delivery.js";
import { needsStrictCheck, openRequestJson, type RequestContext } from "./request-json.js";
import type { EngineSettings } from "./settings.js";

export interface OutboundCounters {
  eventsQueued: number;
  eventsDelivered: number;
  eventsFailed: number;
  /** Dropped because the queue was full, or because nothing can be sent (no API key). */
  eventsDropped: number;
  /** Dropped on purpose: by the mask, or media without content capture. */
  eventsWithheld: number;
  /** Events that failed validation and were not sent. */
  eventsInvalid: number;
  maskFailures: number;
}

/** Where diagnostics go: the OpenTelemetry adapters pass a `diag` component logger. */
export interface EngineLog {
  error(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
}

export interface OutboundParts {
  transport: HookTransport;
  clock: Clock;
  log: EngineLog;
  bursts: BurstReporter;
  /** Set when nothing can be sent (no API key): every event is counted as dropped, none prepared. */
  disabled?: boolean;
}

const DROPPED: Promise<DeliveryResult> = Promise.resolve("dropped");

/** A request's JSON text as it waits to be sent: without `clientSentAtMs` and its closing brace. */
type OpenBody = DeliveryItem["openBody"];

export class Outbound {
  readonly #settings: EngineSettings;
  readonly #parts: OutboundParts;
  readonly #queue: DeliveryQueue;
  readonly #counters: OutboundCounters = {
    eventsQueued: 0,
    eventsDelivered: 0,
    eventsFailed: 0,
    eventsDropped: 0,
    eventsWithheld: 0,
    eventsInvalid: 0,
    maskFailures: 0,
  };
  #authProblemReported = false;

  constructor(settings: EngineSettings, parts: OutboundParts) {
    this.#settings = settings;
    this.#parts = parts;
    const { transport, bursts, log } = parts;
    this.#queue = new DeliveryQueue({
      send: (payload, options) => transport.send(payload, options),
      maxConcurrentRuns: settings.maxConcurrentRequests,
      maxQueuedEvents: settings.maxQueueSize,
      deliveryTimeoutMs: settings.exportTimeoutMs,
      attemptTimeoutMs: settings.attemptTimeoutMs,
      clock: parts.clock,
      onSuccess: () => this.#counters.eventsDelivered++,
      onSkip: () => this.#counters.eventsWithheld++,
      onFailure: (result) => {
        this.#counters.eventsFailed++;
        const outcome = toOutcome(result);
        const status = outcome.ok ? undefined : outcome.error.status;
        if (status === 401 || status === 403) {
          if (this.#authProblemReported) return;
          this.#authProblemReported = true;
          log.error(`Permiso refused the API key (HTTP ${status}): check apiKey / PERMISO_API_KEY. Events are not being delivered.`);
          return;
        }
        bursts.report("hook events not delivered", outcome.ok ? "unknown failure" : outcome.error.message);
      },
      onDrop: () => {
        this.#counters.eventsDropped++;
        bursts.report("hook events dropped", `the delivery queue is full (maxQueueSize ${settings.maxQueueSize})`);
      },
    });
  }

  /** Events waiting (for their turn, or for a stop's children) or being sent. */
  get depth(): number {
    return this.#queue.pending;
  }

  /** Whether an event (or a stop, which has a reserve) would be accepted now. */
  hasRoom(isStop = false): boolean {
    return !this.#parts.disabled && this.#queue.hasRoom(isStop);
  }

  get eventsDropped(): number {
    return this.#counters.eventsDropped;
  }

  counters(): Readonly<OutboundCounters> {
    return { ...this.#counters };
  }

  /**
   * Queues one event of `runId`. Its request is prepared only when the queue
   * has room for it: with the queue full, no work (and no garbage) goes into
   * what would be dropped. What becomes of it shows in the counters.
   */
  send(runId: string, parentRunId: string | undefined, hookEvent: string, event: UserEvent | AgentEvent, context: RequestContext): void {
    if (!this.#admitted(runId, false)) return;
    this.#queue.add({ runId, openBody: this.#prepare(runId, parentRunId, hookEvent, event, context), isStop: false });
  }

  /** Queues the stop of `runId`, sent after `after` (its child runs' stops) settle; resolves with what became of it. */
  sendStop(runId: string, parentRunId: string | undefined, event: StopEvent, context: RequestContext, after: Array<Promise<DeliveryResult>>): Promise<DeliveryResult> {
    if (!this.#admitted(runId, true)) return DROPPED;
    return this.#queue.enqueue({ runId, openBody: this.#prepare(runId, parentRunId, "stop", event, context), isStop: true, after });
  }

  /** Events handed to `send` and `sendStop` so far. */
  get eventsQueued(): number {
    return this.#counters.eventsQueued;
  }

  /** Counts an event handed over; `false` when it is dropped at once, unprepared (nothing can be sent, or no room). */
  #admitted(runId: string, isStop: boolean): boolean {
    this.#counters.eventsQueued++;
    if (this.#parts.disabled) {
      this.#counters.eventsDropped++;
      return false;
    }
    if (this.#queue.hasRoom(isStop)) return true;
    // The queue drops it and counts it.
    this.#queue.add({ runId, openBody: null, isStop });
    return false;
  }

  whenIdle(deadline: number): Promise<boolean> {
    return this.#queue.whenIdle(deadline);
  }

  /** Closes the events released so far into a generation a flush can wait for. */
  mark(): DeliveryMark {
    return this.#queue.mark();
  }

  /**
   * Waits for every event up to the mark until the deadline; then aborts
   * what is still pending there (counted as failed) and reports it once.
   */
  async settle(mark: DeliveryMark, deadline: number, deadlineName: string): Promise<Settlement> {
    const settlement = await this.#queue.settleThrough(mark, deadline);
    if (settlement.settled) return settlement;
    const pending = this.#queue.pendingThrough(mark);
    this.#parts.log.warn(`${pending} hook events still pending at ${deadlineName}: aborted, counted as failed`);
    const after = await this.#queue.abortThrough(mark, `${deadlineName} passed`);
    return { ...after, settled: false };
  }

  /** Cancels retries and in-flight requests, and releases the transport's sockets. */
  close(): void {
    this.#queue.abort();
    this.#parts.transport.close();
  }

  /**
   * The request's JSON text. Written straight from its parts when nothing is
   * to be changed: content captured, no mask, and the whole text within
   * `maxFieldLength` (then no field of it can be longer). Otherwise as a
   * body: content policy, truncation, mask, the strict schema check, JSON.
   * A string over the limit goes to the cut at once: writing its megabytes
   * whole first would block the host's event loop for nothing.
   */
  #prepare(runId: string, parentRunId: string | undefined, hookEvent: string, event: HookEventPayload, context: RequestContext): OpenBody {
    const { captureContent, mask, maxFieldLength } = this.#settings;
    if (captureContent && !mask && !needsStrictCheck(hookEvent, event) && !hasLongText(event, context.agent, maxFieldLength)) {
      const json = openRequestJson(hookEvent, runId, parentRunId, event, context);
      if (json.length <= maxFieldLength) return json;
    }
    const { sessionId, user, agent } = context;
    return this.#prepareBody(buildHookBody({ hookEvent, runId, parentRunId, event, sessionId, user, agent }, this.#parts.clock.now()));
  }

  #prepareBody(body: TypedHookBody): OpenBody {
    const captured = this.#settings.captureContent ? body : withoutContent(body);
    if (!captured) return null;
    const truncated = truncateBody(captured, this.#settings.maxFieldLength);
    const mask = this.#settings.mask;
    if (!mask) return this.#checked(truncated);
    return applyMask(truncated, mask).then(({ body: masked, failure }) => {
      if (failure) {
        this.#counters.maskFailures++;
        this.#parts.bursts.report("mask failed, content redacted", failure);
      }
      return masked ? this.#checked(masked) : null;
    });
  }

  #checked(body: TypedHookBody): string | null {
    const { clientSentAtMs: _stampedWhenSent, ...unsent } = body;
    const issues = validateHookBody(unsent);
    let problem = issues.length > 0 ? `${issues[0].path} ${issues[0].message}` : undefined;
    if (!problem) {
      try {
        return openJson(encodeJson(unsent));
      } catch (error) {
        // Only a mask can put in what JSON cannot carry (a BigInt, a cycle).
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    this.#counters.eventsInvalid++;
    this.#parts.bursts.report("invalid hook events not sent", problem);
    return null;
  }
}
