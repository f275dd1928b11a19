/** Every failure path of the client, each against a real loopback server. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError } from "../../src/index.js";
import { DEFAULT_TIMEOUT_MS } from "../../src/transport/endpoint.js";
import { deadPort, startRecorder, type Recorder } from "../support/recorder.js";

let recorder: Recorder;
beforeEach(async () => {
  recorder = await startRecorder();
});
afterEach(async () => {
  await recorder.close();
});

const text = { source: "user", type: "text", text: "hello" } as const;
const client = (config: ConstructorParameters<typeof PermisoCustomHooksClient>[0] = {}) =>
  new PermisoCustomHooksClient({ apiKey: "k", baseUrl: recorder.url, onError: () => {}, ...config });

async function failure(promise: Promise<unknown>): Promise<PermisoCustomHooksError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PermisoCustomHooksError);
  return error as PermisoCustomHooksError;
}

describe("HTTP errors", () => {
  it("500: not retried; {} by default, an error with status and body when raising", async () => {
    recorder.fallback = { status: 500, body: "" };
    await expect(client().sendEvent("a", text)).resolves.toEqual({});
    expect(recorder.requests).toHaveLength(1);
    const error = await failure(client({ raiseOnError: true }).sendEvent("a", text));
    expect(error).toMatchObject({ name: "PermisoCustomHooksError", status: 500, body: "", kind: "http" });
    expect(error.message).toBe("API error: 500 Internal Server Error");
    expect(recorder.requests).toHaveLength(2);
  });

  it("401: not retried, body kept", async () => {
    recorder.fallback = { status: 401, body: '{"error":"Invalid API key"}' };
    const error = await failure(client({ raiseOnError: true }).sendEvent("a", text));
    expect(error).toMatchObject({ status: 401, body: '{"error":"Invalid API key"}' });
    expect(recorder.requests).toHaveLength(1);
  });

  it("400: not retried, the server's problems summarised in one line", async () => {
    recorder.fallback = undefined; // let the strict receiver answer
    const error = await failure(
      client({ raiseOnError: true }).sendEvent("web_fetch", { source: "agent", type: "tool_use", name: "WebFetch", colour: 1 }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'API error: 400 Bad Request: event.toolUseId: is required for type "tool_use"; event.colour: is not a known field for type "tool_use"',
    );
    expect(error.message).not.toContain("\n");
    expect(recorder.requests).toHaveLength(1);
  });

  it("invalid JSON in a 2xx answer", async () => {
    recorder.fallback = { status: 200, body: "<html>not json</html>" };
    const error = await failure(client({ raiseOnError: true }).sendEvent("a", text));
    expect(error).toMatchObject({
      message: "Invalid JSON response from Custom Hooks API",
      status: 200,
      body: "<html>not json</html>",
      kind: "invalid_response",
    });
    await expect(client().sendEvent("a", text)).resolves.toEqual({});
  });
});

describe("retries", () => {
  it("503 then success: retried with backoff, the answer returned", async () => {
    recorder.script.push({ status: 503 });
    const started = Date.now();
    await expect(client({ raiseOnError: true }).sendEvent("a", text)).resolves.toEqual({});
    const [first, second] = recorder.requests;
    expect(recorder.requests).toHaveLength(2);
    // First backoff is 500 ms ±20 % (its upper bound is retry-policy's to test): one backoff, nowhere near a
    // request timeout, however late a loaded machine runs the timers.
    expect(second.at - first.at).toBeGreaterThanOrEqual(380);
    expect(Date.now() - started).toBeLessThan(DEFAULT_TIMEOUT_MS);
    expect(second.raw).toBe(first.raw);
  });

  it("429 with Retry-After in seconds is honoured", async () => {
    recorder.script.push({ status: 429, headers: { "Retry-After": "1" } });
    await client({ raiseOnError: true }).sendEvent("a", text);
    const [first, second] = recorder.requests;
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it("429 with Retry-After as an HTTP date is honoured", async () => {
    const date = new Date(Date.now() + 2000).toUTCString();
    recorder.script.push({ status: 429, headers: { "Retry-After": date } });
    await client({ raiseOnError: true }).sendEvent("a", text);
    const [first, second] = recorder.requests;
    // HTTP dates have whole-second precision.
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
  });

  it("502, 504 and connection resets are retried up to maxRetries, then reported", async () => {
    recorder.script.push({ status: 502 }, { status: 504 }, { reset: true });
    await expect(client({ raiseOnError: true, maxRetries: 3 }).sendEvent("a", text)).resolves.toEqual({});
    expect(recorder.requests).toHaveLength(4);

    recorder.requests.length = 0;
    recorder.fallback = { status: 503 };
    const error = await failure(client({ raiseOnError: true, maxRetries: 1 }).sendEvent("a", text));
    expect(error.status).toBe(503);
    expect(recorder.requests).toHaveLength(2);
  });

  it("maxRetries: 0 makes a single attempt", async () => {
    recorder.fallback = { status: 503 };
    await client({ maxRetries: 0 }).sendEvent("a", text);
    expect(recorder.requests).toHaveLength(1);
  });
});

describe("network failures", () => {
  it("network down: {} by default; the cause kept when raising", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    await expect(client({ baseUrl, maxRetries: 0 }).sendEvent("a", text)).resolves.toEqual({});
    const error = await failure(client({ baseUrl, maxRetries: 0, raiseOnError: true }).sendEvent("a", text));
    expect(error.kind).toBe("network");
    expect(error.status).toBeUndefined();
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("a hung request is cut at timeoutMs and retried", async () => {
    recorder.script.push({ hang: true });
    const started = Date.now();
    await expect(client({ raiseOnError: true, timeoutMs: 300 }).sendEvent("a", text)).resolves.toEqual({});
    expect(recorder.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("a request that stays hung fails with a timeout error", async () => {
    recorder.fallback = { hang: true };
    const started = Date.now();
    const error = await failure(client({ raiseOnError: true, timeoutMs: 200, maxRetries: 0 }).sendEvent("a", text));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe("Request timed out after 200 ms");
    // Cut at its own timeoutMs, not the default one.
    expect(Date.now() - started).toBeLessThan(DEFAULT_TIMEOUT_MS);
  });
});

describe("onError", () => {
  it("is told of swallowed failures; a throwing handler is contained", async () => {
    recorder.fallback = { status: 500 };
    const seen: number[] = [];
    await client({ onError: (e) => seen.push(e.status ?? 0) }).sendEvent("a", text);
    expect(seen).toEqual([500]);
    await expect(
      client({
        onError: () => {
          throw new Error("handler bug");
        },
      }).sendEvent("a", text),
    ).resolves.toEqual({});
  });
});

describe("unencodable data", () => {
  it("names the circular or BigInt field, and sends nothing", async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const hooks = client({ raiseOnError: true });
    const circular = await failure(
      hooks.sendEvent("t", { source: "agent", type: "tool_use", name: "n", toolUseId: "1", input: cyclic as never }),
    );
    expect(circular.message).toBe("Failed to serialize request body: event.input.self is a circular reference");
    const big = await failure(hooks.sendEvent("t", { source: "user", type: "text", text: "x", n: 10n } as never));
    expect(big.message).toBe("Failed to serialize request body: event.n is a BigInt, which JSON cannot encode");
    expect(big.kind).toBe("serialization");
    expect(recorder.requests).toHaveLength(0);
  });
});
