/**
 * `startGateway()`: OTLP/HTTP and OTLP/gRPC in, Permiso runs out. Both
 * receivers share one intake; each Permiso API key has its own engine in
 * "hold until the run is known" mode, as the exporter.
 */
import { once } from "node:events";
import { BRIDGE_DEFAULTS } from "../engine/settings.js";
import { EnginePool, type EngineFactory } from "./engine-pool.js";
import { bindGrpc, createGrpcReceiver } from "./grpc-receiver.js";
import { createHttpReceiver, httpUrlOf } from "./http-receiver.js";
import { Intake } from "./intake.js";
import { GatewayMetrics, prometheusText, Reachability } from "./metrics.js";
import { resolveGatewayOptions, type GatewayOptions } from "./options.js";
import { OTLP_CODEC } from "./otlp/codec.js";
import { createRunEngine } from "./run-engine.js";
import { loadServerStack } from "./server-stack.js";
import { settlingEngine } from "./trace-settling.js";

export interface Gateway {
  /** Like `http://127.0.0.1:4318`, no trailing slash. */
  httpUrl: string;
  /** Like `127.0.0.1:4317`. */
  grpcAddress: string;
  /** Stops accepting, releases held spans, delivers everything within the flush deadline (30 s), then resolves. */
  close(): Promise<void>;
}

/** For tests and embedding: how engines are made (one per Permiso API key). */
export interface GatewayInternals {
  engineFactory?: EngineFactory;
}

export async function startGateway(options: GatewayOptions = {}, internals: GatewayInternals = {}): Promise<Gateway> {
  const resolved = resolveGatewayOptions(options);
  const stack = await loadServerStack();
  const codec = OTLP_CODEC;
  const metrics = new GatewayMetrics();
  const makeEngine = internals.engineFactory ?? ((options) => createRunEngine(options));
  const settle = {
    settleMs: resolved.traceSettleMs,
    maxWaitMs: resolved.traceSettleMs * 10,
    maxSettlingSpans: resolved.bridge.maxHeldSpans ?? BRIDGE_DEFAULTS.maxHeldSpans,
  };
  const engines = new EnginePool(
    resolved.bridge,
    (options) => (settle.settleMs > 0 ? settlingEngine(makeEngine(options), settle) : makeEngine(options)),
    resolved.maxApiKeys,
  );
  const intake = new Intake(resolved.token, codec, engines, metrics);
  const reachability = new Reachability(resolved.readinessWindowMs);

  const readiness = () => {
    const totals = engines.totals();
    const reasons: string[] = [];
    if (intake.draining) reasons.push("draining");
    if (!reachability.observe(totals.eventsDelivered, totals.queueDepth > 0 || totals.eventsFailed > 0)) {
      reasons.push(`Permiso not reached in the last ${resolved.readinessWindowMs} ms`);
    }
    return { ready: reasons.length === 0, reasons };
  };

  const httpServer = createHttpReceiver({
    intake,
    codec,
    metrics,
    maxBodyBytes: resolved.maxBodyBytes,
    retryAfterSeconds: resolved.retryAfterSeconds,
    readiness,
    metricsText: () => prometheusText(metrics, engines, intake.draining),
  });
  const grpcServer = createGrpcReceiver(stack.grpc, {
    intake,
    codec,
    metrics,
    maxBodyBytes: resolved.maxBodyBytes,
    retryAfterSeconds: resolved.retryAfterSeconds,
  });

  httpServer.listen(resolved.httpPort, resolved.host);
  await once(httpServer, "listening");
  let grpcAddress: string;
  try {
    grpcAddress = await bindGrpc(grpcServer, stack.grpc, resolved.host, resolved.grpcPort);
  } catch (error) {
    httpServer.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    httpUrl: httpUrlOf(httpServer),
    grpcAddress,
    close() {
      closing ??= (async () => {
        // While held spans are delivered, senders are told to retry elsewhere (503 / UNAVAILABLE) rather than refused a connection.
        intake.drain();
        await engines.close();
        const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections?.();
        grpcServer.forceShutdown();
        await httpClosed;
      })();
      return closing;
    },
  };
}
