import { describe, expect, it } from "vitest";
import { applyMask, hasLongText, MASK_FAILED, truncateBody, truncateText, withoutContent } from "../../src/engine/content-policy.js";
import { buildHookBody } from "../../src/protocol/body.js";
import type { HookEventPayload } from "../../src/protocol/events.js";

const body = (event: Record<string, unknown>) =>
  buildHookBody({ hookEvent: "e", runId: "r", event: event as unknown as HookEventPayload, agent: { name: "a", systemPrompt: "secret prompt" } }, 1);
/** The event's fields by name, whatever its variant. */
const fields = (result: { event: unknown } | null | undefined) => (result?.event ?? {}) as Record<string, unknown>;

describe("truncateText", () => {
  it("never exceeds the limit and says how much was cut", () => {
    const text = "x".repeat(10_000);
    for (const max of [0, 1, 5, 20, 21, 22, 50, 999, 9_999]) {
      const truncated = truncateText(text, max);
      expect(truncated.length, String(max)).toBeLessThanOrEqual(Math.max(max, truncated.length - truncated.indexOf("…")));
      const kept = truncated.indexOf("…");
      expect(truncated.slice(kept)).toBe(`…[truncated ${10_000 - kept} chars]`);
    }
    expect(truncateText(text, 100).length).toBe(100);
    expect(truncateText("short", 100)).toBe("short");
  });
});

describe("truncateBody", () => {
  it("limits text, tool input (as JSON text), tool output, blobs and the system prompt", () => {
    const long = "y".repeat(500);
    expect(fields(truncateBody(body({ source: "user", type: "text", text: long }), 100)).text).toHaveLength(100);
    const toolUse = truncateBody(body({ source: "agent", type: "tool_use", name: "t", toolUseId: "1", input: { data: long } }), 100);
    expect(typeof fields(toolUse).input).toBe("string");
    expect(String(fields(toolUse).input)).toMatch(/^\{"data":"y+…\[truncated \d+ chars\]$/);
    const image = truncateBody(body({ source: "user", type: "image", image: { source: "base64", data: long } }), 100);
    expect((fields(image).image as { data: string }).data).toHaveLength(100);
    expect(truncateBody(body({ source: "stop" }), 5).agent?.systemPrompt).toBe("…[truncated 13 chars]");
  });

  it("returns the same object when nothing is too long", () => {
    const small = body({ source: "user", type: "text", text: "hi" });
    expect(truncateBody({ ...small, agent: { name: "a" } }, 100)).toEqual({ ...small, agent: { name: "a" } });
  });
});

describe("hasLongText", () => {
  it("finds a string over the limit in each field truncateBody cuts, and nothing in short bodies", () => {
    const hasLong = (whole: ReturnType<typeof body>, max: number) => hasLongText(whole.event, whole.agent, max);
    const long = "y".repeat(101);
    expect(hasLong(body({ source: "user", type: "text", text: long }), 100)).toBe(true);
    expect(hasLong(body({ source: "agent", type: "tool_result", toolUseId: "1", name: "t", content: long }), 100)).toBe(true);
    expect(hasLong(body({ source: "agent", type: "tool_use", name: "t", toolUseId: "1", input: long }), 100)).toBe(true);
    expect(hasLong(body({ source: "user", type: "image", image: { source: "base64", data: long } }), 100)).toBe(true);
    expect(hasLong(body({ source: "stop" }), 5)).toBe(true);
    expect(hasLong(body({ source: "user", type: "text", text: "y".repeat(100) }), 100)).toBe(false);
    // A structured input's length is known only once encoded: left to the encode-first check.
    expect(hasLong(body({ source: "agent", type: "tool_use", name: "t", toolUseId: "1", input: { data: long } }), 100)).toBe(false);
  });
});

describe("withoutContent", () => {
  it("drops content, keeps shape and identity", () => {
    expect(withoutContent(body({ source: "agent", type: "tool_result", toolUseId: "1", name: "t", content: "c", isError: true }))).toMatchObject({
      event: { source: "agent", type: "tool_result", toolUseId: "1", name: "t", isError: true },
      agent: { name: "a" },
    });
    expect(withoutContent(body({ source: "user", type: "document", document: { source: "base64", data: "x" } }))).toBeNull();
  });
});

describe("applyMask", () => {
  it("passes a copy, so a mask that mutates then throws cannot leak", async () => {
    const original = body({ source: "user", type: "text", text: "card 4111" });
    const outcome = await applyMask(original, (copy) => {
      copy.event.text = "half-masked 4111";
      throw new Error("oops");
    });
    expect(fields(outcome.body).text).toBe(MASK_FAILED);
    expect(outcome.body?.agent).toEqual({ name: "a" });
    expect(outcome.failure).toBe("mask threw: oops");
    expect(fields(original).text).toBe("card 4111");
  });

  it("treats a rejected promise like a throw and null as a drop", async () => {
    expect((await applyMask(body({ source: "user", type: "text", text: "x" }), () => Promise.reject(new Error("no")))).failure).toBe(
      "mask threw: no",
    );
    expect(await applyMask(body({ source: "user", type: "text", text: "x" }), () => null)).toEqual({ body: null });
  });
});
