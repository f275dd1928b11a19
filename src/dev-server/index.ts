/** "@permiso-io/custom-hooks-sdk/dev-server": a strict local receiver with a run viewer. */
export { DEFAULT_DEV_PORT, startDevServer } from "./server.js";
export type { DevServer, DevServerOptions, Interception, InterceptedRequest } from "./server.js";
export { DEFAULT_STORE_LIMITS, RunStore } from "./run-store.js";
export type { Evictions, ReceivedEvent, RunView, StoreChange, StoreLimits } from "./run-store.js";
export type { Rejection } from "./rejections.js";
export { ToolPolicyError, loadToolPolicy, parseToolPolicy } from "./tool-policy.js";
export type { InputCondition, ToolDecision, ToolPolicy, ToolPolicyRule } from "./tool-policy.js";
export { formatRunTree } from "./run-tree.js";
export type { RunTreeOptions } from "./run-tree.js";
