/**
 * The viewer's browser script, as text to serve. The package build replaces
 * this module with one that returns the bundle made at build time
 * (tsup.config.ts); from source (tests, `tsx`), it is bundled on first use.
 */
let bundled: Promise<string> | undefined;

export function loadViewerScript(): Promise<string> {
  bundled ??= import("./bundle.js").then(({ bundleViewerScript }) => bundleViewerScript());
  return bundled;
}
