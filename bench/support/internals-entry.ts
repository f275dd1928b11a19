/**
 * Internal pieces of the package that some benchmarks drive directly (the
 * public entries do not export them). Bundled by internals.mjs with the same
 * esbuild settings tsup uses for dist/.
 */
import { OtelBridge, type Attachment } from "../../src/otel/otel-bridge.js";
import type { PermisoBridgeOptions } from "../../src/otel/options.js";
import type { HookTransport, SendResult } from "../../src/transport/types.js";

export { DeliveryQueue, openJson } from "../../src/engine/delivery.js";
export { buildHookBody } from "../../src/protocol/body.js";
export { createTransport, resolveEndpoint } from "../../src/transport/endpoint.js";
export { readSpan } from "../../src/otel/conventions/registry.js";
export { toSpanView } from "../../src/otel/span-view.js";

const ACCEPTED: SendResult = { status: "success", response: { statusCode: 200, statusText: "OK", body: "{}" } };

/** Answers 200 at once without touching the network. */
const acceptEverything: HookTransport = { send: () => Promise.resolve(ACCEPTED), close() {} };

/**
 * What the exporter and the processor run (span conversion, engine, content
 * policy, validation, queue, JSON), with a transport that acknowledges every
 * request at once: the bridge's own work per span and nothing else.
 */
export class OfflineBridge extends OtelBridge {
  constructor(options: PermisoBridgeOptions, mode: Attachment) {
    super(options, mode, { transport: acceptEverything });
  }
}
