import { defineConfig } from "tsup";
import { bundleViewerScript } from "./src/dev-server/viewer/bundle.js";

/**
 * The viewer's browser script is a typed module (src/dev-server/viewer/browser/).
 * The build bundles it once and replaces `viewer/script.ts` with a module that
 * returns the bundle as text, so the published package serves it from memory
 * and needs no bundler at run time.
 */
const inlineViewerScript = {
  name: "inline-viewer-script",
  setup(build: { onLoad: (options: { filter: RegExp }, callback: () => Promise<{ contents: string; loader: "ts" }>) => void }) {
    let script: Promise<string> | undefined;
    build.onLoad({ filter: /[\\/]dev-server[\\/]viewer[\\/]script\.ts$/ }, async () => {
      script ??= bundleViewerScript();
      const text = JSON.stringify(await script);
      return { contents: `export function loadViewerScript(): Promise<string> { return Promise.resolve(${text}); }\n`, loader: "ts" };
    });
  },
};

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "otel/index": "src/otel/index.ts",
    "guard/index": "src/guard/index.ts",
    "dev-server/index": "src/dev-server/index.ts",
    "dev-server/cli": "src/dev-server/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node18",
  platform: "node",
  splitting: true,
  treeshake: true,
  esbuildPlugins: [inlineViewerScript],
});
