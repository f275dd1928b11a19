/**
 * `permisoToolApproval` on the AI SDK 7's own `toolApproval` option, with its
 * mock models: allowed calls run, denied ones reach the model as
 * `execution-denied` with the reason, `continue: false` ends the call, and a
 * dead or hung Permiso is decided by the fail mode.
 */
import { generateText, isStepCount, streamText, tool, ToolLoopAgent } from "ai";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PermisoRunStoppedError, permisoToolApproval } from "../../src/guard/index.js";
import { deny } from "../support/deciding-receiver.js";
import { deadPort } from "../support/recorder.js";
import { WEATHER_AND_EMAIL_CALLS, weatherAndEmailModel } from "./support/assistant-script.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;

/** Permiso's policy in these tests: e-mail is denied, the rest allowed. */
const emailPolicy = (answer: Record<string, unknown>) => denyTool("send_email", answer);

/** The assistant's tools; `ran` lists the ones that executed. */
function assistantTools() {
  const ran: string[] = [];
  const tools = {
    weather: tool({
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        ran.push("weather");
        return { city, forecast: "sunny" };
      },
    }),
    send_email: tool({
      inputSchema: z.object({ to: z.string() }),
      execute: async () => {
        ran.push("send_email");
        return "sent";
      },
    }),
  };
  return { ran, tools };
}

/** What the model was told about each tool call in its second request. */
function toolOutputsSeen(model: MockLanguageModelV4, call = 1): Record<string, unknown> {
  const options = model.doGenerateCalls[call] ?? model.doStreamCalls[call];
  const outputs: Record<string, unknown> = {};
  for (const message of options.prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) if (part.type === "tool-result") outputs[part.toolName] = part.output;
  }
  return outputs;
}

function twoStepStreamingModel() {
  const finish = (unified: "stop" | "tool-calls") => ({
    type: "finish" as const,
    finishReason: { unified, raw: unified },
    usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } },
  });
  const streams = [
    [{ type: "stream-start", warnings: [] }, ...WEATHER_AND_EMAIL_CALLS, finish("tool-calls")],
    [{ type: "stream-start", warnings: [] }, { type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Done." }, { type: "text-end", id: "t" }, finish("stop")],
  ];
  let call = 0;
  return new MockLanguageModelV4({ doStream: async () => ({ stream: convertArrayToReadableStream(streams[call++] as never[]) as never }) });
}

const twoStepModel = () => weatherAndEmailModel("Paris is sunny; I could not send the e-mail.");

describe("AI SDK 7 toolApproval", () => {
  it("generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason", async () => {
    permiso.receiver.decide = emailPolicy(deny("External e-mail is not allowed.", { user_message: "Blocked by policy E-2." }));
    const { ran, tools } = assistantTools();
    const model = twoStepModel();
    const result = await generateText({
      model,
      prompt: "Weather in Paris, then e-mail it to the CEO of our rival.",
      tools,
      stopWhen: isStepCount(5),
      toolApproval: permisoToolApproval(guardFor()),
    });
    expect(ran).toEqual(["weather"]);
    expect(toolOutputsSeen(model)).toEqual({
      weather: { type: "json", value: { city: "Paris", forecast: "sunny" } },
      send_email: { type: "execution-denied", reason: "External e-mail is not allowed." },
    });
    expect(result.text).toBe("Paris is sunny; I could not send the e-mail.");
    expect(permiso.receiver.toolUses().map((body) => [body.hookEvent, body.event.toolUseId, body.event.input])).toEqual([
      ["weather", "call_w", { city: "Paris" }],
      ["send_email", "call_e", { to: "ceo@rival.example" }],
    ]);
    expect(permiso.receiver.invalid).toEqual([]);
  });

  it("streamText: the same, streamed", async () => {
    permiso.receiver.decide = emailPolicy(deny("External e-mail is not allowed."));
    const { ran, tools } = assistantTools();
    const model = twoStepStreamingModel();
    const result = streamText({ model, prompt: "Weather, then e-mail.", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guardFor()) });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    expect(await result.text).toBe("Done.");
    expect(ran).toEqual(["weather"]);
    expect(parts).toContain("tool-output-denied");
    expect(toolOutputsSeen(model).send_email).toEqual({ type: "execution-denied", reason: "External e-mail is not allowed." });
  });

  it("ToolLoopAgent: the option on the agent", async () => {
    permiso.receiver.decide = emailPolicy(deny("External e-mail is not allowed."));
    const { ran, tools } = assistantTools();
    const model = twoStepModel();
    const agent = new ToolLoopAgent({ model, tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guardFor()) });
    await agent.generate({ prompt: "Weather, then e-mail." });
    expect(ran).toEqual(["weather"]);
    expect(toolOutputsSeen(model).send_email).toEqual({ type: "execution-denied", reason: "External e-mail is not allowed." });
  });

  it("continue: false ends the call with PermisoRunStoppedError; no tool runs, the model is not asked again", async () => {
    permiso.receiver.decide = emailPolicy({ permission: "deny", continue: false, user_message: "Your session was ended by policy." });
    const { ran, tools } = assistantTools();
    const model = twoStepModel();
    const error = await generateText({ model, prompt: "…", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guardFor()) }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    const stopped = PermisoRunStoppedError.find(error);
    expect(stopped).toBeInstanceOf(PermisoRunStoppedError);
    expect(stopped).toMatchObject({ toolName: "send_email", toolCallId: "call_e", decision: { stopRun: true, userMessage: "Your session was ended by policy." } });
    expect(ran).not.toContain("send_email");
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it("continue: false errors streamText's stream with PermisoRunStoppedError", async () => {
    permiso.receiver.decide = emailPolicy({ permission: "deny", continue: false });
    const { ran, tools } = assistantTools();
    const model = twoStepStreamingModel();
    const result = streamText({ model, prompt: "…", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guardFor()) });
    const error = await result.text.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(PermisoRunStoppedError.find(error)).toMatchObject({ toolName: "send_email" });
    expect(ran).not.toContain("send_email");
    expect(model.doStreamCalls).toHaveLength(1);
  });

  it("a dead Permiso blocks every tool (failMode closed) and the model is told why", async () => {
    const { ran, tools } = assistantTools();
    const model = twoStepModel();
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300 });
    await generateText({ model, prompt: "…", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guard) });
    expect(ran).toEqual([]);
    expect(toolOutputsSeen(model).weather).toEqual({
      type: "execution-denied",
      reason: "Permiso could not be reached; the tool was blocked (failMode closed).",
    });
    expect(guard.getStats()).toMatchObject({ failedClosed: 2, denied: 0 });
  });

  it("a dead Permiso lets tools run with failMode open", async () => {
    const { ran, tools } = assistantTools();
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300, failMode: "open" });
    await generateText({ model: twoStepModel(), prompt: "…", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guard) });
    expect(ran.sort()).toEqual(["send_email", "weather"]);
    expect(guard.getStats()).toMatchObject({ failedOpen: 2, allowed: 0 });
  });

  it("a hung Permiso blocks at timeoutMs", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    const { ran, tools } = assistantTools();
    const model = twoStepModel();
    await generateText({ model, prompt: "…", tools, stopWhen: isStepCount(5), toolApproval: permisoToolApproval(guardFor({ timeoutMs: 250 })) });
    expect(ran).toEqual([]);
    expect(toolOutputsSeen(model).send_email).toEqual({
      type: "execution-denied",
      reason: "Permiso did not answer within 250 ms; the tool was blocked (failMode closed).",
    });
  });
});
