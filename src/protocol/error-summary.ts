/**
 * Condenses a 400 body (the server's validation output can be large) into one
 * readable line, e.g. `event.toolUseId: Required; event.foo: Unrecognized key`.
 *
 * The body comes from the network and may be anything: every walk below is
 * bounded in depth, nothing is re-serialised whole, and the line that ends up
 * in an error message carries no control characters.
 */
import { escapeControlCharacters } from "./printable.js";

const MAX_SUMMARY_LENGTH = 500;
/** How deep to look for issues or a message; real bodies nest two or three levels. */
const MAX_SEARCH_DEPTH = 4;

interface IssueLike {
  path?: unknown;
  message?: unknown;
  code?: unknown;
}

export function summarizeErrorBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return "";
  try {
    return clip(summarizeJson(JSON.parse(trimmed)) ?? oneLine(trimmed));
  } catch {
    // Not JSON (or JSON too odd to read): the text itself, on one line.
    return clip(oneLine(trimmed));
  }
}

function summarizeJson(parsed: unknown): string | undefined {
  const issues = findIssues(parsed, 0);
  if (issues.length > 0) return issues.map(formatIssue).join("; ");
  return findMessage(parsed, 0);
}

function findIssues(value: unknown, depth: number): IssueLike[] {
  if (depth > MAX_SEARCH_DEPTH || typeof value !== "object" || value === null) return [];
  if (Array.isArray(value)) {
    return value.every((item) => typeof item === "object" && item !== null && "message" in item)
      ? (value as IssueLike[])
      : [];
  }
  for (const key of ["issues", "errors", "problems", "error", "details"]) {
    const found = findIssues((value as Record<string, unknown>)[key], depth + 1);
    if (found.length > 0) return found;
  }
  return [];
}

function formatIssue(issue: IssueLike): string {
  const path = Array.isArray(issue.path)
    ? issue.path.map((part) => (typeof part === "string" || typeof part === "number" ? String(part) : "?")).join(".")
    : typeof issue.path === "string"
      ? issue.path
      : "";
  const message = typeof issue.message === "string" ? issue.message : shortJson(issue.message);
  return path ? `${path}: ${message}` : message;
}

function findMessage(value: unknown, depth: number): string | undefined {
  if (typeof value === "string") return value;
  if (depth > MAX_SEARCH_DEPTH || typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ["message", "error", "detail"]) {
    const found = findMessage(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A value as JSON when it can be encoded; a nested one too deep to encode is only named. */
function shortJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[unreadable value]";
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

function clip(text: string): string {
  const clipped = text.length > MAX_SUMMARY_LENGTH ? `${text.slice(0, MAX_SUMMARY_LENGTH)}…` : text;
  return escapeControlCharacters(clipped);
}
