/**
 * The gateway entry as users install it: ESM and CommonJS both start a
 * gateway; without the optional server stack (@grpc/grpc-js), starting one
 * fails with a message that names what to install.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL_COMMAND } from "../../src/gateway/server-stack.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const start = `startGateway({ apiKey: "k", httpPort: 0, grpcPort: 0 })
  .then(async (g) => { console.log(g.httpUrl, g.grpcAddress); await g.close(); })
  .catch((e) => { console.log("ERROR " + e.message); });`;

beforeAll(async () => {
  if (!existsSync(join(root, "dist/gateway/index.js"))) await run("npx", ["tsup", "--silent"], { cwd: root });
}, 120_000);

describe("the ./gateway entry", () => {
  it.each([
    ["ESM", "index.js", `import { startGateway } from "@permiso-io/custom-hooks-sdk/gateway"; ${start}`, "mjs"],
    ["CommonJS", "index.cjs", `const { startGateway } = require("@permiso-io/custom-hooks-sdk/gateway"); ${start}`, "cjs"],
  ])("starts a gateway from %s", async (_format, _file, source, extension) => {
    const file = join(root, `node_modules/.gateway-entry-test.${extension}`);
    writeFileSync(file, source.replaceAll("@permiso-io/custom-hooks-sdk/gateway", join(root, "dist/gateway", _file)));
    try {
      const { stdout } = await run(process.execPath, [file], { cwd: root });
      expect(stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+$/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  describe("without @grpc/grpc-js installed", () => {
    let project: string;
    beforeAll(() => {
      project = mkdtempSync(join(tmpdir(), "permiso-gateway-"));
      cpSync(join(root, "dist"), join(project, "dist"), { recursive: true });
      writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
      mkdirSync(join(project, "node_modules/@opentelemetry"), { recursive: true });
      for (const peer of ["api"]) {
        symlinkSync(join(root, "node_modules/@opentelemetry", peer), join(project, "node_modules/@opentelemetry", peer));
      }
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    it.each([
      ["ESM", `import { startGateway } from "./dist/gateway/index.js"; ${start}`, "main.mjs"],
      ["CommonJS", `const { startGateway } = require("./dist/gateway/index.cjs"); ${start}`, "main.cjs"],
    ])("%s: says what to install", async (_format, source, name) => {
      writeFileSync(join(project, name), source);
      const { stdout } = await run(process.execPath, [name], { cwd: project });
      expect(stdout.trim()).toMatch(/^ERROR the Permiso gateway needs @grpc\/grpc-js, which is not installed: /);
      expect(stdout.trim().endsWith(INSTALL_COMMAND)).toBe(true);
    });
  });
});
