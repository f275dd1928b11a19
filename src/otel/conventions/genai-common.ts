/**
 * The OpenTelemetry GenAI attributes every GenAI-family reader shares:
 * operation, model, settings, usage, finish reasons, tools and agents.
 * Message content differs per era and lives in each reader.
 */
import type { Attributes } from "@opentelemetry/api";
import { firstNum, firstStr, json, num, parseJson, parseJsonOrText, str } from "../attributes.js";
import type { AgentInvocation, Message, ModelCall, ModelSettings, SpanMeaning, TokenUsage, ToolExecution } from "../model.js";
import type { SpanView } from "../span-view.js";

export const GEN_AI = {
  OPERATION_NAME: "gen_ai.operation.name",
  PROVIDER_NAME: "gen_ai.provider.name",
  SYSTEM: "gen_ai.system",
  REQUEST_MODEL: "gen_ai.request.model",
  RESPONSE_MODEL: "gen_ai.response.model",
  REQUEST_TEMPERATURE: "gen_ai.request.temperature",
  REQUEST_MAX_TOKENS: "gen_ai.request.max_tokens",
  REQUEST_TOP_P: "gen_ai.request.top_p",
  REQUEST_TOP_K: "gen_ai.request.top_k",
  RESPONSE_FINISH_REASONS: "gen_ai.response.finish_reasons",
  USAGE_INPUT_TOKENS: "gen_ai.usage.input_tokens",
  USAGE_OUTPUT_TOKENS: "gen_ai.usage.output_tokens",
  USAGE_PROMPT_TOKENS: "gen_ai.usage.prompt_tokens",
  USAGE_COMPLETION_TOKENS: "gen_ai.usage.completion_tokens",
  USAGE_CACHE_READ: "gen_ai.usage.cache_read.input_tokens",
  USAGE_CACHE_CREATION: "gen_ai.usage.cache_creation.input_tokens",
  /** OpenLLMetry's underscored spellings. */
  USAGE_CACHE_READ_UNDERSCORED: "gen_ai.usage.cache_read_input_tokens",
  USAGE_CACHE_CREATION_UNDERSCORED: "gen_ai.usage.cache_creation_input_tokens",
  USAGE_TOTAL_TOKENS: "gen_ai.usage.total_tokens",
  LLM_USAGE_TOTAL_TOKENS: "llm.usage.total_tokens",
  AGENT_NAME: "gen_ai.agent.name",
  AGENT_ID: "gen_ai.agent.id",
  TOOL_NAME: "gen_ai.tool.name",
  TOOL_CALL_ID: "gen_ai.tool.call.id",
  TOOL_CALL_ARGUMENTS: "gen_ai.tool.call.arguments",
  TOOL_CALL_RESULT: "gen_ai.tool.call.result",
  ERROR_TYPE: "error.type",
  INPUT_MESSAGES: "gen_ai.input.messages",
  OUTPUT_MESSAGES: "gen_ai.output.messages",
  SYSTEM_INSTRUCTIONS: "gen_ai.system_instructions",
} as const;

/** `gen_ai.operation.name` values that are a model call. */
const MODEL_OPERATIONS = new Set(["chat", "text_completion", "generate_content", "completion", "generate"]);
const AGENT_OPERATIONS = new Set(["invoke_agent"]);
const TOOL_OPERATIONS = new Set(["execute_tool"]);
/** AI operations no hook event can express. */
const SKIPPED_OPERATIONS = new Set(["embeddings", "rerank", "retrieval"]);

export type GenAiRole = "agent" | "model" | "tool" | "skipped" | "none";

/** What a GenAI-family span is, from its operation (or, failing that, its attributes). */
export function genAiRole(span: SpanView): GenAiRole {
  const attributes = span.attributes;
  const operation = str(attributes, GEN_AI.OPERATION_NAME);
  if (operation !== undefined) {
    if (MODEL_OPERATIONS.has(operation)) return "model";
    if (AGENT_OPERATIONS.has(operation)) return "agent";
    if (TOOL_OPERATIONS.has(operation)) return "tool";
    if (SKIPPED_OPERATIONS.has(operation)) return "skipped";
    return "none";
  }
  if (attributes[GEN_AI.TOOL_NAME] !== undefined || attributes[GEN_AI.TOOL_CALL_ID] !== undefined) return "tool";
  if (attributes[GEN_AI.REQUEST_MODEL] !== undefined || attributes[GEN_AI.RESPONSE_MODEL] !== undefined) return "model";
  return "none";
}

export function readSettings(attributes: Attributes): ModelSettings {
  // Written field by field: this runs for every model call.
  const settings: ModelSettings = {};
  const temperature = num(attributes, GEN_AI.REQUEST_TEMPERATURE);
  if (temperature !== undefined) settings.temperature = temperature;
  const maxTokens = num(attributes, GEN_AI.REQUEST_MAX_TOKENS);
  if (maxTokens !== undefined) settings.maxTokens = maxTokens;
  const topP = num(attributes, GEN_AI.REQUEST_TOP_P);
  if (topP !== undefined) settings.topP = topP;
  const topK = num(attributes, GEN_AI.REQUEST_TOP_K);
  if (topK !== undefined) settings.topK = topK;
  return settings;
}

const MODEL_NAME_KEYS = [GEN_AI.RESPONSE_MODEL, GEN_AI.REQUEST_MODEL];

export function readModelName(attributes: Attributes): string | undefined {
  return firstStr(attributes, MODEL_NAME_KEYS);
}

const USAGE_KEYS = {
  input: [GEN_AI.USAGE_INPUT_TOKENS, GEN_AI.USAGE_PROMPT_TOKENS],
  output: [GEN_AI.USAGE_OUTPUT_TOKENS, GEN_AI.USAGE_COMPLETION_TOKENS],
  total: [GEN_AI.USAGE_TOTAL_TOKENS, GEN_AI.LLM_USAGE_TOTAL_TOKENS],
  cacheRead: [GEN_AI.USAGE_CACHE_READ, GEN_AI.USAGE_CACHE_READ_UNDERSCORED],
  cacheWrite: [GEN_AI.USAGE_CACHE_CREATION, GEN_AI.USAGE_CACHE_CREATION_UNDERSCORED],
} as const;

export function readUsage(attributes: Attributes): TokenUsage | undefined {
  let usage: TokenUsage | undefined;
  const inputTokens = firstNum(attributes, USAGE_KEYS.input);
  if (inputTokens !== undefined) (usage ??= {}).inputTokens = inputTokens;
  const outputTokens = firstNum(attributes, USAGE_KEYS.output);
  if (outputTokens !== undefined) (usage ??= {}).outputTokens = outputTokens;
  const totalTokens = firstNum(attributes, USAGE_KEYS.total);
  if (totalTokens !== undefined) (usage ??= {}).totalTokens = totalTokens;
  const cacheReadTokens = firstNum(attributes, USAGE_KEYS.cacheRead);
  if (cacheReadTokens !== undefined) (usage ??= {}).cacheReadTokens = cacheReadTokens;
  const cacheWriteTokens = firstNum(attributes, USAGE_KEYS.cacheWrite);
  if (cacheWriteTokens !== undefined) (usage ??= {}).cacheWriteTokens = cacheWriteTokens;
  return usage;
}

/** The first finish reason, whether the attribute is an array or a JSON string of one. */
export function readFinishReason(attributes: Attributes): string | undefined {
  const value = attributes[GEN_AI.RESPONSE_FINISH_REASONS];
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === "string");
  if (typeof value !== "string") return undefined;
  const parsed = parseJson(value);
  if (!Array.isArray(parsed)) return value;
  return parsed.find((item): item is string => typeof item === "string");
}

/** Whether the span failed: status ERROR or an `error.type`. */
export function readError(span: SpanView): { isError: boolean; message?: string } {
  const failed = span.status.code === 2 || span.attributes[GEN_AI.ERROR_TYPE] !== undefined;
  if (!failed) return { isError: false };
  const exception = span.events.find((event) => event.name === "exception");
  const message =
    span.status.message ||
    (exception && str(exception.attributes, "exception.message")) ||
    str(span.attributes, GEN_AI.ERROR_TYPE);
  return { isError: true, message: message ? withoutStack(message) : undefined };
}

const STACK_FRAME = /\n\s+at /;

/**
 * The error's own words, without the stack trace some instrumentations
 * append to them (OpenInference's LangChain tracer: message, blank line,
 * stack): it says nothing about the tool and names the host's files.
 */
function withoutStack(message: string): string {
  const frame = message.search(STACK_FRAME);
  if (frame === -1) return message;
  return message.slice(0, frame).split(/\n\s*\n/)[0].trim();
}

/** A tool span's execution, from `gen_ai.tool.*`. */
export function readGenAiTool(span: SpanView): ToolExecution {
  const attributes = span.attributes;
  const error = readError(span);
  const rawResult = attributes[GEN_AI.TOOL_CALL_RESULT];
  return {
    name: str(attributes, GEN_AI.TOOL_NAME) ?? toolNameFromSpanName(span.name),
    callId: str(attributes, GEN_AI.TOOL_CALL_ID),
    arguments: parseJsonOrText(attributes[GEN_AI.TOOL_CALL_ARGUMENTS]),
    result: rawResult === undefined ? undefined : parseJsonOrText(rawResult),
    isError: error.isError,
    errorMessage: error.message,
  };
}

function toolNameFromSpanName(name: string): string | undefined {
  const match = /^execute_tool (\S+)/.exec(name);
  return match?.[1];
}

export function readGenAiAgent(span: SpanView, call: ModelCall | undefined, systemPrompt: string | undefined): AgentInvocation {
  const attributes = span.attributes;
  return {
    name: str(attributes, GEN_AI.AGENT_NAME),
    id: str(attributes, GEN_AI.AGENT_ID),
    systemPrompt,
    usage: readUsage(attributes),
    finishReason: readFinishReason(attributes),
    call,
  };
}

/** The pieces of a model call every GenAI-family span carries, content aside. */
export function readCallBasics(span: SpanView): Omit<ModelCall, "input" | "output" | "systemPrompt"> {
  const attributes = span.attributes;
  return {
    model: readModelName(attributes),
    settings: readSettings(attributes),
    finishReason: readFinishReason(attributes),
    usage: readUsage(attributes),
  };
}

/** A model call: the span's basics completed with the messages read from it, without copying them into a new object. */
export function modelCallOf(span: SpanView, input: Message[], output: Message[], systemPrompt: string | undefined): ModelCall {
  const call = readCallBasics(span) as ModelCall;
  call.input = input;
  call.output = output;
  call.systemPrompt = systemPrompt;
  return call;
}

/** A GenAI-family span's messages, which each era carries its own way. */
export interface GenAiContent {
  input: Message[];
  output: Message[];
  systemPrompt?: string;
  /** What the output messages say of how the call ended, for a span that reports no finish reason. */
  finishReason?: string;
}

/**
 * The meaning of a GenAI-family span, its messages read with `readContent`
 * only where they are needed: a model call's at once, an agent's when they
 * are asked for (`AgentInvocation.call`). An agent's messages stand for its
 * model calls only when no model call span is seen below it, which is rare,
 * and reading them is most of the work of reading the span.
 * `readSystemPrompt` says an agent's system prompt, without reading its
 * messages where the span says it apart.
 */
export function genAiMeaning(
  span: SpanView,
  readContent: (span: SpanView) => GenAiContent,
  readSystemPrompt: (span: SpanView) => string | undefined = (agent) => readContent(agent).systemPrompt,
): SpanMeaning {
  switch (genAiRole(span)) {
    case "model": {
      const { input, output, systemPrompt, finishReason } = readContent(span);
      const call = modelCallOf(span, input, output, systemPrompt);
      call.finishReason ??= finishReason;
      return { kind: "model", call };
    }
    case "tool":
      return { kind: "tool", tool: readGenAiTool(span) };
    case "agent":
      return { kind: "agent", agent: new GenAiAgent(span, readSystemPrompt(span), readContent) };
    case "skipped":
      return { kind: "skipped", what: str(span.attributes, GEN_AI.OPERATION_NAME) ?? span.name };
    default:
      return { kind: "none" };
  }
}

/** An agent whose own messages are read the first time its `call` is asked for. */
class GenAiAgent implements AgentInvocation {
  name: string | undefined;
  id: string | undefined;
  systemPrompt: string | undefined;
  usage: TokenUsage | undefined;
  finishReason: string | undefined;
  readonly #span: SpanView;
  readonly #readContent: (span: SpanView) => GenAiContent;
  /** `null` until read. */
  #call: ModelCall | undefined | null = null;

  constructor(span: SpanView, systemPrompt: string | undefined, readContent: (span: SpanView) => GenAiContent) {
    const attributes = span.attributes;
    this.name = str(attributes, GEN_AI.AGENT_NAME);
    this.id = str(attributes, GEN_AI.AGENT_ID);
    this.systemPrompt = systemPrompt;
    this.usage = readUsage(attributes);
    this.finishReason = readFinishReason(attributes);
    this.#span = span;
    this.#readContent = readContent;
  }

  get call(): ModelCall | undefined {
    if (this.#call === null) {
      const { input, output } = this.#readContent(this.#span);
      const hasMessages = input.length > 0 || output.length > 0;
      this.#call = hasMessages ? modelCallOf(this.#span, input, output, this.systemPrompt) : undefined;
    }
    return this.#call;
  }
}

export { json, parseJson };
