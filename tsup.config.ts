import { defineConfig } from "tsup";

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
});
