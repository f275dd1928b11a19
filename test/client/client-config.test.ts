/** Configuration: environment fallbacks and clear construction errors. */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermisoCustomHooksClient, PermisoCustomHooksError, SDK_VERSION } from "../../src/index.js";
import { startRecorder, type Recorder } from "../support/recorder.js";

let recorder: Recorder;
const saved = { key: process.env.PERMISO_API_KEY, url: process.env.PERMISO_BASE_URL };
beforeEach(async () => {
  recorder = await startRecorder();
});
afterEach(async () => {
  await recorder.close();
  process.env.PERMISO_API_KEY = saved.key;
  process.env.PERMISO_BASE_URL = saved.url;
  if (saved.key === undefined) delete process.env.PERMISO_API_KEY;
  if (saved.url === undefined) delete process.env.PERMISO_BASE_URL;
});

describe("configuration", () => {
  it("reads PERMISO_API_KEY and PERMISO_BASE_URL when not given", async () => {
    process.env.PERMISO_API_KEY = "from-env";
    process.env.PERMISO_BASE_URL = `${recorder.url}/`;
    const hooks = new PermisoCustomHooksClient();
    expect(hooks.baseUrl).toBe(recorder.url);
    await hooks.sendEvent("a", { source: "user", type: "text", text: "x" });
    expect(recorder.requests[0].headers["x-api-key"]).toBe("from-env");
  });

  it("prefers explicit options over the environment", async () => {
    process.env.PERMISO_API_KEY = "from-env";
    process.env.PERMISO_BASE_URL = "http://127.0.0.1:1";
    const hooks = new PermisoCustomHooksClient({ apiKey: "explicit", baseUrl: recorder.url });
    await hooks.sendEvent("a", { source: "user", type: "text", text: "x" });
    expect(recorder.requests[0].headers["x-api-key"]).toBe("explicit");
  });

  it("defaults to https://alb.permiso.io", () => {
    delete process.env.PERMISO_BASE_URL;
    expect(new PermisoCustomHooksClient({ apiKey: "k" }).baseUrl).toBe("https://alb.permiso.io");
  });

  it("fails at construction without a key, or with a bad URL or option", () => {
    delete process.env.PERMISO_API_KEY;
    expect(() => new PermisoCustomHooksClient()).toThrow(
      "apiKey is required: pass { apiKey } or set the PERMISO_API_KEY environment variable",
    );
    expect(() => new PermisoCustomHooksClient({ apiKey: "k", baseUrl: "not a url" })).toThrow(
      'baseUrl must be an absolute http(s) URL (got "not a url")',
    );
    expect(() => new PermisoCustomHooksClient({ apiKey: "k", timeoutMs: 0 })).toThrow(
      "timeoutMs must be a positive integer (got 0)",
    );
    expect(() => new PermisoCustomHooksClient({ apiKey: "k", maxRetries: -1 })).toThrow(
      "maxRetries must be a non-negative integer (got -1)",
    );
  });

  it("a construction error is a PermisoCustomHooksError of kind configuration", () => {
    delete process.env.PERMISO_API_KEY;
    const refusals = [() => new PermisoCustomHooksClient(), () => new PermisoCustomHooksClient({ apiKey: "k", maxSockets: 0 })];
    for (const refuse of refusals) {
      const error = (() => {
        try {
          refuse();
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(PermisoCustomHooksError);
      expect(error).toMatchObject({ kind: "configuration" });
    }
  });

  it("SDK_VERSION matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
