/**
 * Requests the receiver refused, for tests and for people to look at. Only
 * the problems are kept whole; bodies are kept for the most recent few, cut
 * short, so a stream of large malformed posts cannot grow the process.
 */
import type { ValidationIssue } from "../protocol/validate.js";

export interface Rejection {
  receivedAt: number;
  /** The problems found (the first MAX_ISSUES of them). */
  issues: ValidationIssue[];
  /** The start of the raw body, at most MAX_BODY_CHARS characters. */
  body: string;
  /** Length of the whole raw body, in characters. */
  bodyLength: number;
}

export const MAX_REJECTIONS = 100;
export const MAX_BODY_CHARS = 2048;
const MAX_ISSUES = 20;

export class RejectionLog {
  readonly #entries: Rejection[] = [];
  #count = 0;

  add(raw: string, issues: readonly ValidationIssue[], receivedAt = Date.now()): Rejection {
    const rejection: Rejection = {
      receivedAt,
      issues: issues.slice(0, MAX_ISSUES),
      body: raw.length > MAX_BODY_CHARS ? detachedCopy(`${raw.slice(0, MAX_BODY_CHARS)}…`) : raw,
      bodyLength: raw.length,
    };
    this.#count++;
    this.#entries.push(rejection);
    if (this.#entries.length > MAX_REJECTIONS) this.#entries.shift();
    return rejection;
  }

  /** The most recent rejections, oldest first. */
  get entries(): readonly Rejection[] {
    return this.#entries;
  }

  /** Every rejection since the start (or the last clear). */
  get count(): number {
    return this.#count;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#count = 0;
  }
}

/** V8 may keep a slice as a view of the whole (large) string; a round trip through bytes copies it. */
function detachedCopy(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
