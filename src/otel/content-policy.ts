/**
 * What leaves the process: content capture on or off, per-field size
 * limits with a visible marker, and the user's mask, which fails closed.
 */
import type { HookBody } from "../protocol/body.js";
import { validateHookBody } from "../protocol/validate.js";

export const CONTENT_NOT_CAPTURED = "[content not captured]";
export const MASK_FAILED = "[redacted: mask failed]";

/** Receives each outgoing request body; returns it changed, or `null` to drop it. */
export type MaskFunction = (body: HookBody) => HookBody | null | undefined | Promise<HookBody | null | undefined>;

type EventFields = Record<string, unknown>;

/**
 * Keeps the shape of the run without its content. Identity (user, agent
 * name, session) is not content and stays. Returns `null` for events that
 * are nothing but content (images, documents).
 */
export function withoutContent(body: HookBody): HookBody | null {
  return redact(body, CONTENT_NOT_CAPTURED);
}

function redact(body: HookBody, placeholder: string): HookBody | null {
  const event = { ...body.event } as EventFields;
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
  const result: HookBody = { ...body, event };
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

/** Applies the per-field limit to every free-text or payload field. */
export function truncateBody(body: HookBody, max: number): HookBody {
  if (!Number.isFinite(max)) return body;
  let event: EventFields | undefined;
  const edit = () => (event ??= { ...body.event });
  for (const key of ["text", "thinking", "content", "signature"] as const) {
    const value = body.event[key];
    if (typeof value === "string" && value.length > max) edit()[key] = truncateText(value, max);
  }
  if (body.event.input !== undefined) {
    const encoded = typeof body.event.input === "string" ? body.event.input : JSON.stringify(body.event.input);
    // An oversized input becomes truncated JSON text: still a valid JSON value.
    if (encoded !== undefined && encoded.length > max) edit().input = truncateText(encoded, max);
  }
  for (const key of ["image", "document"] as const) {
    const blob = body.event[key] as { data?: unknown } | undefined;
    if (blob && typeof blob.data === "string" && blob.data.length > max) {
      edit()[key] = { ...blob, data: truncateText(blob.data, max) };
    }
  }
  let agent = body.agent;
  if (agent?.systemPrompt !== undefined && agent.systemPrompt.length > max) {
    agent = { ...agent, systemPrompt: truncateText(agent.systemPrompt, max) };
  }
  if (!event && agent === body.agent) return body;
  return { ...body, event: event ?? body.event, ...(agent ? { agent } : {}) };
}

export type MaskOutcome = { body: HookBody | null; failure?: string };

/**
 * Runs the mask on a copy. A mask that throws, rejects, or returns something
 * the endpoint would refuse fails closed: content replaced or removed.
 */
export async function applyMask(body: HookBody, mask: MaskFunction): Promise<MaskOutcome> {
  try {
    const masked = await mask(structuredClone(body));
    if (masked === null || masked === undefined) return { body: null };
    const issues = validateHookBody(masked);
    if (issues.length > 0) {
      return { body: redact(body, MASK_FAILED), failure: `mask returned an invalid body: ${issues[0].path} ${issues[0].message}` };
    }
    return { body: masked };
  } catch (error) {
    return { body: redact(body, MASK_FAILED), failure: `mask threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}
