/**
 * What leaves the engine, and how: each body goes through the content policy
 * (capture, truncation, mask), the strict schema check and JSON encoding,
 * then waits in the ordered delivery queue for the transport it was handed.
 * It counts its own events; nothing else writes its counters.
 */
import type { TypedHookBody } from "../protocol/body.js";
import { encodeJson } from "../protocol/json.js";
import { validateHookBody } from "../protocol/validate.js";
import { toOutcome } from "../transport/outcome.js";
import type { HookTransport } from "../transport/types.js";
import type { BurstReporter } from "./burst-reporter.js";
import type { Clock } from "./clock.js";
import { applyContentPolicy } from "./content-policy.js";
import { DeliveryQueue, type DeliveryResult } from "./delivery.js";
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
      send: (payload, { deadline, signal }) => transport.send(payload, { timeoutMs: settings.attemptTimeoutMs, deadline, signal }),
      maxConcurrentRuns: settings.maxConcurrentRequests,
      maxQueuedEvents: settings.maxQueueSize,
      deliveryTimeoutMs: settings.exportTimeoutMs,
      attemptTimeoutMs: settings.attemptTimeoutMs,
      clock: parts.clock,
      onSuccess: () => this.#counters.eventsDelivered++,
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

  counters(): Readonly<OutboundCounters> {
    return { ...this.#counters };
  }

  /** Queues one body; a stop waits for `after` (its child runs' stops). */
  send(body: TypedHookBody, isStop: boolean, after?: Array<Promise<DeliveryResult>>): Promise<DeliveryResult> {
    this.#counters.eventsQueued++;
    if (this.#parts.disabled) {
      this.#counters.eventsDropped++;
      return Promise.resolve("dropped");
    }
    // With the queue full, do not spend work (and garbage) preparing what would be dropped.
    const prepared = this.#queue.hasRoom(isStop) ? this.#prepare(body) : null;
    return this.#queue.enqueue({ runId: body.runId, body: prepared, isStop, after }).then((result) => {
      if (result === "skipped") this.#counters.eventsWithheld++;
      return result;
    });
  }

  whenIdle(deadline: number): Promise<boolean> {
    return this.#queue.whenIdle(deadline);
  }

  /** Cancels retries and in-flight requests, and releases the transport's sockets. */
  close(): void {
    this.#queue.abort();
    this.#parts.transport.close();
  }

  /** Content policy, truncation, mask, the strict schema check, then JSON text. */
  #prepare(body: TypedHookBody): string | null | Promise<string | null> {
    const prepared = applyContentPolicy(body, this.#settings);
    if (!(prepared instanceof Promise)) return prepared && this.#checked(prepared);
    return prepared.then(({ body: masked, failure }) => {
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
        return encodeJson(unsent);
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
