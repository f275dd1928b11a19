/**
 * The direct client under injected faults: background sends through a burst
 * of every transient fault are all delivered once it ends; hung requests
 * are cut at the timeout; the host sees no stall and no unhandled rejection.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError } from "../../src/index.js";
import { DEFAULT_TIMEOUT_MS } from "../../src/transport/endpoint.js";
import { deadPort } from "../support/recorder.js";
import { burstThenRecover, startFaultReceiver } from "./fault-receiver.js";
import { watchHost, type HostGuards } from "./host-guards.js";

/**
 * A few events through a client to a receiver first, unwatched: the first
 * requests of a process compile the HTTP client's and the receiver's code
 * paths, a one-off cost that is not a stall the client causes.
 */
beforeAll(async () => {
  const receiver = await startFaultReceiver(() => undefined);
  const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: receiver.url });
  for (let i = 0; i < 20; i++) hooks.sendEventBackground("warm", { source: "user", type: "text", text: `warm ${i}` });
  await hooks.flush();
  await hooks.close();
  await receiver.close();
});

let guards: HostGuards;
beforeEach(() => {
  guards = watchHost();
});
afterEach(() => guards.stop());

describe("client under faults", () => {
  it("200 background events through a burst: all delivered, duplicates share an eventId", async () => {
    const receiver = await startFaultReceiver(
      burstThenRecover(["503", "502", "504", "reset", "429", "hang", "slow", "lost-response"], { ms: 1_500, requests: 32 }),
    );
    const errors: PermisoCustomHooksError[] = [];
    const hooks = new PermisoCustomHooksClient({
      apiKey: "k",
      baseUrl: receiver.url,
      timeoutMs: 400,
      maxRetries: 6,
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 200; i++) {
      hooks.sendEventBackground("user_prompt", { source: "user", type: "text", text: `message ${i}`, eventId: `evt-${i}` });
    }
    await hooks.flush();
    await hooks.endRun();

    expect(errors).toEqual([]);
    expect(receiver.server.rejected).toEqual([]);
    const accepted = receiver.server.store.events().map((event) => event.body);
    const ids = new Set(accepted.filter((body) => body.hookEvent !== "stop").map((body) => (body.event as { eventId: string }).eventId));
    expect(ids.size).toBe(200);
    expect(accepted.at(-1)?.hookEvent).toBe("stop");
    expect(receiver.requests.filter((request) => request.fault).length).toBeGreaterThan(20);
    expect(guards.unhandled).toEqual([]);
    expect(guards.maxStallMs()).toBeLessThan(50);
    await hooks.close();
    await receiver.close();
  });

  it("a hung endpoint: every attempt is cut at timeoutMs", async () => {
    const receiver = await startFaultReceiver(() => "hang");
    const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: receiver.url, timeoutMs: 250, maxRetries: 2, raiseOnError: true });
    const started = Date.now();
    const error = await hooks.sendEvent("a", { source: "user", type: "text", text: "x" }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ kind: "timeout", message: "Request timed out after 250 ms" });
    // Three attempts of 250 ms, plus backoff of 0.5 s and 1 s (±20 %): never sooner, and far sooner than one
    // attempt at the default timeout (a loaded machine only makes timers late, by far less than that).
    expect(elapsed).toBeGreaterThanOrEqual(3 * 250 + 400 + 800);
    expect(elapsed).toBeLessThan(DEFAULT_TIMEOUT_MS);
    expect(receiver.requests).toHaveLength(3);
    await receiver.close();
  });

  it("a dead port with raiseOnError false: {} and onError, never a rejection", async () => {
    const hooks = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: `http://127.0.0.1:${await deadPort()}`, maxRetries: 1, onError: () => {} });
    for (let i = 0; i < 20; i++) hooks.sendEventBackground("a", { source: "user", type: "text", text: "x" });
    await expect(hooks.sendEvent("b", { source: "user", type: "text", text: "y" })).resolves.toEqual({});
    await hooks.flush();
    expect(guards.unhandled).toEqual([]);
  });
});
