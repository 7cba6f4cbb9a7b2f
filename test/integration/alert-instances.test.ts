/**
 * The alert quality bar: three scheduler instances (each its own PostgreSQL pool, its own outbox sender and Slack
 * transport) on one database and the fake Slack API; 30 deadlines, 3 channels with leads 7 and 1 (and the day
 * itself); the clock moved day by day over 40 days, with a deadline retracted before its alerts, one retracted between
 * them, one moved through the fact it counts from, and one moved by an edit after its first alert.
 */
import { afterEach, describe, expect, it } from "vitest";
import { alertsOn } from "../../src/alerts/subscriptions.js";
import { DEFAULT_SCHEDULER_SETTINGS, type DeliveryScheduler } from "../../src/delivery/scheduler.js";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import type { Clock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { addDays, fromDbDate, type IsoDate } from "../../src/facts/dates.js";
import { editFact, retractFact } from "../../src/facts/service.js";
import { importFactLines } from "../../src/facts/import.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { localDateTime, zonedInstant } from "../../src/time-zone.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { capturingLogger } from "../support/logs.js";
import { shippedTemplates } from "../support/templates.js";
import { createPostgresDatabase, POSTGRES_URL } from "../support/test-db.js";

const TZ = "America/New_York";
const START: IsoDate = "2026-03-01"; // the clocks move to EDT on 8 March: alerts stay at 09:00 local
const DAYS = 40;
const CHANNELS = ["C0ALERTA", "C0ALERTB", "C0ALERTC"];
const LEADS = [7, 1, 0];
const ADMIN = "U0ADMIN";
const SOURCE = { title: "Test source", url: "https://example.org/notice?a=1&b=(2)" };

/** A clock at a simulated instant that runs on in real time (retries and pacing need time to pass). */
function simulatedClock(): Clock & { set(at: Date): void } {
  let base = Date.now();
  let realAt = Date.now();
  return {
    now: () => new Date(base + (Date.now() - realAt)),
    set(at: Date) {
      base = at.getTime();
      realAt = Date.now();
    },
  };
}

interface AlertPost {
  alertId: number;
  channel: string;
}

function alertPosts(fake: FakeSlackApi): AlertPost[] {
  return fake.callsTo("chat.postMessage").flatMap((call) => {
    const m = call.body.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
    return m?.event_type === "korus_deadline_alert" ? [{ alertId: Number(m.event_payload?.alert_id), channel: String(call.body.channel) }] : [];
  });
}

describe.skipIf(!POSTGRES_URL)("deadline alerts with three instances on PostgreSQL", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => undefined);
  });

  it("30 deadlines x 3 channels x leads 7, 1 and the day, over 40 days: every alert once, none for a retracted deadline, a moved one on its new date only", { timeout: 240_000 }, async () => {
    const target = await createPostgresDatabase();
    cleanup.push(() => target.drop());
    const setupDb = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    cleanup.push(() => setupDb.close());
    await migrate(setupDb);
    const fake = await new FakeSlackApi().start();
    cleanup.push(() => fake.stop());

    // 25 deadlines with dates of their own, 5 counting from a base event (due = base + 17 days).
    const due = (i: number): IsoDate => addDays("2026-03-09", i);
    const base = (i: number): IsoDate => addDays(due(i), -17);
    const lines = [];
    for (let i = 0; i < 30; i++) {
      if (i >= 25) {
        lines.push({ date: base(i), title: `Base event ${i}`, summary: "", kind: "event" as const, actor: "US", sources: [SOURCE], disputed: [], confidence: "confirmed" as const, topic: "korus" });
        lines.push({
          title: `Deadline ${i}`,
          summary: `Relative deadline ${i}: <!channel> must not ping`,
          kind: "deadline" as const,
          actor: "both",
          sources: [SOURCE],
          disputed: [],
          known: "2026-02-01",
          after: { days: 17, from: { date: base(i), title: `Base event ${i}` } },
          confidence: "confirmed" as const,
          topic: "korus",
        });
      } else {
        lines.push({
          date: due(i),
          title: `Deadline ${i}`,
          summary: "",
          kind: "deadline" as const,
          actor: "US",
          sources: [SOURCE],
          disputed: [],
          known: "2026-02-01",
          confidence: "confirmed" as const,
          topic: "korus",
        });
      }
    }
    await importFactLines(setupDb.prisma, lines as never, { actor: ADMIN });
    const facts = await setupDb.prisma.fact.findMany({ where: { kind: "deadline" }, orderBy: { id: "asc" } });
    const idOf = (i: number) => facts.find((f) => f.title === `Deadline ${i}`)!.id;
    const baseId = async (i: number) => (await setupDb.prisma.fact.findFirstOrThrow({ where: { title: `Base event ${i}` } })).id;

    const clock = simulatedClock();
    clock.set(zonedInstant(START, "08:00", TZ));
    const alertDeps = { prisma: setupDb.prisma, clock, timeZone: TZ, admins: [ADMIN] };
    for (const channel of CHANNELS) await alertsOn(alertDeps, { channel, leadDays: [7, 1], topic: "korus", time: "09:00" }, "U0OWNER");

    // Three instances, each with its own pool, sender and transport, as three bot processes would have.
    const templates = await shippedTemplates();
    const instances: DeliveryScheduler[] = [];
    for (let n = 0; n < 3; n++) {
      const db = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
      cleanup.push(() => db.close());
      const instanceId = `instance-${n}`;
      instances.push(
        createPostScheduler({
          prisma: db.prisma,
          clock,
          timeZone: TZ,
          templates,
          logger: capturingLogger("warn", instanceId).logger,
          instanceId,
          settings: DEFAULT_SCHEDULER_SETTINGS,
          channelIntervalMs: 20,
          transport: createSlackTransport({ token: "xoxb-alerts", slackApiUrl: fake.apiUrl, timeoutMs: 5000, instanceId }),
        }),
      );
    }

    // What each deadline's due date is on each day (changes are made at 08:00, before the 09:00 alerts).
    const changes: Array<{ day: IsoDate; apply: () => Promise<unknown>; effect: (i: number, day: IsoDate) => IsoDate | null | undefined }> = [
      // Retracted before any of its alerts (7-day alert would be 2026-03-07).
      { day: "2026-03-03", apply: () => retractFact({ prisma: setupDb.prisma, admins: [ADMIN] }, idOf(5), "withdrawn", ADMIN), effect: (i) => (i === 5 ? null : undefined) },
      // Retracted between its 7-day alert (2026-03-22) and its 1-day alert.
      { day: "2026-03-25", apply: () => retractFact({ prisma: setupDb.prisma, admins: [ADMIN] }, idOf(20), "withdrawn", ADMIN), effect: (i) => (i === 20 ? null : undefined) },
      // Moved by 3 days through the event it counts from, before its 7-day alert (was due 2026-04-05).
      {
        day: "2026-03-10",
        apply: async () =>
          editFact(
            { prisma: setupDb.prisma, admins: [ADMIN] },
            await baseId(27),
            { date: addDays(base(27), 3), title: "Base event 27", kind: "event", actor: "US", source: SOURCE },
            ADMIN,
            undefined,
            { allowDuplicate: true },
          ),
        effect: (i) => (i === 27 ? addDays(due(27), 3) : undefined),
      },
      // Moved by an edit after its 7-day alert went out (was due 2026-03-21, 7-day alert 2026-03-14).
      {
        day: "2026-03-15",
        apply: () =>
          editFact(
            { prisma: setupDb.prisma, admins: [ADMIN] },
            idOf(12),
            { date: "2026-03-24", title: "Deadline 12", kind: "deadline", actor: "US", sources: [SOURCE], disputed: [], known: "2026-02-01" },
            ADMIN,
          ),
        effect: (i) => (i === 12 ? "2026-03-24" : undefined),
      },
    ];
    const dueOn = (i: number, day: IsoDate): IsoDate | null => {
      let date: IsoDate | null = due(i);
      for (const c of changes)
        if (c.day <= day) {
          const e = c.effect(i, day);
          if (e !== undefined) date = e;
        }
      return date;
    };

    for (let d = 0; d < DAYS; d++) {
      const day = addDays(START, d);
      clock.set(zonedInstant(day, "08:00", TZ));
      for (const c of changes.filter((c) => c.day === day)) await c.apply();
      // Before 09:00 nothing is due; after it, all three instances tick at once.
      await Promise.all(instances.map((s) => s.runOnce(500)));
      clock.set(zonedInstant(day, "09:30", TZ));
      await Promise.all(instances.map((s) => s.runOnce(500)));
      // A second round the same morning changes nothing.
      await Promise.all(instances.map((s) => s.runOnce(500)));
    }

    // Expected: for each deadline, channel and lead, the alert of the due date it had on the alert's day.
    const expected = new Set<string>();
    for (let i = 0; i < 30; i++) {
      for (let d = 0; d < DAYS; d++) {
        const day = addDays(START, d);
        const date = dueOn(i, day);
        if (!date) continue;
        for (const lead of LEADS) if (addDays(date, -lead) === day) for (const channel of CHANNELS) expected.add(`${idOf(i)}|${channel}|${lead}|${date}`);
      }
    }
    const posts = alertPosts(fake);
    const alerts = new Map((await setupDb.prisma.deadlineAlert.findMany()).map((a) => [a.id, a]));
    const counts = new Map<string, number>();
    for (const p of posts) {
      const a = alerts.get(p.alertId)!;
      expect(a.channel).toBe(p.channel);
      const key = `${a.factId}|${a.channel}|${a.leadDays}|${fromDbDate(a.dueDate)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      // Posted at 09:00-09:59 in New York, before and after the change to daylight saving time.
      expect(localDateTime(a.postedAt!, TZ).time.slice(0, 2)).toBe("09");
    }
    const duplicates = [...counts.entries()].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    expect(new Set(counts.keys())).toEqual(expected);
    // Retracted deadline 5: nothing; deadline 20: its 7-day alert only.
    expect([...counts.keys()].filter((k) => k.startsWith(`${idOf(5)}|`))).toEqual([]);
    expect([...counts.keys()].filter((k) => k.startsWith(`${idOf(20)}|`)).map((k) => k.split("|")[2])).toEqual(["7", "7", "7"]);
    // Moved deadline 27: only its new date.
    expect(new Set([...counts.keys()].filter((k) => k.startsWith(`${idOf(27)}|`)).map((k) => k.split("|")[3]))).toEqual(new Set([addDays(due(27), 3)]));
    // Deadline 12: the 7-day alert of its old date, then the alerts of the new one; none of the old date's later ones.
    expect([...counts.keys()].filter((k) => k.startsWith(`${idOf(12)}|C0ALERTA|`)).sort()).toEqual(
      [`${idOf(12)}|C0ALERTA|0|2026-03-24`, `${idOf(12)}|C0ALERTA|1|2026-03-24`, `${idOf(12)}|C0ALERTA|7|2026-03-21`, `${idOf(12)}|C0ALERTA|7|2026-03-24`].sort(),
    );
    expect(await setupDb.prisma.outboxMessage.count({ where: { state: { notIn: ["sent"] } } })).toBe(0);
    const byInstance: Record<string, number> = {};
    for (const call of fake.callsTo("chat.postMessage")) byInstance[String(call.headers["x-korus-instance"])] = (byInstance[String(call.headers["x-korus-instance"])] ?? 0) + 1;
    console.info(`[alert-instances] ${posts.length} alerts posted over ${DAYS} days, ${expected.size} expected, 0 duplicates; by instance ${JSON.stringify(byInstance)}`);
  });
});
