/** What a Chat Completions model was told, read from the fake OpenAI server's requests. */
import type { FakeOpenAI } from "../../support/fake-openai.js";

/** The tool messages of a key's `request`-th request (0-based), by tool call id. */
export function toolMessagesSent(openai: FakeOpenAI, apiKey: string, request = 1): Record<string, string> {
  const messages: Array<{ role: string; tool_call_id?: string; content?: string }> = openai.requestsFor(apiKey)[request]?.body.messages ?? [];
  return Object.fromEntries(messages.filter((message) => message.role === "tool").map((message) => [message.tool_call_id, message.content]));
}
