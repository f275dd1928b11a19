/**
 * One run with the bridge: a guard given the `PermisoSpanProcessor` reports
 * each tool call in the run the processor gives it, with the bridge's
 * eventId and context, and the processor never sends that `tool_use` again;
 * a call the guard did not get to Permiso is still reported, once, by the
 * bridge. Real AI SDK 7 runs with `@ai-sdk/otel`, mock models.
 */
import { generateText, isStepCount, tool, type ToolApprovalConfiguration, type ToolSet } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PermisoToolGuard, permisoToolApproval } from "../../src/guard/index.js";
import { PermisoSpanExporter, runIdForTrace } from "../../src/otel/index.js";
import { integrationFor, scriptedModel, type AiConvention } from "../support/ai-scenarios.js";
import { deadPort } from "../support/recorder.js";
import { weatherAndEmailModel } from "./support/assistant-script.js";
import { expectGuardedRuns, useLinkedBridge } from "./support/linked-bridge.js";

const bridge = useLinkedBridge();
const { linkedGuard, toolUsesById } = bridge;

const ASSISTANT = { name: "assistant", systemPrompt: "You are an assistant." };
const ORCHESTRATOR = { name: "orchestrator", systemPrompt: "You hand research to the researcher." };
const RESEARCHER = { name: "researcher", systemPrompt: "You research, then send your findings." };

const twoTools = () => ({
  weather: tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, forecast: "sunny" }) }),
  send_email: tool({ inputSchema: z.object({ to: z.string() }), execute: async () => "sent" }),
});

/** An assistant that says what it will do, calls both tools, then answers. */
async function assistantTurn(convention: AiConvention, toolApproval: ToolApprovalConfiguration<ToolSet, Record<string, unknown>>) {
  await generateText({
    model: weatherAndEmailModel("Sunny; the e-mail was not sent.", "Let me check, then send it."),
    system: ASSISTANT.systemPrompt,
    prompt: "Weather in Paris, then e-mail it.",
    tools: twoTools(),
    toolApproval,
    stopWhen: isStepCount(5),
    telemetry: { functionId: ASSISTANT.name, integrations: [integrationFor(convention, bridge.provider)] },
  });
  await bridge.provider.forceFlush();
}

describe("linking", () => {
  it.each([
    ["an exporter", () => new PermisoSpanExporter({ apiKey: "k", baseUrl: "http://127.0.0.1:9" })],
    ["anything else", () => ({ onStart() {}, onEnd() {} })],
  ])("refuses %s as the processor, at construction", (_, make) => {
    expect(() => new PermisoToolGuard({ apiKey: "k", processor: make() as never })).toThrow(
      "processor must be a PermisoSpanProcessor from @permiso-io/custom-hooks-sdk/otel, the same version as the guard (an exporter cannot be linked)",
    );
  });
});

describe("the guard linked to the processor (AI SDK 7, GenAI spans)", () => {
  it("reports each call once, in the bridge's run, with its eventId and context; results still come from the spans", async () => {
    const guard = linkedGuard();
    await assistantTurn("genai", permisoToolApproval(guard));
    const byId = toolUsesById();
    expect(Object.keys(byId).sort()).toEqual(["call_e", "call_w"]);
    expect(Object.values(byId).map((bodies) => bodies.length)).toEqual([1, 1]);
    expect(guard.getStats()).toMatchObject({ checks: 2, allowed: 1, denied: 1 });

    const runId = bridge.permiso.requests[0].runId;
    expectGuardedRuns(bridge.permiso.requests, { [runId]: ASSISTANT });
    for (const [toolUseId, [body]] of Object.entries(byId)) {
      expect(body).toMatchObject({ sessionId: "s-1", user: { id: "u-1" }, event: { eventId: `${runId}:tool_use:${toolUseId}` } });
    }
    const events = bridge.permiso.requests.map((body) => `${body.hookEvent}:${body.event.type ?? body.event.source}`);
    expect(events.filter((event) => event.endsWith(":tool_result")).sort()).toEqual(["send_email:tool_result", "weather:tool_result"]);
    expect(bridge.permiso.invalid).toEqual([]);
  });

  it("timestamps keep the order: each guard's tool_use after the step's text, before its result", async () => {
    await assistantTurn("genai", permisoToolApproval(linkedGuard()));
    const at = (match: (body: any) => boolean) => {
      const found = bridge.permiso.requests.filter(match);
      expect(found).toHaveLength(1);
      return found[0].event.timestamp as number;
    };
    const stepText = at((body) => body.event.type === "text" && body.event.text === "Let me check, then send it.");
    for (const toolUseId of ["call_w", "call_e"]) {
      const use = at((body) => body.event.type === "tool_use" && body.event.toolUseId === toolUseId);
      expect(use, toolUseId).toBeGreaterThanOrEqual(stepText);
      const result = bridge.permiso.requests.find((body) => body.event.type === "tool_result" && body.event.toolUseId === toolUseId);
      if (result) expect(use, toolUseId).toBeLessThanOrEqual(result.event.timestamp);
    }
    const ordered = [...bridge.permiso.requests].sort((a, b) => a.event.timestamp - b.event.timestamp);
    expect(ordered.at(-1).event.source).toBe("stop");
  });

  it("goes to the sub-agent's child run for a sub-agent's tool", async () => {
    const guard = linkedGuard();
    const researcher = async () => {
      const { text } = await generateText({
        model: scriptedModel([
          { content: [{ type: "tool-call", toolCallId: "call_s", toolName: "send_email", input: JSON.stringify({ to: "a@b.example" }) }], finish: "tool-calls", input: 3, output: 2 },
          { content: [{ type: "text", text: "Could not send." }], finish: "stop", input: 4, output: 2 },
        ]),
        system: RESEARCHER.systemPrompt,
        prompt: "Send the findings.",
        tools: twoTools(),
        toolApproval: permisoToolApproval(guard),
        stopWhen: isStepCount(4),
        telemetry: { functionId: RESEARCHER.name, integrations: [integrationFor("genai", bridge.provider)] },
      });
      return text;
    };
    await generateText({
      model: scriptedModel([
        { content: [{ type: "tool-call", toolCallId: "call_r", toolName: "research", input: JSON.stringify({ topic: "x" }) }], finish: "tool-calls", input: 5, output: 3 },
        { content: [{ type: "text", text: "Done." }], finish: "stop", input: 6, output: 2 },
      ]),
      system: ORCHESTRATOR.systemPrompt,
      prompt: "Research and report.",
      tools: { research: tool({ inputSchema: z.object({ topic: z.string() }), execute: researcher }) },
      toolApproval: permisoToolApproval(guard),
      stopWhen: isStepCount(4),
      telemetry: { functionId: ORCHESTRATOR.name, integrations: [integrationFor("genai", bridge.provider)] },
    });
    await bridge.provider.forceFlush();
    const byId = toolUsesById();
    expect(Object.values(byId).map((bodies) => bodies.length)).toEqual([1, 1]);
    const [research] = byId.call_r;
    const [email] = byId.call_s;
    expect(email.parentRunId).toBe(research.runId);
    expect(email.runId).not.toBe(research.runId);
    // The sub-agent's other events went to the same child run.
    expectGuardedRuns(bridge.permiso.requests, { [research.runId]: ORCHESTRATOR, [email.runId]: RESEARCHER });
  });

  it("a call the guard did not get to Permiso is reported once, by the bridge, before its result", async () => {
    const guard = linkedGuard({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300, failMode: "open" });
    await assistantTurn("genai", permisoToolApproval(guard));
    expect(guard.getStats().failedOpen).toBe(2);
    const byId = toolUsesById();
    expect(Object.values(byId).map((bodies) => bodies.length)).toEqual([1, 1]);
    const events = bridge.permiso.requests.map((body) => `${body.event.type}:${body.event.toolUseId ?? ""}`);
    expect(events.indexOf("tool_use:call_w")).toBeLessThan(events.indexOf("tool_result:call_w"));
  });

  it("calls blocked without a decision (no tool span) are reported once, by the bridge, before the run's stop", async () => {
    const guard = linkedGuard({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 300 });
    await assistantTurn("genai", permisoToolApproval(guard));
    expect(guard.getStats().failedClosed).toBe(2);
    const byId = toolUsesById();
    expect(Object.values(byId).map((bodies) => bodies.length)).toEqual([1, 1]);
    const events = bridge.permiso.requests.map((body) => `${body.event.type ?? body.event.source}:${body.event.toolUseId ?? ""}`);
    expect(events.indexOf("tool_use:call_e")).toBeLessThan(events.indexOf("stop:"));
    expect(events.indexOf("tool_use:call_e")).toBeGreaterThan(-1);
  });

  it("a tool the guard is never asked about is reported by the bridge when its span ends", async () => {
    const guard = linkedGuard();
    const onlyEmail = permisoToolApproval(guard);
    await assistantTurn("genai", (request) => (request.toolCall.toolName === "send_email" ? onlyEmail(request) : undefined));
    expect(guard.getStats().checks).toBe(1);
    const byId = toolUsesById();
    expect(Object.values(byId).map((bodies) => bodies.length)).toEqual([1, 1]);
    const events = bridge.permiso.requests.map((body) => `${body.event.type}:${body.event.toolUseId ?? ""}`);
    expect(events.indexOf("tool_use:call_w")).toBeLessThan(events.indexOf("tool_result:call_w"));
    expect(byId.call_w[0].event.eventId).toBe(`${byId.call_w[0].runId}:tool_use:call_w`);
  });
});

describe("the guard linked to the processor (AI SDK 7, legacy ai.* spans)", () => {
  it("inside the app's own active span, reports each call once, in the trace's run", async () => {
    const guard = linkedGuard();
    const tracer = bridge.provider.getTracer("app");
    const traceId = await tracer.startActiveSpan("POST /assistant", async (span) => {
      await assistantTurn("legacy", permisoToolApproval(guard));
      span.end();
      return span.spanContext().traceId;
    });
    await bridge.provider.forceFlush();
    expect(Object.keys(toolUsesById()).sort()).toEqual(["call_e", "call_w"]);
    expectGuardedRuns(bridge.permiso.requests, { [runIdForTrace(traceId)]: ASSISTANT });
  });

  it("with no span active and the model's output not known yet, the guard reports in its own run and the bridge still reports the call in the agent's", async () => {
    // Legacy spans keep the model call open while its tools run, and the AI SDK makes no span active for toolApproval.
    const guard = linkedGuard();
    await assistantTurn("legacy", permisoToolApproval(guard));
    const byId = toolUsesById();
    for (const bodies of Object.values(byId)) {
      expect(bodies).toHaveLength(2);
      const [agentRun, guardRun] = [bodies.find((body) => body.agent?.name === "assistant"), bodies.find((body) => body.agent === undefined)];
      expect(agentRun.runId).not.toBe(guardRun.runId);
      expect(agentRun.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8/);
    }
  });
});
