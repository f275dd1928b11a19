/**
 * Each adapter against its framework's own hook type, as installed. The
 * guard entry imports no framework, so its types are shaped by hand; this
 * file stops `npm run typecheck` the day one of them no longer fits.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ToolHooks } from "@mastra/core/tools";
import type { FunctionTool, Tool, ToolInputGuardrailDefinition } from "@openai/agents";
import type { ToolApprovalConfiguration, ToolSet } from "ai";
import { ToolMessage, type AgentMiddleware, type WrapToolCallHook } from "langchain";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  guardMcpClient,
  PermisoToolGuard,
  permisoBeforeToolCall,
  permisoMiddleware,
  permisoToolApproval,
  permisoToolInputGuardrail,
  withPermisoGuard,
} from "../../src/guard/index.js";

type ToolsContext = Record<string, unknown>;

describe("adapter types", () => {
  const guard = new PermisoToolGuard({ apiKey: "types-only" });

  it("AI SDK 7: a toolApproval configuration", () => {
    const approval: ToolApprovalConfiguration<ToolSet, ToolsContext> = permisoToolApproval(guard);
    expect(typeof approval).toBe("function");
  });

  it("LangChain v1: an agent middleware with a wrapToolCall hook", () => {
    const middleware = permisoMiddleware(guard, { ToolMessage });
    const asMiddleware: AgentMiddleware = middleware;
    const hook: WrapToolCallHook = middleware.wrapToolCall;
    expect([asMiddleware.name, typeof hook]).toEqual(["PermisoToolGuard", "function"]);
  });

  it("OpenAI Agents JS: a tool input guardrail; guarded tools are still tools", () => {
    const guardrail: ToolInputGuardrailDefinition = permisoToolInputGuardrail(guard);
    expectTypeOf(withPermisoGuard([] as Tool[], guard)).toEqualTypeOf<Tool[]>();
    expectTypeOf(withPermisoGuard([] as FunctionTool[], guard)).toEqualTypeOf<FunctionTool[]>();
    expect(guardrail.type).toBe("tool_input");
  });

  it("Mastra: a beforeToolCall hook", () => {
    const hooks: ToolHooks = { beforeToolCall: permisoBeforeToolCall(guard) };
    expect(typeof hooks.beforeToolCall).toBe("function");
  });

  it("MCP: the guarded client is the client's own type", () => {
    expectTypeOf(guardMcpClient({} as Client, guard)).toEqualTypeOf<Client>();
  });
});
