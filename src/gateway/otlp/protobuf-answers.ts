/**
 * The few protobuf messages the gateway sends, written by hand:
 * `ExportTraceServiceResponse` (with its `partialSuccess`) and
 * `google.rpc.Status`, carrying a `google.rpc.RetryInfo` when the sender
 * should retry later.
 */
import { RETRY_INFO } from "./schema.js";
import { WIRE_LENGTH, WIRE_VARINT } from "./wire-reader.js";

/** A non-negative integer (up to 2^53) as a varint. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return bytes;
}

const varintField = (field: number, value: number) => Buffer.from([...varint((field << 3) | WIRE_VARINT), ...varint(value)]);

function lengthField(field: number, value: Uint8Array | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([Buffer.from([...varint((field << 3) | WIRE_LENGTH), ...varint(bytes.length)]), bytes]);
}

/** `ExportTraceServiceResponse`: empty when every span was taken. */
export function exportResponse(partial: { rejectedSpans: number; errorMessage: string } | undefined): Buffer {
  if (!partial) return Buffer.alloc(0);
  const partialSuccess = Buffer.concat([varintField(1, partial.rejectedSpans), lengthField(2, partial.errorMessage)]);
  return lengthField(1, partialSuccess);
}

/** `google.rpc.Status`, with a `RetryInfo` detail when `retryAfterSeconds` is given. */
export function rpcStatus(code: number, message: string, retryAfterSeconds?: number): Buffer {
  const parts = [varintField(1, code), lengthField(2, message)];
  if (retryAfterSeconds !== undefined) {
    const duration = varintField(1, retryAfterSeconds);
    const retryInfo = lengthField(1, duration);
    const any = Buffer.concat([lengthField(1, `type.googleapis.com/${RETRY_INFO}`), lengthField(2, retryInfo)]);
    parts.push(lengthField(3, any));
  }
  return Buffer.concat(parts);
}
