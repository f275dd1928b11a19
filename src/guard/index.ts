/**
 * "@permiso-io/custom-hooks-sdk/guard": Permiso decides before a tool runs.
 * The core (`PermisoToolGuard`) and one adapter per framework hook. No
 * framework is imported: adapters are shaped to each framework's types, and
 * a test checks them against the installed definitions.
 */
export { PermisoToolGuard } from "./guard.js";
export type { GuardStats, ToolCallToCheck } from "./guard.js";
export type { FailMode, PermisoToolGuardOptions } from "./options.js";
export { GUARD_DEFAULTS } from "./options.js";
export type { ToolDecision, ToolOutcome } from "./decision.js";
export { DEFAULT_DENIAL_REASON, DEFAULT_STOP_REASON } from "./decision.js";
export type { NoDecisionCause } from "./answer.js";
export { PermisoRunStoppedError } from "./run-stopped.js";
export { permisoToolApproval } from "./adapters/ai-sdk.js";
export type { AiSdkToolApprovalRequest, AiSdkToolApprovalStatus } from "./adapters/ai-sdk.js";
export { permisoMiddleware } from "./adapters/langchain.js";
export type { LangChainToolCallRequest, LangChainToolMessageClass, PermisoLangChainMiddleware } from "./adapters/langchain.js";
export { permisoToolInputGuardrail, withPermisoGuard, PERMISO_GUARDRAIL_NAME } from "./adapters/openai-agents.js";
export type {
  OpenAIAgentsToolGuardrailOutput,
  OpenAIAgentsToolInputGuardrailData,
  PermisoToolInputGuardrail,
} from "./adapters/openai-agents.js";
export { permisoBeforeToolCall } from "./adapters/mastra.js";
export type { MastraBeforeToolCallResult, MastraToolHookContext, PermisoSuspendPayload } from "./adapters/mastra.js";
export { guardMcpClient } from "./adapters/mcp.js";
export type { GuardMcpClientOptions, McpCallToolParams, McpDeniedResult, McpToolClient } from "./adapters/mcp.js";
