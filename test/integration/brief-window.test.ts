/**
 * A brief's window at size: with 10,000 changes in it, the brief counts them in SQL and reads only the 60 it lists.
 * A size test, so in the slow suite (test/slow-tests.ts); it was part of fact-sources.test.ts.
 */
import { describe, expect, it } from "vitest";
import { factChanges } from "../../src/briefs/brief.js";
import { createTestDatabase } from "../support/test-db.js";

describe("briefs read only what they show", () => {
  it("counts 10,000 changes in SQL and reads only the 60 it lists", async () => {
    const db = await createTestDatabase({ seed: false });
    try {
      const since = new Date(Date.now() - 60_000);
      // 10,000 facts and their audit rows, as one big import leaves them (written in SQL: the import itself is
      // tested above, and its speed at 100,000 is the benchmark's business: bench `brief-window`).
      await db.prisma.$executeRawUnsafe(`
        INSERT INTO fact (kind, date, visible_from, title, actor, source_title, source_key, sources, created_by, updated_at)
        SELECT 'note', DATE '2010-01-01' + (i % 3000), DATE '2010-01-01', 'Bulk fact ' || i, 'US', 'Source', 'source|',
               '[{"title":"Source"}]'::jsonb, 'bulk', now()
          FROM generate_series(1, 10000) AS i`);
      await db.prisma.$executeRawUnsafe(`INSERT INTO fact_audit (fact_id, action, actor, at) SELECT id, 'import', 'bulk', now() FROM fact`);
      const changes = await factChanges(db.prisma, since, new Date(Date.now() + 60_000));
      expect(changes.total).toBe(10_000);
      expect(changes.changes).toHaveLength(60);
      // The 60 changed last (the newest audit rows), listed newest fact date first.
      const ids = changes.changes.map((c) => c.fact.id).sort((a, b) => a - b);
      const max = (await db.prisma.$queryRaw<Array<{ max: number }>>`SELECT max(id)::int AS max FROM fact`)[0]!.max;
      expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => max - 59 + i));
      const dates = changes.changes.map((c) => c.fact.date);
      expect([...dates].sort().reverse()).toEqual(dates);
    } finally {
      await db.close();
    }
  }, 120_000);
});
