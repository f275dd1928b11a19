/**
 * The tests that need tools built outside npm (the Collector, the Python
 * agents) skip with the command that builds them, unless
 * PERMISO_REQUIRE_EXTERNAL=1 (CI), where an absent tool fails instead.
 * The caches are pointed at an empty folder so the tools are absent here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const NAMES = ["PERMISO_REQUIRE_EXTERNAL", "PERMISO_OTELCOL_CACHE", "PERMISO_PYTHON_AGENTS_CACHE"] as const;
let saved: Record<string, string | undefined>;
let empty: string;

beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  empty = mkdtempSync(join(tmpdir(), "no-tools-"));
  process.env.PERMISO_OTELCOL_CACHE = join(empty, "otelcol");
  process.env.PERMISO_PYTHON_AGENTS_CACHE = join(empty, "python");
  vi.resetModules();
});
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(empty, { recursive: true, force: true });
});

describe("tools built outside npm", () => {
  it("when absent, the tests that need them skip, saying how to build them", async () => {
    delete process.env.PERMISO_REQUIRE_EXTERNAL;
    const { otelcol, pythonAgents } = await import("./support/external-tools.js");
    expect(otelcol()).toEqual({ path: undefined, skipReason: "the OpenTelemetry Collector is not built: run bash scripts/otelcol/build.sh" });
    expect(pythonAgents()).toEqual({
      path: undefined,
      skipReason: "the Python agents' virtual environment is not built: run bash scripts/python-agents/setup.sh",
    });
  });

  it("with PERMISO_REQUIRE_EXTERNAL=1, an absent tool fails instead of skipping", async () => {
    process.env.PERMISO_REQUIRE_EXTERNAL = "1";
    const { otelcol, pythonAgents } = await import("./support/external-tools.js");
    expect(() => otelcol()).toThrow("the OpenTelemetry Collector is not built: run bash scripts/otelcol/build.sh (PERMISO_REQUIRE_EXTERNAL=1)");
    expect(() => pythonAgents()).toThrow("(PERMISO_REQUIRE_EXTERNAL=1)");
  });
});
