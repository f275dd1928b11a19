/**
 * OpenLLMetry (Traceloop): model calls with indexed prompts and completions
 * (`gen_ai.prompt.0.role`, `gen_ai.completion.0.tool_calls.0.name`, …), and
 * workflow, agent and tool spans described by `traceloop.span.kind` with
 * their input and output in `traceloop.entity.input` / `.output`. Newer
 * Traceloop instrumentations moved to `gen_ai.input.messages`; those are read
 * too when a span has no indexed prompts.
 */
import type { Attributes } from "@opentelemetry/api";
import { firstStr, indexedList, indexedSubList, isRecord, parseJsonOrText, str } from "../attributes.js";
import type { AgentInvocation, Message, ModelCall, Part, ToolExecution } from "../model.js";
import type { SpanView } from "../span-view.js";
import { GEN_AI, genAiRole, readCallBasics, readError, readFinishReason, readUsage, type GenAiRole } from "./genai-common.js";
import { parseGenAiMessages, parseSystemInstructions, toRole, type ParsedMessages } from "./genai-messages.js";
import { langChainToolAnswer } from "./langchain-messages.js";
import { looseConversation, nonEmptyString, responsesInputItems, stringifiedContentParts, textOfParts, toolCallParts } from "./openai-messages.js";
import { meaningByKind, type ConventionReader } from "./reader.js";

export const TRACELOOP = {
  SPAN_KIND: "traceloop.span.kind",
  ENTITY_NAME: "traceloop.entity.name",
  ENTITY_INPUT: "traceloop.entity.input",
  ENTITY_OUTPUT: "traceloop.entity.output",
  WORKFLOW_NAME: "traceloop.workflow.name",
  LLM_REQUEST_TYPE: "llm.request.type",
  PROMPTS: "gen_ai.prompt",
  COMPLETIONS: "gen_ai.completion",
  FIRST_PROMPT_ROLE: "gen_ai.prompt.0.role",
  FIRST_PROMPT_CONTENT: "gen_ai.prompt.0.content",
  FIRST_COMPLETION_ROLE: "gen_ai.completion.0.role",
  FIRST_COMPLETION_CONTENT: "gen_ai.completion.0.content",
} as const;

/** Keys of one indexed prompt or completion, after `gen_ai.prompt.{i}.`. */
const ENTRY = {
  ROLE: "role",
  CONTENT: "content",
  FINISH_REASON: "finish_reason",
  TOOL_CALL_ID: "tool_call_id",
  TOOL_CALLS: "tool_calls",
  FUNCTION_CALL_NAME: "function_call.name",
  FUNCTION_CALL_ARGUMENTS: "function_call.arguments",
} as const;

/** Keys of one tool call, after `tool_calls.{j}.`. */
const TOOL_CALL = { ID: "id", NAME: "name", ARGUMENTS: "arguments" } as const;

const SPAN_KIND_MEANING: Record<string, GenAiRole> = { agent: "agent", tool: "tool" };
const MODEL_REQUEST_TYPES = new Set(["chat", "completion"]);
const SKIPPED_REQUEST_TYPES = new Set(["embedding", "rerank"]);

function roleOf(span: SpanView): GenAiRole {
  const attributes = span.attributes;
  // `gen_ai.operation.name` is the most specific: a `task` span is a tool only when it says `execute_tool`.
  const fromOperation = attributes[GEN_AI.OPERATION_NAME] !== undefined ? genAiRole(span) : "none";
  if (fromOperation !== "none") return fromOperation;
  const kind = SPAN_KIND_MEANING[str(attributes, TRACELOOP.SPAN_KIND) ?? ""];
  if (kind) return kind;
  const requestType = str(attributes, TRACELOOP.LLM_REQUEST_TYPE);
  if (requestType !== undefined && MODEL_REQUEST_TYPES.has(requestType)) return "model";
  if (requestType !== undefined && SKIPPED_REQUEST_TYPES.has(requestType)) return "skipped";
  if (hasIndexedMessages(attributes)) return "model";
  return "none";
}

function hasIndexedMessages(attributes: Attributes): boolean {
  return (
    attributes[TRACELOOP.FIRST_PROMPT_ROLE] !== undefined ||
    attributes[TRACELOOP.FIRST_PROMPT_CONTENT] !== undefined ||
    attributes[TRACELOOP.FIRST_COMPLETION_ROLE] !== undefined ||
    attributes[TRACELOOP.FIRST_COMPLETION_CONTENT] !== undefined
  );
}

/** Traceloop's instrumentations (`@traceloop/instrumentation-openai`, `-langchain`, …) name their scope so. */
const TRACELOOP_SCOPE = "@traceloop/";

export const openLlmetryReader: ConventionReader = {
  name: "openllmetry",
  matches: (span) =>
    span.scope?.startsWith(TRACELOOP_SCOPE) === true ||
    span.attributes[TRACELOOP.SPAN_KIND] !== undefined ||
    span.attributes[TRACELOOP.LLM_REQUEST_TYPE] !== undefined ||
    hasIndexedMessages(span.attributes),
  classify: roleOf,
  read: (span) =>
    meaningByKind(roleOf(span), span, {
      model: readModelCall,
      tool: readTool,
      agent: readAgent,
      skipped: (skipped) => firstStr(skipped.attributes, [GEN_AI.OPERATION_NAME, TRACELOOP.LLM_REQUEST_TYPE]) ?? skipped.name,
    }),
};

function readModelCall(span: SpanView): ModelCall {
  const attributes = span.attributes;
  const prompts = indexedPrompts(attributes);
  const completions = indexedCompletions(attributes);
  const hasPrompts = prompts.messages.length > 0 || prompts.system.length > 0;
  const input = hasPrompts ? prompts : withContentBlocks(unpackedResponsesInput(parseGenAiMessages(attributes[GEN_AI.INPUT_MESSAGES])));
  const output = completions.messages.length > 0 ? completions : withContentBlocks(parseGenAiMessages(attributes[GEN_AI.OUTPUT_MESSAGES]));
  const systemPrompt =
    parseSystemInstructions(attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ?? (input.system.length > 0 ? input.system.join("\n") : undefined);
  const basics = readCallBasics(span);
  return {
    ...basics,
    input: input.messages,
    output: output.messages,
    systemPrompt,
    finishReason: basics.finishReason ?? output.finishReason,
  };
}

/**
 * Traceloop writes content that is not a string (LangChain's content
 * blocks, e.g. a system prompt `[{"type":"text","text":"…"}]`) as the JSON
 * text of it inside a text part; the blocks are what was said.
 */
function withContentBlocks(parsed: ParsedMessages): ParsedMessages {
  const expand = (parts: Part[]) => parts.flatMap((part) => (part.type === "text" ? stringifiedContentParts(part.text) : [part]));
  return {
    ...parsed,
    messages: parsed.messages.map((message) => ({ ...message, parts: expand(message.parts) })),
    system: parsed.system.map((text) => textOfParts(stringifiedContentParts(text))).filter((text) => text !== ""),
  };
}

/**
 * Traceloop's OpenAI instrumentation logs a Responses API input that is a
 * list of items as one user message holding the list's JSON text: the
 * items are the conversation.
 */
function unpackedResponsesInput(parsed: ParsedMessages): ParsedMessages {
  const [only] = parsed.messages;
  if (parsed.messages.length !== 1 || only.role !== "user" || only.parts.length !== 1 || only.parts[0].type !== "text") return parsed;
  const items = responsesInputItems(only.parts[0].text);
  return items ? { ...items, system: [...parsed.system, ...items.system] } : parsed;
}

/** `gen_ai.prompt.{i}.*`: role, content (JSON text when it was not a string), tool calls, tool answers. */
function indexedPrompts(attributes: Attributes): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  for (const entry of indexedList(attributes, TRACELOOP.PROMPTS)) {
    const message = toMessage(entry, "user");
    if (message.role === "system") {
      const text = textOfParts(message.parts);
      if (text !== "") result.system.push(text);
      continue;
    }
    result.messages.push(message);
  }
  return result;
}

/** `gen_ai.completion.{i}.*`: one assistant message per choice. */
function indexedCompletions(attributes: Attributes): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  for (const entry of indexedList(attributes, TRACELOOP.COMPLETIONS)) {
    const finishReason = nonEmptyString(entry[ENTRY.FINISH_REASON]);
    if (finishReason && result.finishReason === undefined) result.finishReason = finishReason;
    result.messages.push(toMessage(entry, "assistant"));
  }
  return result;
}

function toMessage(entry: Record<string, unknown>, fallbackRole: "user" | "assistant"): Message {
  const role = toRole(entry[ENTRY.ROLE]) ?? fallbackRole;
  const toolCallId = nonEmptyString(entry[ENTRY.TOOL_CALL_ID]);
  if (role === "tool" || toolCallId !== undefined) {
    const content = entry[ENTRY.CONTENT];
    const parts = stringifiedContentParts(content);
    const answer = parts.length > 0 && parts.every((part) => part.type === "text") ? textOfParts(parts) : content;
    return { role: "tool", parts: [{ type: "tool_result", id: toolCallId, result: answer }] };
  }
  const parts: Part[] = isNullText(entry[ENTRY.CONTENT]) ? [] : stringifiedContentParts(entry[ENTRY.CONTENT]);
  parts.push(...toolCallParts(indexedSubList(entry, ENTRY.TOOL_CALLS).map(flatToolCall)));
  const functionName = nonEmptyString(entry[ENTRY.FUNCTION_CALL_NAME]);
  if (functionName) {
    parts.push({ type: "tool_call", name: functionName, arguments: parseJsonOrText(entry[ENTRY.FUNCTION_CALL_ARGUMENTS]) });
  }
  return { role, parts };
}

/** A content that was `null` before being stringified (assistant turns that only call tools). */
function isNullText(content: unknown): boolean {
  return content === "null";
}

function flatToolCall(call: Record<string, unknown>): Record<string, unknown> {
  return { id: call[TOOL_CALL.ID], name: call[TOOL_CALL.NAME], arguments: call[TOOL_CALL.ARGUMENTS] };
}

function readTool(span: SpanView): ToolExecution {
  const attributes = span.attributes;
  const error = readError(span);
  const output = entityOutput(attributes);
  const explicitResult = attributes[GEN_AI.TOOL_CALL_RESULT];
  const explicitArguments = attributes[GEN_AI.TOOL_CALL_ARGUMENTS];
  return {
    // LangChain names the span and entity after the tool's class; its ToolMessage has the real name.
    name:
      str(attributes, GEN_AI.TOOL_NAME) ?? output.name ?? str(attributes, TRACELOOP.ENTITY_NAME) ?? toolNameFromSpanName(span.name),
    callId: str(attributes, GEN_AI.TOOL_CALL_ID) ?? output.callId,
    arguments: explicitArguments !== undefined ? parseJsonOrText(explicitArguments) : unwrapCall(attributes[TRACELOOP.ENTITY_INPUT]),
    result: explicitResult !== undefined ? parseJsonOrText(explicitResult) : output.result,
    isError: error.isError || output.isError,
    errorMessage: error.message,
  };
}

/** `execute_tool weather` (GenAI), `weather.tool` (Traceloop decorators). */
function toolNameFromSpanName(name: string): string | undefined {
  const match = /^execute_tool (\S+)/.exec(name) ?? /^(\S+)\.tool$/.exec(name);
  return match?.[1];
}

/**
 * Traceloop logs a function's call as `{"args": […], "kwargs": {…}}`. A
 * single argument is the input (for LangChain tools, the JSON text of the
 * tool's arguments); keyword arguments alone are the input; both are kept
 * together.
 */
function unwrapCall(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  const parsed = parseJsonOrText(raw);
  if (!isCallWrapper(parsed)) return parsed;
  const args = Array.isArray(parsed.args) ? parsed.args : [];
  const kwargs = isRecord(parsed.kwargs) ? parsed.kwargs : {};
  const hasKwargs = Object.keys(kwargs).length > 0;
  if (args.length === 1 && !hasKwargs) return parseJsonOrText(args[0]);
  if (args.length === 0) return hasKwargs ? kwargs : undefined;
  return hasKwargs ? { args, kwargs } : args;
}

function isCallWrapper(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === "args" || key === "kwargs");
}

/**
 * A tool's output. LangChain tools called with a tool call return a
 * serialized `ToolMessage`, which also tells the call id and the tool's
 * name (the span names the tool's class); a plain `{tool_call_id, content}`
 * message says the same.
 */
function entityOutput(attributes: Attributes): { result: unknown; callId?: string; name?: string; isError: boolean } {
  const raw = attributes[TRACELOOP.ENTITY_OUTPUT];
  const answer = langChainToolAnswer(raw);
  if (answer) return { ...answer, result: parseJsonOrText(answer.content) };
  const parsed = unwrapCall(raw);
  if (isRecord(parsed) && typeof parsed.tool_call_id === "string" && "content" in parsed) {
    return {
      result: parseJsonOrText(parsed.content),
      callId: nonEmptyString(parsed.tool_call_id),
      name: nonEmptyString(parsed.name),
      isError: parsed.status === "error",
    };
  }
  return { result: parsed, isError: false };
}

function readAgent(span: SpanView): AgentInvocation {
  const attributes = span.attributes;
  let input = parseGenAiMessages(attributes[GEN_AI.INPUT_MESSAGES]);
  let output = parseGenAiMessages(attributes[GEN_AI.OUTPUT_MESSAGES]);
  if (input.messages.length === 0) input = looseConversation(unwrapCall(attributes[TRACELOOP.ENTITY_INPUT]), "user");
  if (output.messages.length === 0) output = looseConversation(unwrapCall(attributes[TRACELOOP.ENTITY_OUTPUT]), "assistant");
  const systemPrompt =
    parseSystemInstructions(attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ?? (input.system.length > 0 ? input.system.join("\n") : undefined);
  const hasMessages = input.messages.length > 0 || output.messages.length > 0;
  const basics = readCallBasics(span);
  return {
    name: str(attributes, GEN_AI.AGENT_NAME) ?? str(attributes, TRACELOOP.ENTITY_NAME) ?? str(attributes, TRACELOOP.WORKFLOW_NAME),
    id: str(attributes, GEN_AI.AGENT_ID),
    systemPrompt,
    usage: readUsage(attributes),
    finishReason: readFinishReason(attributes) ?? output.finishReason,
    call: hasMessages ? { ...basics, input: input.messages, output: output.messages, systemPrompt } : undefined,
  };
}
