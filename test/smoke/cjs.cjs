// The CommonJS entries, loaded through the package's own exports map.
const api = require("@opentelemetry/api");
const sdk = require("@opentelemetry/sdk-trace-base");
const { smoke } = require("./scenario.cjs");

smoke({
  root: require("@permiso-io/custom-hooks-sdk"),
  otel: require("@permiso-io/custom-hooks-sdk/otel"),
  guard: require("@permiso-io/custom-hooks-sdk/guard"),
  devServer: require("@permiso-io/custom-hooks-sdk/dev-server"),
  sdk,
  api,
  label: "CJS",
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
