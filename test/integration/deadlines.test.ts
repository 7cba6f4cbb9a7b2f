/**
 * Deadlines that find people, over the real Bolt app (signed requests, fake Web API) and the real HTTP server on the
 * embedded database: `/korus alerts`, `/korus topics`, `/korus timeline`; the calendar feed, parsed back with ical.js.
 * The alerts as posted are in alert-delivery.test.ts and alert-instances.test.ts.
 */
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarPath, rotateCalendarToken } from "../../src/calendar/feed.js";
import { makeCalendarRoute } from "../../src/calendar/http.js";
import { deadlinesCalendar, eventUid } from "../../src/calendar/ics.js";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { addDays } from "../../src/facts/dates.js";
import { addFact, editFact } from "../../src/facts/service.js";
import { startBotHttpServer } from "../../src/health.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import { setTopic } from "../../src/topics/settings.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { capturingLogger } from "../support/logs.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";
import { consoleDeps } from "../support/terminal.js";

const TZ = "America/New_York";
const NOW = "2017-07-20T19:00:00Z";
const EVIL = "<!channel> [x](https://evil.example) ; , \\ \n second line";

describe("deadline alerts, topics and timeline over Slack", () => {
  let db: Database;
  let bot: RunningBot;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW), admins: ["U0ADMIN"] });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  async function answer(text: string, user?: string): Promise<string> {
    const responses = bot.fake.callsTo("response_url").length;
    const ack = await bot.slack.command(text, user ? { user_id: user } : {});
    expect(ack.status).toBe(200);
    const call = await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").indexOf(c) >= responses);
    return blocksText(call.body as object);
  }

  it("alerts on, changed, list, and off (refused to someone else, allowed to its owner)", async () => {
    const on = await answer("alerts on <#C0TRADE|trade> days 7,1");
    expect(on).toContain("Alerts on: <#C0TRADE>, topic `korus`: 7 days ahead, 1 day ahead, on the day, at 09:00 America/New_York");
    expect(on).toContain("2017-08-04 (Fri): 7 days ahead of “Special session of the KORUS Joint Committee must be held” (due 2017-08-11");
    const changed = await answer("alerts on <#C0TRADE|trade> days 14 at 08:30");
    expect(changed).toContain("Alerts changed: <#C0TRADE>, topic `korus`: 14 days ahead, on the day, at 08:30");
    const here = await answer("alerts on");
    expect(here).toContain("<#C0TEAM>");
    const list = await answer("alerts list");
    expect(list).toContain("<#C0TRADE>");
    expect(list).toContain("<#C0TEAM>");
    expect(await answer("alerts off <#C0TRADE|trade>", "U0SOMEONE")).toContain("Only whoever turned these alerts on (<@U0ANALYST>) or an admin can turn them off.");
    expect(await answer("alerts off <#C0TRADE|trade>")).toContain("Alerts off: <#C0TRADE>");
    expect(await answer("alerts off <#C0TRADE|trade>")).toContain("Alerts for topic `korus` are not on in <#C0TRADE>.");
    expect(await db.prisma.alertSubscription.count()).toBe(1);
  });

  it("answers a bad alerts command in the ack with the field at fault and the usage", async () => {
    for (const [text, message] of [
      ["alerts on days 7,x", "`x` is not a number of days from 0 to 90"],
      ["alerts on days 7,1 at 25:00", "25:00"],
      ["alerts on #trade", "is a channel name I cannot look up"],
      ["alerts on topic:Bad!", "is not a topic name"],
      ["alerts maybe", "`alerts maybe` is not an alerts command"],
    ] as const) {
      const ack = await bot.slack.command(text);
      const shown = blocksText(ack.json as object);
      expect(shown).toContain(message);
      expect(shown).toContain("/korus alerts on [#channel]");
    }
  });

  it("/korus topics lists two topics with their fact counts and next deadline; timeline pages one topic", async () => {
    await addFact(
      { prisma: db.prisma, admins: [] },
      { date: "2017-09-01", title: "USMCA talks: round two ends", summary: "", kind: "deadline", actor: "both", source: { title: "USMCA notice" }, topic: "usmca" },
      "U0ANALYST",
    );
    await addFact(
      { prisma: db.prisma, admins: [] },
      { date: "2017-08-16", title: "NAFTA renegotiation opens", summary: "", kind: "event", actor: "US", source: { title: "USMCA notice" }, topic: "usmca" },
      "U0ANALYST",
    );
    const topics = await answer("topics");
    expect(topics).toMatch(
      /- `korus` \(U\.S\.-Korea Free Trade Agreement \(KORUS FTA\)\): \d+ facts, 1 deadline; next deadline 2017-08-11 \(Fri\): Special session of the KORUS Joint Committee must be held/,
    );
    expect(topics).toContain("- `usmca`: 2 facts, 1 deadline; next deadline 2017-09-01 (Fri): USMCA talks: round two ends");
    const timeline = await answer("timeline usmca");
    expect(timeline).toContain("2 facts, page 1 of 1");
    expect(timeline.indexOf("2017-08-16 · event · NAFTA renegotiation opens")).toBeLessThan(timeline.indexOf("2017-09-01 · deadline · USMCA talks: round two ends"));
    const korus = await answer("timeline korus since:2017-07-01 until:2017-12-31");
    expect(korus).toMatch(/page 1 of 1/);
    expect(korus).not.toContain("USMCA");
    const usmcaFacts = await answer("facts topic:usmca");
    expect(usmcaFacts).toContain("USMCA talks: round two ends");
    expect(usmcaFacts).not.toContain("Special session");
    const ack = await bot.slack.command("timeline korus since:2017-08-01 until:2017-07-01");
    expect(blocksText(ack.json as object)).toContain("`since:2017-08-01` is after `until:2017-07-01`");
  });

  it("/korus status takes a topic; the agreement line comes from the topic's settings and its marked entry-into-force fact", async () => {
    const korus = blocksText((await bot.slack.command("status")).json as object);
    expect(korus).toContain("*Agreement:* U.S.-Korea Free Trade Agreement (KORUS FTA), in force since 2012");
    const bare = blocksText((await bot.slack.command("status usmca as-of 2017-09-02")).json as object);
    expect(bare).toContain("*Agreement:* usmca\n");
    expect(bare).toContain("NAFTA renegotiation opens");
    const inForce = await addFact(
      { prisma: db.prisma, admins: [] },
      { date: "2017-08-10", title: "Agreement <!here> enters into force", summary: "", kind: "event", actor: "both", source: { title: "USMCA notice" }, topic: "usmca" },
      "U0ANALYST",
    );
    await setTopic(db.prisma, "usmca", { name: "United States-Mexico-Canada Agreement <!channel>", inForceFactId: inForce.id }, "cli:test");
    // The bot's status cache reads the store's version at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const named = blocksText((await bot.slack.command("status usmca as-of 2017-09-02")).json as object);
    expect(named).toContain("*Agreement:* United States-Mexico-Canada Agreement &lt;!channel&gt;, in force since 2017-08-10");
    await expect(setTopic(db.prisma, "korus", { inForceFactId: inForce.id }, "cli:test")).rejects.toThrow("must be a live event of that topic");
    const unknown = blocksText((await bot.slack.command("status pubilc")).json as object);
    expect(unknown).toContain("There is no topic `pubilc`");
    const deps = consoleDeps({ prisma: db.prisma, clock: fixedClock(NOW), timeZone: TZ, templates: await shippedTemplates() });
    const console = await runTextCommand("status usmca as-of 2017-09-02", deps);
    expect(console.output).toContain("# `usmca` status as of 2017-09-02 (Sat) (historical view)");
    expect(console.output).toContain("**Agreement:** United States-Mexico-Canada Agreement &lt;!channel&gt;, in force since 2017-08-10");
  });

  it("/korus brief and schedules take a topic; an unknown topic is refused", async () => {
    const responses = bot.fake.callsTo("response_url").length;
    await bot.slack.command("brief usmca as-of 2017-08-20");
    const first = await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").indexOf(c) >= responses);
    const preview = JSON.stringify(first.body);
    expect(preview).toContain("(usmca)");
    expect(preview).toContain("NAFTA renegotiation opens");
    expect(preview).not.toContain("Special session of the KORUS Joint Committee");
    expect(await answer("brief nosuchtopic")).toContain("There is no topic `nosuchtopic`");
    const created = await answer("schedule weekly monday 09:00 America/New_York topic:usmca");
    expect(created).toContain("topic `usmca`");
    expect((await db.prisma.briefSchedule.findFirstOrThrow({ orderBy: { id: "desc" } })).topic).toBe("usmca");
    expect(await answer("schedule weekly monday 09:00 America/New_York topic:nosuchtopic")).toContain("There is no topic `nosuchtopic`");
  });

  it("pages a long timeline, and the console answers the same commands", async () => {
    for (let i = 0; i < 30; i++) {
      await addFact(
        { prisma: db.prisma, admins: [] },
        { date: addDays("2018-01-01", i), title: `Paging note ${i}`, summary: "", kind: "note", actor: "US", source: { title: "Paging" }, topic: "paging" },
        "U0ANALYST",
        { allowDuplicate: true },
      );
    }
    const first = await answer("timeline paging");
    expect(first).toContain("30 facts, page 1 of 2");
    expect(first).toContain("Next page: `/korus timeline paging page:2`");
    const second = await answer("timeline paging page:2");
    expect(second).toContain("page 2 of 2");
    expect(second).toContain("Paging note 29");
    expect(second).not.toContain("Paging note 24 ");
    const deps = consoleDeps({ prisma: db.prisma, clock: fixedClock(NOW), timeZone: TZ, templates: await shippedTemplates() });
    const console = await runTextCommand("/korus timeline paging page:2", deps);
    expect(console.ok).toBe(true);
    expect(console.output).toContain("- 2018-01-30 · note · Paging note 29");
    expect((await runTextCommand("alerts on days 3", deps)).output).toContain("Name the channel by its id here");
    // A channel pasted from Slack is read as its id (the console is handed Slack's readers, src/slack/terminal-readers.ts).
    expect((await runTextCommand("alerts on <#C0PASTED|trade> days 3", deps)).output).toMatch(/^Alerts on: C0PASTED, topic `korus`/);
    expect((await runTextCommand("alerts off <#C0PASTED>", deps)).output).toMatch(/^Alerts off: C0PASTED/);
  });
});

describe("the calendar feed", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("exports deadlines as all-day events with stable UIDs and sources, escaped by the iCalendar rules, and parses back with ical.js", async () => {
    const deps = { prisma: db.prisma, clock: fixedClock(NOW), timeZone: TZ };
    const evil = await addFact(
      { prisma: db.prisma, admins: [] },
      { date: "2017-09-15", title: EVIL, summary: "Line one; two, three\\four", kind: "deadline", actor: "US", source: { title: "Notice, part 1; annex", url: "https://example.org/n?a=1&b=2" } },
      "U0A",
    );
    const ics = await deadlinesCalendar(deps);
    if (process.env.KORUS_PRINT_TABLES) console.info(`[deadlines] the first lines of the ICS feed:\n${ics.split("\r\n").slice(0, 16).join("\n")}`);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    const special = events.find((e) => e.summary === "Special session of the KORUS Joint Committee must be held")!;
    expect(special.startDate.isDate).toBe(true);
    expect(special.startDate.toString()).toBe("2017-08-11");
    expect(special.endDate.toString()).toBe("2017-08-12");
    expect(special.description).toContain("Basis: 30 days after “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12)");
    expect(special.description).toContain("Source: Trade news item, July 2017: U.S. requests KORUS special session");
    const hostile = events.find((e) => e.uid === eventUid(evil.id))!;
    // Read back exactly as written: commas, semicolons, backslashes and the newline survive as text, not structure.
    // A title is one line (the fact schema folds its whitespace); every special character is read back as written.
    expect(hostile.summary).toBe(EVIL.replace(/\s+/g, " "));
    expect(hostile.description).toContain("Line one; two, three\\four");
    expect(hostile.description).toContain("Source: Notice, part 1; annex https://example.org/n?a=1&b=2");
    expect(ics).not.toMatch(/\r\nBEGIN:VEVENT\r\n(?:(?!END:VEVENT)[\s\S])*\r\n second line/);
    // The same UIDs on the next export, and after an edit moves the date.
    const uids = events.map((e) => e.uid).sort();
    await editFact(
      { prisma: db.prisma, admins: [] },
      evil.id,
      { date: "2017-09-20", title: EVIL, summary: "moved", kind: "deadline", actor: "US", source: { title: "Notice, part 1; annex", url: "https://example.org/n?a=1&b=2" } },
      "U0A",
    );
    const again = new ICAL.Component(ICAL.parse(await deadlinesCalendar(deps))).getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    expect(again.map((e) => e.uid).sort()).toEqual(uids);
    expect(again.find((e) => e.uid === eventUid(evil.id))!.startDate.toString()).toBe("2017-09-20");
  });

  it("serves GET /calendar/<token>.ics on the bot's HTTP server; a wrong or rotated-away token gets 404", async () => {
    const http = await startBotHttpServer(0, "127.0.0.1");
    try {
      http.ready(db, undefined, makeCalendarRoute({ prisma: () => db.prisma, clock: fixedClock(NOW), timeZone: TZ, logger: capturingLogger("warn", "cal").logger }));
      const base = `http://127.0.0.1:${http.port}`;
      expect((await fetch(`${base}/calendar/${"a".repeat(43)}.ics`)).status).toBe(404);
      const token = await rotateCalendarToken(db.prisma, "cli:test");
      const ok = await fetch(`${base}${calendarPath(token)}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
      const events = new ICAL.Component(ICAL.parse(await ok.text())).getAllSubcomponents("vevent");
      expect(events.length).toBeGreaterThan(0);
      expect((await fetch(`${base}/calendar/${token.slice(0, -1)}x.ics`)).status).toBe(404);
      expect((await fetch(`${base}/calendar/${token}`)).status).toBe(404);
      const rotated = await rotateCalendarToken(db.prisma, "cli:test");
      expect((await fetch(`${base}${calendarPath(token)}`)).status).toBe(404);
      expect((await fetch(`${base}${calendarPath(rotated)}`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await http.close();
    }
  });
});
