/**
 * The run filter: words separated by spaces, each of which must match.
 * `agent:NAME`, `session:ID`, `user:ID`, `tool:NAME` and `run:ID` match that
 * field (by substring, ignoring case); any other word matches any of them,
 * or the text of the run's events.
 */
import type { RunModel } from "./model.js";

type Term = { field?: "agent" | "session" | "user" | "tool" | "run"; value: string };
export type RunFilter = (run: RunModel) => boolean;

const FIELDS = new Set(["agent", "session", "user", "tool", "run"]);

export function parseFilter(query: string): RunFilter | undefined {
  const terms: Term[] = query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const colon = word.indexOf(":");
      const field = colon > 0 ? word.slice(0, colon) : "";
      return FIELDS.has(field) ? { field: field as Term["field"], value: word.slice(colon + 1) } : { value: word };
    });
  if (terms.length === 0) return undefined;
  return (run) => terms.every((term) => matches(run, term));
}

function matches(run: RunModel, { field, value }: Term): boolean {
  const has = (text: string | undefined) => text !== undefined && text.toLowerCase().includes(value);
  const agent = () => has(run.agent?.name) || has(run.agent?.id);
  const session = () => has(run.sessionId);
  const user = () => has(run.user?.id) || has(run.user?.email) || has(run.user?.name);
  const tool = () => [...run.tools].some((name) => name.includes(value));
  const id = () => has(run.runId);
  switch (field) {
    case "agent":
      return agent();
    case "session":
      return session();
    case "user":
      return user();
    case "tool":
      return tool();
    case "run":
      return id();
    default:
      return agent() || session() || user() || tool() || run.haystack.includes(value);
  }
}
