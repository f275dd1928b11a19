/**
 * A 400 body comes from the network and may be anything: summarising it must
 * never throw (the client and the bridge both report through it), and the
 * line it gives must be safe to print.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermisoCustomHooksClient, type PermisoCustomHooksError } from "../../src/index.js";
import { PermisoSpanProcessor } from "../../src/otel/index.js";
import { summarizeErrorBody } from "../../src/protocol/error-summary.js";
import { weatherAgent } from "../support/ai-scenarios.js";
import { createProvider } from "../support/otel-sdk.js";
import { startRecorder, type Recorder } from "../support/recorder.js";

const deep = (levels: number, open: string, close: string, leaf = "1") => `${open.repeat(levels)}${leaf}${close.repeat(levels)}`;
/** Bodies nested far deeper than any JSON encoder's stack allows. */
const DEEP_BODIES = {
  "nested messages": deep(20_000, '{"message":', "}", "{}"),
  "nested arrays": deep(20_000, "[", "]"),
  "an issue with a nested message": `{"issues":[{"path":["event"],"message":${deep(20_000, "[", "]")}}]}`,
  "an issue with a nested path": `{"issues":[{"path":${deep(20_000, "[", "]")},"message":"Required"}]}`,
};
const ESCAPES = "\u001b]0;pwned\u0007\u001b[2J\u009b31m";

describe("summarizeErrorBody", () => {
  it.each(Object.entries(DEEP_BODIES))("summarises %s without throwing", (_name, body) => {
    const summary = summarizeErrorBody(body);
    expect(typeof summary).toBe("string");
    expect(summary.length).toBeLessThanOrEqual(501);
  });

  it("keeps reading ordinary validation output", () => {
    expect(summarizeErrorBody('{"error":{"issues":[{"path":["event","text"],"message":"Required"}]}}')).toBe("event.text: Required");
    expect(summarizeErrorBody('{"message":"Bad event"}')).toBe("Bad event");
    expect(summarizeErrorBody("plain\n  text")).toBe("plain text");
  });

  it("writes control characters out as escapes", () => {
    const summary = summarizeErrorBody(JSON.stringify({ message: `bad ${ESCAPES} input` }));
    expect(summary).toBe("bad \\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m input");
    expect(summary).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(summarizeErrorBody(`not json ${ESCAPES}`)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe("a deeply nested 400 body reaching the client and the bridge", () => {
  let recorder: Recorder;
  beforeEach(async () => {
    recorder = await startRecorder();
    recorder.fallback = { status: 400, body: DEEP_BODIES["nested messages"] };
  });
  afterEach(async () => {
    diag.disable();
    await recorder.close();
  });

  it("client with raiseOnError: false resolves {} and tells onError", async () => {
    const errors: PermisoCustomHooksError[] = [];
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, onError: (error) => errors.push(error) });
    await expect(client.sendEvent("user_prompt", { source: "user", type: "text", text: "hi" })).resolves.toEqual({});
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 400, kind: "http" });
    expect(errors[0].message).toMatch(/^API error: 400 Bad Request/);
    await client.close();
  });

  it("client error messages carry no control characters from the body", async () => {
    recorder.fallback = { status: 400, body: JSON.stringify({ issues: [{ path: ["event"], message: ESCAPES }] }) };
    const client = new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, raiseOnError: true });
    const error = (await client.sendEvent("user_prompt", { source: "user", type: "text", text: "hi" }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("event: \\u001b]0;pwned");
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    await client.close();
  });

  it("the bridge still reports the failure through diag", async () => {
    const lines: string[] = [];
    const log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
    diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    const processor = new PermisoSpanProcessor({ apiKey: "k", baseUrl: recorder.url });
    const provider = createProvider([processor as never]);
    await weatherAgent("genai", provider);
    await provider.forceFlush();
    await provider.shutdown();
    expect(lines.some((line) => line.includes("hook events not delivered: API error: 400 Bad Request"))).toBe(true);
  });
});
