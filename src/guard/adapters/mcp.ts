/**
 * MCP TypeScript SDK: a client whose `callTool` asks Permiso first. Allowed
 * calls reach the server; denied ones resolve to a tool error result the
 * model can read (`isError: true`, the reason as text), as MCP reports tool
 * failures; `continue: false` throws. Everything else is the client itself.
 *
 * `callTool` carries no model call id: pass `toolCallId` to say where the
 * host keeps it (e.g. in `_meta`), or a fresh id is made per call.
 */
import { randomUUID } from "node:crypto";
import type { PermisoToolGuard } from "../guard.js";
import { PermisoRunStoppedError } from "../run-stopped.js";

/** The part of MCP's `CallToolRequest["params"]` the guard reads. */
export interface McpCallToolParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** Any MCP client with the SDK's `callTool`. */
export interface McpToolClient {
  callTool(params: McpCallToolParams, ...rest: any[]): Promise<unknown>;
}

export interface GuardMcpClientOptions {
  /** The model's id for a call; `undefined` makes a fresh one. */
  toolCallId?: (params: McpCallToolParams) => string | undefined;
}

/** What a denied call resolves to: an MCP tool error result. */
export interface McpDeniedResult {
  isError: true;
  content: [{ type: "text"; text: string }];
}

export function guardMcpClient<CLIENT extends McpToolClient>(
  client: CLIENT,
  guard: PermisoToolGuard,
  options: GuardMcpClientOptions = {},
): CLIENT {
  const callTool = async (params: McpCallToolParams, ...rest: unknown[]): Promise<unknown> => {
    const toolName = params?.name;
    const toolCallId = options.toolCallId?.(params) ?? `mcp_${randomUUID()}`;
    const decision = await guard.check({ toolName, toolCallId, input: params?.arguments ?? {} });
    if (decision.stopRun) throw new PermisoRunStoppedError(decision, toolName, toolCallId);
    if (decision.allowed) return client.callTool(params, ...rest);
    const denied: McpDeniedResult = { isError: true, content: [{ type: "text", text: decision.reason ?? "" }] };
    return denied;
  };
  // A proxy, not a copy: the SDK client keeps its state on itself, so every
  // other member must keep running against the original.
  return new Proxy(client, {
    get(target, key) {
      if (key === "callTool") return callTool;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
