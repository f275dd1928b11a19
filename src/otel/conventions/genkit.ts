/**
 * Genkit's own spans (`genkit` 1.x, tracer `genkit-tracer`): every action
 * Genkit runs is a span whose `genkit:*` attributes say what it is and hold
 * its input and output as JSON.
 *
 * - `genkit:type` and `genkit:metadata:subtype` are set when the span
 *   starts; the rest (`genkit:name`, `genkit:input`, `genkit:output`,
 *   `genkit:state`) only when it ends.
 * - An action of subtype `flow` is the app's own entry point: the agent,
 *   named by the flow. So is one of subtype `agent`, a turn of an agent
 *   defined with `defineAgent` (`genkit/beta`).
 * - Subtype `model` is one request to a model. Its input is Genkit's
 *   `GenerateRequest` (`{messages: [{role, content: [part]}], config}`),
 *   its output a `GenerateResponse` (`{message, finishReason, usage}`).
 *   Roles are `system`, `user`, `model` and `tool`; parts are `{text}`,
 *   `{toolRequest: {name, ref, input}}`, `{toolResponse: {name, ref,
 *   output}}`, `{media: {url, contentType}}` and `{reasoning}`. The model
 *   is named as Genkit names it (`openai/gpt-4o-mini`).
 * - Subtype `tool` is one tool run: its arguments and its output, no call
 *   id (the model's `ref` is only in the model calls' messages).
 * - The `generate` spans (type `util`) around each step of the tool loop
 *   repeat what their model and tool spans hold: they mean nothing here.
 */
import type { Attributes } from "@opentelemetry/api";
import { definedFields, definedOrNothing, isRecord, parseJson, str, toNumber } from "../attributes.js";
import type { Message, ModelCall, ModelSettings, Part, Role, TokenUsage, ToolExecution } from "../model.js";
import type { SpanView } from "../span-view.js";
import { readError, type GenAiRole } from "./genai-common.js";
import { mediaFromUrl } from "./openai-messages.js";
import { meaningByKind, type ConventionReader } from "./reader.js";

export const GENKIT = {
  TYPE: "genkit:type",
  SUBTYPE: "genkit:metadata:subtype",
  NAME: "genkit:name",
  INPUT: "genkit:input",
  OUTPUT: "genkit:output",
} as const;

/** What each action subtype is; other subtypes (and `util` spans) mean nothing. */
const SUBTYPE_MEANING: Record<string, GenAiRole> = {
  flow: "agent",
  // `defineAgent` (`genkit/beta`): one turn of a multi-turn agent.
  agent: "agent",
  model: "model",
  "background-model": "model",
  tool: "tool",
  "tool.v2": "tool",
  embedder: "skipped",
  retriever: "skipped",
  indexer: "skipped",
  reranker: "skipped",
  evaluator: "skipped",
};

function roleOf(span: SpanView): GenAiRole {
  if (str(span.attributes, GENKIT.TYPE) !== "action") return "none";
  return SUBTYPE_MEANING[str(span.attributes, GENKIT.SUBTYPE) ?? ""] ?? "none";
}

export const genkitReader: ConventionReader = {
  name: "genkit",
  matches: (span) => span.attributes[GENKIT.TYPE] !== undefined,
  classify: roleOf,
  read: (span) =>
    meaningByKind(roleOf(span), span, {
      model: readModelCall,
      tool: readTool,
      agent: (agent) => ({ name: nameOf(agent) }),
      skipped: (skipped) => str(skipped.attributes, GENKIT.SUBTYPE) ?? skipped.name,
    }),
};

function nameOf(span: SpanView): string {
  return str(span.attributes, GENKIT.NAME) ?? span.name;
}

function readModelCall(span: SpanView): ModelCall {
  const request = recordAt(span.attributes, GENKIT.INPUT);
  const response = recordAt(span.attributes, GENKIT.OUTPUT);
  const sent = messagesOf(request.messages);
  const system = sent.filter((message) => message.role === "system");
  const systemText = system.flatMap((message) => message.parts).flatMap((part) => (part.type === "text" ? [part.text] : []));
  const reply = isRecord(response.message) ? messagesOf([response.message]) : [];
  return {
    input: sent.filter((message) => message.role !== "system"),
    output: reply,
    systemPrompt: systemText.length > 0 ? systemText.join("\n") : undefined,
    model: nameOf(span),
    settings: settingsOf(request.config),
    finishReason: typeof response.finishReason === "string" ? response.finishReason : undefined,
    usage: usageOf(response.usage),
  };
}

function readTool(span: SpanView): ToolExecution {
  const error = readError(span);
  const output = span.attributes[GENKIT.OUTPUT];
  return {
    name: nameOf(span),
    arguments: parseJson(span.attributes[GENKIT.INPUT]),
    result: output === undefined ? undefined : parseJson(output),
    isError: error.isError,
    errorMessage: error.message,
  };
}

function recordAt(attributes: Attributes, key: string): Record<string, unknown> {
  const value = parseJson(attributes[key]);
  return isRecord(value) ? value : {};
}

const ROLES: Record<string, Role> = { system: "system", user: "user", model: "assistant", tool: "tool" };

function messagesOf(value: unknown): Message[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((message) => {
    if (!isRecord(message) || !Array.isArray(message.content)) return [];
    const role = ROLES[String(message.role)];
    if (!role) return [];
    const parts = message.content.flatMap(partOf);
    return parts.length > 0 ? [{ role, parts }] : [];
  });
}

/** One Genkit part; empty text is no part. */
function partOf(part: unknown): Part[] {
  if (!isRecord(part)) return [];
  if (typeof part.text === "string") return part.text === "" ? [] : [{ type: "text", text: part.text }];
  if (typeof part.reasoning === "string") return part.reasoning === "" ? [] : [{ type: "thinking", text: part.reasoning }];
  if (isRecord(part.toolRequest)) {
    const { name, ref, input } = part.toolRequest;
    if (typeof name !== "string") return [];
    return [{ type: "tool_call", id: typeof ref === "string" ? ref : undefined, name, arguments: input }];
  }
  if (isRecord(part.toolResponse)) {
    const { name, ref, output } = part.toolResponse;
    return [{ type: "tool_result", id: typeof ref === "string" ? ref : undefined, name: typeof name === "string" ? name : undefined, result: output }];
  }
  if (isRecord(part.media) && typeof part.media.url === "string") {
    const contentType = typeof part.media.contentType === "string" ? part.media.contentType : undefined;
    const media = mediaFromUrl(contentType?.startsWith("image/") === false ? "document" : "image", part.media.url);
    return [media.type === "media" && contentType ? { ...media, mediaType: contentType } : media];
  }
  if ("data" in part) return [{ type: "unsupported", what: "data part" }];
  if ("custom" in part) return [{ type: "unsupported", what: "custom part" }];
  return [];
}

/** Genkit's common generation config. */
function settingsOf(config: unknown): ModelSettings {
  if (!isRecord(config)) return {};
  return definedFields({
    temperature: toNumber(config.temperature),
    maxTokens: toNumber(config.maxOutputTokens),
    topP: toNumber(config.topP),
    topK: toNumber(config.topK),
  });
}

function usageOf(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  return definedOrNothing({
    inputTokens: toNumber(usage.inputTokens),
    outputTokens: toNumber(usage.outputTokens),
    totalTokens: toNumber(usage.totalTokens),
    cacheReadTokens: toNumber(usage.cachedContentTokens),
  });
}
