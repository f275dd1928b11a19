/**
 * A request's JSON text, written straight from what the engine built: no
 * body object is assembled, walked again by the strict check, then encoded.
 *
 * The engine builds valid events by construction: the composer and the run
 * summary write each field with its wire type. What types cannot promise (a
 * non-empty name or id, a finite time, how deep a tool's input nests, a cost
 * a pricing function worked out) is looked at by `needsStrictCheck`; such an
 * event takes the strict path, which names the problem.
 * `test/engine/request-json.test.ts` holds the events the engine builds from
 * hostile spans to the strict validator.
 *
 * Written as requests wait to be sent: without `clientSentAtMs` and the
 * closing brace, which are added when the request is sent (`delivery.ts`).
 * The keys come in `buildHookBody`'s order, so both paths write the same bytes.
 */
import { compactAgent, compactUser, type PermisoAgentContext, type PermisoUser } from "../protocol/body.js";
import type { HookEventPayload } from "../protocol/events.js";
import { nestsTooDeep } from "../protocol/validate.js";
import type { EventContext } from "./event-context.js";

/** What a request carries beside its event, with its JSON: worked out once for the events that share it. */
export interface RequestContext {
  readonly sessionId: string | undefined;
  readonly user: PermisoUser | undefined;
  readonly agent: PermisoAgentContext | undefined;
  /** `,"sessionId":…,"user":{…},"agent":{…}`: the members present, each with its leading comma. */
  readonly json: string;
}

export function requestContext({ sessionId, user, agent }: EventContext): RequestContext {
  const compactedUser = compactUser(user);
  const compactedAgent = compactAgent(agent);
  let json = "";
  if (sessionId !== undefined) json += `,"sessionId":${JSON.stringify(sessionId)}`;
  if (compactedUser) json += `,"user":${JSON.stringify(compactedUser)}`;
  if (compactedAgent) json += `,"agent":${JSON.stringify(compactedAgent)}`;
  return { sessionId, user: compactedUser, agent: compactedAgent, json };
}

/**
 * The body's JSON text without its closing brace. Run ids are the engine's
 * own (UUIDs made of hex digits), so they need no escaping.
 */
export function openRequestJson(hookEvent: string, runId: string, parentRunId: string | undefined, event: HookEventPayload, context: RequestContext): string {
  const parent = parentRunId === undefined ? "" : `,"parentRunId":"${parentRunId}"`;
  return `{"hookEvent":${JSON.stringify(hookEvent)},"runId":"${runId}","bourneVersion":"v2","event":${JSON.stringify(event)}${parent}${context.json}`;
}

/** Whether an event holds something its type cannot vouch for, so that it must take the strict check. */
export function needsStrictCheck(hookEvent: string, event: HookEventPayload): boolean {
  const { timestamp } = event;
  if (hookEvent === "" || typeof timestamp !== "number" || !(timestamp >= 0 && timestamp < Infinity)) return true;
  if (event.source === "stop") return event.usage?.cost !== undefined;
  switch (event.type) {
    case "tool_use":
      return event.name === "" || event.toolUseId === "" || nestsTooDeep(event.input);
    case "tool_result":
      return event.toolUseId === "";
    default:
      return false;
  }
}
