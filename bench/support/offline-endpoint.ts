/**
 * The bridge's view of the transport module in the "mapping" benchmark:
 * everything is the real module except `createTransport`, whose transport
 * answers 200 at once without touching the network. The bridge therefore
 * does all of its own work per span (reading, composing, body building,
 * content policy, validation, queueing, JSON encoding) and nothing else.
 */
import type { HookTransport, SendResult } from "../../src/transport/types.js";

export * from "../../src/transport/endpoint.js";

const ACCEPTED: SendResult = { status: "success", response: { statusCode: 200, statusText: "OK", body: "{}" } };

export function createTransport(): HookTransport {
  return { send: () => Promise.resolve(ACCEPTED), close() {} };
}
