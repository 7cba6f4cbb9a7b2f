/** Finding stored facts: one by id, full-text search with filters, the other reports of an event, recent facts. */
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { systemClock } from "../clock.js";
import { fromDbDate, type IsoDate, utcDay } from "./dates.js";
import type { Fact } from "./model.js";
import type { FactQuery } from "./query.js";
import { toFact } from "./rows.js";
import { outcomesOf } from "./as-of.js";
import type { DeadlineOutcome } from "./outcomes.js";

/** A stored fact with who may change it, or undefined. */
export async function getFact(prisma: PrismaClient, id: number): Promise<(Fact & { createdBy: string }) | undefined> {
  const row = await prisma.fact.findUnique({ where: { id } });
  return row ? { ...toFact(row), createdBy: row.createdBy } : undefined;
}

/** A page of search results. */
export interface SearchResult {
  facts: Fact[];
  total: number;
  offset: number;
  /** For each listed fact with an event key, the other live facts reporting that event, oldest first. */
  sameEvent: Record<number, Fact[]>;
  /** The outcome of each listed deadline that a fact known by the search's day closes (met, missed...). */
  outcomes?: Record<number, DeadlineOutcome>;
}

const CANONICAL_ACTORS = new Set(["US", "Korea", "both"]);

/**
 * Searches live (not retracted) facts: full-text over title and summary (ranked, then newest first) with filters.
 */
export async function searchFacts(prisma: PrismaClient, query: FactQuery, page: { limit?: number; offset?: number; asOf?: IsoDate } = {}): Promise<SearchResult> {
  const limit = Math.min(Math.max(page.limit ?? 10, 1), 100);
  const offset = Math.max(page.offset ?? 0, 0);
  const where: Prisma.Sql[] = [Prisma.sql`f.retracted_at IS NULL`];
  if (query.words) where.push(Prisma.sql`f.search @@ websearch_to_tsquery('english', ${query.words})`);
  if (query.kind) where.push(Prisma.sql`f.kind = ${query.kind}`);
  if (query.topic) where.push(Prisma.sql`f.topic = ${query.topic}`);
  if (query.since) where.push(Prisma.sql`f.date >= ${query.since}::date`);
  if (query.until) where.push(Prisma.sql`f.date <= ${query.until}::date`);
  if (query.actor) {
    where.push(CANONICAL_ACTORS.has(query.actor) ? Prisma.sql`f.actor = ${query.actor}` : Prisma.sql`f.actor ILIKE ${`%${query.actor.replace(/[%_\\]/g, "\\$&")}%`}`);
  }
  // Ranked by relevance when there are words, then newest first.
  const order = query.words ? Prisma.sql`ts_rank_cd(f.search, websearch_to_tsquery('english', ${query.words})) DESC, f.date DESC, f.id DESC` : Prisma.sql`f.date DESC, f.id DESC`;
  const rows = await prisma.$queryRaw<Array<{ id: number; total: bigint }>>`
    SELECT f.id, count(*) OVER () AS total
      FROM fact f
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${order}
     LIMIT ${limit} OFFSET ${offset}`;
  const total = rows.length > 0 ? Number(rows[0]!.total) : offset > 0 ? await countFacts(prisma, where) : 0;
  const byId = new Map((await prisma.fact.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((r) => [r.id, toFact(r)]));
  const facts = rows.map((r) => byId.get(r.id)!).filter(Boolean);
  const [sameEvent, outcomes] = await Promise.all([sameEventOf(prisma, facts), outcomesOf(prisma, facts, page.asOf ?? utcDay(systemClock.now()))]);
  return { facts, total, offset, sameEvent, outcomes };
}

/** For each fact with an event key, the other live facts of that event, oldest first. */
export async function sameEventOf(prisma: PrismaClient, facts: readonly Fact[]): Promise<Record<number, Fact[]>> {
  const events = [...new Set(facts.map((f) => f.event).filter((e): e is string => e !== null))];
  if (events.length === 0) return {};
  const rows = await prisma.fact.findMany({
    where: { event: { in: events }, retractedAt: null },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    take: 200,
  });
  const others = rows.map(toFact);
  return Object.fromEntries(facts.filter((f) => f.event !== null).map((f) => [f.id, others.filter((o) => o.event === f.event && o.id !== f.id)]));
}

async function countFacts(prisma: PrismaClient, where: Prisma.Sql[]): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM fact f WHERE ${Prisma.join(where, " AND ")}`;
  return Number(row?.n ?? 0);
}

/** The id → (date, title) of the facts deadlines count from, for forms that offer them. */
export async function recentFacts(prisma: PrismaClient, limit = 100): Promise<Array<Pick<Fact, "id" | "date" | "title" | "kind">>> {
  const rows = await prisma.fact.findMany({
    where: { retractedAt: null },
    orderBy: [{ date: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, date: true, title: true, kind: true },
  });
  return rows.map((r) => ({ id: r.id, date: fromDbDate(r.date) as IsoDate, title: r.title, kind: r.kind as Fact["kind"] }));
}
