/**
 * Mastra (`@mastra/otel-exporter`, `@mastra/otel-bridge`): newest GenAI
 * attributes, plus `mastra.span.type` naming Mastra's own span kind. What
 * differs from the GenAI reader:
 *
 * - the span type decides what a span is (`model_step`/`agent_step`,
 *   workflow and processor spans mean nothing);
 * - messages that Mastra could not convert pass through in its own shape
 *   (`{role, content}` with AI SDK parts, or `{messages}` / `{text}`
 *   wrappers), and tool answers are JSON text of the value;
 * - an agent's own input and output are in `mastra.agent_run.input/output`;
 * - errors carry their message in `error.message`;
 * - one agent turn is a `model_generation` span (the loop) around
 *   `model_step` spans, each around the `model_inference` span of one
 *   request. The inference spans are the model calls: they hold each
 *   response (and, through `@mastra/otel-exporter`, its usage). The prompt
 *   is only on the generation span, whose output merely joins its inference
 *   spans' texts: it is read as the call that sent the prompt, with no
 *   output of its own. Through `@mastra/otel-bridge` an inference span
 *   keeps Mastra's own `{text, toolCalls}` output
 *   (`mastra.model_inference.output`), tool calls included, which the
 *   exporter's GenAI conversion drops.
 *
 * The rest (raw-string `gen_ai.system_instructions`, JSON-string finish
 * reasons and stop sequences, JSON-string tool arguments) the shared GenAI
 * helpers already accept.
 */
import type { Attributes } from "@opentelemetry/api";
import { firstStr, isRecord, parseJson, parseJsonOrText, str } from "../attributes.js";
import type { ModelCall, Part } from "../model.js";
import type { SpanView } from "../span-view.js";
import { GEN_AI, genAiRole, readCallBasics, readGenAiAgent, readGenAiTool, type GenAiRole } from "./genai-common.js";
import { parseSystemInstructions, type ParsedMessages } from "./genai-messages.js";
import { looseConversation, parseChatMessages, toolCallParts } from "./openai-messages.js";
import { meaningByKind, type ConventionReader } from "./reader.js";

export const MASTRA = {
  SPAN_TYPE: "mastra.span.type",
  AGENT_RUN_INPUT: "mastra.agent_run.input",
  AGENT_RUN_OUTPUT: "mastra.agent_run.output",
  MODEL_GENERATION_INPUT: "mastra.model_generation.input",
  MODEL_INFERENCE_OUTPUT: "mastra.model_inference.output",
  ERROR_MESSAGE: "error.message",
} as const;

const MODEL_GENERATION = "model_generation";

/** Mastra span types (the enum's values, compared lowercase). */
const TYPE_MEANING: Record<string, GenAiRole> = {
  agent_run: "agent",
  model_generation: "model",
  model_inference: "model",
  tool_call: "tool",
  mcp_tool_call: "tool",
  // Executed by the provider, but still a call with a name, an id, arguments and a result.
  provider_tool_call: "tool",
  rag_embedding: "skipped",
  model_step: "none",
  model_chunk: "none",
  agent_step: "none",
  workflow_run: "none",
  processor_run: "none",
  generic: "none",
};

function typeOf(span: SpanView): string {
  return (str(span.attributes, MASTRA.SPAN_TYPE) ?? "").toLowerCase();
}

function roleOf(span: SpanView): GenAiRole {
  const type = typeOf(span);
  return TYPE_MEANING[type] ?? (type.startsWith("workflow_") ? "none" : genAiRole(span));
}

export const mastraReader: ConventionReader = {
  name: "mastra",
  matches: (span) => span.attributes[MASTRA.SPAN_TYPE] !== undefined,
  classify: roleOf,
  read: (span) =>
    meaningByKind(roleOf(span), span, {
      model: readModelCall,
      tool: readTool,
      agent: readAgent,
      skipped: (skipped) => firstStr(skipped.attributes, [GEN_AI.OPERATION_NAME, MASTRA.SPAN_TYPE]) ?? skipped.name,
    }),
};

function readModelCall(span: SpanView): ModelCall {
  const attributes = span.attributes;
  const generation = typeOf(span) === MODEL_GENERATION;
  const input = mastraMessages(attributes[GEN_AI.INPUT_MESSAGES] ?? (generation ? attributes[MASTRA.MODEL_GENERATION_INPUT] : undefined), "user");
  const output = generation ? NO_MESSAGES : responseOf(attributes);
  const basics = readCallBasics(span);
  return {
    ...basics,
    input: input.messages,
    output: output.messages,
    systemPrompt: systemPromptOf(attributes, input),
    finishReason: basics.finishReason ?? output.finishReason,
  };
}

const NO_MESSAGES: ParsedMessages = { messages: [], system: [] };

/** A model call's response: GenAI output messages, unless their conversion lost tool calls Mastra's own output has. */
function responseOf(attributes: Attributes): ParsedMessages {
  const converted = mastraMessages(attributes[GEN_AI.OUTPUT_MESSAGES], "assistant");
  const own = mastraOutput(attributes[MASTRA.MODEL_INFERENCE_OUTPUT]);
  const hasToolCalls = (parsed: ParsedMessages | undefined) =>
    parsed?.messages.some((message) => message.parts.some((part) => part.type === "tool_call")) === true;
  if (own && (converted.messages.length === 0 || (hasToolCalls(own) && !hasToolCalls(converted)))) return own;
  return converted;
}

/** Mastra's own `{text, toolCalls: [{toolCallId, toolName, args}]}` output, as one assistant message. */
function mastraOutput(value: unknown): ParsedMessages | undefined {
  const parsed = parseJson(value);
  if (!isRecord(parsed) || (!("text" in parsed) && !("toolCalls" in parsed))) return undefined;
  const parts: Part[] = typeof parsed.text === "string" && parsed.text !== "" ? [{ type: "text", text: parsed.text }] : [];
  parts.push(...toolCallParts((Array.isArray(parsed.toolCalls) ? parsed.toolCalls : []).map(mastraToolCall)));
  return { messages: parts.length > 0 ? [{ role: "assistant", parts }] : [], system: [] };
}

function mastraToolCall(call: unknown): unknown {
  return isRecord(call) ? { id: call.toolCallId, name: call.toolName, arguments: call.args ?? call.input } : call;
}

function readTool(span: SpanView) {
  const tool = readGenAiTool(span);
  if (tool.isError) tool.errorMessage = str(span.attributes, MASTRA.ERROR_MESSAGE) ?? tool.errorMessage;
  return tool;
}

function readAgent(span: SpanView) {
  const attributes = span.attributes;
  let input = mastraMessages(attributes[GEN_AI.INPUT_MESSAGES], "user");
  let output = mastraMessages(attributes[GEN_AI.OUTPUT_MESSAGES], "assistant");
  if (input.messages.length === 0) input = looseConversation(attributes[MASTRA.AGENT_RUN_INPUT], "user");
  if (output.messages.length === 0) output = looseConversation(attributes[MASTRA.AGENT_RUN_OUTPUT], "assistant");
  const systemPrompt = systemPromptOf(attributes, input);
  const hasMessages = input.messages.length > 0 || output.messages.length > 0;
  const call: ModelCall | undefined = hasMessages
    ? { ...readCallBasics(span), input: input.messages, output: output.messages, systemPrompt }
    : undefined;
  const agent = readGenAiAgent(span, call, systemPrompt);
  agent.finishReason ??= output.finishReason;
  return agent;
}

/** Mastra sets `gen_ai.system_instructions` to the agent's raw instructions. */
function systemPromptOf(attributes: Attributes, input: ParsedMessages): string | undefined {
  const instructions = parseSystemInstructions(attributes[GEN_AI.SYSTEM_INSTRUCTIONS]);
  return instructions ?? (input.system.length > 0 ? input.system.join("\n") : undefined);
}

/**
 * Mastra's messages: GenAI `{role, parts}` when it converted them, its own
 * `{role, content}` (AI SDK parts) when it could not, possibly inside the
 * `{messages}` or `{text}` wrapper it was given.
 */
function mastraMessages(value: unknown, role: "user" | "assistant"): ParsedMessages {
  const parsed = parseJson(value);
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) && Array.isArray(parsed.messages) ? parsed.messages : undefined;
  const result: ParsedMessages = list ? parseChatMessages(list, role) : looseConversation(parsed ?? value, role);
  for (const message of result.messages) message.parts = message.parts.map(unwrapToolAnswer);
  return result;
}

/** Mastra stores a tool's answer as `JSON.stringify(value)`: decode it once. */
function unwrapToolAnswer(part: Part): Part {
  if (part.type !== "tool_result" || typeof part.result !== "string") return part;
  return { ...part, result: parseJsonOrText(part.result) };
}
