/**
 * Deterministic run ids, formatted as RFC 9562 UUIDv8 so the endpoint and
 * any UUID parser accept them. Two processes that see the same trace derive
 * the same ids, and a run id shows the trace id it came from, all but the six
 * bits the version and variant take.
 */

const HEX32 = /^[0-9a-f]{32}$/i;
const HEX16 = /^[0-9a-f]{16}$/i;

/** Version 8 in the 13th digit, variant 10xx in the 17th: the only two digits changed. */
function formatUuidV8(hex: string): string {
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The run id of a trace: the trace id's own digits, except the version and
 * variant positions. `4bf92f3577b34da6a3ce929d0e0e4736` →
 * `4bf92f35-77b3-8da6-a3ce-929d0e0e4736`.
 */
export function runIdForTrace(traceId: string): string {
  if (!HEX32.test(traceId)) throw new TypeError(`traceId must be 32 hex digits (got ${JSON.stringify(traceId)})`);
  return formatUuidV8(traceId.toLowerCase());
}

/**
 * The run id of a sub-agent: the first half of the trace id followed by the
 * agent span's id, so both show in the run id (but for the version and
 * variant bits).
 */
export function runIdForSpan(traceId: string, spanId: string): string {
  if (!HEX32.test(traceId)) throw new TypeError(`traceId must be 32 hex digits (got ${JSON.stringify(traceId)})`);
  if (!HEX16.test(spanId)) throw new TypeError(`spanId must be 16 hex digits (got ${JSON.stringify(spanId)})`);
  return formatUuidV8(`${traceId.slice(0, 16)}${spanId}`.toLowerCase());
}

/**
 * The eventId of a tool call's `tool_use`: the same whoever reports it (the
 * bridge or the tool guard), so the two never send it twice. Kept here, with
 * no dependency, so the guard entry loads none of the composer.
 */
export function toolUseEventId(runId: string, toolUseId: string): string {
  return `${runId}:tool_use:${toolUseId}`;
}
