/**
 * The GenAI JSON message format (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`): messages of typed
 * parts. Accepts strings or parsed values, and the variants producers emit
 * (`response` or `result` for tool answers, arguments as JSON text).
 */
import { isRecord, parseJson, parseJsonOrText } from "../attributes.js";
import type { Message, Part, Role } from "../model.js";

export interface ParsedMessages {
  messages: Message[];
  /** Text of any system messages found among them. */
  system: string[];
  /** `finish_reason` of the last message that had one (output messages). */
  finishReason?: string;
}

const ROLES = new Set<Role>(["system", "user", "assistant", "tool"]);

export function toRole(value: unknown): Role | undefined {
  if (typeof value !== "string") return undefined;
  const role = value.toLowerCase();
  if (ROLES.has(role as Role)) return role as Role;
  if (role === "developer") return "system";
  if (role === "model" || role === "ai") return "assistant";
  if (role === "human") return "user";
  if (role === "function") return "tool";
  return undefined;
}

export function parseGenAiMessages(value: unknown): ParsedMessages {
  const parsed = parseJson(value);
  const result: ParsedMessages = { messages: [], system: [] };
  if (!Array.isArray(parsed)) return result;
  for (const raw of parsed) {
    if (!isRecord(raw)) continue;
    const role = toRole(raw.role) ?? "user";
    const parts = partsOf(raw);
    if (typeof raw.finish_reason === "string") result.finishReason = raw.finish_reason;
    if (role === "system") {
      for (const part of parts) if (part.type === "text") result.system.push(part.text);
      continue;
    }
    result.messages.push({ role, parts });
  }
  return result;
}

/** A message's parts, or its plain `content` text, without empty texts. */
function partsOf(raw: Record<string, unknown>): Part[] {
  const parts: Part[] = [];
  if (Array.isArray(raw.parts)) {
    for (const item of raw.parts) {
      const part = toPart(item);
      if (isNotEmptyText(part)) parts.push(part);
    }
  } else if (typeof raw.content === "string" && raw.content !== "") {
    parts.push({ type: "text", text: raw.content });
  }
  return parts;
}

/**
 * The system instructions read last: every model call of an agent repeats
 * them, so the same text is read once for all of them.
 */
let lastInstructions: { text: string; prompt: string | undefined } | undefined;

/** A bare parts array (the spec), or a plain string (Mastra). */
export function parseSystemInstructions(value: unknown): string | undefined {
  if (typeof value !== "string") return readSystemInstructions(value);
  if (lastInstructions?.text !== value) lastInstructions = { text: value, prompt: readSystemInstructions(value) };
  return lastInstructions.prompt;
}

function readSystemInstructions(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseJson(value);
  if (Array.isArray(parsed)) {
    const texts = textOf(parsed.map(toPart));
    return texts.length > 0 ? texts.join("\n") : undefined;
  }
  if (isRecord(parsed) && typeof parsed.content === "string") return parsed.content;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A model that only calls tools still answers with an empty text part; it says nothing. */
function isNotEmptyText(part: Part): boolean {
  return !(part.type === "text" && part.text === "");
}

function textOf(parts: Part[]): string[] {
  return parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
}

const MODALITY_KIND: Record<string, "image" | "document"> = { image: "image", document: "document" };

export function toPart(raw: unknown): Part {
  if (typeof raw === "string") return { type: "text", text: raw };
  if (!isRecord(raw)) return { type: "unsupported", what: typeof raw };
  const type = typeof raw.type === "string" ? raw.type : "";
  switch (type) {
    case "text":
      return { type: "text", text: stringOf(raw.content ?? raw.text) };
    case "reasoning":
    case "thinking":
      return { type: "thinking", text: stringOf(raw.content ?? raw.text) };
    case "tool_call":
      return {
        type: "tool_call",
        id: optionalString(raw.id),
        name: stringOf(raw.name),
        arguments: parseJsonOrText(raw.arguments),
      };
    case "tool_call_response":
      return {
        type: "tool_result",
        id: optionalString(raw.id),
        name: optionalString(raw.name),
        result: raw.response !== undefined ? raw.response : raw.result,
      };
    case "blob":
    case "uri":
    case "file": {
      const kind = MODALITY_KIND[String(raw.modality)];
      if (!kind) return { type: "unsupported", what: `${type}:${String(raw.modality)}` };
      const data = type === "blob" ? raw.content : type === "uri" ? raw.uri : raw.file_id;
      return {
        type: "media",
        kind,
        source: type === "blob" ? "base64" : type === "uri" ? "url" : "file_id",
        data: stringOf(data),
        mediaType: optionalString(raw.mime_type),
      };
    }
    default:
      return { type: "unsupported", what: type || "untyped part" };
  }
}

function stringOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
