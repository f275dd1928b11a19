/**
 * The `event` payload of a hook request, as the Permiso endpoint validates it:
 * exactly one variant, no unknown keys.
 */

/** Any JSON value (tool inputs are free-form JSON). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** An inline binary payload for `image` and `document` events. */
export interface PermisoBlob {
  /** Origin label for the blob, e.g. `"base64"` or `"url"`. */
  source: string;
  /** The payload itself, e.g. base64 text or a URL. */
  data: string;
  /** MIME type, e.g. `"image/png"`. */
  mediaType?: string;
}

/** Optional on every variant. */
export interface PermisoHookEventBase {
  /** Stable id for this event, so a retried event can be recognised. */
  eventId?: string;
  /** When it happened: epoch milliseconds or an ISO-8601 string. */
  timestamp?: number | string;
}

/** Allowed only when `source` is `"agent"`. */
export interface PermisoAgentEventFields {
  model?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
}

export interface TextContent {
  type: "text";
  text: string;
}
export interface ThinkingContent {
  type: "thinking";
  thinking: string;
  thinkingBudget?: number;
  signature?: string;
}
export interface ToolUseContent {
  type: "tool_use";
  name: string;
  toolUseId: string;
  input?: JsonValue;
}
export interface ToolResultContent {
  type: "tool_result";
  toolUseId: string;
  name?: string;
  /** Tool output as text (JSON text for structured results). */
  content?: string;
  isError?: boolean;
}
export interface ImageContent {
  type: "image";
  image: PermisoBlob;
}
export interface DocumentContent {
  type: "document";
  document: PermisoBlob;
}

export type EventContent =
  | TextContent
  | ThinkingContent
  | ToolUseContent
  | ToolResultContent
  | ImageContent
  | DocumentContent;

export type ContentType = EventContent["type"];

export type UserEvent = PermisoHookEventBase & { source: "user" } & EventContent;
export type AgentEvent = PermisoHookEventBase &
  PermisoAgentEventFields & { source: "agent" } & EventContent;

export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "content_filter";

export interface UsageCost {
  inputTokensCost: number;
  outputTokensCost: number;
  cacheReadTokensCost: number;
  cacheWriteTokensCost: number;
  currency: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cost?: UsageCost;
}

export interface StopEvent extends PermisoHookEventBase {
  source: "stop";
  stopReason?: StopReason;
  usage?: Usage;
}

/** Every shape the endpoint accepts as `event`. */
export type PermisoHookEventPayload = UserEvent | AgentEvent | StopEvent;
export type HookEventPayload = PermisoHookEventPayload;

/** Tool results, by source (names kept from the 0.1.x type exports). */
export type PermisoUserToolResultEvent = PermisoHookEventBase & {
  source: "user";
} & ToolResultContent;
export type PermisoAgentToolResultEvent = PermisoHookEventBase &
  PermisoAgentEventFields & { source: "agent" } & ToolResultContent;
export type PermisoToolResultEvent = PermisoUserToolResultEvent | PermisoAgentToolResultEvent;

export const STOP_REASONS: readonly StopReason[] = [
  "end_turn",
  "max_tokens",
  "stop_sequence",
  "tool_use",
  "content_filter",
];
