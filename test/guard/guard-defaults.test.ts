/**
 * The guard's documented defaults, each checked by its effect with the
 * option left unset, so a changed default fails here: the five-second
 * deadline on vitest's fake clock (real sockets, real receiver), the socket
 * limit and the field length against a real loopback receiver; and its
 * requests kept out of the app's traces under real HTTP instrumentation.
 */
import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PermisoToolGuard } from "../../src/guard/index.js";
import { resolveGuardOptions } from "../../src/guard/options.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";
import { startHoldingServer } from "../support/holding-server.js";
import { settle, until } from "../support/real-time.js";
import { usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const weatherCall = { toolName: "weather", toolCallId: "call_1", input: { city: "Paris" } };

afterEach(() => vi.useRealTimers());

describe("guard defaults", () => {
  it("failMode closed and timeoutMs 5000: a hung Permiso blocks the tool at 5 s", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const guard = permiso.guardFor();
    let decision: Awaited<ReturnType<PermisoToolGuard["check"]>> | undefined;
    void guard.check(weatherCall).then((answer) => (decision = answer));
    await until(() => permiso.receiver.toolUses().length === 1, "the check to reach Permiso");
    await vi.advanceTimersByTimeAsync(4_999);
    await settle();
    expect(decision).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await until(() => decision !== undefined, "the decision");
    expect(decision).toMatchObject({ allowed: false, outcome: "failed-closed", failure: "timeout" });
    expect(decision!.reason).toMatch(/^Permiso did not answer within 5000 ms; the tool was blocked \(failMode closed\)/);
  });

  it("maxSockets 16: at most 16 connections to the endpoint at once", async () => {
    const server = await startHoldingServer();
    const guard = new PermisoToolGuard({ apiKey: "k", baseUrl: server.url, timeoutMs: 60_000 });
    try {
      const checks = Array.from({ length: 24 }, (_, index) => guard.check({ ...weatherCall, toolCallId: `call_${index}` }));
      await until(() => server.held.length === 16, "16 checks in flight");
      // Give the other 8 every chance to arrive on new sockets: they must not.
      await new Promise((done) => setTimeout(done, 300));
      expect(server.held.length).toBe(16);
      expect(server.sockets.size).toBe(16);
      await server.answerAll(24);
      expect((await Promise.all(checks)).every((decision) => decision.outcome === "allowed")).toBe(true);
      expect(server.sockets.size).toBe(16);
    } finally {
      await guard.close();
      await server.close();
    }
  });

  it("maxFieldLength 100000: an input of 100,000 characters as JSON goes whole, one more is cut", async () => {
    const guard = permiso.guardFor();
    // {"text":"…"} is the text and 11 characters more.
    await guard.check({ ...weatherCall, input: { text: "x".repeat(99_989) } });
    await guard.check({ ...weatherCall, toolCallId: "call_2", input: { text: "x".repeat(99_990) } });
    const [whole, cut] = permiso.receiver.toolUses().map((body) => body.event.input);
    expect(whole).toEqual({ text: "x".repeat(99_989) });
    expect(cut).toHaveLength(100_000);
    expect(cut).toMatch(/^\{"text":"x+…\[truncated \d+ chars\]$/);
  });

  it("baseUrl: PERMISO_BASE_URL, then https://alb.permiso.io", () => {
    const saved = process.env.PERMISO_BASE_URL;
    try {
      delete process.env.PERMISO_BASE_URL;
      expect(resolveGuardOptions({ apiKey: "k" }).endpoint?.baseUrl).toBe("https://alb.permiso.io");
      process.env.PERMISO_BASE_URL = "http://127.0.0.1:8787";
      expect(resolveGuardOptions({ apiKey: "k" }).endpoint?.baseUrl).toBe("http://127.0.0.1:8787");
    } finally {
      if (saved === undefined) delete process.env.PERMISO_BASE_URL;
      else process.env.PERMISO_BASE_URL = saved;
    }
  });

  it("its requests are not traced, even with HTTP instrumentation loaded", async () => {
    const instrumentation = new HttpInstrumentation();
    const unregister = registerInstrumentations({ instrumentations: [instrumentation] });
    const memory = new InMemorySpanExporter();
    const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
    trace.setGlobalTracerProvider(provider as never);
    try {
      // Sanity: the instrumentation traces an ordinary request.
      const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");
      await new Promise<void>((done) => http.get(`${permiso.receiver.url}/`, (response) => response.resume().on("end", done)));
      await provider.forceFlush();
      expect(memory.getFinishedSpans().some((span) => span.kind === 2)).toBe(true);
      memory.reset();

      // Inside the app's own span, as a tool hook runs.
      const guard = permiso.guardFor();
      await provider.tracer.startActiveSpan("agent", async (span) => {
        expect(await guard.check(weatherCall)).toMatchObject({ outcome: "allowed" });
        span.end();
      });
      await provider.forceFlush();
      expect(permiso.receiver.toolUses()).toHaveLength(1);
      // The receiver runs in this process, so its SERVER span exists (the instrumentation was live); no CLIENT span may.
      expect(memory.getFinishedSpans().filter((span) => span.kind === 1)).toHaveLength(1);
      expect(memory.getFinishedSpans().filter((span) => span.kind === 2).map((span) => span.name)).toEqual([]);
    } finally {
      unregister();
      instrumentation.disable();
      trace.disable();
      await provider.shutdown();
    }
  });
});
