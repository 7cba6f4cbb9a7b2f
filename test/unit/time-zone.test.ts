import { describe, expect, it } from "vitest";
import { canonicalTimeZone, dateInZone, describeInstant, isTimeZone, localDateTime, zonedInstant } from "../../src/time-zone.js";

const iso = (d: Date) => d.toISOString();

describe("one rule for wall-clock times in a time zone", () => {
  it("New York, spring forward (8 March 2026): 02:30 does not exist and is moved forward by the gap to 03:30 EDT", () => {
    expect(iso(zonedInstant("2026-03-08", "01:59", "America/New_York"))).toBe("2026-03-08T06:59:00.000Z"); // EST
    expect(iso(zonedInstant("2026-03-08", "02:00", "America/New_York"))).toBe("2026-03-08T07:00:00.000Z"); // = 03:00 EDT
    expect(iso(zonedInstant("2026-03-08", "02:30", "America/New_York"))).toBe("2026-03-08T07:30:00.000Z"); // = 03:30 EDT
    expect(iso(zonedInstant("2026-03-08", "03:30", "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
    expect(localDateTime(zonedInstant("2026-03-08", "02:30", "America/New_York"), "America/New_York")).toEqual({ date: "2026-03-08", time: "03:30" });
  });

  it("New York, fall back (1 November 2026): 01:30 happens twice and is the first one, 01:30 EDT", () => {
    expect(iso(zonedInstant("2026-11-01", "00:59", "America/New_York"))).toBe("2026-11-01T04:59:00.000Z"); // EDT
    expect(iso(zonedInstant("2026-11-01", "01:30", "America/New_York"))).toBe("2026-11-01T05:30:00.000Z"); // EDT, not 06:30Z EST
    expect(iso(zonedInstant("2026-11-01", "02:00", "America/New_York"))).toBe("2026-11-01T07:00:00.000Z"); // EST
    // Both instants of the doubled hour read as 01:30 on the wall clock.
    expect(localDateTime(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toEqual({ date: "2026-11-01", time: "01:30" });
    expect(localDateTime(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toEqual({ date: "2026-11-01", time: "01:30" });
  });

  it("Seoul has no daylight saving: the same local times are plain KST (UTC+9) on both days", () => {
    expect(iso(zonedInstant("2026-03-08", "02:30", "Asia/Seoul"))).toBe("2026-03-07T17:30:00.000Z");
    expect(iso(zonedInstant("2026-11-01", "01:30", "Asia/Seoul"))).toBe("2026-10-31T16:30:00.000Z");
    expect(iso(zonedInstant("2026-07-01", "00:00", "Asia/Seoul"))).toBe("2026-06-30T15:00:00.000Z");
  });

  it("refuses what is not a date or a time", () => {
    expect(() => zonedInstant("2026-02-30", "09:00", "UTC")).toThrow(RangeError);
    expect(() => zonedInstant("2026-03-08", "24:00", "UTC")).toThrow(RangeError);
    expect(() => zonedInstant("2026-03-08", "9:00", "UTC")).toThrow(RangeError);
  });
});

describe("instants as local dates and words", () => {
  it("takes the date in the zone, around both New York changes and in Seoul", () => {
    expect(dateInZone(new Date("2026-03-08T04:59:00Z"), "America/New_York")).toBe("2026-03-07");
    expect(dateInZone(new Date("2026-03-08T05:00:00Z"), "America/New_York")).toBe("2026-03-08");
    expect(dateInZone(new Date("2026-11-02T04:59:00Z"), "America/New_York")).toBe("2026-11-01");
    expect(dateInZone(new Date("2026-11-02T05:00:00Z"), "America/New_York")).toBe("2026-11-02");
    expect(dateInZone(new Date("2026-11-01T14:59:00Z"), "Asia/Seoul")).toBe("2026-11-01");
    expect(dateInZone(new Date("2026-11-01T15:00:00Z"), "Asia/Seoul")).toBe("2026-11-02");
  });

  it("answers a second call in the same minute from its cache, and a new minute afresh", () => {
    const zone = "Europe/Lisbon";
    expect(dateInZone(new Date("2026-05-01T23:59:10Z"), zone)).toBe("2026-05-02");
    expect(dateInZone(new Date("2026-05-01T23:59:50Z"), zone)).toBe("2026-05-02");
    expect(dateInZone(new Date("2026-05-01T22:59:59Z"), zone)).toBe("2026-05-01");
  });

  it("describes an instant with the zone's abbreviation on either side of a change", () => {
    expect(describeInstant(new Date("2026-03-08T06:59:00Z"), "America/New_York")).toBe("Sun 2026-03-08 01:59 EST");
    expect(describeInstant(new Date("2026-03-08T07:30:00Z"), "America/New_York")).toBe("Sun 2026-03-08 03:30 EDT");
    expect(describeInstant(new Date("2026-01-19T00:00:00Z"), "Asia/Seoul")).toBe("Mon 2026-01-19 09:00 GMT+9");
  });

  it("knows time zones and their canonical spelling", () => {
    expect(isTimeZone("America/New_York")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(canonicalTimeZone("asia/seoul")).toBe("Asia/Seoul");
    expect(canonicalTimeZone("US/Eastern")).toBe("America/New_York");
    expect(canonicalTimeZone("nowhere")).toBeUndefined();
  });
});
