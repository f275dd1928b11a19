/**
 * The published shape: every export path resolves, the root entry (ESM and
 * CJS) pulls in nothing but Node built-ins, "./otel" only its OpenTelemetry
 * peers, and "./guard" only `@opentelemetry/api`: no framework, ever.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

beforeAll(async () => {
  if (!existsSync(join(root, "dist/otel/index.js"))) await promisify(execFile)("npx", ["tsup", "--silent"], { cwd: root });
}, 120_000);

/** Every module specifier a built file reaches, following relative imports. */
function reachableImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const specifiers = [...source.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"']+)["']/g)].map((match) => match[1]);
    for (const specifier of specifiers) {
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entry);
  return external;
}

const isBuiltin = (specifier: string) => builtinModules.includes(specifier.replace(/^node:/, ""));

describe("package entries", () => {
  it("every exports target exists", () => {
    const targets: string[] = [];
    const collect = (value: unknown) => {
      if (typeof value === "string") targets.push(value);
      else if (value && typeof value === "object") Object.values(value).forEach(collect);
    };
    collect(pkg.exports);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(existsSync(join(root, target)), target).toBe(true);
    expect(existsSync(join(root, pkg.bin["permiso-hooks"]))).toBe(true);
  });

  it.each(["dist/index.js", "dist/index.cjs"])("the root entry %s imports only Node built-ins", (entry) => {
    const imports = [...reachableImports(join(root, entry))];
    expect(imports.filter((specifier) => !isBuiltin(specifier))).toEqual([]);
  });

  it.each(["dist/otel/index.js", "dist/otel/index.cjs"])("%s imports only built-ins and its OpenTelemetry peers", (entry) => {
    const imports = [...reachableImports(join(root, entry))].filter((specifier) => !isBuiltin(specifier));
    expect(imports.sort()).toEqual(["@opentelemetry/api", "@opentelemetry/core"]);
    for (const peer of imports) expect(pkg.peerDependencies[peer], peer).toBeDefined();
  });

  it.each(["dist/guard/index.js", "dist/guard/index.cjs"])("%s imports only built-ins and @opentelemetry/api, no framework", (entry) => {
    const imports = [...reachableImports(join(root, entry))].filter((specifier) => !isBuiltin(specifier));
    expect(imports).toEqual(["@opentelemetry/api"]);
    expect(pkg.peerDependenciesMeta["@opentelemetry/api"].optional).toBe(true);
  });

  it("the guard entry runs under require() and import, and a stop is recognised across the two builds", async () => {
    const script = `
      const cjs = require("./dist/guard/index.cjs");
      import("./dist/guard/index.js").then(async (esm) => {
        const guard = new cjs.PermisoToolGuard({ apiKey: "k", baseUrl: "http://127.0.0.1:9", timeoutMs: 200 });
        const decision = await guard.check({ toolName: "t", toolCallId: "c" });
        const stopped = new cjs.PermisoRunStoppedError(decision, "t", "c");
        console.log(JSON.stringify([decision.outcome, esm.PermisoRunStoppedError.find({ cause: stopped }) === stopped]));
        await guard.close();
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual(["failed-closed", true]);
  });

  it("flushPermiso() from either build flushes the exporters and processors the other made", async () => {
    // A receiver that answers each request only after a while: a flush that does not reach a bridge returns before its events land.
    const script = `
      const http = require("node:http");
      const { BasicTracerProvider } = require("@opentelemetry/sdk-trace-base");
      const cjs = require("./dist/otel/index.cjs");
      let answered = 0;
      const server = http.createServer((request, response) => {
        request.resume();
        request.on("end", () => setTimeout(() => { answered++; response.writeHead(200).end("{}"); }, 300));
      });
      const chat = (text) => ({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "m",
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: text }] }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "ok" }], finish_reason: "stop" }]),
      });
      server.listen(0, "127.0.0.1", () => import("./dist/otel/index.js").then(async (esm) => {
        const baseUrl = "http://127.0.0.1:" + server.address().port;
        const results = [];
        for (const [made, flushing] of [[cjs, esm], [esm, cjs]]) {
          answered = 0;
          const processor = new made.PermisoSpanProcessor({ apiKey: "k", baseUrl });
          const provider = new BasicTracerProvider({ spanProcessors: [processor] });
          provider.getTracer("t").startSpan("chat m", { attributes: chat("hi") }).end();
          await flushing.flushPermiso();
          results.push(answered);
          await provider.shutdown();
        }
        console.log(JSON.stringify(results));
        server.close();
      }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: root });
    // Each processor's run: the prompt, the answer and the stop, all answered when the other build's flush resolved.
    expect(JSON.parse(stdout)).toEqual([3, 3]);
  });

  it.each(["dist/gateway/index.js", "dist/gateway/index.cjs"])(
    "%s loads its server stack (@grpc/grpc-js) only when a gateway starts: an optional peer",
    (entry) => {
      const imports = [...reachableImports(join(root, entry))].filter((specifier) => !isBuiltin(specifier));
      expect(imports.sort()).toEqual(["@opentelemetry/api"]);
      expect(pkg.peerDependencies["@grpc/grpc-js"]).toBeDefined();
      expect(pkg.peerDependenciesMeta["@grpc/grpc-js"]?.optional).toBe(true);
      // OTLP/protobuf is read and written by the gateway's own code: protobufjs is for the tests only.
      expect(pkg.peerDependencies.protobufjs).toBeUndefined();
      expect(pkg.devDependencies.protobufjs).toBeDefined();
    },
  );

  it("declares no runtime dependencies", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it("declares every peer dependency optional", () => {
    const peers = Object.keys(pkg.peerDependencies);
    expect(peers.length).toBeGreaterThan(0);
    expect(peers.filter((peer) => pkg.peerDependenciesMeta[peer]?.optional !== true)).toEqual([]);
  });

  it("the receiver and permiso-hooks dev run with nothing but Node installed", async () => {
    // The built package alone, with no node_modules anywhere above it.
    const project = mkdtempSync(join(tmpdir(), "permiso-dev-server-"));
    try {
      cpSync(join(root, "dist"), join(project, "dist"), { recursive: true });
      writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
      const script = `
        const { startDevServer } = require("./dist/dev-server/index.cjs");
        import("./dist/dev-server/index.js").then(async (esm) => {
          for (const start of [startDevServer, esm.startDevServer]) {
            const receiver = await start({ port: 0 });
            const body = { hookEvent: "user_prompt", runId: "r", bourneVersion: "v2", event: { source: "user", type: "text", text: "hi" } };
            const answer = await fetch(receiver.url + "/hooks", { method: "POST", headers: { "content-type": "application/json", "x-api-key": "k" }, body: JSON.stringify(body) });
            console.log(answer.status, receiver.store.events().length);
            await receiver.close();
          }
        });`;
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=commonjs", "-e", script], { cwd: project });
      expect(stdout.trim().split("\n")).toEqual(["200 1", "200 1"]);
      const cli = await promisify(execFile)(process.execPath, [join(project, "dist/dev-server/cli.js"), "--version"], { cwd: project });
      expect(cli.stdout.trim()).toBe(pkg.version);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
