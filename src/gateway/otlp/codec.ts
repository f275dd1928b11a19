/**
 * Bytes and text in and out, in both OTLP encodings: requests decoded to the
 * shape `spansFromRequest` walks, responses and google.rpc.Status bodies
 * encoded in the encoding the request used.
 */
import type * as Protobuf from "protobufjs";
import { EXPORT_REQUEST, EXPORT_RESPONSE, OTLP_TRACE_DESCRIPTOR, RETRY_INFO, RPC_STATUS, TRACE_SERVICE } from "./schema.js";

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

export interface OtlpCodec {
  /** The TraceService's export method name, as the gRPC path spells it. */
  exportMethod: string;
  decode(body: Buffer, encoding: Encoding): Record<string, any>;
  encodeResponse(answer: ExportAnswer | undefined, encoding: Encoding): Buffer;
  encodeStatus(code: number, message: string, encoding: Encoding, retryAfterSeconds?: number): Buffer;
  /** The same Status as gRPC's `grpc-status-details-bin` trailer value. */
  statusDetails(code: number, message: string, retryAfterSeconds: number): Buffer;
}

export function createCodec(protobuf: { Root: typeof Protobuf.Root }): OtlpCodec {
  const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
  const requestType = root.lookupType(EXPORT_REQUEST);
  const responseType = root.lookupType(EXPORT_RESPONSE);
  const statusType = root.lookupType(RPC_STATUS);
  const retryInfoType = root.lookupType(RETRY_INFO);
  const exportMethod = root.lookupService(TRACE_SERVICE).methodsArray[0].name;

  const statusMessage = (code: number, message: string, retryAfterSeconds?: number) => ({
    code,
    message,
    details:
      retryAfterSeconds === undefined
        ? []
        : [
            {
              typeUrl: `type.googleapis.com/${RETRY_INFO}`,
              value: retryInfoType.encode({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } }).finish(),
            },
          ],
  });

  return {
    exportMethod,
    decode(body, encoding) {
      if (encoding === "protobuf") {
        try {
          return requestType.decode(body) as unknown as Record<string, any>;
        } catch (error) {
          throw new MalformedRequest(`the body is not a valid ExportTraceServiceRequest: ${(error as Error).message}`);
        }
      }
      return parseJsonRequest(body);
    },
    encodeResponse(answer, encoding) {
      if (encoding === "json") {
        const partialSuccess = answer && { rejectedSpans: String(answer.rejectedSpans), errorMessage: answer.errorMessage };
        return Buffer.from(JSON.stringify(partialSuccess ? { partialSuccess } : {}));
      }
      return Buffer.from(responseType.encode(answer ? { partialSuccess: answer } : {}).finish());
    },
    encodeStatus(code, message, encoding, retryAfterSeconds) {
      if (encoding === "json") {
        const details =
          retryAfterSeconds === undefined
            ? []
            : [{ "@type": `type.googleapis.com/${RETRY_INFO}`, retryDelay: `${retryAfterSeconds}s` }];
        return Buffer.from(JSON.stringify({ code, message, details }));
      }
      return Buffer.from(statusType.encode(statusMessage(code, message, retryAfterSeconds)).finish());
    },
    statusDetails(code, message, retryAfterSeconds) {
      return Buffer.from(statusType.encode(statusMessage(code, message, retryAfterSeconds)).finish());
    },
  };
}

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
