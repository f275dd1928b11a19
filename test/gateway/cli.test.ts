/**
 * `permiso-hooks gateway`: flags and environment, a mask module, and SIGTERM
 * draining what the gateway held before exiting 0.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { parseGatewayArgs } from "../../src/gateway/cli.js";
import { weatherTrace } from "./support/otlp-bodies.js";

const root = resolve(import.meta.dirname, "../..");
const cli = (args: string[], env: Record<string, string>) =>
  spawn(process.execPath, ["--import", "tsx", resolve(root, "src/dev-server/cli.ts"), "gateway", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });

let receiver: DevServer | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe("permiso-hooks gateway", () => {
  it("serves with a token and a mask from the environment and flags, and drains on SIGTERM, exiting 0", async () => {
    receiver = await startDevServer({ port: 0 });
    const child = cli(["--http-port", "0", "--grpc-port", "0", "--mask", "test/gateway/fixtures/mask.mjs"], {
      PERMISO_API_KEY: "cli-key",
      PERMISO_BASE_URL: receiver.url,
      PERMISO_GATEWAY_TOKEN: "tok",
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    const httpUrl = await new Promise<string>((done, fail) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk;
        const match = /OTLP\/HTTP: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) done(match[1]);
      });
      void exited.then(() => fail(new Error(`exited early: ${stderr}`)));
    });
    expect(stdout).toMatch(/OTLP\/gRPC: 127\.0\.0\.1:\d+/);
    expect(stdout).toContain("Bearer token required");
    expect(stdout + stderr).not.toContain("cli-key");

    const trace = await weatherTrace();
    const headers = { "content-type": "application/x-protobuf" };
    expect((await fetch(`${httpUrl}/v1/traces`, { method: "POST", body: new Uint8Array(trace.protobuf), headers })).status).toBe(401);
    const accepted = await fetch(`${httpUrl}/v1/traces`, {
      method: "POST",
      body: new Uint8Array(trace.protobuf),
      headers: { ...headers, authorization: "Bearer tok" },
    });
    expect(accepted.status).toBe(200);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const bodies = receiver.store.events().map((event) => event.body);
    expect(bodies).toHaveLength(6);
    expect(bodies[0].event).toMatchObject({ source: "user", type: "text", text: "[masked]" });
    expect(bodies.at(-1)?.event.source).toBe("stop");
  }, 60_000);

  it("reads flags, falls back to PERMISO_GATEWAY_TOKEN, and names the flag it cannot use", () => {
    expect(parseGatewayArgs(["--http-port", "4000", "--grpc-port", "0", "--host", "0.0.0.0", "--no-content"], { PERMISO_GATEWAY_TOKEN: "t" })).toEqual({
      kind: "run",
      options: { httpPort: 4000, grpcPort: 0, host: "0.0.0.0", token: "t", captureContent: false },
      maskModule: undefined,
    });
    expect(parseGatewayArgs(["--token", "flag"], { PERMISO_GATEWAY_TOKEN: "env" })).toMatchObject({ options: { token: "flag" } });
    expect(parseGatewayArgs(["--http-port", "http"], {})).toEqual({
      kind: "usage-error",
      message: '--http-port must be an integer from 0 to 65535 (got "http")',
    });
    expect(parseGatewayArgs(["--bogus"], {})).toMatchObject({ kind: "usage-error", message: expect.stringContaining("--bogus") });
    expect(parseGatewayArgs(["-h"], {})).toEqual({ kind: "help" });
  });
});
