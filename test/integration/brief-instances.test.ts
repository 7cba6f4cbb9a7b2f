import { afterEach, describe, expect, it } from "vitest";
import { createSchedule } from "../../src/briefs/schedules.js";
import { fixedClock } from "../../src/clock.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/db/seed.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, startProcess } from "../support/processes.js";
import { createPostgresDatabase, POSTGRES_URL } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

/** Monday 9 March 2026, 09:00 in New York: the first Monday after the clocks moved to EDT (13:00 UTC). */
const DUE = Date.parse("2026-03-09T13:00:00Z");
const SCHEDULES = 20;
const CHANNELS = 10;
const INSTANCES = 3;
const NO_STACK = /^\s+at /m;

type Bot = Awaited<ReturnType<typeof startProcess>>;

describe.skipIf(!POSTGRES_URL)("several bot processes on one PostgreSQL post each brief exactly once", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => undefined);
  });

  /** A migrated, seeded database with SCHEDULES schedules, all due at DUE, over CHANNELS channels. */
  async function setup(): Promise<{ url: string; db: Database; fake: FakeSlackApi }> {
    const target = await createPostgresDatabase();
    cleanup.push(() => target.drop());
    const db = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    cleanup.push(() => db.close());
    await migrate(db);
    await seed(db);
    const created = fixedClock(new Date(DUE - 3_600_000));
    for (let i = 0; i < SCHEDULES; i++) {
      await createSchedule(
        { prisma: db.prisma, clock: created, admins: [], templates: await shippedTemplates() },
        { weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "none" },
        { owner: `U0OWNER${i}`, channel: `C0CHAN${i % CHANNELS}` },
      );
    }
    const fake = await new FakeSlackApi().start();
    cleanup.push(() => fake.stop());
    // Slack's rule: about one message per second per channel; beyond it, 429 with Retry-After.
    fake.limitPostsPerChannel(1000);
    return { url: target.url, db, fake };
  }

  /** Starts INSTANCES bots whose scheduler clocks read DUE - leadMs now. */
  async function startBots(url: string, fake: FakeSlackApi, leadMs: number): Promise<Array<Bot & { instance: string }>> {
    const env = cleanEnv({
      SLACK_BOT_TOKEN: "xoxb-instances",
      SLACK_SIGNING_SECRET: "instances-signing-secret",
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      DATABASE_URL: url,
      KORUS_BRIEF_TICK: "1s",
      KORUS_BRIEF_CLAIM_TIMEOUT: "3s",
      KORUS_CLOCK_OFFSET_MS: String(DUE - leadMs - Date.now()),
    });
    const bots = await Promise.all(Array.from({ length: INSTANCES }, () => startProcess(process.execPath, ["dist/main.js"], { env, ready: /scheduler started as (\S+)/ })));
    for (const bot of bots) {
      cleanup.push(async () => {
        bot.signal("SIGKILL");
        await bot.exited;
      });
    }
    // The scheduler starts last, once the bot serves and its status is warm.
    return bots.map((bot) => ({ ...bot, instance: bot.match[1]! }));
  }

  async function waitForAllPosted(db: Database, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const posted = await db.prisma.briefRun.count({ where: { state: "posted" } });
      if (posted === SCHEDULES) return;
      if (Date.now() > deadline) {
        const runs = await db.prisma.briefRun.groupBy({ by: ["state"], _count: true });
        throw new Error(`only ${posted} of ${SCHEDULES} briefs posted within ${timeoutMs} ms: ${JSON.stringify(runs)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Every brief message (headline and thread parts) posted exactly once, all of them, each thread under its headline. */
  async function expectExactlyOnce(db: Database, fake: FakeSlackApi): Promise<{ posts: number; duplicates: number; byInstance: Record<string, number> }> {
    const posts = fake.briefPosts();
    const counts = new Map<string, number>();
    for (const p of posts) {
      const key = `${p.payload.schedule_id}/${p.payload.period}/${p.payload.part}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    const queued = await db.prisma.outboxMessage.findMany({ where: { kind: "brief" } });
    const runOf = new Map((await db.prisma.briefRun.findMany()).map((r) => [r.id, r]));
    expect(queued.every((m) => m.state === "sent")).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(queued.map((m) => `${runOf.get(m.subject)!.scheduleId}/${runOf.get(m.subject)!.periodKey}/${m.seq}`)));
    const headlines = posts.filter((p) => p.payload.part === 0);
    expect(headlines).toHaveLength(SCHEDULES);
    expect(new Set(headlines.map((p) => p.payload.period))).toEqual(new Set(["2026-03-09"]));
    for (const run of await db.prisma.briefRun.findMany()) {
      const thread = posts.filter((p) => p.payload.run_id === run.id && p.payload.part > 0);
      expect(thread.length).toBeGreaterThan(0);
      for (const part of thread) expect(part.call.body.thread_ts).toBe(run.headlineTs);
    }
    expect(duplicates).toBe(0);
    const byInstance: Record<string, number> = {};
    for (const p of posts) {
      const who = String(p.call.headers["x-korus-instance"]);
      byInstance[who] = (byInstance[who] ?? 0) + 1;
    }
    return { posts: posts.length, duplicates, byInstance };
  }

  it(`${INSTANCES} instances, ${SCHEDULES} briefs due at the same instant, 429s and 500s: every brief once, nothing missing`, { timeout: 120_000 }, async () => {
    const { url, db, fake } = await setup();
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, 6);
    fake.failNext("chat.postMessage", { status: 500 }, 4);
    const bots = await startBots(url, fake, 8000);
    await waitForAllPosted(db, 60_000);
    const figures = await expectExactlyOnce(db, fake);
    const rateLimited = fake.calls.filter((c) => c.method === "chat.postMessage!429").length;
    const serverErrors = fake.calls.filter((c) => c.method === "chat.postMessage!500").length;
    expect(serverErrors).toBe(4);
    expect(rateLimited).toBeGreaterThanOrEqual(6);
    console.info(
      `[brief-instances] ${INSTANCES} instances, ${SCHEDULES} schedules: ${figures.posts} posts, ${figures.duplicates} duplicates, ${rateLimited} answered 429, ${serverErrors} answered 500; posts by instance: ${JSON.stringify(figures.byInstance)}`,
    );
    // To the bot itself, as a process manager would.
    for (const bot of bots) bot.child.kill("SIGTERM");
    for (const bot of bots) {
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      expect(exit.stderr).not.toMatch(NO_STACK);
    }
  });

  it("an instance killed with SIGKILL in the middle of posting: its claims are taken over, its unrecorded post is found, not repeated", { timeout: 120_000 }, async () => {
    const { url, db, fake } = await setup();
    // Slack keeps each post, then answers 400 ms later: a kill in that window leaves a post the killer never recorded.
    fake.delay("chat.postMessage", 400);
    const bots = await startBots(url, fake, 8000);
    const third = await fake.waitFor((c) => c.method === "chat.postMessage" && fake.briefPosts().length >= 3, 60_000);
    const victim = bots.find((b) => b.instance === third.headers["x-korus-instance"])!;
    victim.signal("SIGKILL");
    const killedAfter = fake.briefPosts().length;
    expect((await victim.exited).signal).toBe("SIGKILL");
    await waitForAllPosted(db, 60_000);
    const figures = await expectExactlyOnce(db, fake);
    const survivors = bots.filter((b) => b !== victim);
    const logs = survivors.map((b) => b.output()).join("\n");
    expect(logs).toMatch(/was already in Slack \(\d+\.\d+\); not posting it again/);
    expect(fake.callsTo("conversations.history").length + fake.callsTo("conversations.replies").length).toBeGreaterThan(0);
    console.info(`[brief-instances] SIGKILL after ${killedAfter} posts: ${figures.posts} posts, ${figures.duplicates} duplicates; posts by instance: ${JSON.stringify(figures.byInstance)}`);
    for (const bot of survivors) bot.child.kill("SIGTERM");
    for (const bot of survivors) expect((await bot.exited).code).toBe(0);
  });
});
