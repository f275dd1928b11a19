/**
 * The normalized model every convention reader produces. Events are made
 * from this model only, so a new convention is one new reader.
 */

export type Role = "system" | "user" | "assistant" | "tool";

export type Part =
  | { type: "text"; text: string }
  | { type: "thinking"; text: string; signature?: string }
  | { type: "tool_call"; id?: string; name: string; arguments?: unknown }
  | { type: "tool_result"; id?: string; name?: string; result: unknown; isError?: boolean }
  | { type: "media"; kind: "image" | "document"; source: string; data: string; mediaType?: string }
  /** A part no event can express (audio, server tool calls, …): skipped and counted. */
  | { type: "unsupported"; what: string };

export interface Message {
  role: Role;
  parts: Part[];
}

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface ModelSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
}

/** One model invocation: what was sent, what came back. */
export interface ModelCall {
  /** The conversation sent, system messages excluded. */
  input: Message[];
  /** What the model produced (assistant messages). */
  output: Message[];
  systemPrompt?: string;
  model?: string;
  settings: ModelSettings;
  /** The producer's spelling, mapped later. */
  finishReason?: string;
  usage?: TokenUsage;
  /** When the response arrived, if the span says (the span may end later). */
  responseTimeMs?: number;
  /**
   * The agent the call ran in, when the call's own span says (LangChain's
   * `lc_agent_name`): a guard can be told it before the agent's span does.
   */
  agentName?: string;
}

/** One tool execution. */
export interface ToolExecution {
  name?: string;
  callId?: string;
  arguments?: unknown;
  /** `undefined` when the span carries no result (content capture off, or failure). */
  result?: unknown;
  isError: boolean;
  errorMessage?: string;
}

/** An agent invocation: it owns a run, or joins the trace's run at top level. */
export interface AgentInvocation {
  name?: string;
  id?: string;
  systemPrompt?: string;
  /** The agent's own totals, which some frameworks report (and which may include sub-agents). */
  usage?: TokenUsage;
  finishReason?: string;
  /** Messages on the agent span itself, used when no model call spans exist below it. */
  call?: ModelCall;
}

export interface Identity {
  sessionId?: string;
  userId?: string;
  userEmail?: string;
  userName?: string;
}

/** What one span means. */
export type SpanMeaning =
  | { kind: "agent"; agent: AgentInvocation }
  | { kind: "model"; call: ModelCall }
  | { kind: "tool"; tool: ToolExecution }
  /** AI work no event can express (embeddings, reranking): skipped and counted. */
  | { kind: "skipped"; what: string }
  | { kind: "none" };

export interface SpanFacts {
  meaning: SpanMeaning;
  identity: Identity;
  /** The reader that understood the span. */
  convention: string;
}
