/**
 * Internal pieces of the package that some benchmarks drive directly (the
 * public entries do not export them). Bundled by internals.mjs with the same
 * esbuild settings tsup uses for dist/.
 */
export { Bridge } from "../../src/otel/bridge.js";
export { DeliveryQueue } from "../../src/otel/delivery.js";
export { buildHookBody } from "../../src/protocol/body.js";
export { createTransport, resolveEndpoint } from "../../src/transport/endpoint.js";
