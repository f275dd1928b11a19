/**
 * For each test: a deciding receiver (e-mail denied), the bridge's
 * processor reporting to it on a fresh provider, and guards linked to that
 * processor; all closed after the test.
 */
import { afterEach, beforeEach, expect } from "vitest";
import { PermisoToolGuard, type PermisoToolGuardOptions } from "../../../src/guard/index.js";
import { PermisoSpanProcessor } from "../../../src/otel/index.js";
import { deny, startDecidingReceiver, type DecidingReceiver } from "../../support/deciding-receiver.js";
import { createProvider, type TestProvider } from "../../support/otel-sdk.js";
import { denyTool } from "./permiso-for-tests.js";

export interface LinkedBridge {
  readonly permiso: DecidingReceiver;
  readonly processor: PermisoSpanProcessor;
  readonly provider: TestProvider;
  /** A guard on the receiver, linked to the processor. */
  linkedGuard(options?: PermisoToolGuardOptions): PermisoToolGuard;
  /** The `tool_use` bodies the receiver got, by toolUseId. */
  toolUsesById(): Record<string, any[]>;
}

export function useLinkedBridge(): LinkedBridge {
  let state: { permiso: DecidingReceiver; processor: PermisoSpanProcessor; provider: TestProvider } | undefined;
  const guards: PermisoToolGuard[] = [];
  beforeEach(async () => {
    const permiso = await startDecidingReceiver(denyTool("send_email", deny("External e-mail is not allowed.")));
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: permiso.url, sessionId: "s-1", user: { id: "u-1" } });
    state = { permiso, processor, provider: createProvider([processor]) };
  });
  afterEach(async () => {
    await Promise.all(guards.splice(0).map((guard) => guard.close()));
    await state?.provider.shutdown();
    await state?.permiso.close();
  });
  return {
    get permiso() {
      return state!.permiso;
    },
    get processor() {
      return state!.processor;
    },
    get provider() {
      return state!.provider;
    },
    linkedGuard(options = {}) {
      const guard = new PermisoToolGuard({ apiKey: "k", baseUrl: state!.permiso.url, processor: state!.processor, ...options });
      guards.push(guard);
      return guard;
    },
    toolUsesById() {
      const byId: Record<string, any[]> = {};
      for (const body of state!.permiso.toolUses()) (byId[body.event.toolUseId] ??= []).push(body);
      return byId;
    },
  };
}

/** The agent every event of a run names. */
export interface RunAgent {
  name: string;
  systemPrompt: string;
}

/**
 * What Permiso got from guarded turns, run by run (`agentOf` by runId, one
 * entry per run): every event names the run's agent and its system prompt;
 * each tool call's `tool_use` came once and any `tool_result` after it; the
 * run's one stop came last.
 */
export function expectGuardedRuns(requests: any[], agentOf: Record<string, RunAgent>): void {
  const runs = new Map<string, any[]>();
  for (const body of requests) runs.set(body.runId, [...(runs.get(body.runId) ?? []), body]);
  expect([...runs.keys()].sort(), "runs").toEqual(Object.keys(agentOf).sort());
  for (const [runId, bodies] of runs) {
    const events = bodies.map((body) => `${body.hookEvent}:${body.event.type ?? body.event.source}:${body.event.toolUseId ?? ""}`);
    for (const [index, body] of bodies.entries()) {
      expect(body.agent, `agent on ${events[index]} of run ${runId}`).toMatchObject(agentOf[runId]);
    }
    const toolUses = bodies.filter((body) => body.event.type === "tool_use").map((body) => body.event.toolUseId);
    expect(new Set(toolUses).size, `one tool_use per call in ${events.join(", ")}`).toBe(toolUses.length);
    for (const [index, body] of bodies.entries()) {
      if (body.event.type !== "tool_result") continue;
      const use = bodies.findIndex((candidate) => candidate.event.type === "tool_use" && candidate.event.toolUseId === body.event.toolUseId);
      expect(use, `tool_use before ${events[index]} in ${events.join(", ")}`).toBeGreaterThanOrEqual(0);
      expect(use).toBeLessThan(index);
    }
    expect(events.filter((event) => event.startsWith("stop:")), `one stop in ${events.join(", ")}`).toHaveLength(1);
    expect(bodies.at(-1).event.source, `stop last in ${events.join(", ")}`).toBe("stop");
  }
}
