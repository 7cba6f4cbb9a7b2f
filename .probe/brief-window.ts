import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { previewBrief, factChanges } from "../src/briefs/brief.js";
import { statusFacts } from "../src/facts/store.js";
import { openTemplateStore } from "../src/templates.js";
const n = Number(process.argv[2] ?? 100000);
const db = await openDatabase({ dataDir: "memory://" });
await migrate(db);
await db.prisma.$executeRawUnsafe(`
  INSERT INTO fact (kind, date, visible_from, title, actor, source_title, source_key, sources, created_by, updated_at)
  SELECT (ARRAY['event','note','figure','position','deadline'])[1 + i % 5], DATE '2016-01-01' + (i % 4000), DATE '2016-01-01',
         'Bench fact ' || i, 'US', 'Source ' || (i % 100), 'source ' || (i % 100) || '|',
         jsonb_build_array(jsonb_build_object('title', 'Source ' || (i % 100))), 'bench', now()
    FROM generate_series(1, ${n}) AS i`);
await db.prisma.$executeRawUnsafe(`INSERT INTO fact_audit (fact_id, action, actor, at) SELECT id, 'import', 'bench', TIMESTAMPTZ '2026-12-01T12:00:00Z' FROM fact`);
if (process.env.ANALYZE) { const s = performance.now(); await db.prisma.$executeRawUnsafe("ANALYZE"); console.log("analyze", Math.round(performance.now() - s), "ms"); }
const clock = { now: () => new Date("2026-12-02T12:00:00Z") };
const templates = await openTemplateStore();
const deps = { prisma: db.prisma, clock, timeZone: "America/New_York", templates };
const t = async (label: string, fn: () => Promise<unknown>) => { await fn(); const s = performance.now(); for (let i = 0; i < 3; i++) await fn(); console.log(label.padEnd(30), ((performance.now() - s) / 3).toFixed(1), "ms"); };
const since = new Date("2026-11-25T12:00:00Z"), until = new Date("2026-12-02T12:00:00Z");
await t("previewBrief", () => previewBrief(deps));
await t("factChanges", () => factChanges(db.prisma, since, until));
await t("statusFacts", () => statusFacts(db.prisma, "2026-12-02", { overdueWindowDays: 30, take: 600, upcoming: 8, countAll: false }));
await t("count distinct", () => db.prisma.$queryRawUnsafe(`SELECT count(DISTINCT a.fact_id) FROM fact_audit a JOIN fact f ON f.id = a.fact_id WHERE a.at > '2026-11-25' AND a.at <= '2026-12-02T12:00:00Z' AND a.action IN ('create','import','seed','edit','recompute','retract') AND f.topic = 'korus'`));
if (process.env.PARTS) {
  const where = { topic: "korus", retractedAt: null, visibleFrom: { lte: new Date("2026-12-02") } };
  const day = new Date("2026-12-02"), ws = new Date("2026-11-02");
  const newest = { orderBy: [{ date: "desc" as const }, { id: "desc" as const }] };
  const older = { AND: [where, { kind: "deadline", date: { lt: ws } }] };
  const p = db.prisma;
  await t("phase", () => p.fact.findMany({ where: { AND: [where, { kind: "event", date: { lte: day } }] }, ...newest, take: 1 }));
  await t("upcoming", () => p.fact.findMany({ where: { AND: [where, { kind: "deadline", date: { gte: day } }] }, orderBy: [{ date: "asc" }, { id: "asc" }], take: 8 }));
  await t("overdue", () => p.fact.findMany({ where: { AND: [where, { kind: "deadline", date: { lt: day, gte: ws } }] }, ...newest, take: 3 }));
  await t("developments", () => p.fact.findMany({ where: { AND: [where, { kind: { in: ["event", "note", "figure"] }, date: { lte: day } }] }, ...newest, take: 600 }));
  await t("positions", () => p.fact.findMany({ where: { AND: [where, { kind: "position", date: { lte: day } }] }, ...newest, take: 600 }));
  await t("olderCount", () => p.fact.count({ where: older }));
  await t("olderLatest", () => p.fact.findMany({ where: older, ...newest, take: 1 }));
  await t("olderOldest", () => p.fact.findMany({ where: older, orderBy: [{ date: "asc" }, { id: "asc" }], take: 1 }));
  await t("chg count", () => p.$queryRawUnsafe(`SELECT count(DISTINCT fact_id) FROM fact_audit WHERE topic = 'korus' AND at > '2026-11-25' AND at <= '2026-12-02T12:00:00Z' AND action IN ('create','import','seed','edit','recompute','retract')`));
  await t("chg page", () => p.$queryRawUnsafe(`SELECT id, fact_id, at FROM fact_audit WHERE topic = 'korus' AND at > '2026-11-25' AND at <= '2026-12-02T12:00:00Z' AND action IN ('create','import','seed','edit','recompute','retract') ORDER BY at DESC, id DESC LIMIT 600`));
  const ids = Array.from({ length: 60 }, (_, i) => 100000 - i);
  await t("chg findMany60", () => p.fact.findMany({ where: { id: { in: ids }, topic: "korus" } }));
}
if (process.env.EXPLAIN) {
  const ex = async (sql: string) => console.log((await db.prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(`EXPLAIN ANALYZE ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n"));
  await ex(`SELECT count(DISTINCT a.fact_id) FROM fact_audit a JOIN fact f ON f.id = a.fact_id WHERE a.at > '2026-11-25' AND a.at <= '2026-12-02T12:00:00Z' AND a.action IN ('create','import','seed','edit','recompute','retract') AND f.topic = 'korus'`);
}
await db.close();
