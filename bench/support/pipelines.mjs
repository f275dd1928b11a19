/**
 * The span pipelines compared, each built the way a user would set it up,
 * with default options, sending to `baseUrl` (a local receiver):
 *
 * - `processor`: our `PermisoSpanProcessor`.
 * - `exporter+bsp`: our `PermisoSpanExporter` behind the SDK's default
 *   `BatchSpanProcessor` (what NodeSDK's `traceExporter` and
 *   `@vercel/otel` build).
 * - `otlp+bsp`: `@opentelemetry/exporter-trace-otlp-http`'s
 *   `OTLPTraceExporter` (JSON over node:http, keep-alive) behind the same
 *   default `BatchSpanProcessor`: the peer every OTel user already has.
 *
 * - `floor`: no mapping at all, just one keep-alive `node:http` POST of a
 *   fixed body per ended span: the least CPU any design that sends one
 *   request per event can spend (context, not a competitor).
 *
 * Our package is imported through its own `exports` map, i.e. the built
 * `dist/` that users run.
 */
import http from "node:http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PermisoSpanExporter, PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";

export const API_KEY = "bench-key";

export const PIPELINES = {
  processor: {
    label: "PermisoSpanProcessor",
    create(baseUrl, options = {}) {
      const processor = new PermisoSpanProcessor({ apiKey: API_KEY, baseUrl, ...options });
      return {
        processor,
        flush: () => processor.forceFlush(),
        stats: () => processor.getStats(),
        shutdown: () => processor.shutdown(),
      };
    },
  },
  "exporter+bsp": {
    label: "BatchSpanProcessor(PermisoSpanExporter)",
    create(baseUrl, options = {}) {
      const exporter = new PermisoSpanExporter({ apiKey: API_KEY, baseUrl, ...options });
      const processor = new BatchSpanProcessor(exporter);
      return {
        processor,
        // The BSP does not call exporter.forceFlush(); spans still waiting for their run are released by it.
        flush: async () => {
          await processor.forceFlush().catch(() => undefined);
          await exporter.forceFlush();
        },
        stats: () => exporter.getStats(),
        shutdown: () => processor.shutdown().catch(() => exporter.shutdown()),
      };
    },
  },
  "otlp+bsp": {
    label: "BatchSpanProcessor(OTLPTraceExporter)",
    create(baseUrl) {
      const exporter = new OTLPTraceExporter({ url: `${baseUrl}/v1/traces` });
      const processor = new BatchSpanProcessor(exporter);
      return {
        processor,
        flush: () => processor.forceFlush(),
        stats: () => undefined,
        shutdown: () => processor.shutdown().catch(() => undefined),
      };
    },
  },
};

/** One POST per ended span, nothing else: the cost floor of a request-per-event protocol. */
class RequestPerSpanProcessor {
  #agent = new http.Agent({ keepAlive: true, maxSockets: 16, scheduling: "lifo" });
  #url;
  #body;
  #pending = new Set();
  constructor(baseUrl, body) {
    this.#url = new URL(`${baseUrl}/hooks`);
    this.#body = body;
  }
  onStart() {}
  onEnd() {
    const sent = new Promise((resolve) => {
      const request = http.request(
        this.#url,
        { method: "POST", agent: this.#agent, headers: { "Content-Type": "application/json", "x-api-key": API_KEY, "Content-Length": Buffer.byteLength(this.#body) } },
        (response) => {
          response.resume();
          response.on("end", resolve);
        },
      );
      request.on("error", resolve);
      request.end(this.#body);
    });
    this.#pending.add(sent);
    sent.then(() => this.#pending.delete(sent));
  }
  async forceFlush() {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
  async shutdown() {
    await this.forceFlush();
    this.#agent.destroy();
  }
}

PIPELINES.floor = {
  label: "raw node:http, 1 request per span (floor)",
  create(baseUrl, { body = "{}" } = {}) {
    const processor = new RequestPerSpanProcessor(baseUrl, body);
    return { processor, flush: () => processor.forceFlush(), stats: () => undefined, shutdown: () => processor.shutdown() };
  },
};
