/**
 * The claims index stays true to the README and to the tests: every claim
 * is still a sentence of README.md, every test it names still exists under
 * that title, every figure it quotes is still in BENCHMARKS.md, and no
 * claim is listed twice. A reworded sentence or a renamed test fails here
 * until someone checks the pair again.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CLAIMS, type Claim } from "./claims.js";

const root = resolve(import.meta.dirname, "../..");
const normalise = (text: string) => text.replace(/\s+/g, " ");
const readme = normalise(readFileSync(join(root, "README.md"), "utf8"));
const benchmarks = readFileSync(join(root, "BENCHMARKS.md"), "utf8");

/** A test file's text, read once. */
const sources = new Map<string, string>();
function source(file: string): string | undefined {
  if (!sources.has(file)) {
    const path = join(root, file);
    if (!existsSync(path)) return undefined;
    sources.set(file, readFileSync(path, "utf8"));
  }
  return sources.get(file);
}

/** Whether `title` is a quoted string of the file, as an `it(…)` or `describe(…)` title is. */
function hasTitle(text: string, title: string): boolean {
  return ['"', "'", "`"].some((quote) => text.includes(`${quote}${title}${quote}`));
}

/** What is wrong with one reference `file > title` (or `file > describe > it`), if anything. */
function referenceProblem(reference: string): string | undefined {
  const [file, ...titles] = reference.split(" > ");
  if (titles.length === 0) return `"${reference}" names no test: write "file > title"`;
  if (!file.startsWith("test/") && !file.startsWith("scripts/")) return `${file} is not under test/ or scripts/`;
  const text = source(file);
  if (text === undefined) return `${file} does not exist`;
  // Test files name tests by their quoted titles; a plain script (the Node 18 smoke run) by a line of its own.
  const found = file.endsWith(".test.ts") ? (title: string) => hasTitle(text, title) : (title: string) => text.includes(title);
  const missing = titles.find((title) => !found(title));
  return missing === undefined ? undefined : `${file} has no test titled "${missing}"`;
}

/** The section of BENCHMARKS.md under a heading, up to the next heading of the same or a higher level. */
function benchmarkSection(heading: string): string | undefined {
  const lines = benchmarks.split("\n");
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, "").startsWith(heading));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start])![0].length;
  const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

const label = (claim: Claim) => (claim.claim.length > 70 ? `${claim.claim.slice(0, 67)}…` : claim.claim);

describe("the README claims index", () => {
  it("lists each claim once", () => {
    const seen = new Set<string>();
    const twice = CLAIMS.map((entry) => normalise(entry.claim)).filter((claim) => (seen.has(claim) ? true : (seen.add(claim), false)));
    expect(twice).toEqual([]);
  });

  it("backs every claim with a test or a benchmark", () => {
    expect(CLAIMS.filter((entry) => (entry.tests ?? []).length === 0 && !entry.benchmark).map(label)).toEqual([]);
  });

  it.each(CLAIMS.map((entry) => [label(entry), entry] as const))("%s", (_label, entry) => {
    expect(readme, "the claim, word for word, in README.md (whitespace normalised)").toContain(normalise(entry.claim));
    const problems = (entry.tests ?? []).map(referenceProblem).filter((problem) => problem !== undefined);
    expect(problems).toEqual([]);
    if (entry.benchmark) {
      expect(entry.benchmark.file, "a benchmark under bench/").toMatch(/^bench\//);
      expect(existsSync(join(root, entry.benchmark.file)), `${entry.benchmark.file} exists`).toBe(true);
      const section = benchmarkSection(entry.benchmark.section);
      expect(section, `BENCHMARKS.md has a section "${entry.benchmark.section}"`).toBeDefined();
      for (const figure of entry.benchmark.figures) expect(section, `the figure quoted, in BENCHMARKS.md's "${entry.benchmark.section}"`).toContain(figure);
    }
  });
});
