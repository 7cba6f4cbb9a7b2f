import { describe, expect, it } from "vitest";
import { firstOccurrenceFrom, holidaysOn, lateRunDecision, occurrenceAfter, planDueRuns, upcomingOccurrences, type WeeklyRule, workingDayFrom } from "../../../src/briefs/calendar.js";
import { zonedInstant } from "../../../src/time-zone.js";

const H = 3_600_000;
const iso = (d: Date) => d.toISOString();
const rule = (r: Partial<WeeklyRule> = {}): WeeklyRule => ({ weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "none", ...r });

describe("weekly runs in the schedule's time zone", () => {
  it("keep 09:00 New York local time across the March change (EST -> EDT)", () => {
    const runs = upcomingOccurrences(rule(), new Date("2026-02-23T15:00:00Z"), 4);
    expect(runs.map((r) => [r.period, iso(r.dueAt)])).toEqual([
      ["2026-03-02", "2026-03-02T14:00:00.000Z"],
      ["2026-03-09", "2026-03-09T13:00:00.000Z"], // the Monday after the clocks moved
      ["2026-03-16", "2026-03-16T13:00:00.000Z"],
      ["2026-03-23", "2026-03-23T13:00:00.000Z"],
    ]);
  });

  it("keep 09:00 New York local time across the November change (EDT -> EST)", () => {
    const runs = upcomingOccurrences(rule(), new Date("2026-10-20T00:00:00Z"), 3);
    expect(runs.map((r) => iso(r.dueAt))).toEqual(["2026-10-26T13:00:00.000Z", "2026-11-02T14:00:00.000Z", "2026-11-09T14:00:00.000Z"]);
  });

  it("post on the Sunday the clocks change: a skipped time runs after the jump, a doubled time runs once, the first time", () => {
    const spring = upcomingOccurrences(rule({ weekday: 7, time: "02:30" }), new Date("2026-03-02T00:00:00Z"), 2);
    expect(spring.map((r) => [r.period, iso(r.dueAt)])).toEqual([
      ["2026-03-08", "2026-03-08T07:30:00.000Z"], // 02:30 does not exist; 03:30 EDT
      ["2026-03-15", "2026-03-15T06:30:00.000Z"],
    ]);
    const fall = upcomingOccurrences(rule({ weekday: 7, time: "01:30" }), new Date("2026-10-26T00:00:00Z"), 2);
    expect(fall.map((r) => iso(r.dueAt))).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-08T06:30:00.000Z"]); // 01:30 EDT, then EST
  });

  it("Asia/Seoul has no daylight saving: 09:00 KST is 00:00 UTC all year", () => {
    const seoul = rule({ timeZone: "Asia/Seoul" });
    for (const from of ["2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-28T00:00:00Z"]) {
      const runs = upcomingOccurrences(seoul, new Date(from), 2);
      for (const r of runs) expect(iso(r.dueAt)).toMatch(/T00:00:00\.000Z$/);
    }
  });

  it("count a run due exactly now, and go on from the period", () => {
    expect(iso(firstOccurrenceFrom(rule(), new Date("2026-03-09T13:00:00Z")).dueAt)).toBe("2026-03-09T13:00:00.000Z");
    expect(iso(firstOccurrenceFrom(rule(), new Date("2026-03-09T13:00:00.001Z")).dueAt)).toBe("2026-03-16T13:00:00.000Z");
    expect(occurrenceAfter(rule(), "2026-03-02").period).toBe("2026-03-09");
  });

  it("zonedInstant finds a wall-clock time on a date in any zone", () => {
    expect(iso(zonedInstant("2026-01-19", "09:00", "America/New_York"))).toBe("2026-01-19T14:00:00.000Z");
    expect(iso(zonedInstant("2026-07-01", "00:00", "Asia/Seoul"))).toBe("2026-06-30T15:00:00.000Z");
    expect(iso(zonedInstant("2026-12-31", "23:59", "UTC"))).toBe("2026-12-31T23:59:00.000Z");
  });
});

describe("public holidays", () => {
  it("move a Monday brief off Martin Luther King Jr. Day (US) to Tuesday, same local time", () => {
    const run = firstOccurrenceFrom(rule({ holidays: "us" }), new Date("2026-01-13T00:00:00Z"));
    expect(run.period).toBe("2026-01-19");
    expect(iso(run.dueAt)).toBe("2026-01-20T14:00:00.000Z");
    expect(run.moved).toEqual(["2026-01-19 Martin Luther King Jr. Day (US)"]);
    // The next week is back on Monday.
    expect(iso(occurrenceAfter(rule({ holidays: "us" }), run.period).dueAt)).toBe("2026-01-26T14:00:00.000Z");
  });

  it("leave it on Monday without holidays, or for Korean holidays only", () => {
    expect(iso(firstOccurrenceFrom(rule(), new Date("2026-01-13T00:00:00Z")).dueAt)).toBe("2026-01-19T14:00:00.000Z");
    expect(firstOccurrenceFrom(rule({ holidays: "kr" }), new Date("2026-01-13T00:00:00Z")).moved).toBeUndefined();
  });

  it("skip several Korean holidays and the weekend after them (Chuseok 2026)", () => {
    const thursday = rule({ weekday: 4, time: "10:00", timeZone: "Asia/Seoul", holidays: "kr" });
    const run = firstOccurrenceFrom(thursday, new Date("2026-09-20T00:00:00Z"));
    expect(run.period).toBe("2026-09-24");
    expect(iso(run.dueAt)).toBe("2026-09-28T01:00:00.000Z"); // Monday 10:00 KST
    expect(run.moved).toHaveLength(3);
    expect(workingDayFrom("2026-09-24", "us")).toEqual({ date: "2026-09-24", skipped: [] });
  });

  it("with both, either country's holiday moves it", () => {
    expect(holidaysOn("2026-01-19", "both")).toEqual(["Martin Luther King Jr. Day (US)"]);
    expect(holidaysOn("2026-10-09", "both")).toHaveLength(1); // Hangul Day
    expect(holidaysOn("2026-12-25", "both")).toHaveLength(2);
    expect(holidaysOn("2026-01-20", "both")).toEqual([]);
    expect(holidaysOn("2026-01-19", "none")).toEqual([]);
  });

  it("count a run a holiday moved past the moment the schedule was made", () => {
    // Made on MLK day at 10:00, after the regular 09:00: this week's brief is still due on Tuesday.
    const run = firstOccurrenceFrom(rule({ holidays: "us" }), new Date("2026-01-19T15:00:00Z"));
    expect([run.period, iso(run.dueAt)]).toEqual(["2026-01-19", "2026-01-20T14:00:00.000Z"]);
  });
});

describe("late runs: grace window and skipping", () => {
  it("waits before the due time, posts within the grace window, skips after it", () => {
    const due = new Date("2026-01-19T14:00:00Z");
    expect(lateRunDecision(due, new Date(due.getTime() - 1), 12 * H)).toBe("wait");
    expect(lateRunDecision(due, due, 12 * H)).toBe("post");
    expect(lateRunDecision(due, new Date(due.getTime() + 12 * H), 12 * H)).toBe("post");
    expect(lateRunDecision(due, new Date(due.getTime() + 12 * H + 1), 12 * H)).toBe("skip");
  });

  it("after an outage, skips every run missed by more than the grace window and posts the one within it", () => {
    const r = rule();
    const next = firstOccurrenceFrom(r, new Date("2026-01-01T00:00:00Z"));
    expect(next.period).toBe("2026-01-05");
    const { runs, next: after } = planDueRuns(r, next, new Date("2026-01-19T20:00:00Z"), 12 * H);
    expect(runs.map((x) => [x.period, x.action])).toEqual([
      ["2026-01-05", "skip"],
      ["2026-01-12", "skip"],
      ["2026-01-19", "post"], // 6 h late
    ]);
    expect(after.period).toBe("2026-01-26");
    const later = planDueRuns(r, next, new Date("2026-01-20T03:00:01Z"), 12 * H);
    expect(later.runs.at(-1)).toMatchObject({ period: "2026-01-19", action: "skip" });
  });

  it("plans nothing before the run is due", () => {
    const next = firstOccurrenceFrom(rule(), new Date("2026-01-01T00:00:00Z"));
    expect(planDueRuns(rule(), next, new Date("2026-01-05T13:59:59Z"), 12 * H)).toEqual({ runs: [], next });
  });

  it("a very long outage records a bounded number of skipped runs and still posts the latest in grace", () => {
    const next = firstOccurrenceFrom(rule(), new Date("2020-01-01T00:00:00Z"));
    const { runs, next: after } = planDueRuns(rule(), next, new Date("2026-01-19T15:00:00Z"), 12 * H);
    expect(runs.length).toBeLessThanOrEqual(61);
    expect(runs.at(-1)).toMatchObject({ period: "2026-01-19", action: "post" });
    expect(after.period).toBe("2026-01-26");
  });
});
