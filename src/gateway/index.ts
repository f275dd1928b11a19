/**
 * "@permiso-io/custom-hooks-sdk/gateway": an OTLP gateway. Any OpenTelemetry
 * SDK or Collector exports traces to it over OTLP/HTTP or OTLP/gRPC; it turns
 * their `gen_ai` spans into Permiso runs with the same engine as the
 * exporter. Needs the optional peer `@grpc/grpc-js` (OTLP/protobuf is read
 * and written by the gateway's own code).
 */
export { startGateway } from "./gateway.js";
export type { Gateway } from "./gateway.js";
export { GATEWAY_DEFAULTS } from "./options.js";
export type { GatewayOptions } from "./options.js";
