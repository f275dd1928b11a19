/**
 * LangChain v1: a `createAgent` middleware on the `wrapToolCall` hook (the
 * shape `createMiddleware` returns). Allowed calls go on to the tool; denied
 * ones are answered with an error `ToolMessage` carrying the reason, and the
 * agent goes on; `continue: false` throws, which ends the agent's run.
 *
 * LangChain checks that a hook returns a real `ToolMessage`, and this entry
 * imports no framework, so the class comes from the caller:
 * `permisoMiddleware(guard, { ToolMessage })` with `ToolMessage` from
 * "langchain" or "@langchain/core/messages".
 */
import { randomUUID } from "node:crypto";
import type { PermisoToolGuard } from "../guard.js";
import { PermisoRunStoppedError } from "../run-stopped.js";

/** The part of LangChain's `ToolCallRequest` the guard reads. */
export interface LangChainToolCallRequest {
  toolCall: { id?: string; name: string; args: unknown };
}

/** LangChain's `ToolMessage` constructor, as the guard calls it. */
export type LangChainToolMessageClass<MESSAGE> = new (fields: {
  content: string;
  tool_call_id: string;
  name?: string;
  status?: "success" | "error";
}) => MESSAGE;

export interface PermisoLangChainMiddleware<MESSAGE> {
  name: string;
  wrapToolCall<REQUEST extends LangChainToolCallRequest, RESULT>(
    request: REQUEST,
    handler: (request: REQUEST) => RESULT | Promise<RESULT>,
  ): Promise<RESULT | MESSAGE>;
}

/** `createMiddleware`'s brand (a registered symbol, so no import is needed). */
const MIDDLEWARE_BRAND = Symbol.for("AgentMiddleware");

export function permisoMiddleware<MESSAGE>(
  guard: PermisoToolGuard,
  framework: { ToolMessage: LangChainToolMessageClass<MESSAGE> },
): PermisoLangChainMiddleware<MESSAGE> {
  const ToolMessage = framework?.ToolMessage;
  if (typeof ToolMessage !== "function") {
    throw new TypeError('permisoMiddleware(guard, { ToolMessage }) needs the ToolMessage class, exported by "langchain" and "@langchain/core/messages"');
  }
  return {
    [MIDDLEWARE_BRAND]: true,
    name: "PermisoToolGuard",
    async wrapToolCall(request, handler) {
      const { name, args } = request.toolCall;
      const toolCallId = request.toolCall.id ?? `call_${randomUUID()}`;
      const decision = await guard.check({ toolName: name, toolCallId, input: args });
      if (decision.stopRun) throw new PermisoRunStoppedError(decision, name, toolCallId);
      if (decision.allowed) return handler(request);
      return new ToolMessage({ content: decision.reason ?? "", tool_call_id: toolCallId, name, status: "error" });
    },
  } as PermisoLangChainMiddleware<MESSAGE>;
}
