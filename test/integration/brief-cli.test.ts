import { describe, expect, it } from "vitest";
import { firstOccurrenceFrom, occurrenceAfter } from "../../src/briefs/calendar.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const korus = (args: string[], env: NodeJS.ProcessEnv, input?: string) => run("node", ["bin/korus.js", ...args], { env, ...(input ? { input } : {}) });

describe("the brief from the terminal", () => {
  it("korus brief prints the brief as Markdown or HTML, as it stood on a date, without a Slack token", { timeout: 90_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const md = await korus(["brief", "--as-of", "2017-08-15"], env);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Weekly KORUS brief\n\n\*\*Date:\*\* 2017-08-15 \(Tue\)\n/);
    expect(md.stdout).toContain("- **Special session of the KORUS Joint Committee must be held**: was due 2017-08-11 (Fri), overdue by 4 days [1, 2, 3]");
    const html = await korus(["brief", "--as-of", "2017-08-15", "--format", "html"], env);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toContain("<h2>Upcoming deadlines</h2>");
    const bad = await korus(["brief", "--as-of", "2017-13-01"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a calendar date");
  });

  // Ten runs of the korus command, each opening the embedded database.
  it("korus schedule creates and lists schedules; run-once posts what is due, once, and records a missed run as skipped", { timeout: 180_000 }, async () => {
    const fake = await new FakeSlackApi().start();
    try {
      const dataDir = tempDataDir();
      const env = cleanEnv({ KORUS_DATA_DIR: dataDir });
      const created = await korus(["schedule", "weekly", "monday", "09:00", "America/New_York", "holidays:us", "--channel", "C0CLI", "--owner", "U0LEAD"], env);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(
        /^Schedule created: #1 Mondays at 09:00 America\/New_York, moved by U\.S\. holidays, to channel C0CLI, template weekly-brief, owner a teammate \(U0LEAD\); next: Mon \d{4}-\d{2}-\d{2} 09:00 E[SD]T/,
      );

      const bad = await korus(["schedule", "weekly", "funday", "09:00", "America/New_York", "--channel", "C0CLI"], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe("korus: weekday: `funday` is not a weekday: write one of Monday … Sunday (or Mon … Sun).\n");
      const badZone = await korus(["schedule", "weekly", "monday", "09:00", "Mars/Olympus", "--channel", "C0CLI"], env);
      expect(badZone.stderr).toContain("korus: time zone: `Mars/Olympus` is not an IANA time zone");

      const noToken = await korus(["scheduler", "run-once"], env);
      expect(noToken.code).toBe(2);
      expect(noToken.stderr).toContain("posting needs a Slack bot token: set SLACK_BOT_TOKEN");

      const rule = { weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "us" } as const;
      const next = firstOccurrenceFrom(rule, new Date());
      const slackEnv = cleanEnv({ KORUS_DATA_DIR: dataDir, SLACK_BOT_TOKEN: "xoxb-cli", SLACK_SIGNING_SECRET: "cli-signing-secret", SLACK_API_URL: fake.apiUrl });
      const at = new Date(next.dueAt.getTime() + 5000).toISOString();
      const posted = await korus(["scheduler", "run-once", "--now", at], slackEnv);
      expect(posted.stderr).not.toMatch(NO_STACK);
      expect(posted.code).toBe(0);
      expect(posted.stdout).toMatch(
        new RegExp(`^schedule #1 ${next.period}: posted to C0CLI \\(headline \\d+\\.\\d+, 1 thread message\\)\\nMessages: 2 posted, 0 found already posted, 0 retried, 0 failed\\.\\n$`),
      );
      expect(fake.briefPosts().map((p) => [p.payload.period, p.payload.part])).toEqual([
        [next.period, 0],
        [next.period, 1],
      ]);
      const again = await korus(["scheduler", "run-once", "--now", at], slackEnv);
      expect(again.stdout).toBe(`Nothing was due at ${at}.\nMessages: 0 posted, 0 found already posted, 0 retried, 0 failed.\n`);

      const following = occurrenceAfter(rule, next.period);
      const late = new Date(following.dueAt.getTime() + 13 * 3_600_000).toISOString();
      const missed = await korus(["scheduler", "run-once", "--now", late], slackEnv);
      expect(missed.stdout).toContain(`schedule #1 ${following.period}: skipped: missed: due `);
      expect(missed.stdout).toContain("past the 12 h grace window");
      expect(fake.briefPosts()).toHaveLength(2);

      const list = await korus(["schedule", "list"], env);
      expect(list.stdout).toContain(`last posted: ${next.period}`);
      expect(list.stdout).toContain(`${following.period} skipped: missed`);
      const badNow = await korus(["scheduler", "run-once", "--now", "monday"], slackEnv);
      expect(badNow.code).toBe(2);
      expect(badNow.stderr).toContain("not an ISO time");
    } finally {
      await fake.stop();
    }
  });

  it("the local console previews the brief and lists schedules; a schedule there must name its channel", { timeout: 60_000 }, async () => {
    const result = await run("npm", ["start", "--silent"], {
      env: cleanEnv({ KORUS_DATA_DIR: tempDataDir() }),
      input: "/korus brief as-of 2017-08-15\nschedule weekly mon 09:00 UTC\nschedule list\n",
    });
    expect(result.stdout).toContain("**Date:** 2017-08-15 (Tue)");
    expect(result.stdout).toContain("channel: Say which channel the brief goes to");
    expect(result.stdout).toContain("No brief schedules.");
    expect(result.code).toBe(1);
  });
});
