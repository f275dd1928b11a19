/**
 * The README's "versions tested" column names the versions the framework
 * suite runs: each must be the version installed, so that upgrading a
 * framework without updating the table (or the other way round) fails here.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** `[package, version]` for every "`package` x.y.z" in the table's last column. */
function versionsTested(): Array<[string, string]> {
  const header = readme.indexOf("| framework | instrumentation | versions tested |");
  expect(header, "the frameworks table's header").toBeGreaterThan(-1);
  const rows = readme.slice(header).split("\n").slice(2);
  const versions: Array<[string, string]> = [];
  for (const row of rows) {
    if (!row.startsWith("|")) break;
    const column = row.split("|").at(-2) ?? "";
    for (const [, name, version] of column.matchAll(/`([^`]+)` (\d+\.\d+\.\d+)/g)) versions.push([name, version]);
  }
  return versions;
}

describe("README frameworks table", () => {
  it("names the installed version of every framework and instrumentation it lists", () => {
    const listed = versionsTested();
    expect(listed.length).toBeGreaterThanOrEqual(15);
    const installed = listed.map(([name]) => [name, JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version]);
    expect(listed).toEqual(installed);
  });
});
