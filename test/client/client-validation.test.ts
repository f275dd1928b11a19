/** `validate: true` refuses bad events before anything is sent. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError } from "../../src/index.js";
import { startRecorder, type Recorder } from "../support/recorder.js";

let recorder: Recorder;
beforeEach(async () => {
  recorder = await startRecorder();
});
afterEach(async () => {
  await recorder.close();
});

describe("client-side validation", () => {
  it("throws a readable error naming the field, and sends nothing", async () => {
    const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, validate: true, raiseOnError: true });
    const error = await hooks
      .sendEvent("web_fetch", { source: "agent", type: "tool_use", name: "WebFetch" })
      .catch((e: unknown) => e as PermisoCustomHooksError);
    expect(error).toBeInstanceOf(PermisoCustomHooksError);
    expect(error).toMatchObject({ kind: "validation", message: 'Invalid event: event.toolUseId is required for type "tool_use"' });
    expect(recorder.requests).toHaveLength(0);
  });

  it("returns {} and reports through onError when not raising", async () => {
    const seen: string[] = [];
    const hooks = new PermisoCustomHooksClient({
      apiKey: "k",
      baseUrl: recorder.url,
      validate: true,
      onError: (e) => seen.push(e.message),
    });
    await expect(hooks.sendEvent("x", { source: "user", type: "text", text: "t", model: "gpt" })).resolves.toEqual({});
    expect(seen).toEqual(['Invalid event: event.model is only allowed when source is "agent"']);
    expect(recorder.requests).toHaveLength(0);
  });

  it("lets valid events through, endRun included", async () => {
    const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, validate: true, raiseOnError: true });
    await hooks.sendEvent("a", { source: "agent", type: "text", text: "hi", model: "m", temperature: 0.2 });
    await hooks.endRun();
    expect(recorder.requests).toHaveLength(2);
  });

  it("refuses an unknown stop reason in endRun", async () => {
    const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, validate: true, raiseOnError: true });
    const before = hooks.getRunId();
    await expect(hooks.endRun("finished")).rejects.toThrow(
      'Invalid event: event.stopReason must be one of "end_turn", "max_tokens", "stop_sequence", "tool_use", "content_filter" (got string "finished")',
    );
    expect(hooks.getRunId()).toBe(before);
  });
});
