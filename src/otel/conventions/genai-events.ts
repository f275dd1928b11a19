/**
 * The older GenAI forms that put message content in span EVENTS rather than
 * attributes:
 *
 * - semconv ≤1.36: `gen_ai.system.message`, `gen_ai.user.message`,
 *   `gen_ai.assistant.message`, `gen_ai.tool.message` and `gen_ai.choice`,
 *   whose body is either JSON in `gen_ai.event.content` (the Azure SDK
 *   pattern) or spread over the event's attributes (`content`, `role`, `id`,
 *   `tool_calls`, …);
 * - semconv ≤1.26: `gen_ai.content.prompt` / `gen_ai.content.completion`
 *   carrying OpenAI-format messages as JSON in `gen_ai.prompt` /
 *   `gen_ai.completion`.
 *
 * Spans of that era may lack `gen_ai.operation.name` (e.g. `ChatCompletions
 * gpt-4` with only `gen_ai.system`); they are model calls.
 */
import type { Attributes } from "@opentelemetry/api";
import { isRecord, parseJson, str } from "../attributes.js";
import type { ModelCall } from "../model.js";
import type { SpanEventView, SpanView } from "../span-view.js";
import { GEN_AI, genAiMeaning, genAiRole, readCallBasics, type GenAiRole } from "./genai-common.js";
import { parseGenAiMessages, parseSystemInstructions, type ParsedMessages } from "./genai-messages.js";
import { addChatMessage, choicesOf, parseChatMessages } from "./openai-messages.js";
import type { ConventionReader } from "./reader.js";

export const GEN_AI_EVENTS = {
  SYSTEM_MESSAGE: "gen_ai.system.message",
  USER_MESSAGE: "gen_ai.user.message",
  ASSISTANT_MESSAGE: "gen_ai.assistant.message",
  TOOL_MESSAGE: "gen_ai.tool.message",
  CHOICE: "gen_ai.choice",
  CONTENT_PROMPT: "gen_ai.content.prompt",
  CONTENT_COMPLETION: "gen_ai.content.completion",
} as const;

/** Attributes on those events. */
const EVENT_ATTRIBUTE = {
  /** The whole body as JSON (Azure SDKs). */
  CONTENT_JSON: "gen_ai.event.content",
  /** ≤1.26: OpenAI-format messages as JSON. */
  PROMPT: "gen_ai.prompt",
  COMPLETION: "gen_ai.completion",
  /** Body fields when spread over attributes. */
  CONTENT: "content",
  ROLE: "role",
  ID: "id",
  TOOL_CALLS: "tool_calls",
  INDEX: "index",
  FINISH_REASON: "finish_reason",
  MESSAGE: "message",
} as const;

const ROLE_OF_EVENT: Record<string, "system" | "user" | "assistant" | "tool"> = {
  [GEN_AI_EVENTS.SYSTEM_MESSAGE]: "system",
  [GEN_AI_EVENTS.USER_MESSAGE]: "user",
  [GEN_AI_EVENTS.ASSISTANT_MESSAGE]: "assistant",
  [GEN_AI_EVENTS.TOOL_MESSAGE]: "tool",
};

const CONTENT_EVENTS = new Set<string>(Object.values(GEN_AI_EVENTS));

function hasContentEvents(span: SpanView): boolean {
  // Asked of every span the readers before it passed over: a loop, with no closure per call.
  const { events } = span;
  for (let index = 0; index < events.length; index++) if (CONTENT_EVENTS.has(events[index].name)) return true;
  return false;
}

/** An old-style span: it names its system but no operation. */
function isPreOperationSpan(attributes: Attributes): boolean {
  return attributes[GEN_AI.SYSTEM] !== undefined && attributes[GEN_AI.OPERATION_NAME] === undefined;
}

/**
 * Without an operation, a span of this era that is not visibly a tool is a
 * model call: that is all these events ever described.
 */
function roleOf(span: SpanView): GenAiRole {
  const role = genAiRole(span);
  if (role !== "none" || span.attributes[GEN_AI.OPERATION_NAME] !== undefined) return role;
  return "model";
}

export const genAiEventsReader: ConventionReader = {
  name: "genai-events",
  // Events are added as a span runs, so at start only the old-style attributes can tell.
  matches: (span) => hasContentEvents(span) || isPreOperationSpan(span.attributes),
  classify: roleOf,
  read(span) {
    const input = inputOf(span);
    const output = outputOf(span);
    const systemPrompt =
      parseSystemInstructions(span.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]) ??
      (input.system.length > 0 ? input.system.join("\n") : undefined);
    const content = { input: input.messages, output: output.messages, systemPrompt };
    if (roleOf(span) !== "model") return genAiMeaning(span, () => content);
    const call: ModelCall = { ...readCallBasics(span), ...content };
    call.finishReason ??= output.finishReason;
    if (output.timeMs !== undefined) call.responseTimeMs = output.timeMs;
    return { kind: "model", call };
  },
};

/** The conversation sent: message events in order, or the ≤1.26 prompt, or (failing both) `gen_ai.input.messages`. */
function inputOf(span: SpanView): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  for (const event of span.events) {
    const role = ROLE_OF_EVENT[event.name];
    if (role) {
      const body = bodyOf(event);
      if (body) addChatMessage(result, { ...body, role }, role);
    } else if (event.name === GEN_AI_EVENTS.CONTENT_PROMPT) {
      const prompt = parseChatMessages(event.attributes[EVENT_ATTRIBUTE.PROMPT]);
      result.messages.push(...prompt.messages);
      result.system.push(...prompt.system);
    }
  }
  if (result.messages.length > 0 || result.system.length > 0) return result;
  return parseGenAiMessages(span.attributes[GEN_AI.INPUT_MESSAGES]);
}

interface Output extends ParsedMessages {
  /** When the first answer was recorded: the response time, even if the span ends later. */
  timeMs?: number;
}

/** What the model answered: choice events, or the ≤1.26 completion, or (failing both) `gen_ai.output.messages`. */
function outputOf(span: SpanView): Output {
  const result: Output = { messages: [], system: [] };
  const choices: Array<{ index: number; order: number; body: Record<string, unknown> }> = [];
  let sawOutputEvent = false;
  for (const event of span.events) {
    if (event.name === GEN_AI_EVENTS.CHOICE) {
      sawOutputEvent = true;
      result.timeMs ??= event.timeMs;
      const body = bodyOf(event);
      if (body) choices.push({ index: typeof body.index === "number" ? body.index : choices.length, order: choices.length, body });
    } else if (event.name === GEN_AI_EVENTS.CONTENT_COMPLETION) {
      sawOutputEvent = true;
      result.timeMs ??= event.timeMs;
      const completion = completionOf(event.attributes[EVENT_ATTRIBUTE.COMPLETION]);
      result.messages.push(...completion.messages);
      result.finishReason ??= completion.finishReason;
    }
  }
  if (!sawOutputEvent) return parseGenAiMessages(span.attributes[GEN_AI.OUTPUT_MESSAGES]);

  choices.sort((a, b) => a.index - b.index || a.order - b.order);
  const fromChoices = choicesOf(choices.map((choice) => ({ ...choice.body, message: choiceMessage(choice.body) })));
  result.messages.push(...fromChoices.messages);
  // A choice without readable content still tells why the model stopped, but says nothing else.
  result.messages = result.messages.filter((message) => message.parts.length > 0);
  // The first choice's reason, as `gen_ai.response.finish_reasons[0]` would be.
  const first = choices[0]?.body.finish_reason;
  result.finishReason ??= typeof first === "string" && first !== "" ? first : fromChoices.finishReason;
  return result;
}

/** A choice's message; the spec lets `role` be left out, so it defaults to assistant. */
function choiceMessage(body: Record<string, unknown>): Record<string, unknown> {
  const message = parseJson(body.message);
  return isRecord(message) ? message : {};
}

/** ≤1.26 completions: a list of messages, or of choices wrapping them. */
function completionOf(value: unknown): ParsedMessages {
  const parsed = parseJson(value);
  if (!Array.isArray(parsed)) return { messages: [], system: [] };
  if (parsed.some((item) => isRecord(item) && isRecord(item.message))) return choicesOf(parsed);
  return parseChatMessages(parsed, "assistant");
}

/**
 * An event's body: the JSON of `gen_ai.event.content`, or the event's own
 * attributes, whose structured fields are JSON text.
 */
function bodyOf(event: SpanEventView): Record<string, unknown> | undefined {
  const attributes = event.attributes;
  const encoded = attributes[EVENT_ATTRIBUTE.CONTENT_JSON];
  if (encoded !== undefined) {
    const parsed = parseJson(encoded);
    if (isRecord(parsed)) return parsed;
    // Some producers put the bare text there.
    return typeof encoded === "string" && encoded !== "" ? { content: encoded } : undefined;
  }
  const body: Record<string, unknown> = {};
  const content = attributes[EVENT_ATTRIBUTE.CONTENT];
  if (content !== undefined) body.content = typeof content === "string" ? maybeParts(content) : content;
  const id = str(attributes, EVENT_ATTRIBUTE.ID);
  if (id !== undefined) body.id = id;
  const toolCalls = attributes[EVENT_ATTRIBUTE.TOOL_CALLS];
  if (toolCalls !== undefined) body.tool_calls = parseJson(toolCalls) ?? toolCalls;
  const index = attributes[EVENT_ATTRIBUTE.INDEX];
  if (typeof index === "number") body.index = index;
  const finishReason = str(attributes, EVENT_ATTRIBUTE.FINISH_REASON);
  if (finishReason !== undefined) body.finish_reason = finishReason;
  const message = attributes[EVENT_ATTRIBUTE.MESSAGE];
  if (message !== undefined) body.message = message;
  return Object.keys(body).length > 0 ? body : undefined;
}

/** Event attributes cannot hold lists, so a list of content parts arrives as JSON text. */
function maybeParts(content: string): unknown {
  if (!content.trimStart().startsWith("[")) return content;
  const parsed = parseJson(content);
  return Array.isArray(parsed) && parsed.every((item) => isRecord(item) && typeof item.type === "string") ? parsed : content;
}
