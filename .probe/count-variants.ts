import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
const n = 100000;
const db = await openDatabase({ dataDir: "memory://" });
await migrate(db);
await db.prisma.$executeRawUnsafe(`
  INSERT INTO fact (kind, date, visible_from, title, actor, source_title, source_key, sources, created_by, updated_at)
  SELECT (ARRAY['event','note','figure','position','deadline'])[1 + i % 5], DATE '2016-01-01' + (i % 4000), DATE '2016-01-01',
         'Bench fact ' || i, 'US', 'Source ' || (i % 100), 'source ' || (i % 100) || '|',
         jsonb_build_array(jsonb_build_object('title', 'Source ' || (i % 100))), 'bench', now()
    FROM generate_series(1, ${n}) AS i`);
await db.prisma.$executeRawUnsafe(`INSERT INTO fact_audit (fact_id, action, actor, at) SELECT id, 'import', 'bench', TIMESTAMPTZ '2026-12-01T12:00:00Z' FROM fact`);
if (process.env.ANALYZE) await db.prisma.$executeRawUnsafe("ANALYZE");
const W = `a.at > '2026-11-25' AND a.at <= '2026-12-02T12:00:00Z' AND a.action IN ('create','import','seed','edit','recompute','retract')`;
const variants: Record<string, string> = {
  current: `SELECT count(DISTINCT a.fact_id) FROM fact_audit a JOIN fact f ON f.id = a.fact_id WHERE ${W} AND f.topic = 'korus'`,
  subselect: `SELECT count(*) FROM (SELECT DISTINCT a.fact_id FROM fact_audit a WHERE ${W}) d JOIN fact f ON f.id = d.fact_id WHERE f.topic = 'korus'`,
  semijoin: `SELECT count(*) FROM (SELECT DISTINCT a.fact_id FROM fact_audit a WHERE ${W} AND a.fact_id IN (SELECT id FROM fact WHERE topic = 'korus')) d`,
  exists_on_fact: `SELECT count(*) FROM fact f WHERE f.topic = 'korus' AND EXISTS (SELECT 1 FROM fact_audit a WHERE a.fact_id = f.id AND ${W})`,
  audit_only: `SELECT count(DISTINCT a.fact_id) FROM fact_audit a WHERE ${W}`,
};
for (const [k, sql] of Object.entries(variants)) {
  await db.prisma.$queryRawUnsafe(sql);
  const s = performance.now();
  for (let i = 0; i < 3; i++) await db.prisma.$queryRawUnsafe(sql);
  console.log(k.padEnd(16), ((performance.now() - s) / 3).toFixed(1), "ms", JSON.stringify(await db.prisma.$queryRawUnsafe(sql), (_, v) => typeof v === "bigint" ? Number(v) : v));
}
await db.close();
