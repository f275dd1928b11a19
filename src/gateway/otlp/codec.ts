/**
 * Bytes and text in and out, in both OTLP encodings: requests decoded to
 * span records, responses and google.rpc.Status bodies encoded in the
 * encoding the request used.
 */
import { exportResponse, rpcStatus } from "./protobuf-answers.js";
import { spansFromProtobuf } from "./protobuf-request.js";
import { RETRY_INFO } from "./schema.js";
import { spansFromRequest, type DecodedSpans } from "./spans.js";
import { WireError } from "./wire-reader.js";

export type Encoding = "protobuf" | "json";

/** A request that could not be decoded at all (the whole request is refused). */
export class MalformedRequest extends Error {}

/** gRPC status codes used in google.rpc.Status bodies and gRPC answers. */
export const GRPC_CODE = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNAUTHENTICATED: 16,
  UNAVAILABLE: 14,
  INTERNAL: 13,
} as const;

export interface ExportAnswer {
  rejectedSpans: number;
  errorMessage: string;
}

export const OTLP_CODEC = {
  /** The span records of an ExportTraceServiceRequest; throws `MalformedRequest` when it cannot be decoded at all. */
  decode(body: Buffer, encoding: Encoding): DecodedSpans {
    if (encoding === "json") return spansFromRequest(parseJsonRequest(body));
    try {
      return spansFromProtobuf(body);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      throw new MalformedRequest(`the body is not a valid ExportTraceServiceRequest: ${error.message}`);
    }
  },
  encodeResponse(answer: ExportAnswer | undefined, encoding: Encoding): Buffer {
    if (encoding === "json") {
      const partialSuccess = answer && { rejectedSpans: String(answer.rejectedSpans), errorMessage: answer.errorMessage };
      return Buffer.from(JSON.stringify(partialSuccess ? { partialSuccess } : {}));
    }
    return exportResponse(answer);
  },
  encodeStatus(code: number, message: string, encoding: Encoding, retryAfterSeconds?: number): Buffer {
    if (encoding === "json") {
      const details =
        retryAfterSeconds === undefined ? [] : [{ "@type": `type.googleapis.com/${RETRY_INFO}`, retryDelay: `${retryAfterSeconds}s` }];
      return Buffer.from(JSON.stringify({ code, message, details }));
    }
    return rpcStatus(code, message, retryAfterSeconds);
  },
};

export type OtlpCodec = typeof OTLP_CODEC;

/**
 * OTLP/JSON: lowerCamelCase keys, hex ids, integer enums, 64-bit integers as
 * text or numbers, unknown fields ignored. Only the outer shape is checked
 * here; spans are read (and rejected one by one) by `spansFromRequest`.
 */
export function parseJsonRequest(body: Buffer): Record<string, any> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new MalformedRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new MalformedRequest("the body must be a JSON object (an ExportTraceServiceRequest)");
  }
  const request = parsed as Record<string, any>;
  if (request.resourceSpans !== undefined && !Array.isArray(request.resourceSpans)) {
    throw new MalformedRequest("resourceSpans must be an array");
  }
  return request;
}
