/**
 * One deciding receiver per test file, and guards pointed at it, closed
 * after the file. Each test starts with no requests and an allow-all policy.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { PermisoToolGuard, type PermisoToolGuardOptions } from "../../../src/guard/index.js";
import { startDecidingReceiver, type DecidingReceiver } from "../../support/deciding-receiver.js";

export interface PermisoForTests {
  readonly receiver: DecidingReceiver;
  /** A guard on the receiver (key "test-key"), closed after the file. */
  guardFor(options?: PermisoToolGuardOptions): PermisoToolGuard;
}

export function usePermiso(): PermisoForTests {
  let receiver: DecidingReceiver | undefined;
  const guards: PermisoToolGuard[] = [];
  beforeAll(async () => {
    receiver = await startDecidingReceiver();
  });
  afterEach(() => {
    receiver!.requests.length = 0;
    receiver!.invalid.length = 0;
    receiver!.decide = () => undefined;
  });
  afterAll(async () => {
    await Promise.all(guards.map((guard) => guard.close()));
    await receiver?.close();
  });
  return {
    get receiver() {
      return receiver!;
    },
    guardFor(options = {}) {
      const guard = new PermisoToolGuard({ apiKey: "test-key", baseUrl: receiver!.url, ...options });
      guards.push(guard);
      return guard;
    },
  };
}

/** A policy denying one tool with `answer` and allowing the rest. */
export const denyTool = (name: string, answer: Record<string, unknown>) => (body: any) =>
  body.event.name === name ? answer : undefined;
