/**
 * OTLP request bodies as the real serializers of OpenTelemetry JS write them,
 * from spans of a real agent run, and a raw gRPC call to the gateway.
 */
import * as grpc from "@grpc/grpc-js";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { weatherAgent } from "../../support/ai-scenarios.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../../support/otel-sdk.js";

export interface AgentTrace {
  traceId: string;
  protobuf: Buffer;
  json: Buffer;
  spanCount: number;
}

/** One complete weather-agent trace, serialized both ways. */
export async function weatherTrace(): Promise<AgentTrace> {
  const memory = new InMemorySpanExporter();
  const provider = createProvider([new SimpleSpanProcessor(memory)]);
  await weatherAgent("genai", provider);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans() as any[];
  return {
    traceId: spans[0].spanContext().traceId,
    protobuf: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!),
    json: Buffer.from(JsonTraceSerializer.serializeRequest(spans)!),
    spanCount: spans.length,
  };
}

export interface GrpcAnswer {
  error: grpc.ServiceError | null;
  response?: Buffer;
}

export function grpcExport(address: string, body: Buffer, metadata: Record<string, string> = {}): Promise<GrpcAnswer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const meta = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) meta.set(key, value);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      meta,
      (error, response) => {
        client.close();
        resolve({ error: error ?? null, response });
      },
    );
  });
}
