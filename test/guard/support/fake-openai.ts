/**
 * A small OpenAI-compatible Chat Completions server on 127.0.0.1 (not
 * streamed), answering each API key's requests from its own script, so
 * LangChain's `ChatOpenAI` and the OpenAI Agents SDK run unchanged against
 * it. Requests are kept, so tests can read what the model was told.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ScriptedReply {
  text?: string;
  toolCalls?: Array<{ id: string; name: string; arguments: Record<string, unknown> }>;
}

export interface FakeOpenAI {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  readonly baseURL: string;
  /** A new API key whose requests are answered from `replies`, in order. */
  script(replies: ScriptedReply[]): string;
  /** The request bodies made with a key, in arrival order. */
  requestsFor(apiKey: string): any[];
  close(): Promise<void>;
}

function completion(reply: ScriptedReply, model: string, id: number) {
  const toolCalls = reply.toolCalls?.map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  return {
    id: `chatcmpl-${id}`,
    object: "chat.completion",
    created: 1_767_225_600,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.text ?? null, ...(toolCalls && { tool_calls: toolCalls }) },
        finish_reason: toolCalls ? "tool_calls" : "stop",
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<any> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const scripts = new Map<string, { replies: ScriptedReply[]; requests: any[] }>();
  const sockets = new Set<Socket>();
  let served = 0;
  const server = createServer(async (request, response) => {
    const body = await readJson(request).catch(() => undefined);
    const key = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    const script = scripts.get(key);
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions") || body?.stream) {
      return send(response, 404, { error: { message: `not served: ${request.method} ${request.url}${body?.stream ? " (streamed)" : ""}` } });
    }
    if (!script) return send(response, 401, { error: { message: `no script for API key "${key}"` } });
    script.requests.push(body);
    const reply = script.replies[script.requests.length - 1];
    if (!reply) return send(response, 500, { error: { message: `the script has ${script.replies.length} replies` } });
    send(response, 200, completion(reply, body.model, ++served));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let keys = 0;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    script(replies) {
      const key = `sk-script-${++keys}`;
      scripts.set(key, { replies, requests: [] });
      return key;
    },
    requestsFor: (key) => scripts.get(key)?.requests ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
