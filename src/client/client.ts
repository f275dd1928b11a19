/**
 * The direct client: the documented 0.1.x API (runs, sendEvent, endRun,
 * setters, raiseOnError) over a keep-alive, retrying transport.
 */
import { randomUUID } from "node:crypto";
import { PermisoCustomHooksError } from "../errors.js";
import {
  buildHookBody,
  compactAgent,
  type PermisoAgentContext,
  type PermisoUser,
} from "../protocol/body.js";
import type { HookEventPayload, StopReason } from "../protocol/events.js";
import { encodeJson, JsonEncodingError } from "../protocol/json.js";
import { formatIssues, validateEvent } from "../protocol/validate.js";
import {
  ConfigurationError,
  createTransport,
  resolveEndpoint,
  type ResolvedEndpoint,
  type TransportOptions,
} from "../transport/endpoint.js";
import { toOutcome, type CustomHooksResponse, type DeliveryOutcome } from "../transport/outcome.js";
import type { HookTransport } from "../transport/types.js";
import { createFailureReporter } from "./failure-reporter.js";

export interface PermisoCustomHooksConfig extends TransportOptions {
  /** Parent run id, sent on every request so the backend links this run to it (sub-agents). */
  parentRunId?: string;
  /** Initial agent metadata. */
  agent?: PermisoAgentContext;
  /** Sets or overrides `agent.systemPrompt`. */
  systemPrompt?: string;
  /** Sent as the top-level `sessionId` on every request. */
  sessionId?: string;
  /** End-user metadata sent as the top-level `user`. */
  user?: PermisoUser;
  /** Throw PermisoCustomHooksError on failure instead of returning `{}`. @defaultValue false */
  raiseOnError?: boolean;
  /** Check each event against the documented schema before sending. @defaultValue false */
  validate?: boolean;
  /**
   * Told of every failure the client does not throw (raiseOnError false, and
   * background sends). Defaults to a console warning at most once a minute.
   */
  onError?: (error: PermisoCustomHooksError) => void;
}

/** Data accepted by sendEvent: a typed event, or any object (the 0.1.x signature). */
export type SendEventData = HookEventPayload | Record<string, unknown>;

export class PermisoCustomHooksClient {
  readonly #endpoint: ResolvedEndpoint;
  readonly #transport: HookTransport;
  readonly #parentRunId: string | undefined;
  readonly #raiseOnError: boolean;
  readonly #validate: boolean;
  readonly #onError: (error: PermisoCustomHooksError) => void;
  readonly #pending = new Set<Promise<unknown>>();
  #runId: string = randomUUID();
  #agent: PermisoAgentContext;
  #sessionId: string | undefined;
  #user: PermisoUser;

  constructor(config: PermisoCustomHooksConfig = {}) {
    try {
      this.#endpoint = resolveEndpoint(config);
    } catch (error) {
      if (error instanceof ConfigurationError) {
        throw new PermisoCustomHooksError(error.message, { kind: "configuration" });
      }
      throw error;
    }
    this.#transport = createTransport(this.#endpoint);
    this.#parentRunId = config.parentRunId;
    this.#raiseOnError = config.raiseOnError ?? false;
    this.#validate = config.validate ?? false;
    this.#onError = config.onError ?? createFailureReporter();
    this.#agent = { ...config.agent };
    if (config.systemPrompt !== undefined) this.#agent.systemPrompt = config.systemPrompt;
    this.#sessionId = config.sessionId;
    this.#user = { ...config.user };
  }

  /** The current run id: created in the constructor, rotated by a successful endRun. */
  getRunId(): string {
    return this.#runId;
  }

  get baseUrl(): string {
    return this.#endpoint.baseUrl;
  }

  get parentRunId(): string | undefined {
    return this.#parentRunId;
  }

  /** Sets, or with `undefined` clears, `agent.systemPrompt`. */
  setSystemPrompt(prompt: string | undefined): void {
    this.#agent = { ...this.#agent, systemPrompt: prompt };
  }

  /** Merges agent metadata; an explicit `undefined` clears that field. */
  setAgent(agent: Partial<PermisoAgentContext>): void {
    this.#agent = { ...this.#agent, ...agent };
  }

  /** Sets, or with `undefined` clears, the top-level `sessionId`. */
  setSessionId(sessionId: string | undefined): void {
    this.#sessionId = sessionId;
  }

  /** Merges end-user metadata, keeping the fields not given. */
  setUser(user: PermisoUser): void {
    this.#user = { ...this.#user, ...user };
  }

  /**
   * Sends one hook event for the current run and returns the server's answer
   * (e.g. `{ permission: "deny" }`). On failure returns `{}`, or throws when
   * `raiseOnError` is true.
   */
  async sendEvent(eventName: string, data?: SendEventData): Promise<CustomHooksResponse> {
    const outcome = await this.#track(this.#deliver(eventName, data));
    return this.#settle(outcome);
  }

  /** Schedules the same request as sendEvent and returns at once; never throws. */
  sendEventBackground(eventName: string, data?: SendEventData): void {
    void this.#track(
      this.#deliver(eventName, data).then((outcome) => {
        if (!outcome.ok) this.#report(outcome.error);
      }),
    );
  }

  /**
   * Sends the `stop` event for the current run, after any background sends
   * still in flight, then rotates to a new run id, only if the stop succeeded.
   */
  async endRun(stopReason: StopReason | (string & {}) = "end_turn"): Promise<CustomHooksResponse> {
    await this.flush();
    const outcome = await this.#track(this.#deliver("stop", { source: "stop", stopReason }));
    if (outcome.ok) this.#runId = randomUUID();
    return this.#settle(outcome);
  }

  /** Resolves once every send started so far (background ones included) has finished. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending]);
    }
  }

  /** Waits for pending sends, then closes pooled connections. */
  async close(): Promise<void> {
    await this.flush();
    this.#transport.close();
  }

  async #deliver(eventName: string, data: SendEventData | undefined): Promise<DeliveryOutcome> {
    const event: Record<string, unknown> = { ...(data ?? {}) };
    if (this.#validate) {
      const issues = validateEvent(event);
      if (typeof eventName !== "string" || eventName === "") {
        issues.unshift({ path: "hookEvent", message: "must be a non-empty string" });
      }
      if (issues.length > 0) {
        return { ok: false, error: new PermisoCustomHooksError(`Invalid event: ${formatIssues(issues)}`, { kind: "validation" }) };
      }
    }
    let payload: string;
    try {
      payload = encodeJson(
        buildHookBody({
          hookEvent: eventName,
          runId: this.#runId,
          event,
          parentRunId: this.#parentRunId,
          sessionId: this.#sessionId,
          user: this.#user,
          agent: compactAgent(this.#agent),
        }),
      );
    } catch (error) {
      const reason = error instanceof JsonEncodingError ? error.message.replace(/^body\./, "") : String(error);
      return {
        ok: false,
        error: new PermisoCustomHooksError(`Failed to serialize request body: ${reason}`, { cause: error, kind: "serialization" }),
      };
    }
    return toOutcome(await this.#transport.send(payload, { timeoutMs: this.#endpoint.timeoutMs }));
  }

  #settle(outcome: DeliveryOutcome): CustomHooksResponse {
    if (outcome.ok) return outcome.response;
    if (this.#raiseOnError) throw outcome.error;
    this.#report(outcome.error);
    return {};
  }

  #report(error: PermisoCustomHooksError): void {
    try {
      this.#onError(error);
    } catch {
      // A failing error handler must not turn a dropped event into a crash.
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const untrack = () => this.#pending.delete(promise);
    promise.then(untrack, untrack);
    return promise;
  }

  /** What `util.inspect` and `console.log` show: never the API key. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `PermisoCustomHooksClient { baseUrl: ${JSON.stringify(this.#endpoint.baseUrl)}, runId: ${JSON.stringify(this.#runId)}, apiKey: [redacted] }`;
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.#endpoint.baseUrl, runId: this.#runId, parentRunId: this.#parentRunId };
  }
}
