// CommonJS works too: require() loads the package's CJS build.
const { PermisoCustomHooksClient } = require("@permiso-io/custom-hooks-sdk");
const { PermisoSpanProcessor, runIdForTrace } = require("@permiso-io/custom-hooks-sdk/otel");

async function main() {
  const hooks = new PermisoCustomHooksClient({ raiseOnError: true });
  await hooks.sendEvent("user_prompt", { source: "user", type: "text", text: "Hello from CommonJS" });
  await hooks.endRun();
  console.log(typeof PermisoSpanProcessor, runIdForTrace("4bf92f3577b34da6a3ce929d0e0e4736"));
}

main();
