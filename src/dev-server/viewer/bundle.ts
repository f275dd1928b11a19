/**
 * Bundles the viewer's browser script (`browser/main.ts` and the helpers it
 * shares with the terminal output) into one file. The package build inlines
 * the result (see tsup.config.ts); running from source, `script.ts` calls
 * this on first use. esbuild is a development dependency only.
 */
import { fileURLToPath } from "node:url";

export const VIEWER_ENTRY = fileURLToPath(new URL("./browser/main.ts", import.meta.url));

export async function bundleViewerScript(): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [VIEWER_ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
