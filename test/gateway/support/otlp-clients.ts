/**
 * The real OTLP trace exporters of OpenTelemetry JS (http/json, http/protobuf
 * with gzip, gRPC), and loopback sinks (OTLP/HTTP, OTLP/gRPC) that keep the raw
 * bodies they send.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Metadata, Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";

export type OtlpClient = "http/json" | "http/protobuf+gzip" | "grpc";
export const OTLP_CLIENTS: OtlpClient[] = ["http/json", "http/protobuf+gzip", "grpc"];

export interface Endpoints {
  httpUrl: string;
  grpcAddress?: string;
  headers?: Record<string, string>;
}

export function otlpExporter(client: OtlpClient, endpoints: Endpoints) {
  if (client === "grpc") {
    if (!endpoints.grpcAddress) throw new Error("no gRPC address");
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(endpoints.headers ?? {})) metadata.set(key, value);
    return new GrpcExporter({ url: `http://${endpoints.grpcAddress}`, metadata });
  }
  const options = { url: `${endpoints.httpUrl}/v1/traces`, headers: endpoints.headers };
  return client === "http/json" ? new JsonExporter(options) : new ProtoExporter({ ...options, compression: "gzip" as never });
}

export interface CapturedBody {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An OTLP/HTTP sink that answers 200 with an empty response in the request's encoding. */
export async function startOtlpSink(): Promise<{ url: string; bodies: CapturedBody[]; close(): Promise<void> }> {
  const bodies: CapturedBody[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      bodies.push({ headers: request.headers, body: Buffer.concat(chunks) });
      const json = String(request.headers["content-type"]).includes("json");
      response.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      response.end(json ? "{}" : Buffer.alloc(0));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An OTLP/gRPC sink that keeps the raw request messages and answers an empty ExportTraceServiceResponse. */
export async function startOtlpGrpcSink(): Promise<{ address: string; messages: Buffer[]; close(): Promise<void> }> {
  const messages: Buffer[] = [];
  const server = new Server();
  const bytes = (message: Buffer) => message;
  server.addService(
    {
      Export: {
        path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        requestStream: false,
        responseStream: false,
        requestSerialize: bytes,
        requestDeserialize: bytes,
        responseSerialize: bytes,
        responseDeserialize: bytes,
      },
    },
    {
      Export(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) {
        messages.push(call.request);
        callback(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}
