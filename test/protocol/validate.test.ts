import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, formatIssues, validateEvent, validateHookBody } from "../../src/protocol/validate.js";

const messages = (event: unknown) => validateEvent(event).map((i) => `${i.path} ${i.message}`);

describe("validateEvent", () => {
  it("accepts every documented variant", () => {
    const valid: unknown[] = [
      { source: "user", type: "text", text: "hi", eventId: "e1", timestamp: 1700000000000 },
      { source: "agent", type: "text", text: "hi", model: "m", temperature: 0.1, maxTokens: 10, topP: 1, topK: 5 },
      { source: "agent", type: "thinking", thinking: "hmm", thinkingBudget: 100, signature: "sig" },
      { source: "agent", type: "tool_use", name: "search", toolUseId: "t1", input: { q: ["a", 1, null] } },
      { source: "agent", type: "tool_use", name: "search", toolUseId: "t1" },
      { source: "user", type: "tool_result", toolUseId: "t1", name: "search", content: "{}", isError: false },
      { source: "user", type: "image", image: { source: "base64", data: "AAAA", mediaType: "image/png" } },
      { source: "agent", type: "document", document: { source: "url", data: "https://x/y.pdf" } },
      { source: "stop" },
      { source: "stop", stopReason: "tool_use", timestamp: "2026-01-02T03:04:05.678Z" },
      {
        source: "stop",
        stopReason: "end_turn",
        usage: {
          inputTokens: 1,
          outputTokens: 2,
          totalTokens: 3,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          cost: { inputTokensCost: 0.1, outputTokensCost: 0.2, cacheReadTokensCost: 0, cacheWriteTokensCost: 0, currency: "USD" },
        },
      },
    ];
    for (const event of valid) expect(messages(event), JSON.stringify(event)).toEqual([]);
  });

  it("formatIssues joins every problem into one line, as the README shows", () => {
    expect(formatIssues(validateEvent({ source: "user", type: "tool_use", name: "x", model: "m" }))).toBe(
      'event.toolUseId is required for type "tool_use"; event.model is only allowed when source is "agent"',
    );
  });

  it("names missing required fields per type", () => {
    expect(messages({ source: "agent", type: "tool_use", name: "x" })).toEqual([
      'event.toolUseId is required for type "tool_use"',
    ]);
    expect(messages({ source: "user", type: "text" })).toEqual(['event.text is required for type "text"']);
    expect(messages({ source: "user", type: "image", image: { data: "x" } })).toEqual(["event.image.source is required"]);
  });

  it("names agent-only fields on user events and unknown keys", () => {
    expect(messages({ source: "user", type: "text", text: "x", model: "m", colour: "red" })).toEqual([
      'event.model is only allowed when source is "agent"',
      'event.colour is not a known field for type "text"',
    ]);
    expect(messages({ source: "stop", type: "text" })).toEqual(['event.type is not allowed when source is "stop"']);
  });

  it("explains source and type problems", () => {
    expect(messages({})).toEqual(['event.source is required and must be one of "user", "agent", "stop"']);
    expect(messages({ source: "system", type: "text", text: "x" })[0]).toContain(
      '"system" is not accepted, send a system prompt in agent.systemPrompt',
    );
    expect(messages({ source: "user" })).toEqual([
      'event.type is required and must be one of "text", "thinking", "tool_use", "tool_result", "image", "document"',
    ]);
    expect(messages("text")).toEqual(['event must be an object (got string "text")']);
  });

  it("checks value types, stop reasons and usage", () => {
    expect(messages({ source: "user", type: "tool_result", toolUseId: "t", content: { a: 1 } })).toEqual([
      "event.content must be a string (got an object)",
    ]);
    expect(messages({ source: "stop", stopReason: "done" })[0]).toMatch(/^event.stopReason must be one of "end_turn"/);
    expect(
      messages({ source: "stop", usage: { inputTokens: -1, outputTokens: Number.NaN, cost: { currency: "USD" } } }),
    ).toEqual([
      "event.usage.inputTokens must be a non-negative number (got number -1)",
      "event.usage.outputTokens must be a non-negative number (got NaN)",
      "event.usage.totalTokens is required",
      "event.usage.cost.inputTokensCost is required",
      "event.usage.cost.outputTokensCost is required",
      "event.usage.cost.cacheReadTokensCost is required",
      "event.usage.cost.cacheWriteTokensCost is required",
    ]);
    expect(messages({ source: "user", type: "text", text: "x", timestamp: "yesterday" })).toEqual([
      'event.timestamp must be epoch milliseconds or an ISO-8601 string (got string "yesterday")',
    ]);
  });
});

describe("validateHookBody", () => {
  const body = { hookEvent: "e", runId: "r", bourneVersion: "v2", clientSentAtMs: 1, event: { source: "stop" } };

  it("accepts a well-formed body and rejects unknown or mistyped top-level fields", () => {
    expect(validateHookBody(body)).toEqual([]);
    expect(formatIssues(validateHookBody({ ...body, bourneVersion: "v1", extra: 1, user: { email: 3 } }))).toBe(
      'bourneVersion must be one of "v2" (got string "v1"); extra is not a known field; user.email must be a string (got number 3)',
    );
    expect(formatIssues(validateHookBody({ runId: "r" }))).toBe(
      'hookEvent is required; bourneVersion is required; event is required',
    );
  });
});

/** Keys every object inherits; found with `in`, they passed as known fields. */
const BUILT_IN_KEYS = ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf", "isPrototypeOf"];

describe("built-in object keys", () => {
  it.each(BUILT_IN_KEYS)("refuses %s as an unknown key in events, nested shapes and bodies", (key) => {
    // JSON.parse makes each of them an own key, as a request body would.
    const withKey = (json: string) => JSON.parse(json.replaceAll("KEY", key));
    expect(messages(withKey('{"source":"user","type":"text","text":"hi","KEY":1}'))).toEqual([
      `event.${key} is not a known field for type "text"`,
    ]);
    expect(messages(withKey('{"source":"stop","KEY":1}'))).toEqual([`event.${key} is not a known field for source "stop"`]);
    expect(messages(withKey('{"source":"stop","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2,"KEY":1}}'))).toEqual([
      `event.usage.${key} is not a known field`,
    ]);
    const body = withKey('{"hookEvent":"e","runId":"r","bourneVersion":"v2","KEY":{},"agent":{"KEY":"x"},"event":{"source":"stop"}}');
    expect(formatIssues(validateHookBody(body))).toBe(`${key} is not a known field; agent.${key} is not a known field`);
  });

  it.each(BUILT_IN_KEYS)("refuses %s as an event type", (type) => {
    expect(messages({ source: "user", type })[0]).toMatch(/^event\.type must be one of "text"/);
  });
});

describe("nesting depth of free-form input", () => {
  const nested = (levels: number) => {
    let value: unknown = "leaf";
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
    return value;
  };
  const toolUse = (input: unknown) => ({ source: "agent", type: "tool_use", name: "t", toolUseId: "u", input });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, naming the limit`, () => {
    expect(messages(toolUse(nested(MAX_JSON_DEPTH)))).toEqual([]);
    expect(messages(toolUse(nested(MAX_JSON_DEPTH + 1)))).toEqual([
      `event.input must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
    ]);
  });

  it("refuses 5,000 levels without overflowing the stack", () => {
    expect(messages(toolUse(nested(5000)))).toHaveLength(1);
  });

  it("leaves a cycle to the JSON encoder, which names it", () => {
    const input: Record<string, unknown> = { a: 1 };
    input.self = input;
    expect(messages(toolUse(input))).toEqual([]);
  });
});

