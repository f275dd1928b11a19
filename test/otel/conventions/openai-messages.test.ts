/**
 * The shared chat-message helpers: OpenAI-format messages and the part
 * spellings of OpenAI, Anthropic, the AI SDK and GenAI.
 */
import { describe, expect, it } from "vitest";
import {
  contentParts,
  looseConversation,
  mediaFromUrl,
  parseChatMessages,
  safeJson,
  stringifiedContentParts,
  toChatPart,
  toolCallParts,
  responsesInputItems,
} from "../../../src/otel/conventions/openai-messages.js";
import { hugeText } from "./span-fixture.js";

describe("parseChatMessages", () => {
  it("reads an OpenAI conversation: system apart, tool calls parsed, tool messages as results", () => {
    const parsed = parseChatMessages(
      JSON.stringify([
        { role: "developer", content: "Be brief." },
        { role: "system", content: [{ type: "text", text: "Use tools." }] },
        { role: "user", content: "Weather in Paris?", name: "ann" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "sunny" }, { type: "text", text: "18C" }] },
        { role: "assistant", content: "", function_call: { name: "legacy", arguments: "{bad" } },
        { role: "assistant", refusal: "I can't help with that." },
        { role: "function", name: "legacy", content: "done" },
        "not a message",
        { role: "narrator", content: "Meanwhile…" },
      ]),
    );
    expect(parsed).toEqual({
      system: ["Be brief.", "Use tools."],
      messages: [
        { role: "user", parts: [{ type: "text", text: "Weather in Paris?" }] },
        {
          role: "assistant",
          parts: [
            { type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } },
            { type: "unsupported", what: "tool call without a name" },
          ],
        },
        { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: "sunny\n18C" }] },
        { role: "assistant", parts: [{ type: "tool_call", name: "legacy", arguments: "{bad" }] },
        { role: "assistant", parts: [{ type: "text", text: "I can't help with that." }] },
        { role: "tool", parts: [{ type: "tool_result", name: "legacy", result: "done" }] },
        { role: "user", parts: [{ type: "text", text: "Meanwhile…" }] },
      ],
    });
  });

  it("accepts GenAI `{role, parts}` messages in the same list", () => {
    expect(
      parseChatMessages([
        { role: "user", parts: [{ type: "text", content: "Hi" }, { type: "text", content: "" }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "c", name: "f", arguments: '{"a":1}' }], finish_reason: "tool_call" },
      ]),
    ).toEqual({
      system: [],
      finishReason: "tool_call",
      messages: [
        { role: "user", parts: [{ type: "text", text: "Hi" }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "c", name: "f", arguments: { a: 1 } }] },
      ],
    });
  });

  it("returns nothing for what is not a list", () => {
    for (const value of [undefined, null, 3, "plain text", "{broken", '{"role":"user"}', {}]) {
      expect(parseChatMessages(value)).toEqual({ messages: [], system: [] });
    }
  });
});

describe("content parts", () => {
  it("reads OpenAI parts", () => {
    expect(
      contentParts([
        { type: "text", text: "Look:" },
        { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ", detail: "high" } },
        { type: "image_url", image_url: "https://x.test/a.png" },
        { type: "input_audio", input_audio: { data: "UklG", format: "wav" } },
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
        { type: "file", file: { file_id: "file-abc" } },
        { type: "refusal", refusal: "No." },
      ]),
    ).toEqual([
      { type: "text", text: "Look:" },
      { type: "media", kind: "image", source: "base64", data: "/9j/4AAQ", mediaType: "image/jpeg" },
      { type: "media", kind: "image", source: "url", data: "https://x.test/a.png" },
      { type: "unsupported", what: "input_audio" },
      { type: "media", kind: "document", source: "base64", data: "JVBERi0=", mediaType: "application/pdf" },
      { type: "media", kind: "document", source: "file_id", data: "file-abc" },
      { type: "text", text: "No." },
    ]);
  });

  it("reads Anthropic parts", () => {
    expect(
      contentParts([
        { type: "thinking", thinking: "Hmm.", signature: "sig-1" },
        { type: "redacted_thinking", data: "xyz" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
        { type: "document", source: { type: "url", url: "https://x.test/doc.pdf" } },
        { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "sunny" }], is_error: true },
      ]),
    ).toEqual([
      { type: "thinking", text: "Hmm.", signature: "sig-1" },
      { type: "unsupported", what: "redacted_thinking" },
      { type: "media", kind: "image", source: "base64", data: "iVBOR", mediaType: "image/png" },
      { type: "media", kind: "document", source: "url", data: "https://x.test/doc.pdf" },
      { type: "tool_call", id: "toolu_1", name: "weather", arguments: { city: "Paris" } },
      { type: "tool_result", id: "toolu_1", result: "sunny", isError: true },
    ]);
  });

  it("reads AI SDK and GenAI parts", () => {
    expect(
      contentParts([
        { type: "reasoning", text: "Think." },
        { type: "tool-call", toolCallId: "c1", toolName: "f", input: '{"x":1}' },
        { type: "tool-result", toolCallId: "c1", toolName: "f", output: { type: "error-text", value: "boom" } },
        { type: "file", data: "JVBERi0=", mediaType: "application/pdf" },
        { type: "image", image: "iVBOR", mediaType: "image/png" },
        { type: "tool_call_response", id: "c2", response: { ok: true } },
        { type: "uri", modality: "image", uri: "https://x.test/b.png" },
        { type: "server_tool_call", name: "web_search" },
      ]),
    ).toEqual([
      { type: "thinking", text: "Think." },
      { type: "tool_call", id: "c1", name: "f", arguments: { x: 1 } },
      { type: "tool_result", id: "c1", name: "f", result: "boom", isError: true },
      { type: "media", kind: "document", source: "base64", data: "JVBERi0=", mediaType: "application/pdf" },
      { type: "media", kind: "image", source: "base64", data: "iVBOR", mediaType: "image/png" },
      { type: "tool_result", id: "c2", result: { ok: true } },
      { type: "media", kind: "image", source: "url", data: "https://x.test/b.png" },
      { type: "unsupported", what: "server_tool_call" },
    ]);
  });

  it("drops empty text and turns odd values into text or unsupported parts", () => {
    expect(contentParts("")).toEqual([]);
    expect(contentParts(null)).toEqual([]);
    expect(contentParts(42)).toEqual([{ type: "text", text: "42" }]);
    expect(contentParts({ type: "text", text: "one" })).toEqual([{ type: "text", text: "one" }]);
    expect(contentParts(["a", "", null, 7, { text: "untyped" }])).toEqual([
      { type: "text", text: "a" },
      { type: "unsupported", what: "null part" },
      { type: "unsupported", what: "number" },
      { type: "unsupported", what: "untyped part" },
    ]);
    expect(toChatPart({ type: "image_url" })).toEqual({ type: "unsupported", what: "image without a url" });
  });

  it("decodes stringified content only when it is a list of typed parts", () => {
    expect(stringifiedContentParts('[{"type":"text","text":"hi"}]')).toEqual([{ type: "text", text: "hi" }]);
    expect(stringifiedContentParts("[1, 2]")).toEqual([{ type: "text", text: "[1, 2]" }]);
    expect(stringifiedContentParts("[]")).toEqual([{ type: "text", text: "[]" }]);
    expect(stringifiedContentParts('[{"type":"text","text":"cut')).toEqual([{ type: "text", text: '[{"type":"text","text":"cut' }]);
    expect(stringifiedContentParts('{"type":"text","text":"hi"}')).toEqual([{ type: "text", text: '{"type":"text","text":"hi"}' }]);
  });
});

describe("toolCallParts", () => {
  it("reads OpenAI and flat tool calls, as a list or its JSON", () => {
    expect(toolCallParts('[{"id":"a","type":"function","function":{"name":"f","arguments":"{\\"k\\":1}"}}]')).toEqual([
      { type: "tool_call", id: "a", name: "f", arguments: { k: 1 } },
    ]);
    expect(toolCallParts([{ id: "b", name: "g", arguments: "not json" }, "junk"])).toEqual([
      { type: "tool_call", id: "b", name: "g", arguments: "not json" },
    ]);
    expect(toolCallParts("[broken")).toEqual([]);
    expect(toolCallParts({ id: "c" })).toEqual([]);
  });
});

describe("responsesInputItems", () => {
  it("reads messages, function calls and their outputs; skips reasoning", () => {
    const items = [
      { role: "user", content: "Weather in Paris?" },
      { type: "reasoning", id: "rs_1", summary: [] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Let me check." }] },
      { type: "function_call", call_id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_1", output: '{"forecast":"sunny"}' },
    ];
    expect(responsesInputItems(JSON.stringify(items))).toEqual({
      system: [],
      messages: [
        { role: "user", parts: [{ type: "text", text: "Weather in Paris?" }] },
        { role: "assistant", parts: [{ type: "text", text: "Let me check." }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }] },
        { role: "tool", parts: [{ type: "tool_result", id: "call_1", result: '{"forecast":"sunny"}' }] },
      ],
    });
  });

  it("reads nothing from what is not a list of items", () => {
    for (const value of ["Weather?", "[]", '[{"type":"text","text":"hi"}]', '[1,2]', '{"role":"user"}']) {
      expect(responsesInputItems(value), value).toBeUndefined();
    }
  });
});

describe("looseConversation", () => {
  it("reads plain text, JSON text and message lists", () => {
    expect(looseConversation("Hello", "user")).toEqual({ system: [], messages: [{ role: "user", parts: [{ type: "text", text: "Hello" }] }] });
    expect(looseConversation('"Hello"', "assistant")).toEqual({
      system: [],
      messages: [{ role: "assistant", parts: [{ type: "text", text: "Hello" }] }],
    });
    expect(looseConversation('[{"role":"system","content":"S"},{"role":"user","content":"U"}]', "user")).toEqual({
      system: ["S"],
      messages: [{ role: "user", parts: [{ type: "text", text: "U" }] }],
    });
  });

  it("reads wrappers: messages, choices, a single message, and common text fields", () => {
    expect(looseConversation({ messages: [{ role: "user", content: "M" }] }, "user").messages).toEqual([
      { role: "user", parts: [{ type: "text", text: "M" }] },
    ]);
    expect(looseConversation('{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"C"}}]}', "assistant")).toEqual({
      system: [],
      finishReason: "stop",
      messages: [{ role: "assistant", parts: [{ type: "text", text: "C" }] }],
    });
    expect(looseConversation({ role: "assistant", content: "single" }, "user").messages).toEqual([
      { role: "assistant", parts: [{ type: "text", text: "single" }] },
    ]);
    expect(looseConversation('{"input":"question?","chat_history":[]}', "user").messages).toEqual([
      { role: "user", parts: [{ type: "text", text: "question?" }] },
    ]);
    expect(looseConversation({ output: { messages: [{ role: "assistant", content: "deep" }] } }, "assistant").messages).toEqual([
      { role: "assistant", parts: [{ type: "text", text: "deep" }] },
    ]);
  });

  it("finds nothing in values that hold no conversation", () => {
    for (const value of [undefined, null, "", 12, true, "[1,2]", '{"step":3}', [1, 2], { a: { b: { c: { d: { text: "too deep" } } } } }]) {
      expect(looseConversation(value, "user").messages).toEqual([]);
    }
  });

  it("handles multi-megabyte and broken JSON text as text", () => {
    const big = hugeText(4);
    expect(looseConversation(`{"messages":[${big}`, "user").messages[0].parts[0]).toEqual({ type: "text", text: `{"messages":[${big}` });
  });
});

describe("small helpers", () => {
  it("mediaFromUrl tells data URLs from links", () => {
    expect(mediaFromUrl("image", "data:image/gif;base64,R0lG")).toEqual({
      type: "media",
      kind: "image",
      source: "base64",
      data: "R0lG",
      mediaType: "image/gif",
    });
    expect(mediaFromUrl("document", "data:,plain")).toEqual({ type: "media", kind: "document", source: "base64", data: "plain" });
    expect(mediaFromUrl("image", "HTTPS://x.test/a.png")).toEqual({ type: "media", kind: "image", source: "url", data: "HTTPS://x.test/a.png" });
  });

  it("safeJson never throws", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(safeJson(cyclic)).toBe("");
    expect(safeJson({ a: 1 })).toBe('{"a":1}');
    expect(safeJson(undefined)).toBe("");
  });
});
