/**
 * `PermisoToolGuard`: asks Permiso before a tool runs and waits for the
 * answer, within `timeoutMs`. `check()` never rejects: an answer is a
 * decision, anything else is decided by the fail mode and says so.
 */
import { randomUUID } from "node:crypto";
import { diag } from "@opentelemetry/api";
import { buildHookBody, compactAgent, compactUser, type PermisoAgentContext, type TypedHookBody } from "../protocol/body.js";
import type { JsonValue } from "../protocol/events.js";
import { encodeJson } from "../protocol/json.js";
import { BurstReporter } from "../engine/burst-reporter.js";
import { applyContentPolicy, redactedAfterMaskFailure, type MaskOutcome } from "../engine/content-policy.js";
import { createTransport } from "../transport/endpoint.js";
import type { HookTransport } from "../transport/types.js";
import { readSendResult, type NoDecision, type NoDecisionCause, type PermisoAnswer } from "./answer.js";
import { decisionFromAnswer, decisionWithoutAnswer, describeNoDecision, type ToolDecision } from "./decision.js";
import { resolveGuardOptions, type FailMode, type PermisoToolGuardOptions, type ResolvedGuardOptions } from "./options.js";
import { runForToolCall, type ToolCallRun } from "./run-link.js";
import { untraced } from "./untraced.js";

/** A tool call about to run. */
export interface ToolCallToCheck {
  /** The tool's name, as the model called it; also the `hookEvent`. */
  toolName: string;
  /** The model's id for this call (`toolUseId`). */
  toolCallId: string;
  /** The parsed arguments. */
  input?: unknown;
  /** The agent making the call, when the framework's hook says (a linked run's context wins). */
  agent?: PermisoAgentContext;
}

export interface GuardStats {
  /** Calls checked. */
  checks: number;
  /** Permiso allowed. */
  allowed: number;
  /** Permiso denied (`continue: false` included). */
  denied: number;
  /** Permiso denied with `continue: false`. */
  runsStopped: number;
  /** No decision; blocked by `failMode: "closed"`. */
  failedClosed: number;
  /** No decision; allowed by `failMode: "open"`. */
  failedOpen: number;
  /** Why there was no decision, by cause. */
  noDecision: Record<NoDecisionCause, number>;
  /** The mask threw or returned an invalid body: the call was sent with its content redacted. */
  maskFailures: number;
}

const NO_DECISION_CAUSES: readonly NoDecisionCause[] = [
  "timeout",
  "unreachable",
  "http-error",
  "invalid-answer",
  "invalid-call",
  "no-api-key",
  "closed",
  "withheld",
];

/** Causes a user must fix in their configuration; reported at error level. */
const CONFIGURATION_CAUSES = new Set<NoDecisionCause>(["no-api-key"]);

function emptyStats(): GuardStats {
  return {
    checks: 0,
    allowed: 0,
    denied: 0,
    runsStopped: 0,
    failedClosed: 0,
    failedOpen: 0,
    noDecision: Object.fromEntries(NO_DECISION_CAUSES.map((cause) => [cause, 0])) as Record<NoDecisionCause, number>,
    maskFailures: 0,
  };
}

function invalidCall(detail: string): NoDecision {
  return { kind: "no-decision", cause: "invalid-call", detail };
}

const WITHHELD: NoDecision = Object.freeze({ kind: "no-decision", cause: "withheld", detail: "the mask returned null" });

/** Names the field JSON cannot encode (`input.self is a circular reference`). */
function unencodable(body: TypedHookBody, error: unknown): NoDecision {
  let detail = error instanceof Error ? error.message : String(error);
  try {
    encodeJson(body, "call");
  } catch (explained) {
    detail = (explained as Error).message;
  }
  return invalidCall(detail.replace(/^call\.event\./, ""));
}

/** The mask's outcome, or `undefined` when it has not settled by the deadline. */
function maskWithin(outcome: Promise<MaskOutcome>, deadline: number): Promise<MaskOutcome | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
    timer.unref?.();
    void outcome.then((settled) => {
      clearTimeout(timer);
      resolve(settled);
    });
  });
}

function checkArguments(call: unknown): NoDecision | undefined {
  if (typeof call !== "object" || call === null) return invalidCall("check() takes { toolName, toolCallId, input }");
  const { toolName, toolCallId } = call as Record<string, unknown>;
  if (typeof toolName !== "string" || toolName === "") return invalidCall("toolName must be a non-empty string");
  if (typeof toolCallId !== "string" || toolCallId === "") return invalidCall("toolCallId must be a non-empty string");
  return undefined;
}

export class PermisoToolGuard {
  readonly #options: ResolvedGuardOptions;
  readonly #transport: HookTransport | undefined;
  /** The run of tool calls made outside any span. */
  readonly #ownRunId = randomUUID();
  readonly #stats = emptyStats();
  readonly #warnings = new BurstReporter((message) => diag.warn(`Permiso tool guard: ${message}`));
  readonly #errors = new BurstReporter((message) => diag.error(`Permiso tool guard: ${message}`));
  #closed = false;

  constructor(options: PermisoToolGuardOptions = {}) {
    this.#options = resolveGuardOptions(options);
    this.#transport = this.#options.endpoint && createTransport(this.#options.endpoint);
    // The processor now leaves a model's tool calls for the guard to report first.
    this.#options.link?.deferToolUses();
  }

  /** What a check answers when Permiso gives no decision. */
  get failMode(): FailMode {
    return this.#options.failMode;
  }

  /**
   * Sends the call as a `tool_use` event and resolves to Permiso's decision,
   * or to the fail mode's when there is none within `timeoutMs`. Never rejects.
   */
  async check(call: ToolCallToCheck): Promise<ToolDecision> {
    let result: PermisoAnswer | NoDecision;
    try {
      result = await this.#ask(call);
    } catch (error) {
      // Not expected; if it happens, the call is still decided, by the fail mode.
      result = invalidCall(`the guard failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const decision =
      result.kind === "answer"
        ? decisionFromAnswer(result)
        : decisionWithoutAnswer(result, this.#options.failMode, this.#options.timeoutMs);
    this.#record(decision, result);
    return decision;
  }

  /** Counts of every outcome since the guard was made. */
  getStats(): GuardStats {
    return { ...this.#stats, noDecision: { ...this.#stats.noDecision } };
  }

  /** Closes pooled connections; later checks get no decision (cause `closed`). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#warnings.flush();
    this.#errors.flush();
    this.#transport?.close();
  }

  // Not async: each promise in the path costs a tool call time in an app with
  // an AsyncLocalStorage context; early answers need none.
  #ask(call: ToolCallToCheck): PermisoAnswer | NoDecision | Promise<PermisoAnswer | NoDecision> {
    if (this.#closed) return { kind: "no-decision", cause: "closed", detail: "close() was called" };
    const badArguments = checkArguments(call);
    if (badArguments) return badArguments;
    if (!this.#transport) return { kind: "no-decision", cause: "no-api-key", detail: "set apiKey or PERMISO_API_KEY" };
    return this.#send(call, runForToolCall(call.toolCallId, this.#ownRunId, this.#options.link));
  }

  #send(call: ToolCallToCheck, run: ToolCallRun): NoDecision | Promise<PermisoAnswer | NoDecision> {
    const options = this.#options;
    const started = Date.now();
    // The whole check, the mask included; the transport cuts each attempt at
    // what is left and starts no retry that would end past it.
    const deadline = started + options.timeoutMs;
    const body: TypedHookBody = buildHookBody(
      {
        hookEvent: call.toolName,
        runId: run.runId,
        parentRunId: run.parentRunId,
        // What the bridge knows of the run wins; configured values fill the gaps.
        agent: { ...options.agent, ...compactAgent(call.agent), ...compactAgent(run.agent) },
        sessionId: run.sessionId ?? options.sessionId,
        user: { ...options.user, ...compactUser(run.user) },
        event: {
          source: "agent",
          type: "tool_use",
          name: call.toolName,
          toolUseId: call.toolCallId,
          // Whatever the hook passed: checked when it is encoded.
          ...(call.input !== undefined && { input: call.input as JsonValue }),
          eventId: run.eventId,
          timestamp: started,
        },
      },
      started,
    );
    const { content } = options;
    if (content.captureContent && !content.mask) {
      // One encoding in the common case: a body no longer than the field limit has no field to cut.
      let payload: string;
      try {
        payload = encodeJson(body);
      } catch (error) {
        return unencodable(body, error);
      }
      if (payload.length <= content.maxFieldLength) return this.#post(payload, run, deadline);
    }
    let prepared: ReturnType<typeof applyContentPolicy>;
    try {
      prepared = applyContentPolicy(body, content);
    } catch (error) {
      return unencodable(body, error);
    }
    if (!(prepared instanceof Promise)) return prepared ? this.#deliver(prepared, run, deadline, false) : WITHHELD;
    return maskWithin(prepared, deadline).then((outcome) => {
      if (!outcome) return invalidCall(`the mask did not finish within ${options.timeoutMs} ms`);
      if (outcome.failure) this.#maskFailed(outcome.failure);
      return outcome.body ? this.#deliver(outcome.body, run, deadline, true) : WITHHELD;
    });
  }

  /** Encodes the prepared body, then posts it. */
  #deliver(body: TypedHookBody, run: ToolCallRun, deadline: number, masked: boolean): NoDecision | Promise<PermisoAnswer | NoDecision> {
    let payload: string;
    try {
      payload = encodeJson(body);
    } catch (error) {
      // A mask that put in what JSON cannot carry failed: its content is redacted, as when it throws.
      const redacted = masked ? redactedAfterMaskFailure(body) : null;
      if (!redacted) return unencodable(body, error);
      this.#maskFailed(`mask returned a body JSON cannot encode: ${(error as Error).message}`);
      payload = encodeJson(redacted);
    }
    return this.#post(payload, run, deadline);
  }

  /** Sends the request and reads the answer. */
  #post(payload: string, run: ToolCallRun, deadline: number): Promise<PermisoAnswer | NoDecision> {
    const timeoutMs = this.#options.timeoutMs;
    return untraced(() => this.#transport!.send(payload, { timeoutMs, deadline })).then((sent) => {
      // Permiso has the call, whatever it answered; otherwise the bridge still reports it.
      if (sent.status === "success") run.delivered();
      return readSendResult(sent);
    });
  }

  #maskFailed(failure: string): void {
    this.#stats.maskFailures++;
    this.#warnings.report("mask failed, tool input redacted", failure);
  }

  #record(decision: ToolDecision, result: PermisoAnswer | NoDecision): void {
    const stats = this.#stats;
    stats.checks++;
    if (decision.outcome === "allowed") stats.allowed++;
    if (decision.outcome === "denied") stats.denied++;
    if (decision.stopRun) stats.runsStopped++;
    if (result.kind === "answer") return;
    if (decision.outcome === "failed-closed") stats.failedClosed++;
    if (decision.outcome === "failed-open") stats.failedOpen++;
    stats.noDecision[result.cause]++;
    const configuration = CONFIGURATION_CAUSES.has(result.cause) || result.status === 401 || result.status === 403;
    const what = describeNoDecision(result, this.#options.timeoutMs);
    const detail = what.includes(result.detail) ? what : `${what} (${result.detail})`;
    const action = decision.allowed ? "tool calls allowed without a decision (failMode open)" : "tool calls blocked (failMode closed)";
    (configuration ? this.#errors : this.#warnings).report(`${action}: ${result.cause}`, detail);
  }
}
