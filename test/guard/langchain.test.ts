/**
 * `permisoMiddleware` in a real LangChain v1 `createAgent` with `ChatOpenAI`
 * against a fake OpenAI server: allowed tools run, denied ones answer the
 * model with an error ToolMessage, `continue: false` ends the agent, and a
 * dead or hung Permiso is decided by the fail mode.
 */
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, tool, ToolMessage } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PermisoRunStoppedError, PermisoToolGuard, permisoMiddleware } from "../../src/guard/index.js";
import { deny } from "../support/deciding-receiver.js";
import { deadPort } from "../support/recorder.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { toolMessagesSent } from "./support/chat-transcript.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;
let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI();
});
afterAll(() => openai.close());

const emailPolicy = (answer: Record<string, unknown>) => denyTool("send_email", answer);

/** An assistant that checks the weather and e-mails it, as scripted model replies. */
async function runAssistant(guard: PermisoToolGuard) {
  const ran: string[] = [];
  const weather = tool(
    async ({ city }) => {
      ran.push("weather");
      return JSON.stringify({ city, forecast: "sunny" });
    },
    { name: "weather", description: "Current weather", schema: z.object({ city: z.string() }) },
  );
  const sendEmail = tool(
    async () => {
      ran.push("send_email");
      return "sent";
    },
    { name: "send_email", description: "Send an e-mail", schema: z.object({ to: z.string() }) },
  );
  const apiKey = openai.script([
    {
      toolCalls: [
        { id: "call_w", name: "weather", arguments: { city: "Paris" } },
        { id: "call_e", name: "send_email", arguments: { to: "ceo@rival.example" } },
      ],
    },
    { text: "Paris is sunny; the e-mail was not sent." },
  ]);
  const agent = createAgent({
    model: new ChatOpenAI({ model: "gpt-4o-mini", apiKey, configuration: { baseURL: openai.baseURL }, maxRetries: 0 }),
    tools: [weather, sendEmail],
    middleware: [permisoMiddleware(guard, { ToolMessage })],
  });
  const outcome = await agent.invoke({ messages: [{ role: "user", content: "Weather in Paris, then e-mail it." }] }).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  );
  return { ran, ...outcome, toolMessagesSeen: toolMessagesSent(openai, apiKey), modelRequests: openai.requestsFor(apiKey).length };
}

describe("LangChain v1 createAgent middleware", () => {
  it("the allowed tool runs; the denied one answers the model with Permiso's reason", async () => {
    permiso.receiver.decide = emailPolicy(deny("External e-mail is not allowed."));
    const { ran, result, toolMessagesSeen } = await runAssistant(guardFor());
    expect(ran).toEqual(["weather"]);
    expect(toolMessagesSeen).toEqual({
      call_w: JSON.stringify({ city: "Paris", forecast: "sunny" }),
      call_e: "External e-mail is not allowed.",
    });
    const denial = result!.messages.find((message) => ToolMessage.isInstance(message) && message.tool_call_id === "call_e") as ToolMessage;
    expect(denial.status).toBe("error");
    expect(result!.messages.at(-1)!.content).toBe("Paris is sunny; the e-mail was not sent.");
    expect(permiso.receiver.toolUses().map((body) => [body.event.name, body.event.toolUseId, body.event.input])).toEqual([
      ["weather", "call_w", { city: "Paris" }],
      ["send_email", "call_e", { to: "ceo@rival.example" }],
    ]);
    expect(permiso.receiver.invalid).toEqual([]);
  });

  it("continue: false ends the agent with PermisoRunStoppedError", async () => {
    permiso.receiver.decide = emailPolicy({ permission: "deny", continue: false, agent_message: "Stop." });
    const { ran, error, modelRequests } = await runAssistant(guardFor());
    expect(PermisoRunStoppedError.find(error)).toMatchObject({ toolName: "send_email", decision: { stopRun: true, reason: "Stop." } });
    expect(ran).not.toContain("send_email");
    expect(modelRequests).toBe(1);
  });

  it("a dead Permiso blocks the tools (failMode closed) and the model is told why", async () => {
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300 });
    const { ran, toolMessagesSeen } = await runAssistant(guard);
    expect(ran).toEqual([]);
    expect(toolMessagesSeen.call_e).toBe("Permiso could not be reached; the tool was blocked (failMode closed).");
  });

  it("a dead Permiso lets the tools run with failMode open", async () => {
    const guard = guardFor({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300, failMode: "open" });
    const { ran } = await runAssistant(guard);
    expect(ran.sort()).toEqual(["send_email", "weather"]);
    expect(guard.getStats().failedOpen).toBe(2);
  });

  it("a hung Permiso blocks at timeoutMs", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    const { ran, toolMessagesSeen } = await runAssistant(guardFor({ timeoutMs: 250 }));
    expect(ran).toEqual([]);
    expect(toolMessagesSeen.call_w).toBe("Permiso did not answer within 250 ms; the tool was blocked (failMode closed).");
  });

  it("needs the ToolMessage class", () => {
    expect(() => permisoMiddleware(guardFor(), {} as never)).toThrow('permisoMiddleware(guard, { ToolMessage }) needs the ToolMessage class, exported by "langchain"');
  });
});
