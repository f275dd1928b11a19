/**
 * Tolerant readers for attribute values. Producers in JS carry structured
 * values as JSON strings, sometimes malformed or truncated; these helpers
 * never throw and return `undefined` for anything they cannot use.
 */
import type { Attributes } from "@opentelemetry/api";

export function str(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function firstStr(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = str(attributes, key);
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

export function num(attributes: Attributes, key: string): number | undefined {
  return toNumber(attributes[key]);
}

export function firstNum(attributes: Attributes, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = num(attributes, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Parses JSON text; values that are not strings pass through unchanged. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  // Only text that starts like JSON is parsed; checking one character avoids
  // copying multi-kilobyte attributes just to look at their start.
  if (!looksLikeJson(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function looksLikeJson(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // space, tab, newline, carriage return
    if (code === 32 || code === 9 || code === 10 || code === 13) continue;
    const char = text[index];
    if (char === "[" || char === "{" || char === '"' || char === "-" || (char >= "0" && char <= "9")) return true;
    // Plain text starting with t/f/n would throw inside JSON.parse; check the literals.
    return text.startsWith("true", index) || text.startsWith("false", index) || text.startsWith("null", index);
  }
  return false;
}

/** Like parseJson, but returns the original text when it is not JSON. */
export function parseJsonOrText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const parsed = parseJson(value);
  return parsed === undefined ? value : parsed;
}

export function json(attributes: Attributes, key: string): unknown {
  return parseJson(attributes[key]);
}

/** An attribute that may be an array, a JSON array string, or a single string. */
export function stringList(attributes: Attributes, key: string): string[] | undefined {
  const value = attributes[key];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  if (typeof value === "string") {
    const parsed = parseJson(value);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === "string");
    return [value];
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds a list flattened into indexed keys, e.g. `llm.input_messages.0.message.role`
 * → `[{ "message.role": … }]`. Holes are dropped; order follows the index.
 */
export function indexedList(attributes: Attributes, prefix: string): Array<Record<string, unknown>> {
  const items = new Map<number, Record<string, unknown>>();
  const start = `${prefix}.`;
  for (const key in attributes) {
    if (!key.startsWith(start)) continue;
    const rest = key.slice(start.length);
    const dot = rest.indexOf(".");
    const indexText = dot === -1 ? rest : rest.slice(0, dot);
    if (!/^\d+$/.test(indexText)) continue;
    const index = Number(indexText);
    let item = items.get(index);
    if (!item) items.set(index, (item = {}));
    item[dot === -1 ? "" : rest.slice(dot + 1)] = attributes[key];
  }
  return [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

/** Same as indexedList, over a record already stripped of a prefix. */
export function indexedSubList(record: Record<string, unknown>, prefix: string): Array<Record<string, unknown>> {
  return indexedList(record as Attributes, prefix);
}

/** The record without its undefined fields (spans say some things and not others). */
export function definedFields<T extends Record<string, unknown>>(record: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out;
}

/** Like definedFields, or `undefined` when nothing is left. */
export function definedOrNothing<T extends Record<string, unknown>>(record: T): Partial<T> | undefined {
  const out = definedFields(record);
  return Object.keys(out).length > 0 ? out : undefined;
}
