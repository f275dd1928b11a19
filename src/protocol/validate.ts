/**
 * Validation of hook bodies and events against the documented schema, with
 * messages that name the field and what was expected, e.g.
 * `event.toolUseId is required for type "tool_use"`.
 */
import { STOP_REASONS } from "./events.js";

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `event.usage.totalTokens`. */
  path: string;
  /** What was expected, phrased to follow the path. */
  message: string;
}

type Check = (value: unknown) => string | undefined;

/**
 * Looks a field name up among a table's own entries. `in` and plain indexing
 * would also find what every object inherits (`toString`, `constructor`,
 * `__proto__`), letting such keys through as if they were known fields.
 */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const MAX_QUOTED_CHARS = 80;

/** A value in a few words, for messages: `number 3`, `an array`, `null`. */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "object") return "an object";
  // A message names the value; it need not repeat (or keep alive) a megabyte of it.
  if (typeof value === "string" && value.length > MAX_QUOTED_CHARS) {
    return `string ${JSON.stringify(value.slice(0, MAX_QUOTED_CHARS)).slice(0, -1)}…" (${value.length} characters)`;
  }
  return `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
};

const string: Check = (v) =>
  typeof v === "string" ? undefined : `must be a string (got ${describeValue(v)})`;
const nonEmptyString: Check = (v) =>
  typeof v === "string" && v.length > 0
    ? undefined
    : `must be a non-empty string (got ${describeValue(v)})`;
const finiteNumber: Check = (v) =>
  typeof v === "number" && Number.isFinite(v)
    ? undefined
    : `must be a finite number (got ${describeValue(v)})`;
const tokenCount: Check = (v) =>
  typeof v === "number" && Number.isFinite(v) && v >= 0
    ? undefined
    : `must be a non-negative number (got ${describeValue(v)})`;
const boolean: Check = (v) =>
  typeof v === "boolean" ? undefined : `must be a boolean (got ${describeValue(v)})`;
/**
 * How deep a free-form JSON value (a tool's `input`) may nest. Deeper values
 * are refused: encoding them overflows the stack of whoever serialises them
 * next (this SDK, the receiver, a log), and no tool takes such input.
 */
export const MAX_JSON_DEPTH = 100;

const anyJson: Check = (v) => {
  if (v === undefined) return "must be a JSON value";
  return nestsTooDeep(v) ? `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep` : undefined;
};

/** Whether a JSON value nests objects and arrays deeper than `MAX_JSON_DEPTH`. */
export function nestsTooDeep(value: unknown): boolean {
  return nestsDeeperThan(value, MAX_JSON_DEPTH, []);
}

/** Recursion is bounded by `limit`; a cycle is left for the JSON encoder to name. */
function nestsDeeperThan(value: unknown, limit: number, ancestors: object[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (ancestors.includes(value)) return false;
  if (ancestors.length === limit) return true;
  ancestors.push(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    if (nestsDeeperThan(child, limit, ancestors)) return true;
  }
  ancestors.pop();
  return false;
}
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const timestamp: Check = (v) => {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return undefined;
  if (typeof v === "string" && ISO_8601.test(v) && !Number.isNaN(Date.parse(v))) return undefined;
  return `must be epoch milliseconds or an ISO-8601 string (got ${describeValue(v)})`;
};
const oneOf =
  (allowed: readonly string[]): Check =>
  (v) =>
    typeof v === "string" && allowed.includes(v)
      ? undefined
      : `must be one of ${allowed.map((a) => `"${a}"`).join(", ")} (got ${describeValue(v)})`;

interface Shape {
  required: Record<string, Check>;
  optional: Record<string, Check>;
}

/** Marker so nested shapes report their own issues with full paths. */
const NESTED = Symbol("nested");
type NestedCheck = Check & { [NESTED]: Shape };
function objectOf(shape: Shape): NestedCheck {
  const check = ((v: unknown) => (isObject(v) ? undefined : `must be an object (got ${describeValue(v)})`)) as NestedCheck;
  check[NESTED] = shape;
  return check;
}

const COMMON: Record<string, Check> = { eventId: string, timestamp };
const AGENT_ONLY: Record<string, Check> = {
  model: string,
  temperature: finiteNumber,
  maxTokens: finiteNumber,
  topP: finiteNumber,
  topK: finiteNumber,
};

const BLOB: Shape = { required: { source: string, data: string }, optional: { mediaType: string } };

const CONTENT_TYPES: Record<string, Shape> = {
  text: { required: { text: string }, optional: {} },
  thinking: {
    required: { thinking: string },
    optional: { thinkingBudget: finiteNumber, signature: string },
  },
  tool_use: { required: { name: nonEmptyString, toolUseId: nonEmptyString }, optional: { input: anyJson } },
  tool_result: {
    required: { toolUseId: nonEmptyString },
    optional: { name: string, content: string, isError: boolean },
  },
  image: { required: { image: objectOf(BLOB) }, optional: {} },
  document: { required: { document: objectOf(BLOB) }, optional: {} },
};

const USAGE_COST: Shape = {
  required: {
    inputTokensCost: finiteNumber,
    outputTokensCost: finiteNumber,
    cacheReadTokensCost: finiteNumber,
    cacheWriteTokensCost: finiteNumber,
    currency: nonEmptyString,
  },
  optional: {},
};
const USAGE: Shape = {
  required: { inputTokens: tokenCount, outputTokens: tokenCount, totalTokens: tokenCount },
  optional: {
    cacheReadTokens: tokenCount,
    cacheWriteTokens: tokenCount,
    cost: objectOf(USAGE_COST),
  },
};
const STOP: Shape = {
  required: {},
  optional: { ...COMMON, stopReason: oneOf(STOP_REASONS), usage: objectOf(USAGE) },
};

/** Checks `value` against `shape`; paths are only built for problems found. */
function checkShape(
  value: Record<string, unknown>,
  shape: Shape,
  path: string,
  issues: ValidationIssue[],
  context: string,
  extraAllowed: Record<string, Check> = NONE_ALLOWED,
  notAllowed: Record<string, string> = NONE_REFUSED,
): void {
  for (const key in shape.required) {
    if (value[key] === undefined) issues.push({ path: `${path}.${key}`, message: `is required${context}` });
    else runCheck(value[key], shape.required[key], path, key, issues);
  }
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(shape.required, key)) continue;
    const check = own(shape.optional, key) ?? own(extraAllowed, key);
    if (check) {
      if (value[key] !== undefined) runCheck(value[key], check, path, key, issues);
    } else if (Object.hasOwn(notAllowed, key)) {
      issues.push({ path: `${path}.${key}`, message: notAllowed[key] });
    } else {
      issues.push({ path: `${path}.${key}`, message: `is not a known field${context}` });
    }
  }
}

function runCheck(value: unknown, check: Check, parent: string, key: string, issues: ValidationIssue[]): void {
  const problem = check(value);
  if (problem) {
    issues.push({ path: `${parent}.${key}`, message: problem });
    return;
  }
  const nested = (check as Partial<NestedCheck>)[NESTED];
  if (nested) checkShape(value as Record<string, unknown>, nested, `${parent}.${key}`, issues, "");
}

const NONE_ALLOWED: Record<string, Check> = {};
const NONE_REFUSED: Record<string, string> = {};
const AGENT_ONLY_REFUSED: Record<string, string> = Object.fromEntries(
  Object.keys(AGENT_ONLY).map((key) => [key, `is only allowed when source is "agent"`]),
);
const STOP_REFUSED: Record<string, string> = { type: `is not allowed when source is "stop"`, ...AGENT_ONLY_REFUSED };
const USER_ALLOWED: Record<string, Check> = { source: string, type: string, ...COMMON };
const AGENT_ALLOWED: Record<string, Check> = { ...USER_ALLOWED, ...AGENT_ONLY };
const STOP_SHAPE: Shape = { required: { source: string }, optional: STOP.optional };
const TYPE_CONTEXT: Record<string, string> = Object.fromEntries(
  Object.keys(CONTENT_TYPES).map((type) => [type, ` for type "${type}"`]),
);

/**
 * Checks an `event` payload. Returns every problem found, in field order;
 * an empty array means the server's strict validation will accept it.
 */
export function validateEvent(event: unknown, path = "event"): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(event)) {
    issues.push({ path, message: `must be an object (got ${describeValue(event)})` });
    return issues;
  }
  const source = event.source;
  if (source === "stop") {
    checkShape(event, STOP_SHAPE, path, issues, ` for source "stop"`, NONE_ALLOWED, STOP_REFUSED);
    return issues;
  }
  if (source !== "user" && source !== "agent") {
    const hint =
      source === "system"
        ? `: "system" is not accepted, send a system prompt in agent.systemPrompt`
        : "";
    issues.push({
      path: `${path}.source`,
      message:
        source === undefined
          ? `is required and must be one of "user", "agent", "stop"`
          : `must be one of "user", "agent", "stop" (got ${describeValue(source)})${hint}`,
    });
    return issues;
  }
  const type = event.type;
  const shape = typeof type === "string" ? own(CONTENT_TYPES, type) : undefined;
  if (!shape) {
    issues.push({
      path: `${path}.type`,
      message: `${type === undefined ? "is required and " : ""}must be one of ${Object.keys(CONTENT_TYPES)
        .map((t) => `"${t}"`)
        .join(", ")}${type === undefined ? "" : ` (got ${describeValue(type)})`}`,
    });
    return issues;
  }
  const isAgent = source === "agent";
  checkShape(
    event,
    shape,
    path,
    issues,
    TYPE_CONTEXT[type as string],
    isAgent ? AGENT_ALLOWED : USER_ALLOWED,
    isAgent ? NONE_REFUSED : AGENT_ONLY_REFUSED,
  );
  return issues;
}

const BODY_FIELDS: Shape = {
  required: {
    hookEvent: nonEmptyString,
    runId: nonEmptyString,
    bourneVersion: oneOf(["v2"]),
  },
  optional: {
    parentRunId: nonEmptyString,
    sessionId: string,
    clientSentAtMs: finiteNumber,
    user: objectOf({ required: {}, optional: { email: string, id: string, name: string } }),
    agent: objectOf({ required: {}, optional: { systemPrompt: string, name: string, id: string } }),
  },
};

/** Checks a whole request body, `event` included, the way the endpoint does. */
export function validateHookBody(body: unknown): ValidationIssue[] {
  if (!isObject(body)) return [{ path: "body", message: `must be a JSON object (got ${describeValue(body)})` }];
  const issues: ValidationIssue[] = [];
  const { event, ...rest } = body;
  checkShape(rest, BODY_FIELDS, "body", issues, "");
  for (const issue of issues) issue.path = issue.path.replace(/^body\./, "");
  if (event === undefined) issues.push({ path: "event", message: "is required" });
  else issues.push(...validateEvent(event));
  return issues;
}

/** One readable line: `event.toolUseId is required for type "tool_use"; …`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
}
