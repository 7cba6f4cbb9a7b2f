import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate, readMigrations } from "../../src/db/migrate.js";
import { createTestDatabase } from "../support/test-db.js";

/** The migration that made the outbox generic over kinds of post (src/delivery/post-kind.ts). */
const KIND_SUBJECT = "20261207400000_outbox_kind_subject";

describe("the outbox's kind and subject migration", () => {
  it("carries existing brief and alert messages over to (kind, subject), and keeps each part of each post once", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "korus-outbox-migration-"));
    const before = (await readMigrations()).filter((m) => m.name < KIND_SUBJECT);
    for (const m of before) await cp(new URL(`${m.name}/`, MIGRATIONS_DIR), path.join(dir, m.name), { recursive: true });
    const db = await createTestDatabase({ migrate: false });
    try {
      await migrate(db, pathToFileURL(`${dir}/`));
      await db.withSession((s) =>
        s.exec(`
          INSERT INTO brief_schedule (id, channel, weekday, time, time_zone, owner_id, updated_at) VALUES (7, 'C0BRIEF', 1, '09:00', 'UTC', 'U0OWNER', now());
          INSERT INTO brief_run (id, schedule_id, period_key, due_at, state) VALUES (11, 7, '2026-12-07', now(), 'sending');
          INSERT INTO fact (id, kind, date, title, actor, source_key, visible_from, created_by, updated_at)
               VALUES (5, 'deadline', '2026-12-14', 'A deadline', 'us', 'k', '2026-12-01', 'test', now());
          INSERT INTO deadline_alert (id, fact_id, channel, lead_days, due_date, state, claimed_by) VALUES (13, 5, 'C0ALERT', 7, '2026-12-14', 'queued', 'x');
          INSERT INTO outbox_message (run_id, seq, channel, text, state, next_attempt_at) VALUES
            (11, 0, 'C0BRIEF', 'headline &lt;!channel&gt;', 'sent', now()), (11, 1, 'C0BRIEF', 'part 1 &amp;lt; &lt;!here&gt;', 'pending', now()), (11, 100, 'U0OWNER', 'notice', 'pending', now());
          INSERT INTO outbox_message (alert_id, seq, channel, text, state, next_attempt_at) VALUES (13, 0, 'C0ALERT', 'alert', 'pending', now());
        `),
      );
      expect(await migrate(db)).toEqual((await readMigrations()).filter((m) => m.name >= KIND_SUBJECT).map((m) => m.name));
      const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" }, select: { kind: true, subject: true, seq: true, text: true, state: true } });
      expect(rows).toEqual([
        // Sent: kept as posted. Still to go: plain words again, for the transport to escape once.
        { kind: "brief", subject: 11, seq: 0, text: "headline &lt;!channel&gt;", state: "sent" },
        { kind: "brief", subject: 11, seq: 1, text: "part 1 &lt; <!here>", state: "pending" },
        { kind: "brief", subject: 11, seq: 100, text: "notice", state: "pending" },
        { kind: "deadline_alert", subject: 13, seq: 0, text: "alert", state: "pending" },
      ]);
      // Exactly once: a part of a post cannot be queued twice, whichever instance tries.
      await expect(db.prisma.outboxMessage.create({ data: { kind: "brief", subject: 11, seq: 1, channel: "C0BRIEF", text: "again", state: "pending", nextAttemptAt: new Date() } })).rejects.toThrow(
        /Unique constraint/,
      );
      const { count } = await db.prisma.outboxMessage.createMany({
        data: [{ kind: "deadline_alert", subject: 13, seq: 0, channel: "C0ALERT", text: "again", state: "pending", nextAttemptAt: new Date() }],
        skipDuplicates: true,
      });
      expect(count).toBe(0);
      // The same subject number of another kind is another post.
      await db.prisma.outboxMessage.create({ data: { kind: "deadline_alert", subject: 11, seq: 0, channel: "C0ALERT", text: "another", state: "pending", nextAttemptAt: new Date() } });
    } finally {
      await db.close();
    }
  });
});
