/**
 * The README's conventions table is the registry's order: the first column
 * names each reader, and the rows must list every reader, in the order
 * `readerFor` tries them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONVENTION_READERS } from "../../src/otel/conventions/registry.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function tableReaders(): string[] {
  const header = readme.indexOf("| reader: convention |");
  expect(header, "the conventions table's header").toBeGreaterThan(-1);
  const rows = readme.slice(header).split("\n").slice(2);
  const names: string[] = [];
  for (const row of rows) {
    if (!row.startsWith("|")) break;
    const name = /^\|\s*`([^`]+)`:/.exec(row)?.[1];
    expect(name, `a reader name in the first column of: ${row}`).toBeDefined();
    names.push(name!);
  }
  return names;
}

describe("README conventions table", () => {
  it("lists every reader in the registry's order", () => {
    expect(tableReaders()).toEqual(CONVENTION_READERS.map((reader) => reader.name));
  });
});
