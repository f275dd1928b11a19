/**
 * A fake OpenAI-compatible server on 127.0.0.1: Chat Completions and the
 * Responses API, each streaming (SSE) or not, answering from a script.
 *
 * Each script gets its own API key, so scenarios running at once on one
 * server never take each other's replies: a framework's client is given the
 * key and its requests are answered from that script, in order. The key
 * never shows in spans.
 *
 * It also serves the tokenizer rank files LangChain fetches from
 * `https://tiktoken.pages.dev/js/<encoding>.json`, from `js-tiktoken`'s own
 * copies, at the same path: `serveTokenizer()` sends this process's fetches
 * of that host here instead.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One scripted model response. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: Array<{ id: string; name: string; arguments: Record<string, unknown> }>;
  usage?: { input: number; output: number };
  /** Derived when omitted: `tool_calls` when the reply calls tools, else `stop`. */
  finishReason?: "stop" | "tool_calls" | "length";
}

export interface ReceivedRequest {
  path: string;
  body: any;
}

export interface FakeOpenAI {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  readonly baseURL: string;
  readonly origin: string;
  /** A new API key whose requests are answered from `replies`, in order. */
  script(replies: ScriptedReply[]): string;
  /** The requests made with a key, in arrival order. */
  requestsFor(apiKey: string): ReceivedRequest[];
  /** Replies of a key's script not asked for yet. */
  unused(apiKey: string): number;
  /** Answers this process's fetches of LangChain's tokenizer host from here, until `close()`. */
  serveTokenizer(): Promise<void>;
  close(): Promise<void>;
}

/** Where LangChain fetches its tokenizer's rank files. */
const TOKENIZER_ORIGIN = "https://tiktoken.pages.dev";
/** Node's fetch takes its dispatcher from here (undici's global dispatcher). */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** A fixed clock for `created` fields: responses are the same in every run. */
const CREATED_AT = 1_767_225_600;

interface Script {
  replies: ScriptedReply[];
  requests: ReceivedRequest[];
  served: number;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const scripts = new Map<string, Script>();
  const sockets = new Set<Socket>();
  let keys = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: "fake_server_error" } });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    const body = await readJson(request);
    if (request.method === "GET" && path.startsWith("/js/")) return serveRanks(path, response);
    const key = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    const script = scripts.get(key);
    if (!script) return sendJson(response, 401, { error: { message: `no script for API key "${key}"`, type: "invalid_request_error" } });
    script.requests.push({ path, body });
    const reply = script.replies[script.served];
    if (!reply) {
      return sendJson(response, 500, {
        error: { message: `the script has ${script.replies.length} replies; request ${script.served + 1} has none`, type: "fake_server_error" },
      });
    }
    const id = ++script.served;
    if (request.method === "POST" && path === "/v1/chat/completions") {
      return body.stream ? streamChat(response, body, reply, id) : sendJson(response, 200, chatCompletion(body, reply, id));
    }
    if (request.method === "POST" && path === "/v1/responses") {
      return body.stream ? streamResponse(response, body, reply, id) : sendJson(response, 200, responseObject(body, reply, id, "completed"));
    }
    sendJson(response, 404, { error: { message: `no route ${request.method} ${path}`, type: "invalid_request_error" } });
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let restoreDispatcher: (() => void) | undefined;

  return {
    baseURL: `${origin}/v1`,
    origin,
    script(replies) {
      const key = `sk-fake-${++keys}`;
      scripts.set(key, { replies, requests: [], served: 0 });
      return key;
    },
    requestsFor: (key) => scripts.get(key)?.requests ?? [],
    unused: (key) => {
      const script = scripts.get(key);
      return script ? script.replies.length - script.served : 0;
    },
    async serveTokenizer() {
      if (restoreDispatcher) return;
      // The first fetch makes Node create its global dispatcher.
      await (await fetch(`${origin}/js/gpt2.json`)).arrayBuffer();
      const global = globalThis as Record<symbol, any>;
      const original = global[GLOBAL_DISPATCHER];
      global[GLOBAL_DISPATCHER] = original.compose(
        (dispatch: (options: any, handler: unknown) => boolean) => (options: any, handler: unknown) =>
          dispatch(String(options.origin) === TOKENIZER_ORIGIN ? { ...options, origin } : options, handler),
      );
      restoreDispatcher = () => {
        global[GLOBAL_DISPATCHER] = original;
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        restoreDispatcher?.();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function finishOf(reply: ScriptedReply): NonNullable<ScriptedReply["finishReason"]> {
  return reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

// ---- Chat Completions ---------------------------------------------------------

function chatUsage(reply: ScriptedReply) {
  if (!reply.usage) return undefined;
  const { input, output } = reply.usage;
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
}

function chatToolCalls(reply: ScriptedReply) {
  return reply.toolCalls?.map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

function chatCompletion(request: any, reply: ScriptedReply, n: number) {
  const toolCalls = chatToolCalls(reply);
  return {
    id: `chatcmpl-${n}`,
    object: "chat.completion",
    created: CREATED_AT,
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.text ?? null, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: finishOf(reply),
      },
    ],
    ...(reply.usage ? { usage: chatUsage(reply) } : {}),
    system_fingerprint: null,
  };
}

function streamChat(response: ServerResponse, request: any, reply: ScriptedReply, n: number): void {
  startSse(response);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    sendSse(response, {
      id: `chatcmpl-${n}`,
      object: "chat.completion.chunk",
      created: CREATED_AT,
      model: request.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });
  chunk({ role: "assistant", content: "" });
  for (const piece of splitText(reply.text)) chunk({ content: piece });
  reply.toolCalls?.forEach((call, index) => {
    chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] });
    chunk({ tool_calls: [{ index, function: { arguments: JSON.stringify(call.arguments) } }] });
  });
  chunk({}, finishOf(reply));
  if (request.stream_options?.include_usage && reply.usage) {
    sendSse(response, {
      id: `chatcmpl-${n}`,
      object: "chat.completion.chunk",
      created: CREATED_AT,
      model: request.model,
      choices: [],
      usage: chatUsage(reply),
    });
  }
  response.end("data: [DONE]\n\n");
}

// ---- Responses API ------------------------------------------------------------

function responseItems(reply: ScriptedReply, n: number) {
  const items: any[] = [];
  if (reply.text !== undefined) {
    items.push({
      type: "message",
      id: `msg_${n}`,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  reply.toolCalls?.forEach((call, index) =>
    items.push({
      type: "function_call",
      id: `fc_${n}_${index}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
      status: "completed",
    }),
  );
  return items;
}

function responseObject(request: any, reply: ScriptedReply, n: number, status: "in_progress" | "completed") {
  const done = status === "completed";
  const usage = reply.usage && {
    input_tokens: reply.usage.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: reply.usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: reply.usage.input + reply.usage.output,
  };
  return {
    id: `resp_${n}`,
    object: "response",
    created_at: CREATED_AT,
    status,
    error: null,
    incomplete_details: finishOf(reply) === "length" && done ? { reason: "max_output_tokens" } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: request.model,
    output: done ? responseItems(reply, n) : [],
    parallel_tool_calls: true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: request.store ?? false,
    temperature: request.temperature ?? 1,
    text: { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: "disabled",
    usage: done ? (usage ?? null) : null,
    metadata: {},
  };
}

function streamResponse(response: ServerResponse, request: any, reply: ScriptedReply, n: number): void {
  startSse(response);
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    sendSse(response, { type, sequence_number: sequence++, ...fields }, type);
  event("response.created", { response: responseObject(request, reply, n, "in_progress") });
  event("response.in_progress", { response: responseObject(request, reply, n, "in_progress") });
  responseItems(reply, n).forEach((item, outputIndex) => {
    if (item.type === "message") {
      const text: string = item.content[0].text;
      event("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", content: [] } });
      const empty = { type: "output_text", text: "", annotations: [], logprobs: [] };
      event("response.content_part.added", { item_id: item.id, output_index: outputIndex, content_index: 0, part: empty });
      for (const delta of splitText(text)) {
        event("response.output_text.delta", { item_id: item.id, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
      }
      event("response.output_text.done", { item_id: item.id, output_index: outputIndex, content_index: 0, text, logprobs: [] });
      event("response.content_part.done", { item_id: item.id, output_index: outputIndex, content_index: 0, part: item.content[0] });
    } else {
      event("response.output_item.added", { output_index: outputIndex, item: { ...item, arguments: "", status: "in_progress" } });
      event("response.function_call_arguments.delta", { item_id: item.id, output_index: outputIndex, delta: item.arguments });
      event("response.function_call_arguments.done", { item_id: item.id, output_index: outputIndex, arguments: item.arguments });
    }
    event("response.output_item.done", { output_index: outputIndex, item });
  });
  event("response.completed", { response: responseObject(request, reply, n, "completed") });
  response.end();
}

// ---- Tokenizer ranks ----------------------------------------------------------

/** The encodings LangChain asks for (gpt2 for chat models it cannot name), as `js-tiktoken` ships them. */
const RANK_FILES: Record<string, () => Promise<{ default: unknown }>> = {
  gpt2: () => import("js-tiktoken/ranks/gpt2"),
  cl100k_base: () => import("js-tiktoken/ranks/cl100k_base"),
  o200k_base: () => import("js-tiktoken/ranks/o200k_base"),
  p50k_base: () => import("js-tiktoken/ranks/p50k_base"),
  r50k_base: () => import("js-tiktoken/ranks/r50k_base"),
};

async function serveRanks(path: string, response: ServerResponse): Promise<void> {
  const encoding = path.slice("/js/".length).replace(/\.json$/, "");
  const load = RANK_FILES[encoding];
  if (!load) return sendJson(response, 404, { error: `no rank file ${encoding}` });
  sendJson(response, 200, (await load()).default);
}

// ---- HTTP plumbing ------------------------------------------------------------

/** Text in two pieces, so a stream really streams. */
function splitText(text: string | undefined): string[] {
  if (!text) return [];
  const middle = Math.ceil(text.length / 2);
  return middle < text.length ? [text.slice(0, middle), text.slice(middle)] : [text];
}

async function readJson(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : JSON.parse(text);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function startSse(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
}

function sendSse(response: ServerResponse, data: unknown, event?: string): void {
  response.write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
}
