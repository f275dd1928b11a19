/**
 * @permiso-io/custom-hooks-sdk: the direct client for the Permiso Custom
 * Hooks API. Dependency-free; the OpenTelemetry bridge lives in "./otel".
 */
export { PermisoCustomHooksClient } from "./client/client.js";
export type { PermisoCustomHooksConfig, SendEventData } from "./client/client.js";
export { PermisoCustomHooksError } from "./errors.js";
export type { PermisoErrorKind } from "./errors.js";
export type { CustomHooksResponse } from "./transport/outcome.js";
export type { TransportOptions } from "./transport/endpoint.js";
export { DEFAULT_BASE_URL } from "./transport/endpoint.js";
export type { PermisoAgentContext, PermisoUser, HookBody } from "./protocol/body.js";
export type {
  AgentEvent,
  ContentType,
  DocumentContent,
  EventContent,
  HookEventPayload,
  ImageContent,
  JsonValue,
  PermisoAgentEventFields,
  PermisoAgentToolResultEvent,
  PermisoBlob,
  PermisoHookEventBase,
  PermisoHookEventPayload,
  PermisoToolResultEvent,
  PermisoUserToolResultEvent,
  StopEvent,
  StopReason,
  TextContent,
  ThinkingContent,
  ToolResultContent,
  ToolUseContent,
  Usage,
  UsageCost,
  UserEvent,
} from "./protocol/events.js";
export { STOP_REASONS } from "./protocol/events.js";
export { formatIssues, validateEvent, validateHookBody } from "./protocol/validate.js";
export type { ValidationIssue } from "./protocol/validate.js";
export { SDK_VERSION } from "./version.js";
