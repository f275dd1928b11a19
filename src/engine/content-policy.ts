/**
 * What leaves the process: content capture on or off, per-field size
 * limits with a visible marker, and the user's mask, which fails closed.
 */
import type { HookBody, TypedHookBody } from "../protocol/body.js";
import { validateHookBody } from "../protocol/validate.js";
import type { ContentSettings } from "./settings.js";

export const CONTENT_NOT_CAPTURED = "[content not captured]";
export const MASK_FAILED = "[redacted: mask failed]";

/** Receives each outgoing request body; returns it changed, or `null` to drop it. */
export type MaskFunction = (body: HookBody) => HookBody | null | undefined | Promise<HookBody | null | undefined>;

/** The policy edits fields by name, whatever the event's variant; the result is validated before it is sent. */
type EventFields = Record<string, unknown>;
const fieldsOf = (body: TypedHookBody) => body.event as unknown as EventFields;
const withFields = (body: TypedHookBody, event: EventFields): TypedHookBody => ({ ...body, event: event as unknown as TypedHookBody["event"] });

/**
 * Keeps the shape of the run without its content. Identity (user, agent
 * name, session) is not content and stays. Returns `null` for events that
 * are nothing but content (images, documents).
 */
export function withoutContent(body: TypedHookBody): TypedHookBody | null {
  return redact(body, CONTENT_NOT_CAPTURED);
}

function redact(body: TypedHookBody, placeholder: string): TypedHookBody | null {
  const event = { ...fieldsOf(body) };
  switch (event.type) {
    case "text":
      event.text = placeholder;
      break;
    case "thinking":
      event.thinking = placeholder;
      delete event.signature;
      break;
    case "tool_use":
      delete event.input;
      break;
    case "tool_result":
      delete event.content;
      break;
    case "image":
    case "document":
      return null;
  }
  const result = withFields(body, event);
  if (body.agent?.systemPrompt !== undefined) {
    const { systemPrompt: _dropped, ...agent } = body.agent;
    if (Object.keys(agent).length > 0) result.agent = agent;
    else delete result.agent;
  }
  return result;
}

/**
 * `text…[truncated 123 chars]`, no longer than `max`; a limit shorter than
 * the marker itself leaves only the marker, which is never hidden.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  // The marker's own length depends on the count it shows; settle both.
  let keep = max;
  let marker = "";
  for (let round = 0; round < 3; round++) {
    marker = `…[truncated ${text.length - keep} chars]`;
    keep = Math.max(0, max - marker.length);
  }
  marker = `…[truncated ${text.length - keep} chars]`;
  return text.slice(0, keep) + marker;
}

const TEXT_FIELDS = ["text", "thinking", "content", "signature"] as const;
const BLOB_FIELDS = ["image", "document"] as const;

/**
 * Whether a string of the event, or the agent's system prompt, is over `max`
 * (a structured `input` is not looked at: its length is known only once it
 * is encoded). Cheap: a few lengths read.
 */
export function hasLongText(event: object, agent: { systemPrompt?: string } | undefined, max: number): boolean {
  const fields = event as EventFields;
  for (const key of TEXT_FIELDS) if (isLongString(fields[key], max)) return true;
  for (const key of BLOB_FIELDS) if (isLongString((fields[key] as { data?: unknown } | undefined)?.data, max)) return true;
  return isLongString(fields.input, max) || isLongString(agent?.systemPrompt, max);
}

/** Module-level rather than a closure per call: this runs for every event sent. */
function isLongString(value: unknown, max: number): boolean {
  return typeof value === "string" && value.length > max;
}

/** Applies the per-field limit to every free-text or payload field. */
export function truncateBody(body: TypedHookBody, max: number): TypedHookBody {
  if (!Number.isFinite(max)) return body;
  const fields = fieldsOf(body);
  let event: EventFields | undefined;
  const edit = () => (event ??= { ...fields });
  for (const key of TEXT_FIELDS) {
    const value = fields[key];
    if (typeof value === "string" && value.length > max) edit()[key] = truncateText(value, max);
  }
  if (fields.input !== undefined) {
    const encoded = typeof fields.input === "string" ? fields.input : JSON.stringify(fields.input);
    // An oversized input becomes truncated JSON text: still a valid JSON value.
    if (encoded !== undefined && encoded.length > max) edit().input = truncateText(encoded, max);
  }
  for (const key of BLOB_FIELDS) {
    const blob = fields[key] as { data?: unknown } | undefined;
    if (blob && typeof blob.data === "string" && blob.data.length > max) {
      edit()[key] = { ...blob, data: truncateText(blob.data, max) };
    }
  }
  let agent = body.agent;
  if (agent?.systemPrompt !== undefined && agent.systemPrompt.length > max) {
    agent = { ...agent, systemPrompt: truncateText(agent.systemPrompt, max) };
  }
  if (!event && agent === body.agent) return body;
  return { ...withFields(body, event ?? fields), ...(agent ? { agent } : {}) };
}

export type MaskOutcome = { body: TypedHookBody | null; failure?: string };

/**
 * The whole policy, in order: content capture, truncation, then the mask.
 * `null` when nothing may leave (media without content capture); a promise
 * only when there is a mask. Truncation encodes tool input as JSON, so
 * input JSON cannot encode throws.
 */
export function applyContentPolicy(body: TypedHookBody, settings: ContentSettings): TypedHookBody | null | Promise<MaskOutcome> {
  const captured = settings.captureContent ? body : withoutContent(body);
  if (!captured) return null;
  const truncated = truncateBody(captured, settings.maxFieldLength);
  return settings.mask ? applyMask(truncated, settings.mask) : truncated;
}

/** What is sent when the mask failed: content replaced by `[redacted: mask failed]` or removed. */
export function redactedAfterMaskFailure(body: TypedHookBody): TypedHookBody | null {
  return redact(body, MASK_FAILED);
}

/**
 * Runs the mask on a copy. A mask that throws, rejects, or returns something
 * the endpoint would refuse fails closed: content replaced or removed.
 */
export async function applyMask(body: TypedHookBody, mask: MaskFunction): Promise<MaskOutcome> {
  try {
    // The mask's public signature takes the open HookBody; the checks below restore the type.
    const masked = await mask(structuredClone(body) as unknown as HookBody);
    if (masked === null || masked === undefined) return { body: null };
    const issues = validateHookBody(masked);
    if (issues.length > 0) {
      return { body: redactedAfterMaskFailure(body), failure: `mask returned an invalid body: ${issues[0].path} ${issues[0].message}` };
    }
    return { body: masked as unknown as TypedHookBody };
  } catch (error) {
    return { body: redactedAfterMaskFailure(body), failure: `mask threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}
