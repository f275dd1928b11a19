/**
 * `permisoBeforeToolCall` on a real Mastra agent's `hooks.beforeToolCall`,
 * with an AI SDK mock model: allowed tools run, denied ones return the
 * reason as their output, `continue: false` suspends the run, and a dead or
 * hung Permiso is decided by the fail mode.
 */
import { Mastra } from "@mastra/core";
import { Agent } from "@mastra/core/agent";
import { InMemoryStore } from "@mastra/core/storage";
import { createTool } from "@mastra/core/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { permisoBeforeToolCall, type PermisoToolGuard } from "../../src/guard/index.js";
import { deny } from "../support/deciding-receiver.js";
import { deadPort } from "../support/recorder.js";
import { weatherAndEmailModel } from "./support/assistant-script.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;

/** Runs the assistant; returns what ran, the result, and what the model was told about each call. */
async function runAssistant(guard: PermisoToolGuard, where: "agent" | "call" | "stored" = "agent") {
  const ran: string[] = [];
  const model = weatherAndEmailModel("Paris is sunny; the e-mail was not sent.");
  const hooks = { beforeToolCall: permisoBeforeToolCall(guard) };
  const agent = new Agent({
    id: "assistant",
    name: "Assistant",
    instructions: "Help.",
    // Mastra bundles its own copy of the AI SDK provider types; the model is the same at runtime.
    model: model as never,
    tools: {
      weather: createTool({
        id: "weather",
        description: "Current weather",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          ran.push("weather");
          return { city, forecast: "sunny" };
        },
      }),
      send_email: createTool({
        id: "send_email",
        description: "Send an e-mail",
        inputSchema: z.object({ to: z.string() }),
        execute: async () => {
          ran.push("send_email");
          return "sent";
        },
      }),
    },
    ...(where !== "call" && { hooks }),
  });
  // Resuming a suspended run needs Mastra's storage.
  const runner = where === "stored" ? new Mastra({ agents: { assistant: agent }, storage: new InMemoryStore(), logger: false }).getAgent("assistant") : agent;
  const result = await runner.generate("Weather in Paris, then e-mail it.", where === "call" ? { hooks } : {});
  const outputsSeen: Record<string, unknown> = {};
  for (const message of model.doGenerateCalls[1]?.prompt ?? []) {
    if (message.role !== "tool") continue;
    for (const part of message.content) if (part.type === "tool-result") outputsSeen[part.toolCallId] = part.output;
  }
  return { ran, result, outputsSeen, modelCalls: () => model.doGenerateCalls.length, resume: () => runner.resumeGenerate({}, { runId: result.runId }) };
}

describe("Mastra hooks.beforeToolCall", () => {
  it("the allowed tool runs; the denied one's output is Permiso's reason", async () => {
    permiso.receiver.decide = denyTool("send_email", deny("External e-mail is not allowed."));
    const { ran, result, outputsSeen } = await runAssistant(guardFor());
    expect(ran).toEqual(["weather"]);
    expect(outputsSeen).toEqual({
      call_w: { type: "json", value: { city: "Paris", forecast: "sunny" } },
      call_e: { type: "text", value: "External e-mail is not allowed." },
    });
    expect(result.text).toBe("Paris is sunny; the e-mail was not sent.");
    expect(permiso.receiver.toolUses().map((body) => [body.event.name, body.event.toolUseId, body.event.input, body.agent])).toEqual([
      ["weather", "call_w", { city: "Paris" }, { name: "Assistant", id: "assistant" }],
      ["send_email", "call_e", { to: "ceo@rival.example" }, { name: "Assistant", id: "assistant" }],
    ]);
    expect(permiso.receiver.invalid).toEqual([]);
  });

  it("works as a per-call hook too", async () => {
    permiso.receiver.decide = denyTool("send_email", deny("External e-mail is not allowed."));
    const { ran, outputsSeen } = await runAssistant(guardFor(), "call");
    expect(ran).toEqual(["weather"]);
    expect(outputsSeen.call_e).toEqual({ type: "text", value: "External e-mail is not allowed." });
  });

  it("continue: false suspends the run with Permiso's decision; the model is not asked again", async () => {
    permiso.receiver.decide = denyTool("send_email", { permission: "deny", continue: false, user_message: "Session ended by policy." });
    const { ran, result, modelCalls } = await runAssistant(guardFor(), "stored");
    expect(ran).toEqual(["weather"]);
    expect(result.finishReason).toBe("suspended");
    expect(result.suspendPayload).toMatchObject({
      toolCallId: "call_e",
      suspendPayload: { permiso: { outcome: "denied", stopRun: true, userMessage: "Session ended by policy." } },
    });
    expect(modelCalls()).toBe(1);
  });

  it("resuming a stopped run asks Permiso again, and the tool still does not run", async () => {
    permiso.receiver.decide = denyTool("send_email", { permission: "deny", continue: false });
    const { ran, resume } = await runAssistant(guardFor(), "stored");
    const resumed = await resume();
    expect(resumed.finishReason).toBe("suspended");
    expect(ran).toEqual(["weather"]);
    expect(permiso.receiver.toolUses().filter((body) => body.event.name === "send_email")).toHaveLength(2);
  });

  it("a dead Permiso blocks the tools (failMode closed); failMode open lets them run", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    const closed = await runAssistant(guardFor({ baseUrl, timeoutMs: 300 }));
    expect(closed.ran).toEqual([]);
    expect(closed.outputsSeen.call_w).toEqual({ type: "text", value: "Permiso could not be reached; the tool was blocked (failMode closed)." });
    const open = await runAssistant(guardFor({ baseUrl, timeoutMs: 300, failMode: "open" }));
    expect(open.ran.sort()).toEqual(["send_email", "weather"]);
  });

  it("a hung Permiso blocks at timeoutMs", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    const { ran, outputsSeen } = await runAssistant(guardFor({ timeoutMs: 250 }));
    expect(ran).toEqual([]);
    expect(outputsSeen.call_e).toEqual({ type: "text", value: "Permiso did not answer within 250 ms; the tool was blocked (failMode closed)." });
  });
});
