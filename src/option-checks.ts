/**
 * Checks for configuration values, run once when something is constructed.
 * A wrong value is a programming error: it throws at once, with a message
 * that names the option and what it accepts, e.g.
 * `maxQueueSize must be a positive integer (got 0)`.
 */

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/** The longest delay `setTimeout` honours; longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

function refuse(name: string, expected: string, value: unknown): never {
  throw new ConfigurationError(`${name} must be ${expected} (got ${describe(value)})`);
}

/** A count: a whole number from `min` (1 unless said). */
export function integerOption(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    refuse(name, min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer of at least ${min}`, value);
  }
  return value;
}

/** A duration in milliseconds that a timer can wait for. */
export function durationOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    refuse(name, `a positive number of milliseconds, at most ${MAX_TIMER_MS}`, value);
  }
  return value;
}

export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") refuse(name, "true or false", value);
  return value;
}

export function functionOption<T extends (...args: never[]) => unknown>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") refuse(name, "a function", value);
  return value as T;
}

export function stringOption(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") refuse(name, "a string", value);
  return value;
}

/** An object whose listed fields, when present, are strings; returned as a frozen copy of those fields. */
export function stringFieldsOption<K extends string>(name: string, value: unknown, fields: readonly K[]): Readonly<Partial<Record<K, string>>> {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== "object" || value === null || Array.isArray(value)) refuse(name, `an object with string fields ${fields.join(", ")}`, value);
  const out: Partial<Record<K, string>> = {};
  for (const field of fields) {
    const fieldValue = stringOption(`${name}.${field}`, (value as Record<string, unknown>)[field]);
    if (fieldValue !== undefined) out[field] = fieldValue;
  }
  return Object.freeze(out);
}

/** A non-negative finite number (prices). */
export function amountOption(name: string, value: unknown, required: boolean): number | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) refuse(name, "a non-negative number", value);
  return value;
}
