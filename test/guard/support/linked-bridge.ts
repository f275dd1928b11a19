/**
 * For each test: a deciding receiver (e-mail denied), the bridge's
 * processor reporting to it on a fresh provider, and guards linked to that
 * processor; all closed after the test.
 */
import { afterEach, beforeEach } from "vitest";
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
