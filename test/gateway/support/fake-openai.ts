/**
 * A minimal OpenAI-compatible Chat Completions server on loopback for the
 * Python agents: the first call of a conversation asks for the `weather`
 * tool, the call that carries the tool's answer replies with text. Answers
 * depend only on the conversation, so any framework's loop gets the same
 * two-step run.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOpenAi {
  url: string;
  requests: any[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: any[] = [];
  let calls = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = (request.url ?? "").split("?")[0];
      if (request.method !== "POST" || !path.endsWith("/chat/completions")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: `not served: ${request.method} ${path}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      requests.push(body);
      calls++;
      const messages: any[] = body.messages ?? [];
      const toolAnswered = messages.some((message) => message.role === "tool");
      const message = toolAnswered
        ? { role: "assistant", content: "It is sunny in Paris." }
        : {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_weather_1", type: "function", function: { name: "weather", arguments: JSON.stringify({ city: "Paris" }) } },
            ],
          };
      const usage = toolAnswered
        ? { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27 }
        : { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: `chatcmpl-${calls}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? "gpt-4o-mini",
          choices: [{ index: 0, message, finish_reason: toolAnswered ? "stop" : "tool_calls" }],
          usage,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
