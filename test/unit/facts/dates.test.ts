import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween, describeDaysLeft, isIsoDate } from "../../../src/facts/dates.js";
import { dateInZone } from "../../../src/time-zone.js";

describe("calendar dates", () => {
  it("knows real dates from impossible ones, leap years included", () => {
    expect(isIsoDate("2017-07-12")).toBe(true);
    expect(isIsoDate("2016-02-29")).toBe(true);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2017-02-29")).toBe(false);
    expect(isIsoDate("1900-02-29")).toBe(false);
    expect(isIsoDate("2017-04-31")).toBe(false);
    expect(isIsoDate("2017-7-12")).toBe(false);
    expect(isIsoDate("12/07/2017")).toBe(false);
  });

  it("counts 30 days after 12 July 2017 as 11 August 2017", () => {
    expect(addDays("2017-07-12", 30)).toBe("2017-08-11");
  });

  it("crosses month ends, year ends and leap days", () => {
    expect(addDays("2017-01-31", 1)).toBe("2017-02-01");
    expect(addDays("2016-02-28", 1)).toBe("2016-02-29");
    expect(addDays("2017-02-28", 1)).toBe("2017-03-01");
    expect(addDays("2017-12-31", 1)).toBe("2018-01-01");
    expect(addDays("2018-03-01", -1)).toBe("2018-02-28");
    expect(daysBetween("2016-02-01", "2016-03-01")).toBe(29);
    expect(daysBetween("2017-02-01", "2017-03-01")).toBe(28);
  });

  it("counts whole days even across a daylight-saving change", () => {
    // The U.S. clocks went forward on 12 March 2017 and back on 5 November 2017.
    expect(daysBetween("2017-03-11", "2017-03-13")).toBe(2);
    expect(daysBetween("2017-11-04", "2017-11-06")).toBe(2);
  });

  it("days left: 22 on 20 July, due today, overdue by 4 on 15 August", () => {
    expect(daysBetween("2017-07-20", "2017-08-11")).toBe(22);
    expect(describeDaysLeft(22)).toBe("22 days left");
    expect(describeDaysLeft(1)).toBe("1 day left");
    expect(describeDaysLeft(0)).toBe("due today");
    expect(describeDaysLeft(-1)).toBe("overdue by 1 day");
    expect(describeDaysLeft(-2581)).toBe("overdue by 2,581 days");
    expect(describeDaysLeft(1200)).toBe("1,200 days left");
    expect(describeDaysLeft(daysBetween("2017-08-15", "2017-08-11"))).toBe("overdue by 4 days");
  });

  it("takes today's date in the team's time zone, not the server's", () => {
    const instant = new Date("2017-07-21T02:30:00Z");
    expect(dateInZone(instant, "America/New_York")).toBe("2017-07-20");
    expect(dateInZone(instant, "Asia/Seoul")).toBe("2017-07-21");
    expect(dateInZone(instant, "UTC")).toBe("2017-07-21");
  });

  it("addDays and daysBetween undo each other (property)", () => {
    const date = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        const later = addDays(d, n);
        expect(isIsoDate(later)).toBe(true);
        expect(daysBetween(d, later)).toBe(n);
      }),
    );
  });
});
