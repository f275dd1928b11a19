/**
 * The viewer tests run on any machine: an explicitly configured Chromium,
 * else a system one, else the one packaged in @sparticuz/chromium. The
 * packaged one is exercised here whether or not a system Chromium exists.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import { findChromium, launchChromium, packagedChromium } from "../support/chromium.js";

const originalPath = process.env.PATH;
afterAll(() => {
  process.env.PATH = originalPath;
});

describe("choosing a Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "permiso-chromium-"));
  const fake = join(dir, "chromium");
  writeFileSync(fake, "#!/bin/sh\n");
  chmodSync(fake, 0o755);

  it("takes CHROMIUM_PATH first, and refuses one that cannot run", () => {
    expect(findChromium(fake)).toEqual({ source: "configured", executablePath: fake });
    expect(() => findChromium(join(dir, "missing"))).toThrow(/CHROMIUM_PATH=.*missing is not an executable file/);
  });

  it("then a chromium on PATH", () => {
    process.env.PATH = dir;
    expect(findChromium(undefined)).toEqual({ source: "system", executablePath: fake });
  });

  // Unpacking the packaged Chromium: up to 10 s on a loaded 2-core machine.
  it("else, or with CHROMIUM_PATH=packaged, the packaged one", () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), "permiso-empty-path-"));
    expect(findChromium(undefined).source).toBe("packaged");
    process.env.PATH = dir;
    expect(findChromium("packaged").source).toBe("packaged");
  }, 60_000);
});

describe("the packaged Chromium", () => {
  it("unpacks and renders the viewer", async () => {
    const choice = packagedChromium();
    expect(choice.executablePath).toContain("node_modules/.cache/permiso-chromium/");
    const server = await startDevServer({ port: 0 });
    const browser = await launchChromium(choice);
    try {
      await fetch(`${server.url}/hooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k" },
        body: JSON.stringify({ hookEvent: "user_prompt", runId: "packaged-run", bourneVersion: "v2", clientSentAtMs: 1, event: { source: "user", type: "text", text: "Rendered by the packaged Chromium." } }),
      });
      const page = await browser.newPage();
      await page.goto(server.url);
      await expect.poll(() => page.locator("[data-run-id=packaged-run] [data-testid=event]").innerText()).toContain("Rendered by the packaged Chromium.");
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});
