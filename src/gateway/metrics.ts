/**
 * The gateway's counters and its Prometheus text exposition (`GET /metrics`),
 * and what `/readyz` decides from them.
 */
import type { EnginePool } from "./engine-pool.js";

export class GatewayMetrics {
  spansReceived = 0;
  spansRejected = 0;
  readonly requests = new Map<string, number>();

  countRequest(transport: "http" | "grpc", outcome: string): void {
    const key = `transport="${transport}",outcome="${outcome}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }
}

/**
 * Permiso counts as reached while deliveries succeed: when nothing has been
 * delivered for the window although something failed or is waiting, the
 * gateway is not ready (a load balancer then prefers another instance).
 */
export class Reachability {
  #lastDelivered = 0;
  #lastProgressAt: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
    this.#lastProgressAt = now();
  }

  /** Called with the current totals; says whether Permiso was reached recently. */
  observe(delivered: number, waitingOrFailed: boolean): boolean {
    const now = this.#now();
    if (delivered > this.#lastDelivered || !waitingOrFailed) {
      this.#lastDelivered = delivered;
      this.#lastProgressAt = now;
    }
    return now - this.#lastProgressAt <= this.#windowMs;
  }
}

export function prometheusText(metrics: GatewayMetrics, engines: EnginePool, draining: boolean): string {
  const totals = engines.totals();
  const lines: string[] = [];
  const metric = (name: string, type: "counter" | "gauge", help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ""} ${value}`);
  };
  metric("permiso_gateway_requests_total", "counter", "OTLP export requests by transport and outcome.", [
    ...metrics.requests.entries(),
  ]);
  metric("permiso_gateway_spans_received_total", "counter", "Spans decoded and handed to the engine.", [["", metrics.spansReceived]]);
  metric("permiso_gateway_spans_rejected_total", "counter", "Spans refused as invalid (reported as partial success).", [
    ["", metrics.spansRejected],
  ]);
  metric("permiso_gateway_spans_duplicate_total", "counter", "Spans ignored because the same trace and span id was already received.", [
    ["", totals.spansDuplicate],
  ]);
  metric("permiso_gateway_events_delivered_total", "counter", "Hook events Permiso accepted.", [["", totals.eventsDelivered]]);
  metric("permiso_gateway_events_failed_total", "counter", "Hook events that finally failed.", [["", totals.eventsFailed]]);
  metric("permiso_gateway_events_dropped_total", "counter", "Hook events dropped because the delivery queue was full.", [
    ["", totals.eventsDropped],
  ]);
  metric("permiso_gateway_queue_depth", "gauge", "Hook events waiting or being delivered.", [["", totals.queueDepth]]);
  metric("permiso_gateway_held_spans", "gauge", "Spans waiting for their run to be known.", [["", totals.heldSpans]]);
  metric("permiso_gateway_held_traces", "gauge", "Traces with spans waiting for their run to be known.", [["", totals.heldTraces]]);
  metric("permiso_gateway_api_keys", "gauge", "Permiso API keys with their own delivery.", [["", engines.size]]);
  metric("permiso_gateway_draining", "gauge", "1 while the gateway is shutting down.", [["", draining ? 1 : 0]]);
  return `${lines.join("\n")}\n`;
}
