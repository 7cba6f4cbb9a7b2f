/**
 * Figure 5: many weekly briefs due at one instant. The real scheduler and outbox (embedded database) post them to the
 * fake Slack API, which holds every channel to 1 message per second (429 with Retry-After beyond it) and answers some
 * calls with 429 besides. Measured: the time from the tick until every brief is posted, against the least those
 * rate limits allow, and the posts (each headline exactly once).
 */
import { createPostScheduler } from "../src/scheduled-posts.js";
import { createSchedule } from "../src/briefs/schedules.js";
import { openTemplateStore } from "../src/template-store.js";
import { fixedClock } from "../src/clock.js";
import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { seed } from "../src/db/seed.js";
import { createLogger } from "../src/logger.js";
import { createSlackTransport } from "../src/slack/post-transport.js";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";

/** Monday 2026-03-09 09:00 in New York. */
const DUE = Date.parse("2026-03-09T13:00:00Z");
/** Slack's pace for chat.postMessage, per channel. */
const CHANNEL_INTERVAL_MS = 1000;

/** What the fan-out measured. */
export interface FanoutResult {
  /** From the tick until the last brief was posted. */
  seconds: number;
  /** The least the per-channel rate limit allows: (messages in the busiest channel - 1) seconds. */
  floorSeconds: number;
  /** Until every brief was queued in the outbox (planning and building). */
  queuedSeconds: number;
  headlinePosts: number;
  messages: number;
  duplicates: number;
  /** 429 answers: the fake's per-channel limit and the injected ones. */
  rateLimited: number;
}

/** Runs `schedules` briefs over `channels` channels, with `injected429` extra 429 answers. */
export async function briefFanout(size: { schedules: number; channels: number; injected429: number }): Promise<FanoutResult> {
  const db = await openDatabase({ dataDir: "memory://" });
  const fake = await new FakeSlackApi().start();
  try {
    await migrate(db);
    await seed(db);
    const made = fixedClock(new Date(DUE - 3_600_000));
    const templates = await openTemplateStore();
    for (let i = 0; i < size.schedules; i++) {
      await createSchedule(
        { prisma: db.prisma, clock: made, admins: [], templates },
        { weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "none" },
        { owner: `U0OWNER${i}`, channel: `C0BENCH${i % size.channels}` },
      );
    }
    fake.limitPostsPerChannel(CHANNEL_INTERVAL_MS);
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, size.injected429);

    const offset = DUE + 1000 - Date.now();
    const scheduler = createPostScheduler({
      prisma: db.prisma,
      templates,
      clock: { now: () => new Date(Date.now() + offset) },
      timeZone: "America/New_York",
      logger: createLogger("error", "bench"),
      instanceId: "bench",
      settings: { tickMs: 1000, claimTimeoutMs: 60_000, graceMs: 12 * 3_600_000 },
      transport: createSlackTransport({ token: "xoxb-bench", slackApiUrl: fake.apiUrl, timeoutMs: 10_000, instanceId: "bench" }),
      sendConcurrency: 64,
    });
    const started = performance.now();
    const ticked = scheduler.tick();
    await ticked;
    const queuedSeconds = (performance.now() - started) / 1000;
    await scheduler.runOnce(30_000);
    const seconds = (performance.now() - started) / 1000;
    await scheduler.stop();

    const posted = await db.prisma.briefRun.count({ where: { state: "posted" } });
    if (posted !== size.schedules) throw new Error(`only ${posted} of ${size.schedules} briefs were posted`);
    const posts = fake.briefPosts();
    const seen = new Set<string>();
    let duplicates = 0;
    for (const p of posts) {
      const key = `${p.payload.run_id}/${p.payload.part}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
    }
    const perChannel = await db.prisma.outboxMessage.groupBy({ by: ["channel"], _count: true });
    const busiest = Math.max(...perChannel.map((c) => c._count));
    return {
      seconds,
      floorSeconds: ((busiest - 1) * CHANNEL_INTERVAL_MS) / 1000,
      queuedSeconds,
      headlinePosts: posts.filter((p) => p.payload.part === 0).length,
      messages: posts.length,
      duplicates,
      rateLimited: fake.calls.filter((c) => c.method === "chat.postMessage!429").length,
    };
  } finally {
    await fake.stop();
    await db.close();
  }
}
