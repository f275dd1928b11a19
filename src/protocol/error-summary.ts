/**
 * Condenses a 400 body (the server's validation output can be large) into one
 * readable line, e.g. `event.toolUseId: Required; event.foo: Unrecognized key`.
 */

const MAX_SUMMARY_LENGTH = 500;

interface IssueLike {
  path?: unknown;
  message?: unknown;
  code?: unknown;
}

export function summarizeErrorBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return clip(trimmed.replace(/\s+/g, " "));
  }
  const issues = findIssues(parsed);
  if (issues.length > 0) {
    return clip(issues.map(formatIssue).join("; "));
  }
  const message = findMessage(parsed);
  return clip(message ?? JSON.stringify(parsed));
}

function findIssues(value: unknown, depth = 0): IssueLike[] {
  if (depth > 4 || typeof value !== "object" || value === null) return [];
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
  const path = Array.isArray(issue.path) ? issue.path.join(".") : typeof issue.path === "string" ? issue.path : "";
  const message = typeof issue.message === "string" ? issue.message : JSON.stringify(issue.message);
  return path ? `${path}: ${message}` : message;
}

function findMessage(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ["message", "error", "detail"]) {
    const found = findMessage(record[key]);
    if (found) return found;
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_SUMMARY_LENGTH ? `${text.slice(0, MAX_SUMMARY_LENGTH)}…` : text;
}
