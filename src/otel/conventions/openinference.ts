/**
 * OpenInference (Arize Phoenix): `openinference.span.kind` says what a span
 * is; LLM messages are flattened into indexed keys
 * (`llm.input_messages.0.message.role`, …); tools and agents carry their
 * input and output in `input.value` / `output.value`. Used by the OpenAI
 * Agents bridge, the LangChain instrumentation and `@arizeai/openinference-*`.
 */
import type { Attributes } from "@opentelemetry/api";
import { definedFields, definedOrNothing, firstNum, firstStr, indexedList, indexedSubList, isRecord, json, parseJsonOrText, str, toNumber } from "../attributes.js";
import type { AgentInvocation, ModelCall, ModelSettings, Part, SpanMeaning, TokenUsage, ToolExecution } from "../model.js";
import type { SpanView } from "../span-view.js";
import { readError } from "./genai-common.js";
import { toRole, type ParsedMessages } from "./genai-messages.js";
import { langChainGenerations, langChainPrompt, langChainToolAnswer } from "./langchain-messages.js";
import { looseConversation, mediaFromUrl, nonEmptyString, stringifiedContentParts, textOfParts } from "./openai-messages.js";
import { meaningByKind, type ConventionReader } from "./reader.js";

export const OPENINFERENCE = {
  SPAN_KIND: "openinference.span.kind",
  INPUT_VALUE: "input.value",
  OUTPUT_VALUE: "output.value",
  INPUT_MESSAGES: "llm.input_messages",
  OUTPUT_MESSAGES: "llm.output_messages",
  MODEL_NAME: "llm.model_name",
  REQUEST_MODEL_NAME: "llm.request.model_name",
  RESPONSE_MODEL_NAME: "llm.response.model_name",
  INVOCATION_PARAMETERS: "llm.invocation_parameters",
  FINISH_REASON: "llm.finish_reason",
  TOKENS_PROMPT: "llm.token_count.prompt",
  TOKENS_COMPLETION: "llm.token_count.completion",
  TOKENS_TOTAL: "llm.token_count.total",
  TOKENS_CACHE_READ: "llm.token_count.prompt_details.cache_read",
  TOKENS_CACHE_WRITE: "llm.token_count.prompt_details.cache_write",
  TOOL_NAME: "tool.name",
  TOOL_ID: "tool.id",
  TOOL_CALL_ID: "tool_call.id",
  AGENT_NAME: "agent.name",
  GRAPH_NODE_ID: "graph.node.id",
  METADATA: "metadata",
} as const;

/** Keys of the LangChain run metadata OpenInference copies into `metadata` (JSON). */
const LANGCHAIN_METADATA = {
  /** Set by `createAgent({ name })` on every run of that agent. */
  AGENT_NAME: "lc_agent_name",
} as const;

/** Keys of one flattened message, after its `llm.*_messages.{i}.` prefix. */
const MESSAGE = {
  ROLE: "message.role",
  CONTENT: "message.content",
  CONTENTS: "message.contents",
  TOOL_CALLS: "message.tool_calls",
  TOOL_CALL_ID: "message.tool_call_id",
  NAME: "message.name",
  FINISH_REASON: "message.finish_reason",
} as const;

/** Keys of one content part, after `message.contents.{j}.`. */
const CONTENT = {
  TYPE: "message_content.type",
  TEXT: "message_content.text",
  IMAGE_URL: "message_content.image.image.url",
} as const;

/** Keys of one tool call, after `message.tool_calls.{k}.`. */
const TOOL_CALL = {
  ID: "tool_call.id",
  NAME: "tool_call.function.name",
  ARGUMENTS: "tool_call.function.arguments",
} as const;

/** What OpenInference writes in place of a value hidden by its privacy settings. */
const REDACTED = "__REDACTED__";

/**
 * The OpenAI Agents bridge copies the first LLM input and the last LLM output
 * onto its AGENT spans (including the trace's root AGENT span, above the
 * agents themselves). That is a copy of model calls already read, not a call
 * of the agent's own.
 */
const OPENAI_AGENTS_SCOPE = "@arizeai/openinference-instrumentation-openai-agents";
/** The Python bridge (openinference-instrumentation-openai-agents) marks its spans the same way, without lifting LLM I/O. */
const PYTHON_OPENAI_AGENTS_SCOPE = "openinference.instrumentation.openai_agents";
const OPENAI_AGENTS_SCOPES = new Set([OPENAI_AGENTS_SCOPE, PYTHON_OPENAI_AGENTS_SCOPE]);
const LANGCHAIN_SCOPE = "@arizeai/openinference-instrumentation-langchain";
const LIFTS_LLM_IO_ONTO_AGENTS = new Set([OPENAI_AGENTS_SCOPE]);

/** The Agents SDK's handoff, a TOOL span named `handoff to <agent>`: the model's own tool call already says it. */
const HANDOFF_SPAN = /^handoff to /;

const KIND_MEANING: Record<string, SpanMeaning["kind"]> = {
  AGENT: "agent",
  LLM: "model",
  TOOL: "tool",
  EMBEDDING: "skipped",
  RERANKER: "skipped",
};

function kindOf(span: SpanView): string {
  return (str(span.attributes, OPENINFERENCE.SPAN_KIND) ?? "").toUpperCase();
}

/**
 * What the span is. The OpenAI Agents bridge marks two kinds of span in ways
 * that say more than they are:
 *
 * - each trace gets a root AGENT span (named after the trace, "Agent
 *   workflow" by default) above the task and the agents themselves; only the
 *   real agents' spans get `graph.node.id` (their name) when they end;
 * - a handoff is a TOOL span `handoff to <agent>` with no call id, while the
 *   model's own `transfer_to_<agent>` call and its answer are on the LLM
 *   spans; reading the span as a tool would invent a second tool call.
 */
function meaningOf(span: SpanView): SpanMeaning["kind"] {
  const meaning = KIND_MEANING[kindOf(span)] ?? "none";
  if (meaning === "none" && langChainAgentName(span) !== undefined) return "agent";
  if (span.scope === undefined || !OPENAI_AGENTS_SCOPES.has(span.scope)) return meaning;
  if (meaning === "agent" && span.attributes[OPENINFERENCE.GRAPH_NODE_ID] === undefined) return "none";
  if (meaning === "tool" && HANDOFF_SPAN.test(span.name)) return "none";
  return meaning;
}

/**
 * Both instrumentations above write what makes a span an agent only when it
 * ends: the Agents bridge its `graph.node.id`, the LangChain tracer every
 * attribute but the span kind (the `metadata` naming the agent included).
 */
function mayBecomeAgent(span: SpanView): boolean {
  if (meaningOf(span) === "agent") return false;
  const kind = kindOf(span);
  if (span.scope !== undefined && OPENAI_AGENTS_SCOPES.has(span.scope)) {
    return kind === "AGENT" && span.attributes[OPENINFERENCE.GRAPH_NODE_ID] === undefined;
  }
  if (span.scope === LANGCHAIN_SCOPE) return kind === "CHAIN" && span.attributes[OPENINFERENCE.METADATA] === undefined;
  return false;
}

export const openInferenceReader: ConventionReader = {
  name: "openinference",
  matches: (span) => span.attributes[OPENINFERENCE.SPAN_KIND] !== undefined,
  classify: meaningOf,
  mayBecomeAgent,
  read: (span) =>
    meaningByKind(meaningOf(span), span, {
      model: (model) => readModelCall(model.attributes),
      tool: readTool,
      agent: readAgent,
      skipped: (skipped) => kindOf(skipped).toLowerCase(),
    }),
};

/**
 * A LangChain agent made by `createAgent({ name })`: its graph's CHAIN span,
 * named after the agent, whose runs all carry `lc_agent_name` (the spans
 * inside it are named after their graph nodes).
 */
function langChainAgentName(span: SpanView): string | undefined {
  if (kindOf(span) !== "CHAIN") return undefined;
  const name = runsInAgent(span.attributes);
  return name === span.name ? name : undefined;
}

/** The `createAgent` agent a LangChain run (any span inside the agent) belongs to. */
function runsInAgent(attributes: Attributes): string | undefined {
  const metadata = json(attributes, OPENINFERENCE.METADATA);
  const name = isRecord(metadata) ? metadata[LANGCHAIN_METADATA.AGENT_NAME] : undefined;
  return typeof name === "string" && name !== "" ? name : undefined;
}

function readModelCall(attributes: Attributes): ModelCall {
  // LangChain's serialized messages are complete (call ids, content blocks); the flattened ones are not.
  let input = langChainPrompt(attributes[OPENINFERENCE.INPUT_VALUE]) ?? flattenedMessages(attributes, OPENINFERENCE.INPUT_MESSAGES, "user");
  let output =
    langChainGenerations(attributes[OPENINFERENCE.OUTPUT_VALUE]) ?? flattenedMessages(attributes, OPENINFERENCE.OUTPUT_MESSAGES, "assistant");
  // Without flattened messages, the raw request and response may still say what was exchanged.
  if (input.messages.length === 0 && input.system.length === 0) input = looseValue(attributes, OPENINFERENCE.INPUT_VALUE, "user");
  if (output.messages.length === 0) output = looseValue(attributes, OPENINFERENCE.OUTPUT_VALUE, "assistant");
  return {
    input: input.messages,
    output: output.messages,
    systemPrompt: input.system.length > 0 ? input.system.join("\n") : undefined,
    model: firstStr(attributes, [OPENINFERENCE.MODEL_NAME, OPENINFERENCE.RESPONSE_MODEL_NAME, OPENINFERENCE.REQUEST_MODEL_NAME]),
    settings: readSettings(attributes),
    finishReason: str(attributes, OPENINFERENCE.FINISH_REASON) ?? output.finishReason,
    usage: readUsage(attributes),
    agentName: runsInAgent(attributes),
  };
}

function readTool(span: SpanView): ToolExecution {
  const attributes = span.attributes;
  const error = readError(span);
  const result = visibleValue(attributes, OPENINFERENCE.OUTPUT_VALUE);
  // A LangChain tool called with a tool call returns a ToolMessage: its content is the tool's output.
  const answer = langChainToolAnswer(result);
  return {
    name: str(attributes, OPENINFERENCE.TOOL_NAME) ?? answer?.name ?? span.name,
    callId: firstStr(attributes, [OPENINFERENCE.TOOL_ID, OPENINFERENCE.TOOL_CALL_ID]) ?? answer?.callId,
    // `tool.parameters` is the tool's schema; the call's arguments are its input.
    arguments: parseJsonOrText(visibleValue(attributes, OPENINFERENCE.INPUT_VALUE)),
    result: answer ? parseJsonOrText(answer.content) : result === undefined ? undefined : parseJsonOrText(result),
    isError: error.isError || answer?.isError === true,
    errorMessage: error.message,
  };
}

function readAgent(span: SpanView): AgentInvocation {
  const attributes = span.attributes;
  const lifted = span.scope !== undefined && LIFTS_LLM_IO_ONTO_AGENTS.has(span.scope);
  const input = lifted ? NO_MESSAGES : looseValue(attributes, OPENINFERENCE.INPUT_VALUE, "user");
  const output = lifted ? NO_MESSAGES : looseValue(attributes, OPENINFERENCE.OUTPUT_VALUE, "assistant");
  const systemPrompt = input.system.length > 0 ? input.system.join("\n") : undefined;
  const hasMessages = input.messages.length > 0 || output.messages.length > 0;
  const call: ModelCall | undefined = hasMessages
    ? {
        input: input.messages,
        output: output.messages,
        systemPrompt,
        model: firstStr(attributes, [OPENINFERENCE.MODEL_NAME, OPENINFERENCE.RESPONSE_MODEL_NAME, OPENINFERENCE.REQUEST_MODEL_NAME]),
        settings: {},
        finishReason: output.finishReason,
      }
    : undefined;
  return {
    name: str(attributes, OPENINFERENCE.AGENT_NAME) ?? langChainAgentName(span) ?? (span.name || undefined),
    systemPrompt,
    usage: readUsage(attributes),
    finishReason: str(attributes, OPENINFERENCE.FINISH_REASON) ?? output.finishReason,
    call,
  };
}

const NO_MESSAGES: ParsedMessages = { messages: [], system: [] };

/** A string attribute unless the producer hid it. */
function visibleValue(attributes: Attributes, key: string): string | undefined {
  const value = str(attributes, key);
  return value === undefined || value === REDACTED ? undefined : value;
}

function looseValue(attributes: Attributes, key: string, role: "user" | "assistant"): ParsedMessages {
  return looseConversation(visibleValue(attributes, key), role);
}

/** `llm.input_messages.{i}.message.*` (or output) rebuilt as messages; system text set apart. */
function flattenedMessages(attributes: Attributes, prefix: string, fallbackRole: "user" | "assistant"): ParsedMessages {
  const result: ParsedMessages = { messages: [], system: [] };
  for (const item of indexedList(attributes, prefix)) {
    const role = toRole(item[MESSAGE.ROLE]) ?? fallbackRole;
    const finishReason = nonEmptyString(item[MESSAGE.FINISH_REASON]);
    if (finishReason) result.finishReason = finishReason;
    const parts = messageParts(item);
    if (role === "system") {
      const text = textOfParts(parts);
      if (text !== "") result.system.push(text);
      continue;
    }
    const toolCallId = nonEmptyString(item[MESSAGE.TOOL_CALL_ID]);
    if (role === "tool" || toolCallId !== undefined) {
      const answer = parts.every((part) => part.type === "text") ? textOfParts(parts) : parts;
      result.messages.push({
        role: "tool",
        parts: [{ type: "tool_result", id: toolCallId, name: nonEmptyString(item[MESSAGE.NAME]), result: answer }],
      });
      continue;
    }
    result.messages.push({ role, parts: [...parts, ...toolCalls(item)] });
  }
  return result;
}

/** A message's typed `contents` when present, else its `content` text. */
function messageParts(item: Record<string, unknown>): Part[] {
  const contents = indexedSubList(item, MESSAGE.CONTENTS);
  if (contents.length > 0) return contents.map(toContentPart).filter((part) => !(part.type === "text" && part.text === ""));
  return stringifiedContentParts(item[MESSAGE.CONTENT]);
}

function toContentPart(content: Record<string, unknown>): Part {
  const type = String(content[CONTENT.TYPE] ?? "text");
  switch (type) {
    // The Responses API's spellings, as the OpenAI instrumentation records them.
    case "text":
    case "input_text":
    case "output_text":
      return { type: "text", text: typeof content[CONTENT.TEXT] === "string" ? (content[CONTENT.TEXT] as string) : "" };
    case "reasoning":
      return { type: "thinking", text: typeof content[CONTENT.TEXT] === "string" ? (content[CONTENT.TEXT] as string) : "" };
    case "image": {
      const url = nonEmptyString(content[CONTENT.IMAGE_URL]);
      return url ? mediaFromUrl("image", url) : { type: "unsupported", what: "image without a url" };
    }
    default:
      return { type: "unsupported", what: type };
  }
}

function toolCalls(item: Record<string, unknown>): Part[] {
  return indexedSubList(item, MESSAGE.TOOL_CALLS).map((call): Part => {
    const name = nonEmptyString(call[TOOL_CALL.NAME]);
    if (!name) return { type: "unsupported", what: "tool call without a name" };
    return { type: "tool_call", id: nonEmptyString(call[TOOL_CALL.ID]), name, arguments: parseJsonOrText(call[TOOL_CALL.ARGUMENTS]) };
  });
}

/** `llm.invocation_parameters`: the provider's request settings, snake or camel case. */
function readSettings(attributes: Attributes): ModelSettings {
  const parameters = json(attributes, OPENINFERENCE.INVOCATION_PARAMETERS);
  if (!isRecord(parameters)) return {};
  const pick = (...keys: string[]) => {
    for (const key of keys) {
      const value = toNumber(parameters[key]);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const temperature = pick("temperature");
  const maxTokens = pick("max_tokens", "max_completion_tokens", "max_output_tokens", "maxTokens", "maxOutputTokens");
  const topP = pick("top_p", "topP");
  const topK = pick("top_k", "topK");
  return definedFields({ temperature, maxTokens, topP, topK });
}

function readUsage(attributes: Attributes): TokenUsage | undefined {
  const input = firstNum(attributes, [OPENINFERENCE.TOKENS_PROMPT]);
  const output = firstNum(attributes, [OPENINFERENCE.TOKENS_COMPLETION]);
  const total = firstNum(attributes, [OPENINFERENCE.TOKENS_TOTAL]);
  const cacheRead = firstNum(attributes, [OPENINFERENCE.TOKENS_CACHE_READ]);
  const cacheWrite = firstNum(attributes, [OPENINFERENCE.TOKENS_CACHE_WRITE]);
  return definedOrNothing({ inputTokens: input, outputTokens: output, totalTokens: total, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite });
}
