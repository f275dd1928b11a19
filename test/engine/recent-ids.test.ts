import { describe, expect, it } from "vitest";
import { RecentIds } from "../../src/engine/recent-ids.js";

describe("RecentIds", () => {
  it("remembers the last `capacity` ids and forgets the oldest first", () => {
    const ids = new RecentIds(3);
    for (const id of ["a", "b", "c"]) ids.add(id);
    expect([ids.has("a"), ids.has("b"), ids.has("c"), ids.size]).toEqual([true, true, true, 3]);
    ids.add("d");
    expect([ids.has("a"), ids.has("b"), ids.has("d"), ids.size]).toEqual([false, true, true, 3]);
    ids.add("e");
    ids.add("f");
    ids.add("g");
    expect(["a", "b", "c", "d", "e", "f", "g"].filter((id) => ids.has(id))).toEqual(["e", "f", "g"]);
  });

  it("does not count an id added twice as two", () => {
    const ids = new RecentIds(2);
    ids.add("a");
    ids.add("a");
    ids.add("b");
    expect([ids.has("a"), ids.has("b"), ids.size]).toEqual([true, true, 2]);
  });

  it("keeps evicting in order over many turns of its ring", () => {
    const ids = new RecentIds(100);
    for (let i = 0; i < 1_050; i++) ids.add(`t${i}`);
    expect(ids.size).toBe(100);
    expect(ids.has("t949")).toBe(false);
    expect(ids.has("t950")).toBe(true);
    expect(ids.has("t1049")).toBe(true);
  });

  it("starts over when cleared", () => {
    const ids = new RecentIds(2);
    ids.add("a");
    ids.add("b");
    ids.clear();
    expect([ids.has("a"), ids.size]).toEqual([false, 0]);
    ids.add("c");
    ids.add("d");
    ids.add("e");
    expect(["c", "d", "e"].filter((id) => ids.has(id))).toEqual(["d", "e"]);
  });

  it("names what it accepts when given a bad capacity", () => {
    expect(() => new RecentIds(0)).toThrow(/capacity must be a positive integer, got 0/);
  });
});
