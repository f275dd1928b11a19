/**
 * OTLP/gRPC: `opentelemetry.proto.collector.trace.v1.TraceService/Export`
 * on @grpc/grpc-js, the transport the Collector's `loadbalancing` exporter
 * speaks. Messages pass through @grpc/grpc-js as bytes and are decoded by
 * the same codec as OTLP/HTTP once the call is admitted (token, room): a bad
 * message is answered INVALID_ARGUMENT naming what was wrong (a throwing
 * request deserializer would make @grpc/grpc-js answer INTERNAL without a
 * reason), and a refused call costs no decoding.
 *
 * Backpressure: RESOURCE_EXHAUSTED with a google.rpc.RetryInfo (which makes
 * it retryable for OTLP clients) when the queue is full; UNAVAILABLE while
 * draining.
 */
import type * as Grpc from "@grpc/grpc-js";
import { API_KEY_HEADER } from "./http-receiver.js";
import type { Intake, Refusal } from "./intake.js";
import type { GatewayMetrics } from "./metrics.js";
import type { OtlpCodec } from "./otlp/codec.js";
import { EXPORT_METHOD, TRACE_SERVICE } from "./otlp/schema.js";

export interface GrpcReceiverOptions {
  intake: Intake;
  codec: OtlpCodec;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  retryAfterSeconds: number;
}

const passThrough = (bytes: Buffer) => bytes;

export function createGrpcReceiver(grpc: typeof Grpc, options: GrpcReceiverOptions): Grpc.Server {
  const { intake, codec, metrics } = options;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxBodyBytes,
    "grpc.max_send_message_length": 1024 * 1024,
  });
  const definition: Grpc.ServiceDefinition = {
    Export: {
      path: `/${TRACE_SERVICE}/${EXPORT_METHOD}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    },
  };

  const refuse = (refusal: Refusal, callback: Grpc.sendUnaryData<Buffer>) => {
    const code =
      refusal.kind === "unauthenticated"
        ? grpc.status.UNAUTHENTICATED
        : refusal.kind === "throttled"
          ? grpc.status.RESOURCE_EXHAUSTED
          : grpc.status.UNAVAILABLE;
    metrics.countRequest("grpc", grpc.status[code]);
    const metadata = new grpc.Metadata();
    if (refusal.kind !== "unauthenticated") {
      metadata.set("grpc-status-details-bin", codec.encodeStatus(code, refusal.message, "protobuf", options.retryAfterSeconds));
    }
    callback({ code, details: refusal.message, metadata });
  };

  const handlers: Grpc.UntypedServiceImplementation = {
    Export(call: Grpc.ServerUnaryCall<Buffer, Buffer>, callback: Grpc.sendUnaryData<Buffer>) {
      try {
        const first = (key: string) => {
          const value = call.metadata.get(key)[0];
          return typeof value === "string" ? value : undefined;
        };
        const admitted = intake.admit({ authorization: first("authorization"), apiKey: first(API_KEY_HEADER) });
        if ("kind" in admitted) return refuse(admitted, callback);
        const outcome = intake.receive(admitted.engine, call.request, "protobuf");
        if (outcome.kind === "malformed") {
          metrics.countRequest("grpc", "INVALID_ARGUMENT");
          return callback({ code: grpc.status.INVALID_ARGUMENT, details: outcome.message });
        }
        if (outcome.kind !== "accepted") return refuse(outcome, callback);
        metrics.countRequest("grpc", outcome.partial ? "OK-partial" : "OK");
        callback(null, codec.encodeResponse(outcome.partial, "protobuf"));
      } catch {
        metrics.countRequest("grpc", "INTERNAL");
        callback({ code: grpc.status.INTERNAL, details: "internal error" });
      }
    },
  };
  server.addService(definition, handlers);
  return server;
}

export function bindGrpc(server: Grpc.Server, grpc: typeof Grpc, host: string, port: number): Promise<string> {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${hostPart}:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(`${hostPart}:${boundPort}`);
    });
  });
}
