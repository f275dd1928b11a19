/**
 * The Vercel AI SDK's `ai.*` spans: AI SDK ≤6 built in, and AI SDK 7's
 * `LegacyOpenTelemetry` from `@ai-sdk/otel`. A root operation
 * (`ai.generateText`, `ai.streamText`, …) is the agent, each
 * `….doGenerate`/`….doStream` a model call, `ai.toolCall` a tool.
 */
import type { Attributes } from "@opentelemetry/api";
import { definedFields, definedOrNothing, firstNum, firstStr, isRecord, json, parseJsonOrText, str } from "../attributes.js";
import type { Message, ModelCall, ModelSettings, Part, TokenUsage } from "../model.js";
import type { SpanView } from "../span-view.js";
import { GEN_AI, readError, readSettings } from "./genai-common.js";
import { toRole } from "./genai-messages.js";
import type { ConventionReader } from "./reader.js";

export const AI_SDK = {
  OPERATION_ID: "ai.operationId",
  FUNCTION_ID: "ai.telemetry.functionId",
  MODEL_ID: "ai.model.id",
  PROMPT: "ai.prompt",
  PROMPT_MESSAGES: "ai.prompt.messages",
  RESPONSE_TEXT: "ai.response.text",
  RESPONSE_REASONING: "ai.response.reasoning",
  RESPONSE_TOOL_CALLS: "ai.response.toolCalls",
  RESPONSE_OBJECT: "ai.response.object",
  RESPONSE_FINISH_REASON: "ai.response.finishReason",
  RESPONSE_MODEL: "ai.response.model",
  RESPONSE_TIMESTAMP: "ai.response.timestamp",
  USAGE_INPUT_TOKENS: "ai.usage.inputTokens",
  USAGE_OUTPUT_TOKENS: "ai.usage.outputTokens",
  USAGE_PROMPT_TOKENS: "ai.usage.promptTokens",
  USAGE_COMPLETION_TOKENS: "ai.usage.completionTokens",
  USAGE_TOTAL_TOKENS: "ai.usage.totalTokens",
  USAGE_CACHED_INPUT_TOKENS: "ai.usage.cachedInputTokens",
  USAGE_CACHE_READ_TOKENS: "ai.usage.inputTokenDetails.cacheReadTokens",
  USAGE_CACHE_WRITE_TOKENS: "ai.usage.inputTokenDetails.cacheWriteTokens",
  SETTINGS_TEMPERATURE: "ai.settings.temperature",
  SETTINGS_MAX_OUTPUT_TOKENS: "ai.settings.maxOutputTokens",
  SETTINGS_MAX_TOKENS: "ai.settings.maxTokens",
  SETTINGS_TOP_P: "ai.settings.topP",
  SETTINGS_TOP_K: "ai.settings.topK",
  TOOL_CALL_NAME: "ai.toolCall.name",
  TOOL_CALL_ID: "ai.toolCall.id",
  TOOL_CALL_ARGS: "ai.toolCall.args",
  TOOL_CALL_INPUT: "ai.toolCall.input",
  TOOL_CALL_RESULT: "ai.toolCall.result",
  TOOL_CALL_OUTPUT: "ai.toolCall.output",
} as const;

const ROOT_OPERATIONS = new Set(["ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject"]);
const MODEL_OPERATIONS = /^ai\.(generateText|streamText|generateObject|streamObject)\.do(Generate|Stream)$/;
const SKIPPED_OPERATIONS = /^ai\.(embed|embedMany|rerank|generateImage|generateSpeech|transcribe)(\.|$)/;

function operationOf(span: SpanView): string | undefined {
  return str(span.attributes, AI_SDK.OPERATION_ID) ?? (span.name.startsWith("ai.") ? span.name : undefined);
}

export const aiSdkLegacyReader: ConventionReader = {
  name: "ai-sdk",
  matches: (span) => span.attributes[AI_SDK.OPERATION_ID] !== undefined,
  classify(span) {
    const operation = operationOf(span) ?? "";
    if (operation === "ai.toolCall") return "tool";
    if (MODEL_OPERATIONS.test(operation)) return "model";
    if (ROOT_OPERATIONS.has(operation)) return "agent";
    if (SKIPPED_OPERATIONS.test(operation)) return "skipped";
    return "none";
  },
  read(span) {
    const operation = operationOf(span) ?? "";
    if (operation === "ai.toolCall") return { kind: "tool", tool: readTool(span) };
    if (MODEL_OPERATIONS.test(operation)) return { kind: "model", call: readModelCall(span) };
    if (ROOT_OPERATIONS.has(operation)) {
      const prompt = readRootPrompt(span.attributes);
      const call: ModelCall = { ...readModelCall(span), input: prompt.messages, systemPrompt: prompt.system };
      return {
        kind: "agent",
        agent: {
          name: str(span.attributes, AI_SDK.FUNCTION_ID),
          systemPrompt: prompt.system,
          usage: readUsage(span.attributes),
          finishReason: call.finishReason,
          call: call.input.length > 0 || call.output.length > 0 ? call : undefined,
        },
      };
    }
    if (SKIPPED_OPERATIONS.test(operation)) return { kind: "skipped", what: operation };
    return { kind: "none" };
  },
};

function readTool(span: SpanView) {
  const attributes = span.attributes;
  const error = readError(span);
  const result = attributes[AI_SDK.TOOL_CALL_RESULT] ?? attributes[AI_SDK.TOOL_CALL_OUTPUT];
  return {
    name: str(attributes, AI_SDK.TOOL_CALL_NAME),
    callId: str(attributes, AI_SDK.TOOL_CALL_ID),
    arguments: parseJsonOrText(attributes[AI_SDK.TOOL_CALL_ARGS] ?? attributes[AI_SDK.TOOL_CALL_INPUT]),
    result: result === undefined ? undefined : parseJsonOrText(result),
    isError: error.isError,
    errorMessage: error.message,
  };
}

function readModelCall(span: SpanView): ModelCall {
  const attributes = span.attributes;
  const prompt = readPromptMessages(json(attributes, AI_SDK.PROMPT_MESSAGES));
  const timestamp = str(attributes, AI_SDK.RESPONSE_TIMESTAMP);
  const responseTimeMs = timestamp ? Date.parse(timestamp) : Number.NaN;
  return {
    input: prompt.messages,
    output: readOutput(attributes),
    systemPrompt: prompt.system,
    model: firstStr(attributes, [AI_SDK.RESPONSE_MODEL, GEN_AI.RESPONSE_MODEL, AI_SDK.MODEL_ID, GEN_AI.REQUEST_MODEL]),
    settings: { ...readLegacySettings(attributes), ...readSettings(attributes) },
    finishReason:
      str(attributes, AI_SDK.RESPONSE_FINISH_REASON) ??
      (Array.isArray(attributes[GEN_AI.RESPONSE_FINISH_REASONS])
        ? String((attributes[GEN_AI.RESPONSE_FINISH_REASONS] as unknown[])[0])
        : undefined),
    usage: readUsage(attributes),
    responseTimeMs: Number.isNaN(responseTimeMs) ? undefined : responseTimeMs,
  };
}

function readLegacySettings(attributes: Attributes): ModelSettings {
  const temperature = firstNum(attributes, [AI_SDK.SETTINGS_TEMPERATURE]);
  const maxTokens = firstNum(attributes, [AI_SDK.SETTINGS_MAX_OUTPUT_TOKENS, AI_SDK.SETTINGS_MAX_TOKENS]);
  const topP = firstNum(attributes, [AI_SDK.SETTINGS_TOP_P]);
  const topK = firstNum(attributes, [AI_SDK.SETTINGS_TOP_K]);
  return definedFields({ temperature, maxTokens, topP, topK });
}

function readUsage(attributes: Attributes): TokenUsage | undefined {
  const input = firstNum(attributes, [AI_SDK.USAGE_INPUT_TOKENS, AI_SDK.USAGE_PROMPT_TOKENS, GEN_AI.USAGE_INPUT_TOKENS]);
  const output = firstNum(attributes, [AI_SDK.USAGE_OUTPUT_TOKENS, AI_SDK.USAGE_COMPLETION_TOKENS, GEN_AI.USAGE_OUTPUT_TOKENS]);
  const total = firstNum(attributes, [AI_SDK.USAGE_TOTAL_TOKENS]);
  const cacheRead = firstNum(attributes, [AI_SDK.USAGE_CACHE_READ_TOKENS, AI_SDK.USAGE_CACHED_INPUT_TOKENS]);
  const cacheWrite = firstNum(attributes, [AI_SDK.USAGE_CACHE_WRITE_TOKENS]);
  return definedOrNothing({ inputTokens: input, outputTokens: output, totalTokens: total, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite });
}

/** The assistant message a call produced: reasoning, text, then tool calls. */
function readOutput(attributes: Attributes): Message[] {
  const parts: Part[] = [];
  const reasoning = attributes[AI_SDK.RESPONSE_REASONING];
  if (typeof reasoning === "string" && reasoning !== "") parts.push({ type: "thinking", text: reasoning });
  const text = str(attributes, AI_SDK.RESPONSE_TEXT) ?? str(attributes, AI_SDK.RESPONSE_OBJECT);
  if (text !== undefined && text !== "") parts.push({ type: "text", text });
  const toolCalls = json(attributes, AI_SDK.RESPONSE_TOOL_CALLS);
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) {
      if (!isRecord(call)) continue;
      parts.push({
        type: "tool_call",
        id: typeof call.toolCallId === "string" ? call.toolCallId : undefined,
        name: String(call.toolName ?? ""),
        arguments: parseJsonOrText(call.input ?? call.args),
      });
    }
  }
  return parts.length > 0 ? [{ role: "assistant", parts }] : [];
}

/** The root span's `ai.prompt`: `{system?, prompt?, messages?}`. */
function readRootPrompt(attributes: Attributes): { messages: Message[]; system?: string } {
  const prompt = json(attributes, AI_SDK.PROMPT);
  if (!isRecord(prompt)) return { messages: [] };
  const fromMessages = readPromptMessages(prompt.messages);
  const messages = [...fromMessages.messages];
  if (typeof prompt.prompt === "string") messages.push({ role: "user", parts: [{ type: "text", text: prompt.prompt }] });
  else if (Array.isArray(prompt.prompt)) messages.push(...readPromptMessages(prompt.prompt).messages);
  const system = typeof prompt.system === "string" ? prompt.system : fromMessages.system;
  return { messages, system };
}

/** The provider prompt format: `[{role, content: string | parts[]}]`. */
function readPromptMessages(value: unknown): { messages: Message[]; system?: string } {
  if (!Array.isArray(value)) return { messages: [] };
  const messages: Message[] = [];
  const system: string[] = [];
  for (const raw of value) {
    if (!isRecord(raw)) continue;
    const role = toRole(raw.role) ?? "user";
    const parts: Part[] =
      typeof raw.content === "string"
        ? [{ type: "text", text: raw.content }]
        : Array.isArray(raw.content)
          ? raw.content.map(toPart)
          : [];
    if (role === "system") {
      for (const part of parts) if (part.type === "text") system.push(part.text);
      continue;
    }
    messages.push({ role, parts });
  }
  return { messages, system: system.length > 0 ? system.join("\n") : undefined };
}

const ERROR_OUTPUT = new Set(["error-text", "error-json", "execution-denied"]);

function toPart(raw: unknown): Part {
  if (!isRecord(raw)) return typeof raw === "string" ? { type: "text", text: raw } : { type: "unsupported", what: typeof raw };
  switch (raw.type) {
    case "text":
      return { type: "text", text: String(raw.text ?? "") };
    case "reasoning":
      return { type: "thinking", text: String(raw.text ?? "") };
    case "tool-call":
      return {
        type: "tool_call",
        id: typeof raw.toolCallId === "string" ? raw.toolCallId : undefined,
        name: String(raw.toolName ?? ""),
        arguments: parseJsonOrText(raw.input ?? raw.args),
      };
    case "tool-result": {
      const output = raw.output;
      const typed = isRecord(output) && typeof output.type === "string";
      return {
        type: "tool_result",
        id: typeof raw.toolCallId === "string" ? raw.toolCallId : undefined,
        name: typeof raw.toolName === "string" ? raw.toolName : undefined,
        result: typed ? (output as Record<string, unknown>).value : (output ?? raw.result),
        isError: typed && ERROR_OUTPUT.has((output as Record<string, unknown>).type as string) ? true : undefined,
      };
    }
    case "image":
    case "file": {
      const data = raw.data ?? raw.image;
      const mediaType = typeof (raw.mediaType ?? raw.mimeType) === "string" ? String(raw.mediaType ?? raw.mimeType) : undefined;
      const isImage = raw.type === "image" || mediaType?.startsWith("image/") === true;
      const text = typeof data === "string" ? data : isRecord(data) && typeof data.href === "string" ? data.href : undefined;
      if (text === undefined) return { type: "unsupported", what: `${String(raw.type)} without inline data` };
      return {
        type: "media",
        kind: isImage ? "image" : "document",
        source: /^https?:\/\//.test(text) ? "url" : "base64",
        data: text,
        mediaType,
      };
    }
    default:
      return { type: "unsupported", what: String(raw.type ?? "untyped part") };
  }
}
