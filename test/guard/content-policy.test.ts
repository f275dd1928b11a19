/**
 * What the guard lets leave the process, against a real loopback receiver:
 * the bridge's content options (`captureContent`, `maxFieldLength`, `mask`)
 * with the bridge's meaning, a mask that fails or hangs failing closed, a
 * mask that withholds the call leaving the decision to the fail mode, and a
 * linked processor's settings inherited unless the guard says otherwise.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import { PermisoToolGuard, type PermisoToolGuardOptions } from "../../src/guard/index.js";
import { PermisoSpanProcessor } from "../../src/otel/index.js";
import type { HookBody } from "../../src/protocol/body.js";
import { deny } from "../support/deciding-receiver.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;
const processors: PermisoSpanProcessor[] = [];
afterEach(async () => {
  diag.disable();
  await Promise.all(processors.splice(0).map((processor) => processor.shutdown()));
});

const SYSTEM_PROMPT = "You are a careful assistant who never e-mails competitors.";
const emailCall = {
  toolName: "send_email",
  toolCallId: "call_e",
  input: { to: "ceo@rival.example", body: "Our roadmap, attached." },
  agent: { name: "assistant", systemPrompt: SYSTEM_PROMPT },
};

/** The one request the receiver got. */
function sentBody(): any {
  expect(permiso.receiver.requests).toHaveLength(1);
  expect(permiso.receiver.invalid).toEqual([]);
  return permiso.receiver.requests[0];
}

function captureWarnings(): string[] {
  const warnings: string[] = [];
  const ignore = () => undefined;
  diag.setLogger(
    { error: (line) => warnings.push(line), warn: (line) => warnings.push(line), info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return warnings;
}

/** A processor on the receiver, for a guard to link to. */
function processorWith(options: ConstructorParameters<typeof PermisoSpanProcessor>[0]): PermisoSpanProcessor {
  const processor = new PermisoSpanProcessor({ apiKey: "test-key", baseUrl: permiso.receiver.url, ...options });
  processors.push(processor);
  return processor;
}

describe("content capture", () => {
  it("by default, sends the input and the system prompt", async () => {
    await guardFor().check(emailCall);
    expect(sentBody()).toMatchObject({ event: { input: emailCall.input }, agent: { name: "assistant", systemPrompt: SYSTEM_PROMPT } });
  });

  it("captureContent: false sends the call without its input or the system prompt; Permiso still decides by the tool", async () => {
    permiso.receiver.decide = denyTool("send_email", deny("No e-mail."));
    const decision = await guardFor({ captureContent: false }).check(emailCall);
    expect(decision).toMatchObject({ allowed: false, outcome: "denied", reason: "No e-mail." });
    const body = sentBody();
    expect(body.event).toEqual({
      source: "agent",
      type: "tool_use",
      name: "send_email",
      toolUseId: "call_e",
      eventId: expect.any(String),
      timestamp: expect.any(Number),
    });
    expect(body.agent).toEqual({ name: "assistant" });
  });

  it("the trade-off: a policy on the input cannot see input it never receives", async () => {
    const server = await startDevServer({
      port: 0,
      policy: { rules: [{ tool: "send_email", input: { to: { contains: "rival" } }, agent_message: "Not to competitors." }] },
    });
    const guards = [true, false].map((captureContent) => new PermisoToolGuard({ apiKey: "k", baseUrl: server.url, captureContent }));
    try {
      const [captured, withheld] = await Promise.all(guards.map((guard) => guard.check(emailCall)));
      expect(captured).toMatchObject({ allowed: false, outcome: "denied", reason: "Not to competitors." });
      expect(withheld).toMatchObject({ allowed: true, outcome: "allowed" });
    } finally {
      await Promise.all(guards.map((guard) => guard.close()));
      await server.close();
    }
  });
});

describe("maxFieldLength", () => {
  it("cuts the input (as JSON text) and the system prompt, with a visible marker", async () => {
    await guardFor({ maxFieldLength: 40 }).check(emailCall);
    const { event, agent } = sentBody();
    expect(event.input).toHaveLength(40);
    expect(event.input).toMatch(/^\{"to":"ceo@.*…\[truncated \d+ chars\]$/);
    expect(agent.systemPrompt).toHaveLength(40);
    expect(agent.systemPrompt).toMatch(/^You are.*…\[truncated \d+ chars\]$/);
  });
});

describe("mask", () => {
  it("sees the tool_use body as it will be sent (after truncation), and what it returns is sent", async () => {
    const seen: HookBody[] = [];
    const guard = guardFor({
      maxFieldLength: 1_000,
      mask: (body) => {
        seen.push(structuredClone(body));
        const input = body.event.input as { to: string; body: string };
        return { ...body, event: { ...body.event, input: { ...input, to: "[email]" } } };
      },
    });
    await guard.check(emailCall);
    const sent = sentBody();
    expect(seen).toEqual([{ ...sent, event: { ...sent.event, input: emailCall.input } }]);
    expect(sent.event.input).toEqual({ to: "[email]", body: "Our roadmap, attached." });
    expect(guard.getStats().maskFailures).toBe(0);
  });

  it("may be async", async () => {
    await guardFor({ mask: async (body) => ({ ...body, event: { ...body.event, input: { redacted: true } } }) }).check(emailCall);
    expect(sentBody().event.input).toEqual({ redacted: true });
  });

  it.each<[string, NonNullable<PermisoToolGuardOptions["mask"]>, RegExp]>([
    [
      "throws",
      () => {
        throw new Error("mask bug");
      },
      /mask threw: mask bug/,
    ],
    ["rejects", () => Promise.reject(new Error("async mask bug")), /mask threw: async mask bug/],
    ["returns an invalid body", (body) => ({ ...body, event: { ...body.event, type: "tool_call" } }) as HookBody, /mask returned an invalid body/],
    [
      "puts in what JSON cannot encode",
      (body) => ({ ...body, event: { ...body.event, input: { size: 10n } } }) as unknown as HookBody,
      /mask returned a body JSON cannot encode/,
    ],
  ])("that %s fails closed: the call is sent with its content redacted, never unmasked, and counted", async (_, mask, why) => {
    const warnings = captureWarnings();
    permiso.receiver.decide = denyTool("send_email", deny("No e-mail."));
    const guard = guardFor({ mask });
    // Permiso still decides on what it was sent.
    expect(await guard.check(emailCall)).toMatchObject({ allowed: false, outcome: "denied" });
    const body = sentBody();
    expect(body.event).not.toHaveProperty("input");
    expect(body.agent).toEqual({ name: "assistant" });
    expect(guard.getStats()).toMatchObject({ checks: 1, denied: 1, maskFailures: 1 });
    await guard.close();
    expect(warnings.join("\n")).toMatch(why);
  });

  it.each([
    ["closed", { allowed: false, outcome: "failed-closed", reason: "The mask withheld the tool call from Permiso; the tool was blocked (failMode closed)." }],
    [
      "open",
      { allowed: true, outcome: "failed-open", reason: "The mask withheld the tool call from Permiso; the tool was allowed without a decision (failMode open)." },
    ],
  ] as const)("that withholds the call (null): Permiso is not asked, and failMode %s decides", async (failMode, decision) => {
    const guard = guardFor({ failMode, mask: () => null });
    expect(await guard.check(emailCall)).toEqual({ ...decision, stopRun: false, failure: "withheld" });
    expect(permiso.receiver.requests).toEqual([]);
    expect(guard.getStats()).toMatchObject({
      checks: 1,
      allowed: 0,
      denied: 0,
      failedClosed: failMode === "closed" ? 1 : 0,
      failedOpen: failMode === "open" ? 1 : 0,
      noDecision: { withheld: 1, timeout: 0 },
      maskFailures: 0,
    });
  });

  it("that never settles: decided by the fail mode at timeoutMs, nothing sent", async () => {
    const guard = guardFor({ timeoutMs: 150, mask: () => new Promise<never>(() => undefined) });
    expect(await guard.check(emailCall)).toMatchObject({
      allowed: false,
      outcome: "failed-closed",
      failure: "invalid-call",
      reason: "The tool call could not be checked (the mask did not finish within 150 ms); the tool was blocked (failMode closed).",
    });
    expect(permiso.receiver.requests).toEqual([]);
  });
});

describe("a linked processor's settings", () => {
  it("are the guard's when it does not set its own", async () => {
    const processor = processorWith({ captureContent: false, maxFieldLength: 30, mask: (body) => ({ ...body, sessionId: "masked-by-processor" }) });
    await guardFor({ processor }).check(emailCall);
    const body = sentBody();
    expect(body.event).not.toHaveProperty("input");
    expect(body.sessionId).toBe("masked-by-processor");
  });

  it("inherit maxFieldLength", async () => {
    await guardFor({ processor: processorWith({ maxFieldLength: 30 }) }).check(emailCall);
    expect(sentBody().event.input).toHaveLength(30);
  });

  it("give way to the guard's own: captureContent, maxFieldLength, and mask: null for none", async () => {
    const processor = processorWith({ captureContent: false, maxFieldLength: 30, mask: () => null });
    await guardFor({ processor, captureContent: true, maxFieldLength: 1_000, mask: null }).check(emailCall);
    expect(sentBody().event.input).toEqual(emailCall.input);
  });

  it("a mask of the guard's own replaces the processor's", async () => {
    const processor = processorWith({ mask: () => null });
    await guardFor({ processor, mask: (body) => ({ ...body, sessionId: "guard-mask" }) }).check(emailCall);
    expect(sentBody().sessionId).toBe("guard-mask");
  });
});

describe("options", () => {
  it.each([
    [{ captureContent: "no" }, "captureContent must be true or false"],
    [{ mask: "redact" }, "mask must be a function"],
    [{ maxFieldLength: 0 }, "maxFieldLength must be a positive integer"],
  ])("%o is refused at construction, naming the option", (options, message) => {
    expect(() => new PermisoToolGuard({ apiKey: "k", ...(options as PermisoToolGuardOptions) })).toThrow(message);
  });
});
