/**
 * Chat messages in the shape most producers log them: OpenAI's
 * `{role, content, tool_calls, tool_call_id, name}`, where `content` is a
 * string or a list of typed parts spelled the OpenAI, Anthropic, AI SDK or
 * GenAI way. OpenInference `input.value`, the GenAI ≤1.26
 * `gen_ai.content.*` events, the ≤1.36 `gen_ai.*.message` events, OpenLLMetry
 * prompts and Mastra's unconverted messages all use it.
 *
 * Everything here is tolerant: unknown shapes become `unsupported` parts or
 * nothing, never an exception.
 */
import { isRecord, parseJson, parseJsonOrText } from "../attributes.js";
import type { Message, Part, Role } from "../model.js";
import { toPart as toGenAiPart, toRole, type ParsedMessages } from "./genai-messages.js";

/** An array of chat messages, or the JSON text of one. System messages go to `system`. */
export function parseChatMessages(value: unknown, fallbackRole: Role = "user"): ParsedMessages {
  const parsed = parseJson(value);
  const result: ParsedMessages = { messages: [], system: [] };
  if (!Array.isArray(parsed)) return result;
  for (const raw of parsed) {
    if (!isRecord(raw)) continue;
    addChatMessage(result, raw, fallbackRole);
  }
  return result;
}

/** Adds one message to `result`, routing system text and remembering a finish reason. */
export function addChatMessage(result: ParsedMessages, raw: Record<string, unknown>, fallbackRole: Role): void {
  const message = toChatMessage(raw, fallbackRole);
  const finishReason = raw.finish_reason ?? raw.finishReason;
  if (typeof finishReason === "string" && finishReason !== "") result.finishReason = finishReason;
  if (message.role === "system") {
    const text = textOfParts(message.parts);
    if (text !== "") result.system.push(text);
    return;
  }
  result.messages.push(message);
}

/** One chat message. Tool messages become a `tool_result` part answering `tool_call_id` (or `id`). */
export function toChatMessage(raw: Record<string, unknown>, fallbackRole: Role): Message {
  const role = toRole(raw.role) ?? fallbackRole;
  if (Array.isArray(raw.parts)) return { role, parts: raw.parts.map(toGenAiPart).filter(isNotEmptyText) };
  if (role === "tool") {
    // AI SDK and Anthropic-style tool messages list their answers as parts.
    const parts = Array.isArray(raw.content) ? contentParts(raw.content) : [];
    if (parts.some((part) => part.type === "tool_result")) return { role, parts };
    return {
      role,
      parts: [
        {
          type: "tool_result",
          id: nonEmptyString(raw.tool_call_id) ?? nonEmptyString(raw.id),
          name: nonEmptyString(raw.name),
          result: toolResultOf(raw.content),
        },
      ],
    };
  }
  const parts = contentParts(raw.content);
  if (typeof raw.refusal === "string" && raw.refusal !== "") parts.push({ type: "text", text: raw.refusal });
  if (role === "assistant") {
    parts.push(...toolCallParts(raw.tool_calls));
    if (isRecord(raw.function_call)) parts.push(...toolCallParts([{ function: raw.function_call }]));
  }
  return { role, parts };
}

/** Message content as parts: a string, one part, or a list of parts. Empty text is dropped. */
export function contentParts(content: unknown): Part[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (Array.isArray(content)) return content.map(toChatPart).filter(isNotEmptyText);
  if (isRecord(content)) return [toChatPart(content)].filter(isNotEmptyText);
  return [{ type: "text", text: String(content) }];
}

/**
 * Content a producer had to store as text: a JSON list of typed parts when
 * it parses as one, otherwise the text itself.
 */
export function stringifiedContentParts(content: unknown): Part[] {
  if (typeof content !== "string") return contentParts(content);
  const trimmed = content.trimStart();
  if (trimmed.startsWith("[")) {
    const parsed = parseJson(trimmed);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isTypedPart)) return contentParts(parsed);
  }
  return contentParts(content);
}

function isTypedPart(value: unknown): boolean {
  return isRecord(value) && typeof value.type === "string";
}

/**
 * OpenAI `tool_calls` (`[{id, type:"function", function:{name, arguments}}]`)
 * or flat `{id, name, arguments}` entries, as an array or its JSON text.
 */
export function toolCallParts(toolCalls: unknown): Part[] {
  const list = parseJson(toolCalls);
  if (!Array.isArray(list)) return [];
  const parts: Part[] = [];
  for (const raw of list) {
    if (!isRecord(raw)) continue;
    const fn = isRecord(raw.function) ? raw.function : raw;
    const name = nonEmptyString(fn.name);
    if (!name) {
      parts.push({ type: "unsupported", what: "tool call without a name" });
      continue;
    }
    parts.push({
      type: "tool_call",
      id: nonEmptyString(raw.id) ?? nonEmptyString(raw.tool_call_id),
      name,
      arguments: parseJsonOrText(fn.arguments ?? fn.input ?? fn.args),
    });
  }
  return parts;
}

/** One content part, in any of the spellings producers use. */
export function toChatPart(raw: unknown): Part {
  if (typeof raw === "string") return { type: "text", text: raw };
  if (!isRecord(raw)) return { type: "unsupported", what: raw === null ? "null part" : typeof raw };
  switch (raw.type) {
    case "text":
    case "input_text":
    case "output_text":
      return { type: "text", text: textField(raw.text ?? raw.content) };
    case "refusal":
      return { type: "text", text: textField(raw.refusal) };
    case "thinking":
      return withSignature({ type: "thinking", text: textField(raw.thinking ?? raw.text ?? raw.content) }, raw.signature);
    case "reasoning":
      return { type: "thinking", text: textField(raw.text ?? raw.content ?? raw.reasoning) };
    case "image_url":
    case "input_image": {
      const url = isRecord(raw.image_url) ? raw.image_url.url : raw.image_url;
      return typeof url === "string" && url !== "" ? mediaFromUrl("image", url) : { type: "unsupported", what: "image without a url" };
    }
    case "image":
      return mediaPart("image", raw, raw.image);
    case "document":
      return mediaPart("document", raw, undefined);
    case "file":
      if (isRecord(raw.file)) return openAiFile(raw.file);
      if (raw.data !== undefined) return mediaPart(isImageType(raw.mediaType) ? "image" : "document", raw, raw.data);
      return toGenAiPart(raw);
    case "tool_use":
      return { type: "tool_call", id: nonEmptyString(raw.id), name: textField(raw.name), arguments: parseJsonOrText(raw.input) };
    case "tool_result":
      return {
        type: "tool_result",
        id: nonEmptyString(raw.tool_use_id) ?? nonEmptyString(raw.id),
        result: toolResultOf(raw.content),
        ...(raw.is_error === true ? { isError: true } : {}),
      };
    case "tool-call":
      return {
        type: "tool_call",
        id: nonEmptyString(raw.toolCallId),
        name: textField(raw.toolName),
        arguments: parseJsonOrText(raw.input ?? raw.args),
      };
    case "tool-result":
      return aiSdkToolResult(raw);
    default:
      return toGenAiPart(raw);
  }
}

/** The text of a tool's answer: strings stay, text parts are joined, anything else is kept as data. */
function toolResultOf(content: unknown): unknown {
  if (Array.isArray(content)) {
    const parts = contentParts(content);
    if (parts.length > 0 && parts.every((part) => part.type === "text")) return textOfParts(parts);
  }
  return content ?? undefined;
}

/** AI SDK results wrap their value as `{type: "json" | "text" | "error-text" | …, value}`. */
function aiSdkToolResult(raw: Record<string, unknown>): Part {
  const output = raw.output;
  const wrapped = isRecord(output) && typeof output.type === "string" && "value" in output;
  const isError = wrapped && String(output.type).startsWith("error");
  return {
    type: "tool_result",
    id: nonEmptyString(raw.toolCallId),
    name: nonEmptyString(raw.toolName),
    result: wrapped ? output.value : (output ?? raw.result),
    ...(isError ? { isError: true } : {}),
  };
}

/** Anthropic `{source: {type: "base64" | "url", …}}`, or an inline string (AI SDK, GenAI `content`/`uri`). */
function mediaPart(kind: "image" | "document", raw: Record<string, unknown>, inline: unknown): Part {
  const source = raw.source;
  if (isRecord(source)) {
    if (source.type === "url" && typeof source.url === "string") return mediaFromUrl(kind, source.url);
    if (typeof source.data === "string") {
      return withMediaType({ type: "media", kind, source: "base64", data: source.data }, source.media_type);
    }
    return { type: "unsupported", what: `${kind} source ${String(source.type)}` };
  }
  const data = inline ?? raw.url ?? raw.data;
  if (typeof data === "string" && data !== "") {
    const part = mediaFromUrl(kind, data);
    return part.type === "media" && !part.mediaType ? withMediaType(part, raw.mediaType ?? raw.mime_type) : part;
  }
  return toGenAiPart(raw);
}

/** OpenAI's `{type: "file", file: {file_data | file_id, filename?}}`. */
function openAiFile(file: Record<string, unknown>): Part {
  if (typeof file.file_data === "string" && file.file_data !== "") return mediaFromUrl("document", file.file_data);
  if (typeof file.file_id === "string" && file.file_id !== "") {
    return { type: "media", kind: "document", source: "file_id", data: file.file_id };
  }
  return { type: "unsupported", what: "file without data" };
}

const DATA_URL = /^data:([^;,]*)(;[^,]*)?,/;

/** A URL as media: `data:` URLs carry their bytes (and media type), others are links. */
export function mediaFromUrl(kind: "image" | "document", url: string): Part {
  const match = DATA_URL.exec(url.slice(0, 256));
  if (match) {
    const part: Part = { type: "media", kind, source: "base64", data: url.slice(match[0].length) };
    return match[1] ? { ...part, mediaType: match[1] } : part;
  }
  return { type: "media", kind, source: /^https?:\/\//i.test(url) ? "url" : "base64", data: url };
}

/**
 * A value that holds a conversation loosely, as agents and frameworks log
 * their input and output: plain text, a JSON string, a message list, or an
 * object with `messages`, `choices` (an OpenAI response) or one text field
 * (`input`, `output`, `query`, …). Plain text becomes a message in `role`.
 */
export function looseConversation(value: unknown, role: Role): ParsedMessages {
  return looseConversationAt(value, role, 0);
}

/** Fields that commonly hold the text of an agent's input or output. */
const TEXT_FIELDS = [
  "input",
  "query",
  "question",
  "prompt",
  "output",
  "final_output",
  "answer",
  "response",
  "result",
  "text",
  "content",
] as const;
const MAX_NESTING = 3;

function looseConversationAt(value: unknown, role: Role, depth: number): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  if (depth > MAX_NESTING || value === undefined || value === null) return result;
  const parsed = typeof value === "string" ? (parseJson(value) ?? value) : value;
  if (typeof parsed === "string") {
    if (parsed !== "") result.messages.push({ role, parts: [{ type: "text", text: parsed }] });
    return result;
  }
  if (Array.isArray(parsed)) {
    if (parsed.some((item) => isRecord(item) && typeof item.role === "string")) return parseChatMessages(parsed, role);
    return result;
  }
  if (!isRecord(parsed)) return result;
  if (Array.isArray(parsed.messages)) return parseChatMessages(parsed.messages, role);
  if (Array.isArray(parsed.choices)) return choicesOf(parsed.choices);
  if (typeof parsed.role === "string") {
    addChatMessage(result, parsed, role);
    return result;
  }
  for (const field of TEXT_FIELDS) {
    const inner = parsed[field];
    if (inner === undefined || inner === null) continue;
    const found = looseConversationAt(inner, role, depth + 1);
    if (found.messages.length > 0 || found.system.length > 0) return found;
  }
  return result;
}

/**
 * The Responses API's input items: messages (`{role, content}`, or typed
 * `{type: "message", …}`), the model's function calls and their outputs.
 * `undefined` unless the value is a list of such items.
 */
export function responsesInputItems(value: unknown): ParsedMessages | undefined {
  const parsed = parseJson(value);
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isResponsesItem)) return undefined;
  const result: ParsedMessages = { messages: [], system: [] };
  for (const item of parsed as Array<Record<string, unknown>>) {
    switch (item.type) {
      case "function_call":
        result.messages.push({ role: "assistant", parts: toolCallParts([{ id: item.call_id, name: item.name, arguments: item.arguments }]) });
        break;
      case "function_call_output":
        result.messages.push({
          role: "tool",
          parts: [{ type: "tool_result", id: nonEmptyString(item.call_id), result: toolResultOf(item.output) }],
        });
        break;
      case "reasoning":
        break;
      default:
        addChatMessage(result, item, "user");
    }
  }
  return result;
}

const RESPONSES_ITEM_TYPES = new Set(["message", "function_call", "function_call_output", "reasoning"]);

function isResponsesItem(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return typeof value.type === "string" ? RESPONSES_ITEM_TYPES.has(value.type) : typeof value.role === "string";
}

/** An OpenAI chat completion's `choices`: one assistant message each. */
export function choicesOf(choices: unknown[]): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  for (const choice of choices) {
    if (!isRecord(choice)) continue;
    if (isRecord(choice.message)) addChatMessage(result, choice.message, "assistant");
    else if (typeof choice.text === "string") result.messages.push({ role: "assistant", parts: contentParts(choice.text) });
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") result.finishReason = choice.finish_reason;
  }
  return result;
}

export function textOfParts(parts: Part[]): string {
  return parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
}

function isNotEmptyText(part: Part): boolean {
  return !(part.type === "text" && part.text === "");
}

function isImageType(value: unknown): boolean {
  return typeof value === "string" && value.startsWith("image/");
}

function withMediaType(part: Part, mediaType: unknown): Part {
  return part.type === "media" && typeof mediaType === "string" && mediaType !== "" ? { ...part, mediaType } : part;
}

function withSignature(part: Extract<Part, { type: "thinking" }>, signature: unknown): Part {
  return typeof signature === "string" && signature !== "" ? { ...part, signature } : part;
}

function textField(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return safeJson(value);
}

/** JSON text of a value; never throws (cycles and absurd nesting become an empty string). */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
