import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factChanges } from "../../src/briefs/brief.js";
import type { Database } from "../../src/db/client.js";
import { analyzeGrownTables } from "../../src/db/maintenance.js";
import { addFact, editFact } from "../../src/facts/service.js";
import { ANALYZE_AFTER_CHANGES, importFactLines } from "../../src/facts/import.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { createTestDatabase } from "../support/test-db.js";

/** What the last ANALYZE counted in a table (-1: never analyzed). */
async function seenRows(db: Database, table: string): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<Array<{ seen: number }>>(`SELECT reltuples::float8 AS seen FROM pg_class WHERE oid = '${table}'::regclass`);
  return row!.seen;
}

describe("the fact tables' topic and planner statistics (embedded database)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("an audit row carries its fact's topic, also when the fact moves, and a brief counts one topic's changes", async () => {
    const since = new Date(Date.now() - 60_000);
    const actor = { prisma: db.prisma, admins: [] };
    const raw = { date: "2030-01-02", title: "Topic test fact", kind: "note", actor: "US", source: { title: "Topic test source" }, topic: "ustr-301" };
    const fact = await addFact(actor, raw, "U0A");
    // Whatever the insert says, the row takes the fact's topic.
    await db.prisma.factAudit.create({ data: { factId: fact.id, action: "edit", actor: "U0A", topic: "korus" } });
    const topics = async () => (await db.prisma.factAudit.findMany({ where: { factId: fact.id }, select: { topic: true } })).map((a) => a.topic);
    expect(await topics()).toEqual(["ustr-301", "ustr-301"]);
    const until = () => new Date(Date.now() + 60_000);
    expect((await factChanges(db.prisma, since, until(), "ustr-301")).total).toBe(1);
    const korusBefore = (await factChanges(db.prisma, since, until(), "korus")).total;
    await editFact(actor, fact.id, { ...raw, topic: "korus" }, "U0A");
    expect(new Set(await topics())).toEqual(new Set(["korus"]));
    expect((await factChanges(db.prisma, since, until(), "ustr-301")).total).toBe(0);
    const korus = await factChanges(db.prisma, since, until(), "korus");
    expect(korus.total).toBe(korusBefore + 1);
    expect(korus.changes.map((c) => c.fact.id)).toContain(fact.id);
  });

  it("a big import refreshes the statistics at once; growth by small writes is caught by analyzeGrownTables", async () => {
    // Each on its own day (a bulk load, not near-duplicates: those are checked one against another).
    const day = (i: number) => new Date(Date.UTC(2031, 0, 1 + i)).toISOString().slice(0, 10);
    const lines = Array.from({ length: ANALYZE_AFTER_CHANGES }, (_, i) =>
      JSON.stringify({ date: day(i), title: `Statistics fact ${i}`, kind: "note", actor: "US", source: { title: "Statistics source" } }),
    ).join("\n");
    const { facts, errors } = parseFactLines(lines);
    expect(errors).toEqual([]);
    const before = await seenRows(db, "fact");
    await importFactLines(db.prisma, facts, { actor: "test" });
    expect(await seenRows(db, "fact")).toBeGreaterThanOrEqual(ANALYZE_AFTER_CHANGES);
    expect(await seenRows(db, "fact")).toBeGreaterThan(before);
    // Nothing has grown since: nothing to do.
    expect(await analyzeGrownTables(db)).toEqual([]);
    // Many small writes (here in SQL) triple the table; the hourly check analyzes it, then finds nothing again.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO fact (kind, date, visible_from, title, actor, source_title, source_key, sources, created_by, updated_at)
      SELECT 'note', DATE '2032-01-01', DATE '2032-01-01', 'Small write ' || i, 'US', 'S', 's|', '[{"title":"S"}]'::jsonb, 'test', now()
        FROM generate_series(1, 3000) AS i`);
    expect(await analyzeGrownTables(db)).toEqual(["fact"]);
    expect(await seenRows(db, "fact")).toBeGreaterThan(3000);
    expect(await analyzeGrownTables(db)).toEqual([]);
  });
});
