/**
 * The context on an event's request: the agent it ran in, the user and the
 * session. Spans say what they can, nearest span first; configured values
 * fill in what they do not say and never override it.
 */
import type { AgentInvocation, Identity } from "../otel/model.js";
import type { PermisoAgentContext, PermisoUser } from "../protocol/body.js";
import type { EngineSettings } from "./settings.js";

export interface EventContext {
  agent: PermisoAgentContext;
  user: PermisoUser;
  sessionId: string | undefined;
}

export interface ContextSources {
  /** The agent whose scope the event's span is in. */
  agent: AgentInvocation | undefined;
  /** The system prompt of the model call behind the event. */
  callSystemPrompt: string | undefined;
  /** The agent the model call behind the event says it ran in (for an agent whose span does not say yet). */
  callAgentName?: string;
  /** The last system prompt seen in the agent's scope. */
  scopeSystemPrompt: string | undefined;
  /** Identity from the event's span and its ancestors, nearest first. */
  identity: Identity;
}

export function eventContext(sources: ContextSources, configured: Pick<EngineSettings, "agent" | "user" | "sessionId">): EventContext {
  const { agent, identity } = sources;
  return {
    agent: {
      name: agent?.name ?? sources.callAgentName ?? configured.agent.name,
      id: agent?.id ?? configured.agent.id,
      systemPrompt: agent?.systemPrompt ?? sources.callSystemPrompt ?? sources.scopeSystemPrompt ?? configured.agent.systemPrompt,
    },
    user: {
      id: identity.userId ?? configured.user.id,
      email: identity.userEmail ?? configured.user.email,
      name: identity.userName ?? configured.user.name,
    },
    sessionId: identity.sessionId ?? configured.sessionId,
  };
}

/** Whether two contexts say the same, field by field. */
export function sameEventContext(a: EventContext, b: EventContext): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.agent.name === b.agent.name &&
    a.agent.id === b.agent.id &&
    a.agent.systemPrompt === b.agent.systemPrompt &&
    a.user.id === b.user.id &&
    a.user.email === b.user.email &&
    a.user.name === b.user.name
  );
}

/** Adds what a farther span says to `identity`: a field already known (from a nearer span) is kept. */
export function mergeIdentity(identity: Identity, farther: Identity | undefined): void {
  if (!farther) return;
  identity.sessionId ??= farther.sessionId;
  identity.userId ??= farther.userId;
  identity.userEmail ??= farther.userEmail;
  identity.userName ??= farther.userName;
}
