/**
 * Tools built outside the repository (the Collector binary, the Python
 * agents' virtual environment). `npm test` skips the tests that need them
 * when they are absent, saying how to build them; `.ci/run` builds them and
 * sets PERMISO_REQUIRE_EXTERNAL=1, under which an absent tool fails instead.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../..");
export const externalToolsRequired = process.env.PERMISO_REQUIRE_EXTERNAL === "1";

function printedPath(script: string): string | undefined {
  try {
    return execFileSync("bash", [resolve(root, script), "--print-path"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface ExternalTool {
  path: string | undefined;
  /** Why the tests are skipped, or undefined when the tool is there. */
  skipReason: string | undefined;
}

function tool(script: string, what: string): ExternalTool {
  const path = printedPath(script);
  if (path) return { path, skipReason: undefined };
  const reason = `${what} is not built: run bash ${script}`;
  if (externalToolsRequired) throw new Error(`${reason} (PERMISO_REQUIRE_EXTERNAL=1)`);
  return { path: undefined, skipReason: reason };
}

export const otelcol = (): ExternalTool => tool("scripts/otelcol/build.sh", "the OpenTelemetry Collector");
export const pythonAgents = (): ExternalTool => tool("scripts/python-agents/setup.sh", "the Python agents' virtual environment");
