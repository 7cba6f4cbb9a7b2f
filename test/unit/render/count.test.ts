import { describe, expect, it } from "vitest";
import { dayCount } from "../../../src/facts/dates.js";
import { count, counted } from "../../../src/render/count.js";

describe("counts as people read them", () => {
  it("groups thousands whatever the machine's locale, and names the noun in the singular only for one", () => {
    expect([0, 7, 999, 1000, 21000, 1234567].map(count)).toEqual(["0", "7", "999", "1,000", "21,000", "1,234,567"]);
    expect(counted(1, "fact")).toBe("1 fact");
    expect(counted(0, "fact")).toBe("0 facts");
    expect(counted(21000, "line")).toBe("21,000 lines");
    expect(counted(2, "match", "matches")).toBe("2 matches");
    expect(dayCount(3142)).toBe("3,142");
  });
});
