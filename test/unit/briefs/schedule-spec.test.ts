import { describe, expect, it } from "vitest";
import { parseChannel, parseScheduleArgs, parseTime, parseTimeZone, parseWeekday, ScheduleSpecError } from "../../../src/briefs/schedule-spec.js";
import { COMMANDS, helpMarkdown, parseCommand } from "../../../src/commands/parse.js";

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScheduleSpecError) return `${error.field}: ${error.message}`;
    throw error;
  }
  return "no error";
}

describe("schedule weekly <weekday> <HH:MM> <time zone> [#channel] [template] [holidays:...]", () => {
  it("reads a full schedule: a channel id, a template and holidays", () => {
    expect(parseScheduleArgs(["Monday", "9:00", "america/new_york", "C0123ABCD", "weekly-brief", "holidays:both"])).toEqual({
      weekday: 1,
      time: "09:00",
      timeZone: "America/New_York",
      channel: "C0123ABCD",
      templateId: "weekly-brief",
      holidays: "both",
    });
    expect(parseScheduleArgs(["fri", "17:30", "Asia/Seoul"])).toEqual({ weekday: 5, time: "17:30", timeZone: "Asia/Seoul", holidays: "none" });
  });

  it("knows weekday names, short names and plurals", () => {
    expect(["mon", "Tues", "wednesdays", "THU", "friday", "sat", "Sun"].map(parseWeekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("reads channel ids, public and private; a name it cannot look up, or chat markup, is an error", () => {
    expect(parseChannel("C0123ABCD")).toBe("C0123ABCD");
    expect(parseChannel("G0PRIVATE")).toBe("G0PRIVATE");
    expect(parseChannel("weekly-brief")).toBeNull();
    expect(parseChannel("GMT")).toBeNull();
    expect(fieldOf(() => parseChannel("#general"))).toMatch(/^channel: `#general` is a channel name I cannot look up/);
    // Slack's mention is the adapters' to read (src/slack/command-text.ts, which Slack's text and the console's pass
    // through): one that reaches the domain was not read there, and is refused rather than guessed.
    expect(fieldOf(() => parseChannel("<#C0TEAM1|team>"))).toMatch(/^channel: `<#C0TEAM1\|team>` is a channel name I cannot look up/);
    expect(fieldOf(() => parseChannel("<#general>"))).toMatch(/^channel: `<#general>` is a channel name I cannot look up/);
  });

  it("names the field at fault and says how to write it", () => {
    expect(fieldOf(() => parseScheduleArgs(["funday", "09:00", "UTC"]))).toBe("weekday: `funday` is not a weekday: write one of Monday … Sunday (or Mon … Sun).");
    expect(fieldOf(() => parseScheduleArgs(["mon", "9am", "UTC"]))).toBe("time: `9am` is not a time: write it as HH:MM on a 24-hour clock, like 09:00 or 17:30.");
    expect(fieldOf(() => parseTime("24:00"))).toMatch(/^time: `24:00` is not a time/);
    expect(fieldOf(() => parseTime("12:60"))).toMatch(/^time: /);
    expect(fieldOf(() => parseScheduleArgs(["mon", "09:00", "Mars/Olympus"]))).toBe(
      "time zone: `Mars/Olympus` is not an IANA time zone: write one like America/New_York, Asia/Seoul or Europe/London.",
    );
    expect(fieldOf(() => parseTimeZone("EST"))).toMatch(/^time zone: `EST` is not an IANA time zone \(an abbreviation would not follow daylight saving\)/);
    expect(fieldOf(() => parseTimeZone("KST"))).toMatch(/^time zone: `KST` is not an IANA time zone/);
    expect(parseTimeZone("utc")).toBe("UTC");
    expect(fieldOf(() => parseScheduleArgs(["mon", "09:00", "UTC", "holidays:fr"]))).toBe("holidays: `holidays:fr`: holidays can be us, kr or both (or none), like holidays:both.");
    expect(fieldOf(() => parseScheduleArgs(["mon", "09:00"]))).toMatch(/^time zone: Say in which time zone/);
    expect(fieldOf(() => parseScheduleArgs(["mon", "09:00", "UTC", "a-template", "another"]))).toMatch(/^template: Name at most one template/);
    expect(fieldOf(() => parseScheduleArgs(["mon", "09:00", "UTC", "What?"]))).toMatch(/^schedule: I don't know what `What\?` means here/);
  });
});

describe("parseCommand: brief and schedule", () => {
  it("parses brief previews and schedule commands", () => {
    expect(parseCommand("brief")).toEqual({ name: "brief" });
    expect(parseCommand("brief as-of 2017-08-15")).toEqual({ name: "brief", asOf: "2017-08-15" });
    expect(parseCommand("schedule weekly mon 09:00 Asia/Seoul holidays:kr")).toEqual({
      name: "schedule-create",
      spec: { weekday: 1, time: "09:00", timeZone: "Asia/Seoul", holidays: "kr" },
    });
    expect(parseCommand("schedule list")).toEqual({ name: "schedule-list" });
    expect(parseCommand("schedule pause #3")).toEqual({ name: "schedule-pause", id: 3 });
    expect(parseCommand("schedule resume 3")).toEqual({ name: "schedule-resume", id: 3 });
    expect(parseCommand("schedule delete 12")).toEqual({ name: "schedule-delete", id: 12 });
  });

  it("answers bad input with the field at fault and the usage", () => {
    expect(parseCommand("schedule weekly mon 25:00 UTC")).toMatchObject({
      name: "invalid",
      message: expect.stringMatching(/^Time: `25:00` is not a time/),
      usage: expect.stringContaining("schedule weekly <weekday>"),
    });
    expect(parseCommand("schedule weekly mon 09:00 Pacific")).toMatchObject({ name: "invalid", message: expect.stringMatching(/^Time zone: `Pacific`/) });
    expect(parseCommand("brief as-of 2017-02-30")).toMatchObject({ name: "invalid", message: "`2017-02-30` is not a date: write it as YYYY-MM-DD, like 2017-08-15." });
    expect(parseCommand("brief usmca now")).toMatchObject({ name: "invalid", message: "`brief` does not take `now`." });
    expect(parseCommand("brief usmca")).toEqual({ name: "brief", topic: "usmca" });
    expect(parseCommand("schedule pause")).toMatchObject({ name: "invalid", message: expect.stringContaining("needs a schedule number") });
    expect(parseCommand("schedule daily 09:00")).toMatchObject({ name: "invalid", message: "`schedule daily` is not a schedule command." });
  });

  it("lists the new commands in help", () => {
    expect(COMMANDS.map((c) => c.usage)).toEqual(expect.arrayContaining(["/korus brief [topic] [as-of YYYY-MM-DD]", "/korus schedule new|list|pause ID|resume ID|delete ID"]));
    expect(helpMarkdown()).toContain("/korus schedule weekly monday 09:00 America/New_York holidays:both");
    for (const c of COMMANDS.filter((c) => /brief|schedule/.test(c.usage))) expect(parseCommand(c.example.replace(/^\/korus /, "")).name).not.toBe("invalid");
  });
});
