/**
 * The fake OpenAI-compatible server the framework suite runs against, checked
 * with the real `openai` client: what it answers is what the frameworks see.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedReply } from "../support/fake-openai.js";

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

const TOOL_REPLY: ScriptedReply = {
  text: "Let me check.",
  toolCalls: [
    { id: "call_1", name: "weather", arguments: { city: "Paris" } },
    { id: "call_2", name: "weather", arguments: { city: "Oslo" } },
  ],
  usage: { input: 10, output: 5 },
};

function clientFor(replies: ScriptedReply[]): { client: OpenAI; key: string } {
  const key = server.script(replies);
  return { client: new OpenAI({ apiKey: key, baseURL: server.baseURL, maxRetries: 0 }), key };
}

describe("fake OpenAI server", () => {
  it("answers Chat Completions with text, tool calls, finish reason and usage", async () => {
    const { client, key } = clientFor([TOOL_REPLY]);
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
    expect(completion.choices[0].message.content).toBe("Let me check.");
    expect(completion.choices[0].message.tool_calls?.map((call) => call.id)).toEqual(["call_1", "call_2"]);
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
    expect(completion.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    expect(server.requestsFor(key)[0]).toMatchObject({ path: "/v1/chat/completions", body: { model: "gpt-4o-mini" } });
  });

  it("streams Chat Completions, with usage only when asked for", async () => {
    const { client } = clientFor([TOOL_REPLY, TOOL_REPLY]);
    const withUsage = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi" }],
      stream_options: { include_usage: true },
    });
    const chunks: unknown[] = [];
    withUsage.on("chunk", (chunk) => chunks.push(chunk));
    const final = await withUsage.finalChatCompletion();
    expect(chunks.length).toBeGreaterThan(3);
    expect(final.choices[0].message.content).toBe("Let me check.");
    expect(final.choices[0].message.tool_calls?.map((call) => [call.id, call.type === "function" && call.function.arguments])).toEqual([
      ["call_1", '{"city":"Paris"}'],
      ["call_2", '{"city":"Oslo"}'],
    ]);
    expect(final.usage?.total_tokens).toBe(15);

    const withoutUsage = await client.chat.completions
      .stream({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] })
      .finalChatCompletion();
    expect(withoutUsage.usage).toBeUndefined();
  });

  it("answers the Responses API, streaming and not", async () => {
    const { client } = clientFor([TOOL_REPLY, { text: "Sunny.", usage: { input: 20, output: 7 } }]);
    const response = await client.responses.create({ model: "gpt-4o-mini", input: "Hi" });
    expect(response.output_text).toBe("Let me check.");
    expect(response.output.filter((item) => item.type === "function_call").map((item) => (item as { call_id: string }).call_id)).toEqual([
      "call_1",
      "call_2",
    ]);
    expect(response.usage?.total_tokens).toBe(15);

    const stream = client.responses.stream({ model: "gpt-4o-mini", input: "Again" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("Sunny.");
    expect(final.output_text).toBe("Sunny.");
    expect(final.usage?.output_tokens).toBe(7);
  });

  it("refuses unknown keys and requests past the script, naming the problem", async () => {
    const stranger = new OpenAI({ apiKey: "sk-unknown", baseURL: server.baseURL, maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: "m", messages: [] })).rejects.toThrow(/no script for API key/);
    const { client, key } = clientFor([{ text: "once" }]);
    await client.chat.completions.create({ model: "m", messages: [] });
    expect(server.unused(key)).toBe(0);
    await expect(client.chat.completions.create({ model: "m", messages: [] })).rejects.toThrow(/request 2 has none/);
  });

  it("serves the tokenizer rank files LangChain fetches, in place of their host", async () => {
    const direct = (await (await fetch(`${server.origin}/js/cl100k_base.json`)).json()) as { pat_str: string; bpe_ranks: string };
    expect(typeof direct.pat_str).toBe("string");
    expect(direct.bpe_ranks.length).toBeGreaterThan(1000);

    const tokenizerServer = await startFakeOpenAI();
    await tokenizerServer.serveTokenizer();
    const routed = (await (await fetch("https://tiktoken.pages.dev/js/gpt2.json")).json()) as { pat_str: string };
    expect(typeof routed.pat_str).toBe("string");
    await tokenizerServer.close();
  });
});
