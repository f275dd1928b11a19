/**
 * The request body posted to `{baseUrl}/hooks`. `HookBody` keeps `event`
 * open (any object: the 0.1.x client's signature); the bridge builds
 * `HookBody<HookEventPayload>`, typed over the event union.
 */
import type { HookEventPayload } from "./events.js";

export interface PermisoUser {
  email?: string;
  id?: string;
  name?: string;
}

/** The agent (or sub-agent) that produced an event; `id` identifies the agent, not the user. */
export interface PermisoAgentContext {
  systemPrompt?: string;
  name?: string;
  id?: string;
}

export const BOURNE_VERSION = "v2";

export interface HookBody<Event extends object = Record<string, unknown>> {
  hookEvent: string;
  runId: string;
  parentRunId?: string;
  bourneVersion: typeof BOURNE_VERSION;
  sessionId?: string;
  user?: PermisoUser;
  agent?: PermisoAgentContext;
  event: Event;
  clientSentAtMs: number;
}

/** A body whose event is one of the shapes the endpoint accepts. */
export type TypedHookBody = HookBody<HookEventPayload>;

export interface HookBodyFields<Event extends object = Record<string, unknown>> {
  hookEvent: string;
  runId: string;
  event: Event;
  parentRunId?: string;
  sessionId?: string;
  user?: PermisoUser;
  agent?: PermisoAgentContext;
}

/** Keeps only the defined keys; `undefined` when none is left. */
export function compactUser(user: PermisoUser | undefined): PermisoUser | undefined {
  if (!user) return undefined;
  const out: PermisoUser = {};
  if (user.email !== undefined) out.email = user.email;
  if (user.id !== undefined) out.id = user.id;
  if (user.name !== undefined) out.name = user.name;
  return out.email === undefined && out.id === undefined && out.name === undefined
    ? undefined
    : out;
}

/** Keeps only the defined keys; `undefined` when none is left. */
export function compactAgent(
  agent: PermisoAgentContext | undefined,
): PermisoAgentContext | undefined {
  if (!agent) return undefined;
  const out: PermisoAgentContext = {};
  if (agent.systemPrompt !== undefined) out.systemPrompt = agent.systemPrompt;
  if (agent.name !== undefined) out.name = agent.name;
  if (agent.id !== undefined) out.id = agent.id;
  return out.systemPrompt === undefined && out.name === undefined && out.id === undefined
    ? undefined
    : out;
}

/**
 * Assembles a body the way the 0.1.x client does: optional fields appear only
 * when set, and `clientSentAtMs` is stamped when the body is built.
 */
export function buildHookBody<Event extends object>(fields: HookBodyFields<Event>, now: number = Date.now()): HookBody<Event> {
  const body: HookBody<Event> = {
    hookEvent: fields.hookEvent,
    runId: fields.runId,
    bourneVersion: BOURNE_VERSION,
    event: fields.event,
    clientSentAtMs: now,
  };
  if (fields.parentRunId !== undefined) body.parentRunId = fields.parentRunId;
  if (fields.sessionId !== undefined) body.sessionId = fields.sessionId;
  const user = compactUser(fields.user);
  if (user) body.user = user;
  const agent = compactAgent(fields.agent);
  if (agent) body.agent = agent;
  return body;
}
