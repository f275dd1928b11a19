/**
 * Hook bodies for a realistic session: a parent run that delegates to a child
 * run (interleaved the way a real agent sends them), and a run still going.
 */

export const PARENT = "3f6c1e2a-8b4d-4c1e-9a57-2d1f0c9e7b10";
export const CHILD = "b81d0f4e-27c3-4a9e-8f15-6e0a3d2c9b44";
export const OPEN = "c0e4a7d2-5f18-4b3a-a6e9-91b7f2d4c058";
export const HOSTILE = "<img src=x onerror=alert(1)>";
export const LONG_ANSWER = Array.from(
  { length: 16 },
  (_, i) => `${i + 1}. Paris is mild and damp today, while Tokyo stays warm and humid into the evening.`,
).join("\n");

export function hook(runId: string, hookEvent: string, event: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { hookEvent, runId, bourneVersion: "v2", event, clientSentAtMs: Date.now(), ...extra };
}

const parent = {
  sessionId: "sess-42",
  user: { name: "Ada Lovelace", email: "ada@example.com" },
  agent: { name: "travel-planner", id: "agent-7", systemPrompt: "You plan trips." },
};
const child = { parentRunId: PARENT, sessionId: "sess-42", agent: { name: "weather-researcher" } };
const open = { sessionId: "sess-43", user: { id: "u-981" } };

export function sampleRunBodies() {
  return [
    hook(PARENT, "user_prompt", { source: "user", type: "text", text: "Compare the weather in Paris and Tokyo.", timestamp: Date.UTC(2025, 0, 15, 9, 30, 0, 250) }, parent),
    hook(PARENT, "assistant_message", { source: "agent", type: "text", text: "I'll check Paris myself and ask a researcher for Tokyo.", model: "claude-sonnet-4", timestamp: "2025-01-15T09:30:01.500Z" }, parent),
    hook(PARENT, "pre_tool_use", { source: "agent", type: "tool_use", name: "get_weather", toolUseId: "toolu_01", input: { city: "Paris", units: "metric" } }, parent),
    hook(PARENT, "post_tool_use", { source: "user", type: "tool_result", name: "get_weather", toolUseId: "toolu_01", content: '{"tempC":11,"conditions":"light rain"}' }, parent),
    hook(CHILD, "user_prompt", { source: "user", type: "text", text: "What is the weather in Tokyo right now?" }, child),
    hook(CHILD, "pre_tool_use", { source: "agent", type: "tool_use", name: "web_search", toolUseId: "toolu_02", input: { query: "Tokyo weather now" } }, child),
    hook(CHILD, "post_tool_use", { source: "user", type: "tool_result", name: "web_search", toolUseId: "toolu_02", content: "Upstream timeout after 30s", isError: true }, child),
    hook(CHILD, "assistant_message", { source: "agent", type: "text", text: "Tokyo: 19°C, humid, clear skies." }, child),
    hook(CHILD, "stop", { source: "stop", stopReason: "end_turn", usage: { inputTokens: 412, outputTokens: 38, totalTokens: 450 } }, child),
    hook(PARENT, "assistant_message", { source: "agent", type: "text", text: LONG_ANSWER }, parent),
    hook(PARENT, "stop", {
      source: "stop",
      stopReason: "end_turn",
      usage: {
        inputTokens: 1842, outputTokens: 356, totalTokens: 2198, cacheReadTokens: 1024, cacheWriteTokens: 128,
        cost: { inputTokensCost: 0.005526, outputTokensCost: 0.00534, cacheReadTokensCost: 0.000307, cacheWriteTokensCost: 0.00048, currency: "USD" },
      },
    }, parent),
    hook(OPEN, "user_prompt", { source: "user", type: "text", text: HOSTILE }, open),
    hook(OPEN, "user_attachment", { source: "user", type: "image", image: { source: "base64", mediaType: "image/png", data: Buffer.alloc(2048, 7).toString("base64") } }, open),
    hook(OPEN, "thinking", { source: "agent", type: "thinking", thinking: "The user pasted markup; treat it as text." }, open),
  ];
}
