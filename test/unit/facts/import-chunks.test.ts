import { describe, expect, it } from "vitest";
import { chunked } from "../../../src/facts/import-staging.js";

describe("chunked: the runs of rows an import sends per statement", () => {
  it("cuts at the count or the weight, whichever comes first, keeping the order", () => {
    const items = [1, 2, 3, 4, 5, 6, 7];
    expect(chunked(items, { count: 3, weight: 100 }, () => 1)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(chunked(items, { count: 100, weight: 10 }, (n) => n)).toEqual([[1, 2, 3, 4], [5], [6], [7]]);
  });

  it("gives an item heavier than the limit a run of its own, and nothing for no items", () => {
    expect(chunked([1, 50, 2, 3], { count: 10, weight: 10 }, (n) => n)).toEqual([[1], [50], [2, 3]]);
    expect(chunked([], { count: 10, weight: 10 }, () => 1)).toEqual([]);
  });
});
