import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/db/seed.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { parseFactQuery } from "../../src/facts/query.js";
import { searchFacts } from "../../src/facts/search.js";
import { importFactLines } from "../../src/facts/import.js";
import { blocksText } from "../support/block-limits.js";
import { startBot } from "../support/bot.js";
import { createPostgresDatabase, POSTGRES_URL } from "../support/test-db.js";

describe.skipIf(!POSTGRES_URL)("on a PostgreSQL server", () => {
  let target: { url: string; drop: () => Promise<void> };
  let db: Database;

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    await migrate(db);
    await seed(db);
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });

  it("serves /korus status and a fact search from PostgreSQL through the real Bolt app", async () => {
    const bot = await startBot(db, { clock: fixedClock("2017-07-20T15:00:00Z") });
    try {
      expect(db.description).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432\/korus_t_/);
      const status = await bot.slack.command("status");
      expect(blocksText(status.json as object)).toContain("*22 days left*");
      const response = bot.fake.waitForResponse();
      await bot.slack.command("facts deficit kind:figure");
      expect(blocksText((await response).body)).toContain("*3 facts match* `deficit kind:figure`");
      expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });

  it("two imports of one file at the same moment store each fact once", async () => {
    const { facts } = parseFactLines(await readFile(new URL("../../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
    const other = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    try {
      const outcomes = await Promise.allSettled([importFactLines(db.prisma, facts, { actor: "a" }), importFactLines(other.prisma, facts, { actor: "b" })]);
      expect(outcomes.some((o) => o.status === "fulfilled")).toBe(true);
      const titles = await db.prisma.fact.groupBy({ by: ["date", "title", "sourceKey"], _count: true });
      expect(titles.every((t) => t._count === 1)).toBe(true);
      // The seeded database already holds the example's 14 seed lines: they are the same facts.
      expect(await db.prisma.fact.count()).toBe(facts.length);
      // Whichever lost the race imports cleanly afterwards, changing nothing.
      expect(await importFactLines(other.prisma, facts, { actor: "b" })).toMatchObject({ added: 0, updated: 0, unchanged: facts.length });
    } finally {
      await other.close();
    }
  });

  it("applies a file too big to check straight from its lines, as on the embedded database, beside a concurrent import", async () => {
    // The same lines twice at once, both through the unstaged bulk path (duplicateCheckMax 0): one stores each fact, the
    // other finds them stored (it retries after a unique violation) and changes nothing; nothing is staged.
    const lines = Array.from({ length: 60 }, (_, i) => ({
      date: `2032-01-${String((i % 28) + 1).padStart(2, "0")}`,
      title: `Bulk "quoted" \\ line {${i}}, NULL`,
      summary: `Line ${i}\nsecond line`,
      kind: "note" as const,
      actor: "US",
      sources: [{ title: `Source ${i}`, url: `https://example.org/${i}` }],
      disputed: [],
      confidence: "confirmed" as const,
      topic: "korus",
    }));
    const other = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    try {
      const outcomes = await Promise.allSettled([importFactLines(db.prisma, lines, { actor: "a", duplicateCheckMax: 0 }), importFactLines(other.prisma, lines, { actor: "b", duplicateCheckMax: 0 })]);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
      const added = outcomes.map((o) => (o.status === "fulfilled" ? o.value.added : -1)).sort();
      expect(added).toEqual([0, 60]);
      const stored = await db.prisma.fact.findMany({ where: { title: { startsWith: "Bulk " } }, orderBy: { id: "asc" }, include: { audits: true } });
      expect(stored.map((f) => f.title)).toEqual(lines.map((l) => l.title));
      expect(stored.map((f) => f.summary)).toEqual(lines.map((l) => l.summary));
      expect(stored.every((f) => f.audits.length === 1 && (f.audits[0]!.after as { title: string }).title === f.title)).toBe(true);
      const [staged] = await db.prisma.$queryRaw<Array<{ n: number }>>`SELECT (SELECT count(*) FROM fact_import_line)::int AS n`;
      expect(staged!.n).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("an import that collides with a concurrent writer's uncommitted fact retries and finds it", async () => {
    const line = {
      date: "2019-06-30",
      title: "Trump and Moon meet in Seoul",
      summary: "",
      kind: "event" as const,
      actor: "both",
      sources: [{ title: "Public record" }],
      disputed: [],
      confidence: "confirmed" as const,
      topic: "korus",
    };
    const other = new pg.Client({ connectionString: target.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(
        `INSERT INTO fact (kind, date, visible_from, title, summary, actor, source_title, source_key, sources, created_by, updated_at)
         VALUES ('event', '2019-06-30', '2019-06-30', $1, '', 'both', 'Public record', 'public record|', '[{"title": "Public record"}]', 'other', now())`,
        [line.title],
      );
      const racing = importFactLines(db.prisma, [line, { ...line, title: "Another fact of that day" }], { actor: "a" });
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      expect(await racing).toMatchObject({ added: 1, updated: 0, unchanged: 1 });
      expect(await db.prisma.fact.count({ where: { title: line.title } })).toBe(1);
    } finally {
      await other.end();
    }
  });

  it("checks a one-day bulletin for likely duplicates as on the embedded database, staging nothing that stays", async () => {
    const title = (i: number) => `Daily trade bulletin: steel tariff quota update, item ${i}`;
    const lines = Array.from({ length: 300 }, (_, i) => ({
      date: "2031-05-05",
      title: title(i + 1),
      summary: "",
      kind: "note" as const,
      actor: "US",
      sources: [{ title: "Bulletin" }],
      disputed: [],
      confidence: "confirmed" as const,
      topic: "korus",
    }));
    const result = await importFactLines(db.prisma, lines, { actor: "a" });
    expect(result.added).toBe(300);
    expect(result.duplicates.map((d) => d.line)).toEqual(Array.from({ length: 299 }, (_, i) => i + 2));
    expect(result.duplicates[0]).toMatchObject({ line: 2, like: { line: 1, date: "2031-05-05", title: title(1) } });
    for (const d of result.duplicates) expect(d.like.line).toBeLessThan(d.line);
    const [left] = await db.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT ((SELECT count(*) FROM fact_import_line) + (SELECT count(*) FROM fact_import_word))::int AS n`;
    expect(left!.n).toBe(0);
  });

  it("ranks full-text matches on the server as on the embedded database", async () => {
    const result = await searchFacts(db.prisma, parseFactQuery("special session"), { limit: 3 });
    expect(result.facts[0]!.title).toMatch(/special session/i);
    expect(result.total).toBeGreaterThan(3);
  });
});
