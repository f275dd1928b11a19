/**
 * The published package serves the viewer's script from the build: the
 * bundle is inlined at build time, so neither ESM nor CommonJS needs a
 * bundler (esbuild is a development dependency only).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { beforeAll, expect, it } from "vitest";
import type * as DevServerEntry from "../../src/dev-server/index.js";

const root = resolve(import.meta.dirname, "../..");
const dist = join(root, "dist");

beforeAll(async () => {
  if (!existsSync(join(dist, "dev-server/index.js"))) await promisify(execFile)("npx", ["tsup", "--silent"], { cwd: root });
}, 120_000);

async function viewerScript(entry: typeof DevServerEntry): Promise<string> {
  const server = await entry.startDevServer({ port: 0 });
  try {
    const response = await fetch(`${server.url}/viewer.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/javascript");
    return await response.text();
  } finally {
    await server.close();
  }
}

it("serves the same bundled script from the ESM and the CommonJS build", async () => {
  const esm = (await import(pathToFileURL(join(dist, "dev-server/index.js")).href)) as typeof DevServerEntry;
  const cjs = createRequire(import.meta.url)(join(dist, "dev-server/index.cjs")) as typeof DevServerEntry;
  const [fromEsm, fromCjs] = [await viewerScript(esm), await viewerScript(cjs)];
  expect(fromEsm.length).toBeGreaterThan(5_000);
  expect(fromCjs).toBe(fromEsm);
  expect(fromEsm).toContain("/api/live");
});

it("leaves no bundler in the build", () => {
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((file) => /\.(c?js)$/.test(file));
  const withBundler = files.filter((file) => /["']esbuild["']|bundleViewerScript/.test(readFileSync(join(dist, file), "utf8")));
  expect(withBundler).toEqual([]);
});
