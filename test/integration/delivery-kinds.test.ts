/**
 * The delivery machine (src/delivery/) with a kind of post it has never heard of, defined here: it posts, threads,
 * retries, drops, fails and tells the owner for that kind exactly as for briefs and alerts, with no line of its own
 * changed. Through the real outbox, the real Slack transport and the fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { type PostKind, queuePosts } from "../../src/delivery/post-kind.js";
import { DEFAULT_SCHEDULER_SETTINGS, DeliveryScheduler } from "../../src/delivery/scheduler.js";
import { escapeMrkdwn } from "../../src/render/escape.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { fixedClock } from "../../src/clock.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { capturingLogger } from "../support/logs.js";
import { createTestDatabase } from "../support/test-db.js";

const EVIL = "<!channel> *bold* <https://evil.example|click>";

/** A trivial kind: "digest" posts, each a headline and two thread parts, recorded in memory. */
function digestKind(posts: ReadonlyArray<{ subject: number; channel: string; gone?: string; deleted?: boolean }>) {
  const record = { delivered: new Map<number, string>(), dropped: new Map<number, string>(), failed: new Map<number, string>() };
  const kind: PostKind = {
    name: "digest",
    async plan(ctx, now) {
      await ctx.prisma.$transaction((tx) =>
        queuePosts(
          tx,
          posts.map((p) => ({
            kind: "digest",
            subject: p.subject,
            channel: p.channel,
            parts: [0, 1, 2].map((seq) => ({
              seq,
              text: seq === 0 ? `Digest ${p.subject}: ${EVIL}` : seq === 2 ? `<${"x".repeat(4100)}` : `part ${seq}`,
              markdown: seq === 0 ? null : `**part ${seq}**`,
            })),
          })),
          now,
        ),
      );
      return posts.map((p) => ({ kind: "digest", subject: p.subject, action: "queued", line: `digest ${p.subject} queued`, level: "info" as const }));
    },
    marker: async (_prisma, subject) => (posts.find((p) => p.subject === subject)?.deleted ? null : { digest_id: subject }),
    stillDue: async (_prisma, subject) => posts.find((p) => p.subject === subject)?.gone ?? null,
    async dropped(_tx, subject, reason) {
      record.dropped.set(subject, reason);
    },
    async delivered(_tx, subject, ts) {
      record.delivered.set(subject, ts);
    },
    async failed(_tx, subject, detail) {
      record.failed.set(subject, detail);
      return { owner: "U0OWNER", notice: { kind: "digest_not_posted", subject }, words: `Digest ${subject} could not be posted: ${detail}. ${EVIL}` };
    },
  };
  return { kind, record };
}

describe("the delivery machine with a kind of post defined outside it", () => {
  let db: Database;
  let fake: FakeSlackApi;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    fake = await new FakeSlackApi().start();
  });
  afterAll(async () => {
    await fake.stop();
    await db.close();
  });

  it("posts each part once in order under its headline; drops one that no longer stands or whose subject is gone; fails one for good and DMs the owner in plain words, escaped", async () => {
    fake.failChannel("C0GONE", "channel_not_found");
    const { kind, record } = digestKind([
      { subject: 1, channel: "C0DIGEST" },
      { subject: 2, channel: "C0DIGEST2", gone: "the digest was withdrawn" },
      { subject: 3, channel: "C0GONE" },
      { subject: 4, channel: "C0DELETED", deleted: true },
    ]);
    const { logger } = capturingLogger("warn", "digest");
    const scheduler = new DeliveryScheduler({
      prisma: db.prisma,
      clock: fixedClock(new Date("2026-12-07T12:00:00Z")),
      logger,
      instanceId: "digest-test",
      settings: DEFAULT_SCHEDULER_SETTINGS,
      kinds: [kind],
      channelIntervalMs: 0,
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 2000 }),
    });
    try {
      const { events, sent } = await scheduler.runOnce(2000);
      expect(events.map((e) => [e.subject, e.action])).toEqual([
        [1, "queued"],
        [2, "queued"],
        [3, "queued"],
        [4, "queued"],
      ]);
      expect(sent).toMatchObject({ sent: 4, failed: 1 });
      // A second tick queues nothing again: (kind, subject, seq) is unique.
      expect((await scheduler.runOnce(500)).sent).toMatchObject({ sent: 0, failed: 0 });

      const posted = fake.messages.get("C0DIGEST")!;
      expect(posted.map((m) => (m.metadata as { event_payload: Record<string, unknown> }).event_payload)).toEqual([0, 1, 2].map((part) => ({ outbox_id: expect.any(Number), digest_id: 1, part })));
      expect(posted.map((m) => (m.metadata as { event_type: string }).event_type)).toEqual(["korus_digest", "korus_digest", "korus_digest"]);
      expect(posted[1]!.thread_ts).toBe(posted[0]!.ts);
      expect(posted[2]!.thread_ts).toBe(posted[0]!.ts);
      // Plain words from the kind, escaped and cut by the Slack transport: no mention, no link, within 4,000 characters.
      expect(posted[0]!.text).toBe(escapeMrkdwn(`Digest 1: ${EVIL}`));
      expect(posted[0]!.text).not.toContain("<!channel>");
      expect(posted[2]!.text).toMatch(/^&lt;x+…$/);
      expect((posted[2]!.text as string).length).toBe(4000);
      expect(record.delivered.get(1)).toBe(posted[0]!.ts);

      expect(fake.messages.get("C0DIGEST2")).toBeUndefined();
      expect(record.dropped.get(2)).toBe("the digest was withdrawn");
      const dropped = await db.prisma.outboxMessage.findMany({ where: { kind: "digest", subject: 2 }, orderBy: { seq: "asc" } });
      expect(dropped.map((m) => [m.seq, m.state, m.lastError])).toEqual([0, 1, 2].map((seq) => [seq, "cancelled", "the digest was withdrawn"]));

      // A post whose subject was deleted meanwhile (its kind finds no marker) is cancelled, not posted.
      expect(fake.messages.get("C0DELETED")).toBeUndefined();
      const deleted = await db.prisma.outboxMessage.findMany({ where: { kind: "digest", subject: 4 }, orderBy: { seq: "asc" } });
      expect(deleted.map((m) => [m.seq, m.state, m.lastError])).toEqual([0, 1, 2].map((seq) => [seq, "cancelled", "its digest is gone"]));

      expect(record.failed.get(3)).toBe("the channel does not exist, or it is private and the bot is not in it (invite it with /invite) (channel_not_found)");
      const dm = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "DU0OWNER");
      expect(dm).toHaveLength(1);
      const text = String(dm[0]!.body.text);
      expect(text).toMatch(/^:warning: Digest 3 could not be posted: the channel does not exist/);
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://evil.example");
    } finally {
      await scheduler.stop();
    }
  });

  it("leaves the rows of a kind this instance does not know queued, for an instance that does", async () => {
    await db.prisma.outboxMessage.create({ data: { kind: "unknown_kind", subject: 1, seq: 0, channel: "C0ELSE", text: "hello", state: "pending", nextAttemptAt: new Date("2026-12-07T00:00:00Z") } });
    const { kind } = digestKind([]);
    const scheduler = new DeliveryScheduler({
      prisma: db.prisma,
      clock: fixedClock(new Date("2026-12-07T12:00:00Z")),
      logger: capturingLogger("warn", "digest").logger,
      instanceId: "digest-test-2",
      settings: DEFAULT_SCHEDULER_SETTINGS,
      kinds: [kind],
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 2000 }),
    });
    try {
      expect((await scheduler.runOnce(200)).sent).toMatchObject({ sent: 0, failed: 0 });
      expect(fake.messages.get("C0ELSE")).toBeUndefined();
      expect((await db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: "unknown_kind" } })).state).toBe("pending");
    } finally {
      await scheduler.stop();
    }
  });

  it("starts the tick's other work (the feeds) at each tick without waiting for it, never two at once; run-once waits for it and returns its lines", async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { kind } = digestKind([]);
    const scheduler = new DeliveryScheduler({
      prisma: db.prisma,
      clock: fixedClock(new Date("2026-12-07T12:00:00Z")),
      logger: capturingLogger("warn", "digest").logger,
      instanceId: "digest-test-3",
      settings: DEFAULT_SCHEDULER_SETTINGS,
      kinds: [kind],
      tickWork: async () => {
        calls++;
        await gate;
        return [`web work ${calls}`];
      },
    });
    try {
      // A poll waiting for a host's turn does not hold the briefs back, and is not started twice.
      await scheduler.tick();
      await scheduler.tick();
      expect(calls).toBe(1);
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { work, sent } = await scheduler.runOnce(100);
      expect(work).toEqual(["web work 2"]);
      expect(sent).toBeNull(); // no transport: planned, not sent
      expect(calls).toBe(2);
    } finally {
      await scheduler.stop();
    }
  });
});
