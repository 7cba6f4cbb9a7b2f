import { describe, expect, it } from "vitest";
import { comparePeriods, PeriodError, parsePeriod } from "../../../src/figures/period.js";

describe("figure periods", () => {
  it("reads years, quarters, months and part-year spans, and writes them canonically", () => {
    expect(parsePeriod("2016")).toMatchObject({ key: "2016", start: "2016-01-01", end: "2016-12-31", shape: "year", partYear: false, label: "2016" });
    expect(parsePeriod("2018-Q1")).toMatchObject({ key: "2018-Q1", start: "2018-01-01", end: "2018-03-31", shape: "quarter", label: "2018 Q1" });
    expect(parsePeriod("q4 2017").key).toBe("2017-Q4");
    expect(parsePeriod("2018q2").end).toBe("2018-06-30");
    expect(parsePeriod("2016-02")).toMatchObject({ key: "2016-02", end: "2016-02-29", shape: "month", label: "Feb 2016" });
    expect(parsePeriod("2018-01/2018-10")).toMatchObject({
      key: "2018-01/2018-10",
      start: "2018-01-01",
      end: "2018-10-31",
      shape: "span",
      partYear: true,
      label: "Jan-Oct 2018 (part year)",
    });
    expect(parsePeriod("2018-01 to 2018-10").key).toBe("2018-01/2018-10");
  });

  it("folds a span that is a whole year, quarter or month into that period", () => {
    expect(parsePeriod("2018-01/2018-12").key).toBe("2018");
    expect(parsePeriod("2018-04/2018-06").key).toBe("2018-Q2");
    expect(parsePeriod("2018-05/2018-05").key).toBe("2018-05");
  });

  it("refuses what it cannot read, saying why", () => {
    expect(() => parsePeriod("FY2018")).toThrow(PeriodError);
    expect(() => parsePeriod("2018-13")).toThrow(/not a period/);
    expect(() => parsePeriod("2018-Q5")).toThrow(/not a period/);
    expect(() => parsePeriod("2017-11/2018-02")).toThrow(/spans two years/);
    expect(() => parsePeriod("2018-10/2018-01")).toThrow(/ends before it starts/);
    expect(() => parsePeriod("2018-00/2018-04")).toThrow(/month that does not exist/);
  });

  it("orders periods by start, a year before its first quarter", () => {
    const keys = ["2018-Q1", "2017", "2018", "2018-01/2018-10", "2018-02"]
      .map(parsePeriod)
      .sort(comparePeriods)
      .map((p) => p.key);
    expect(keys).toEqual(["2017", "2018", "2018-01/2018-10", "2018-Q1", "2018-02"]);
  });
});
