/**
 * An engine wired to Permiso: options checked (the transport's and the
 * engine's), the keep-alive retrying transport for the key, and a release
 * policy. The OpenTelemetry adapters build theirs here; so can any other
 * source of spans (one engine per API key).
 */
import { createTransport, MISSING_API_KEY, resolveEndpointSettings, type ResolvedEndpoint, type TransportOptions } from "../transport/endpoint.js";
import type { HookTransport, SendResult } from "../transport/types.js";
import type { Clock } from "./clock.js";
import { RunEngine } from "./engine.js";
import type { EngineLog } from "./outbound.js";
import { holdUntilRunKnown, knownFromStart } from "./release-policy.js";
import { resolveEngineSettings, type EngineOptions } from "./settings.js";

/** Open traces a "known from the start" engine keeps at most: spans that never end would otherwise keep theirs forever. */
export const MAX_OPEN_TRACES = 10_000;

export interface EngineWiring {
  policy: "hold-until-run-known" | "known-from-start";
  /** Replaces the HTTP transport (tests, benchmarks). */
  transport?: HookTransport;
  /** Wraps whichever transport is used (the OpenTelemetry adapters suppress tracing of its requests). */
  wrapTransport?: (transport: HookTransport) => HookTransport;
  clock?: Clock;
  log?: EngineLog;
}

export interface WiredEngine {
  engine: RunEngine;
  /** No API key and no transport given: the engine sends nothing and counts every event as dropped. */
  disabled: boolean;
}

const NOT_SENT: SendResult = { status: "failure", error: new Error(MISSING_API_KEY) };

/** Throws a ConfigurationError for a wrong option value; a missing key is not one (see `disabled`). */
export function createEngine(options: EngineOptions & TransportOptions, wiring: EngineWiring): WiredEngine {
  const endpoint = resolveEndpointSettings(options);
  const settings = resolveEngineSettings(options, endpoint.timeoutMs);
  const disabled = endpoint.apiKey === undefined && !wiring.transport;
  const transport =
    wiring.transport ??
    (disabled
      ? { send: () => Promise.resolve(NOT_SENT), close() {} }
      : createTransport(endpoint as ResolvedEndpoint, ({ retry, delayMs, reason }) =>
          wiring.log?.verbose(`retry ${retry} in ${delayMs} ms after: ${reason.message}`),
        ));
  const policy =
    wiring.policy === "hold-until-run-known"
      ? holdUntilRunKnown({ holdTimeoutMs: settings.holdTimeoutMs, maxHeldSpans: settings.maxHeldSpans })
      : knownFromStart({ maxOpenTraces: MAX_OPEN_TRACES });
  const engine = new RunEngine(settings, {
    transport: wiring.wrapTransport ? wiring.wrapTransport(transport) : transport,
    policy,
    clock: wiring.clock,
    log: wiring.log,
    disabled,
  });
  return { engine, disabled };
}
