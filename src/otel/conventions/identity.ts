/**
 * Who and which conversation a span belongs to. These keys are shared by all
 * conventions, so they are read once here rather than in every reader.
 */
import type { Attributes } from "@opentelemetry/api";
import { firstStr } from "../attributes.js";
import type { Identity } from "../model.js";

export const SESSION_KEYS = [
  "gen_ai.conversation.id",
  "session.id",
  "ai.telemetry.metadata.sessionId",
  "ai.settings.context.sessionId",
  "traceloop.association.properties.session_id",
  "traceloop.association.properties.sessionId",
  "mastra.metadata.sessionId",
] as const;

export const USER_ID_KEYS = [
  "user.id",
  "enduser.id",
  "ai.telemetry.metadata.userId",
  "ai.settings.context.userId",
  "traceloop.association.properties.user_id",
  "traceloop.association.properties.userId",
  "mastra.metadata.userId",
] as const;

export const USER_EMAIL_KEYS = ["user.email"] as const;
export const USER_NAME_KEYS = ["user.full_name", "user.name"] as const;

export function readIdentity(attributes: Attributes): Identity {
  const identity: Identity = {};
  const sessionId = firstStr(attributes, SESSION_KEYS);
  const userId = firstStr(attributes, USER_ID_KEYS);
  const userEmail = firstStr(attributes, USER_EMAIL_KEYS);
  const userName = firstStr(attributes, USER_NAME_KEYS);
  if (sessionId !== undefined) identity.sessionId = sessionId;
  if (userId !== undefined) identity.userId = userId;
  if (userEmail !== undefined) identity.userEmail = userEmail;
  if (userName !== undefined) identity.userName = userName;
  return identity;
}
