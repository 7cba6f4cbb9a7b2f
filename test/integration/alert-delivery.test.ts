/**
 * Deadline alerts through the scheduler and the outbox on the embedded database and the fake Web API: the alert a
 * channel gets before the special-session deadline (as-of run over July-August 2017, day by day), and queued alerts
 * dropped when their deadline is retracted or moved before they go out.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULER_SETTINGS } from "../../src/delivery/scheduler.js";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import { addDays } from "../../src/facts/dates.js";
import { addFact, editFact, retractFact } from "../../src/facts/service.js";
import { alertsOn } from "../../src/alerts/subscriptions.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { zonedInstant } from "../../src/time-zone.js";
import { blocksText } from "../support/block-limits.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { capturingLogger } from "../support/logs.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";
import { consoleDeps } from "../support/terminal.js";

const TZ = "America/New_York";
const EVIL = "<!channel> [x](https://evil.example) ; , \\ \n second line";

describe("the alert before the special-session deadline (as-of run over July-August 2017)", () => {
  it("posts 7 days, 1 day before and on the day, at 09:00 New York time, with basis and source, and nothing else", { timeout: 60_000 }, async () => {
    const db = await createTestDatabase();
    const fake = await new FakeSlackApi().start();
    try {
      let now = zonedInstant("2017-07-01", "09:30", TZ);
      const clock: Clock = { now: () => now };
      const deps = consoleDeps({ prisma: db.prisma, clock, timeZone: TZ, templates: await shippedTemplates() });
      expect((await runTextCommand("alerts on C0TRADE days 7,1", deps)).output).toContain("Alerts on: C0TRADE, topic `korus`");
      const scheduler = createPostScheduler({
        ...deps,
        logger: capturingLogger("warn", "alerts").logger,
        instanceId: "as-of-run",
        settings: DEFAULT_SCHEDULER_SETTINGS,
        channelIntervalMs: 0,
        transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 5000 }),
      });
      const posted: Array<{ day: string; text: string }> = [];
      for (let d = 0; d < 62; d++) {
        const day = addDays("2017-07-01", d);
        now = zonedInstant(day, "09:30", TZ);
        const before = fake.callsTo("chat.postMessage").length;
        await scheduler.runOnce(100);
        for (const call of fake.callsTo("chat.postMessage").slice(before)) posted.push({ day, text: blocksText(call.body as object) });
      }
      expect(posted.map((p) => p.day)).toEqual(["2017-08-04", "2017-08-10", "2017-08-11"]);
      const week = posted[0]!.text;
      console.info(`[deadlines] the alert as posted on 2017-08-04:\n${week}`);
      expect(week).toContain(":alarm_clock: **Due in 7 days:** Special session of the KORUS Joint Committee must be held");
      expect(week).toContain("**Due:** 2017-08-11 (Fri)");
      expect(week).toContain("**Basis:** 30 days after “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12)");
      expect(week).toContain("**Sources:** Trade news item, July 2017: U.S. requests KORUS special session · [USTR, KORUS FTA final text");
      expect(posted[2]!.text).toContain("**Due today:**");
      const alerts = await db.prisma.deadlineAlert.findMany({ orderBy: { id: "asc" } });
      expect(alerts.map((a) => [a.leadDays, a.state])).toEqual([
        [7, "posted"],
        [1, "posted"],
        [0, "posted"],
      ]);
      // The emoji is Slack's wording (src/slack/notice-wording.ts): the domain's stored Markdown has none.
      const stored = await db.prisma.outboxMessage.findMany({ where: { kind: "deadline_alert" }, select: { markdown: true } });
      expect(stored.map((m) => m.markdown?.startsWith("**Due in 7 days:**") || m.markdown?.startsWith("**Due tomorrow:**") || m.markdown?.startsWith("**Due today:**"))).toEqual([true, true, true]);
    } finally {
      await fake.stop();
      await db.close();
    }
  });

  it("drops a queued alert whose deadline is retracted or moved before it goes out, and escapes user text in the alert", { timeout: 60_000 }, async () => {
    const db = await createTestDatabase({ seed: false });
    const fake = await new FakeSlackApi().start();
    try {
      const now = zonedInstant("2026-03-02", "09:30", TZ);
      const clock = fixedClock(now);
      const deps = consoleDeps({ prisma: db.prisma, clock, timeZone: TZ, templates: await shippedTemplates() });
      const facts = { prisma: db.prisma, admins: [] };
      const retracted = await addFact(facts, { date: "2026-03-09", title: "Retracted before posting", summary: "", kind: "deadline", actor: "US", source: { title: "S" } }, "U0A");
      const moved = await addFact(facts, { date: "2026-03-09", title: "Moved before posting", summary: "", kind: "deadline", actor: "US", source: { title: "S" } }, "U0A");
      const evil = await addFact(
        facts,
        { date: "2026-03-09", title: EVIL, summary: "Summary <!here> @channel", kind: "deadline", actor: "US", source: { title: "S ]) <!channel>", url: "https://example.org/a_(b)" } },
        "U0A",
      );
      await runTextCommand("alerts on C0TRADE days 7", deps);
      const base = { ...deps, logger: capturingLogger("warn", "alerts").logger, settings: DEFAULT_SCHEDULER_SETTINGS, channelIntervalMs: 0 };
      // An instance without a token plans and queues, but posts nothing.
      await createPostScheduler({ ...base, instanceId: "planner" }).runOnce(100);
      expect(await db.prisma.outboxMessage.count({ where: { state: "pending" } })).toBe(3);
      await retractFact(facts, retracted.id, "withdrawn", "U0A");
      await editFact(facts, moved.id, { date: "2026-03-10", title: "Moved before posting", summary: "", kind: "deadline", actor: "US", source: { title: "S" } }, "U0A");
      const sender = createPostScheduler({ ...base, instanceId: "sender", transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 5000 }) });
      await sender.runOnce(100);
      const posts = fake.callsTo("chat.postMessage");
      expect(posts).toHaveLength(1);
      const states = await db.prisma.deadlineAlert.findMany({ orderBy: { factId: "asc" }, select: { factId: true, state: true, detail: true } });
      expect(states).toEqual([
        { factId: retracted.id, state: "dropped", detail: "the deadline was retracted" },
        { factId: moved.id, state: "dropped", detail: "the deadline moved from 2026-03-09 to 2026-03-10" },
        { factId: evil.id, state: "posted", detail: null },
      ]);
      const body = posts[0]!.body as { text: string; blocks: Array<{ text: string }> };
      const markdown = body.blocks[0]!.text;
      expect(markdown).not.toMatch(/<!channel>|<!here>/);
      expect(markdown).not.toContain("[x](https://evil.example)");
      expect(markdown).toContain("[S \\]) &lt;!channel&gt;](https://example.org/a_%28b%29)");
      expect(body.text).not.toContain("<!channel>");
      expect(body.text).toContain("&lt;!channel&gt;");
    } finally {
      await fake.stop();
      await db.close();
    }
  });

  it("an alert Slack refuses for good is recorded as failed, and whoever turned the alerts on gets one DM saying why", { timeout: 60_000 }, async () => {
    const db = await createTestDatabase({ seed: false });
    const fake = await new FakeSlackApi().start();
    try {
      const clock = fixedClock(zonedInstant("2026-03-02", "09:30", TZ));
      const deps = consoleDeps({ prisma: db.prisma, clock, timeZone: TZ, templates: await shippedTemplates() });
      const fact = await addFact({ prisma: db.prisma, admins: [] }, { date: "2026-03-03", title: "Due tomorrow", summary: "", kind: "deadline", actor: "US", source: { title: "S" } }, "U0A");
      await alertsOn({ ...deps, admins: [] }, { channel: "C0GONE", leadDays: [1], topic: "korus", time: "09:00" }, "U0OWNER");
      fake.failChannel("C0GONE", "channel_not_found");
      const scheduler = createPostScheduler({
        ...deps,
        logger: capturingLogger("warn", "alerts").logger,
        instanceId: "failing",
        settings: DEFAULT_SCHEDULER_SETTINGS,
        channelIntervalMs: 0,
        transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 5000 }),
      });
      await scheduler.runOnce(100);
      await scheduler.runOnce(100);
      const alert = await db.prisma.deadlineAlert.findFirstOrThrow();
      expect(alert).toMatchObject({ factId: fact.id, state: "failed", detail: expect.stringContaining("channel_not_found") });
      const dms = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "DU0OWNER");
      expect(dms).toHaveLength(1);
      expect(String(dms[0]!.body.text)).toContain(`:warning: A deadline alert (fact #${fact.id}, 1 day ahead) could not be posted to <#C0GONE>`);
      expect(String(dms[0]!.body.text)).toContain("`/korus alerts off <#C0GONE>` stops them");
      const listed = await runTextCommand("alerts list", deps);
      expect(listed.output).toContain(`last problem: fact #${fact.id}: the channel does not exist`);
    } finally {
      await fake.stop();
      await db.close();
    }
  });
});
