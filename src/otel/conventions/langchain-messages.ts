/**
 * LangChain's serialized messages, as instrumentations of LangChain log them
 * in their raw input and output (OpenInference `input.value`/`output.value`,
 * OpenLLMetry `traceloop.entity.*`):
 *
 *     {"lc": 1, "type": "constructor", "id": ["langchain_core", "messages", "AIMessage"],
 *      "kwargs": {"content": "…", "tool_calls": [{"id", "name", "args"}], …}}
 *
 * They are the complete record of a model call: the tool call ids, the
 * system prompt's content blocks and a tool message's status, which the
 * flattened forms next to them lose.
 */
import { isRecord, parseJson } from "../attributes.js";
import type { Message, Role } from "../model.js";
import type { ParsedMessages } from "./genai-messages.js";
import { addChatMessage } from "./openai-messages.js";

/** Message classes by the last element of their serialized id, and the role each plays. */
const CLASS_ROLES: Record<string, Role> = {
  SystemMessage: "system",
  SystemMessageChunk: "system",
  HumanMessage: "user",
  HumanMessageChunk: "user",
  AIMessage: "assistant",
  AIMessageChunk: "assistant",
  ToolMessage: "tool",
  ToolMessageChunk: "tool",
  FunctionMessage: "tool",
};

/** Roles by the `type` a message's kwargs (or a plain message) carries. */
const TYPE_ROLES: Record<string, Role> = { system: "system", human: "user", ai: "assistant", tool: "tool", function: "tool" };

/** A serialized LangChain message's role and fields, or `undefined` when the value is not one. */
function unpack(value: unknown): { role: Role; fields: Record<string, unknown> } | undefined {
  if (!isRecord(value) || value.lc !== 1 || !isRecord(value.kwargs)) return undefined;
  const className = Array.isArray(value.id) ? String(value.id[value.id.length - 1]) : "";
  const role = CLASS_ROLES[className] ?? TYPE_ROLES[String(value.kwargs.type)];
  return role ? { role, fields: value.kwargs } : undefined;
}

export function isLangChainMessage(value: unknown): boolean {
  return unpack(value) !== undefined;
}

/** A list of serialized messages as chat messages; system text set apart. `undefined` unless every item is one. */
export function langChainMessages(list: unknown): ParsedMessages | undefined {
  if (!Array.isArray(list) || list.length === 0 || !list.every(isLangChainMessage)) return undefined;
  const result: ParsedMessages = { messages: [], system: [] };
  for (const item of list) addLangChainMessage(result, item);
  return result;
}

function addLangChainMessage(result: ParsedMessages, item: unknown): void {
  const { role, fields } = unpack(item)!;
  const before = result.messages.length;
  addChatMessage(
    result,
    {
      role,
      content: fields.content,
      // LangChain's own `{id, name, args}` calls; OpenAI's raw ones in additional_kwargs say the same.
      tool_calls: Array.isArray(fields.tool_calls) && fields.tool_calls.length > 0 ? fields.tool_calls : additionalToolCalls(fields),
      tool_call_id: fields.tool_call_id,
      name: fields.name,
    },
    role,
  );
  if (role === "tool" && fields.status === "error") markFailed(result.messages.slice(before));
}

function additionalToolCalls(fields: Record<string, unknown>): unknown {
  return isRecord(fields.additional_kwargs) ? fields.additional_kwargs.tool_calls : undefined;
}

function markFailed(messages: Message[]): void {
  for (const message of messages) {
    message.parts = message.parts.map((part) => (part.type === "tool_result" ? { ...part, isError: true } : part));
  }
}

/** A chat model's logged input, `{"messages": [[…serialized messages…]]}`: the first prompt's messages. */
export function langChainPrompt(value: unknown): ParsedMessages | undefined {
  const parsed = parseJson(value);
  if (!isRecord(parsed) || !Array.isArray(parsed.messages)) return undefined;
  const [first] = parsed.messages;
  return langChainMessages(Array.isArray(first) ? first : parsed.messages);
}

/**
 * A chat model's logged output, `{"generations": [[{text, message, generationInfo}]]}`:
 * one assistant message per generation of the first prompt, and its finish reason.
 */
export function langChainGenerations(value: unknown): ParsedMessages | undefined {
  const parsed = parseJson(value);
  if (!isRecord(parsed) || !Array.isArray(parsed.generations) || !Array.isArray(parsed.generations[0])) return undefined;
  const result: ParsedMessages = { messages: [], system: [] };
  for (const generation of parsed.generations[0]) {
    if (!isRecord(generation) || !isLangChainMessage(generation.message)) return undefined;
    addLangChainMessage(result, generation.message);
    const info = generation.generationInfo;
    if (isRecord(info) && typeof info.finish_reason === "string" && info.finish_reason !== "") result.finishReason = info.finish_reason;
  }
  return result.messages.length > 0 ? result : undefined;
}

export interface LangChainToolAnswer {
  content: unknown;
  callId?: string;
  name?: string;
  isError: boolean;
}

/**
 * What a tool returned when LangChain called it with a tool call: a
 * serialized `ToolMessage`, bare or under `output` (as OpenInference logs it).
 * Its content is the tool's own output; it also names the call it answers.
 */
export function langChainToolAnswer(value: unknown): LangChainToolAnswer | undefined {
  const parsed = parseJson(value);
  const message = isRecord(parsed) && !isLangChainMessage(parsed) && "output" in parsed ? parsed.output : parsed;
  const unpacked = unpack(message);
  if (!unpacked || unpacked.role !== "tool") return undefined;
  const { fields } = unpacked;
  return {
    content: fields.content,
    callId: typeof fields.tool_call_id === "string" && fields.tool_call_id !== "" ? fields.tool_call_id : undefined,
    name: typeof fields.name === "string" && fields.name !== "" ? fields.name : undefined,
    isError: fields.status === "error",
  };
}
