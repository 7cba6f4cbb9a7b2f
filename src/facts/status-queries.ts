/** The indexed reads of facts as of a day that the status, the brief and the as-of views are built from. */
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { addDays, type IsoDate, toDbDate } from "./dates.js";
import type { Fact } from "./model.js";
import { toFact } from "./rows.js";

/**
 * The facts of a topic that the team could know on `asOf` (see knownFrom), retracted ones excluded, oldest first.
 */
export async function visibleFacts(prisma: PrismaClient, asOf: IsoDate, topic = "korus"): Promise<Fact[]> {
  const rows = await prisma.fact.findMany({ where: visibleWhere(asOf, topic), orderBy: [{ date: "asc" }, { id: "asc" }] });
  return rows.map(toFact);
}

function visibleWhere(asOf: IsoDate, topic: string): Prisma.FactWhereInput {
  return { topic, retractedAt: null, visibleFrom: { lte: toDbDate(asOf) } };
}

/**
 * Just the facts a status (or a brief) needs: the latest event, the open deadlines around asOf (upcoming ones, overdue
 * obligations, effective dates just past), the deadlines whose outcome became known within the window with the facts
 * that closed them, newest developments and positions, the other reports of their events, and the facts relative
 * deadlines count from; with the count of all visible facts and of the overdue obligations older than the window (only
 * the latest and oldest of those are read). A handful of indexed queries instead of reading the whole store. With
 * `countAll: false` the count is -1 (not read). A deadline is open on asOf when no live fact of its topic known by then
 * closes its event key (src/facts/outcomes.ts decides the same in memory).
 */
export async function statusFacts(
  prisma: PrismaClient,
  asOf: IsoDate,
  options: { overdueWindowDays: number; take: number; topic?: string; upcoming?: number; countAll?: boolean },
): Promise<{ facts: Fact[]; count: number; olderOverdueCount: number }> {
  const topic = options.topic ?? "korus";
  const where = visibleWhere(asOf, topic);
  const day = toDbDate(asOf);
  const windowStart = addDays(asOf, -options.overdueWindowDays);
  const newest = { orderBy: [{ date: "desc" as const }, { id: "desc" as const }] };
  const deadline = Prisma.sql`f.topic = ${topic} AND f.retracted_at IS NULL AND f.visible_from <= ${asOf}::date AND f.kind = 'deadline'`;
  const open = Prisma.sql`NOT EXISTS (
    SELECT 1 FROM fact c
     WHERE c.closes = f.event AND c.outcome IS NOT NULL AND c.topic = f.topic AND c.retracted_at IS NULL
       AND c.visible_from <= ${asOf}::date AND c.id <> f.id)`;
  const olderOverdue = Prisma.sql`${deadline} AND f.due_kind = 'obligation' AND f.date < ${windowStart}::date AND ${open}`;
  // The open deadlines a status shows, in one statement: upcoming (soonest first), overdue obligations and effective
  // dates just past in the window (latest first), and the overdue obligations older than the window (counted; the
  // latest and oldest read).
  const deadlineIds = prisma.$queryRaw<Array<{ role: string; id: number; n: bigint }>>`
    (SELECT 'upcoming' AS role, f.id, 0::bigint AS n FROM fact f WHERE ${deadline} AND f.date >= ${asOf}::date AND ${open} ORDER BY f.date, f.id LIMIT ${options.upcoming ?? 4})
    UNION ALL
    (SELECT 'overdue', f.id, 0 FROM fact f WHERE ${deadline} AND f.due_kind = 'obligation' AND f.date < ${asOf}::date AND f.date >= ${windowStart}::date AND ${open}
      ORDER BY f.date DESC, f.id DESC LIMIT 3)
    UNION ALL
    (SELECT 'passed', f.id, 0 FROM fact f WHERE ${deadline} AND f.due_kind = 'effective' AND f.date < ${asOf}::date AND f.date >= ${windowStart}::date AND ${open}
      ORDER BY f.date DESC, f.id DESC LIMIT 3)
    UNION ALL
    (SELECT 'older', f.id, 0 FROM fact f WHERE ${olderOverdue} ORDER BY f.date DESC, f.id DESC LIMIT 1)
    UNION ALL
    (SELECT 'older', f.id, 0 FROM fact f WHERE ${olderOverdue} ORDER BY f.date, f.id LIMIT 1)
    UNION ALL
    (SELECT 'older-count', 0, count(*) FROM fact f WHERE ${olderOverdue})`;
  const [count, phase, deadlines, closers, milestones, developments, positions] = await Promise.all([
    // The count of every visible fact (the status says "from N facts"); a brief does not show it.
    options.countAll === false ? Promise.resolve(-1) : prisma.fact.count({ where }),
    prisma.fact.findMany({ where: { AND: [where, { kind: "event", date: { lte: day } }] }, ...newest, take: 1 }),
    deadlineIds,
    // Facts that closed a deadline and became known within the window: the outcomes a status and a brief report.
    prisma.fact.findMany({
      where: { AND: [where, { closes: { not: null }, outcome: { not: null }, visibleFrom: { gt: toDbDate(windowStart) } }] },
      orderBy: [{ visibleFrom: "desc" }, { id: "desc" }],
      take: 10,
    }),
    // The events that mark where the agreement stands (signed, approved, in force...).
    prisma.fact.findMany({ where: { AND: [where, { milestone: { not: null } }] }, orderBy: [{ date: "asc" }, { id: "asc" }], take: 50 }),
    prisma.fact.findMany({ where: { AND: [where, { kind: { in: ["event", "note", "figure"] }, date: { lte: day } }] }, ...newest, take: options.take }),
    prisma.fact.findMany({ where: { AND: [where, { kind: "position", date: { lte: day } }] }, ...newest, take: options.take }),
  ]);
  const olderCount = Number(deadlines.find((d) => d.role === "older-count")?.n ?? 0);
  const ids = [...new Set(deadlines.filter((d) => d.role !== "older-count").map((d) => d.id))];
  const closedEvents = [...new Set(closers.map((c) => c.closes!))];
  // The deadlines shown, the deadlines the window's closing facts closed, and every fact known by asOf that closes
  // those (the latest known decides): one read.
  const wanted: Prisma.FactWhereInput[] = [];
  if (ids.length > 0) wanted.push({ id: { in: ids } });
  if (closedEvents.length > 0)
    wanted.push({
      AND: [
        where,
        {
          OR: [
            { kind: "deadline", event: { in: closedEvents } },
            { closes: { in: closedEvents }, outcome: { not: null } },
          ],
        },
      ],
    });
  const deadlineRows = wanted.length > 0 ? await prisma.fact.findMany({ where: { OR: wanted }, take: 300 }) : [];
  const rows = new Map([...phase, ...deadlineRows, ...closers, ...milestones, ...developments, ...positions].map((r) => [r.id, r]));
  // The other reports of the events shown, so that each is printed with its date and source.
  const events = [...new Set([...rows.values()].map((r) => r.event).filter((e): e is string => e !== null))];
  if (events.length > 0) for (const r of await prisma.fact.findMany({ where: { AND: [where, { event: { in: events } }] }, take: 100 })) rows.set(r.id, r);
  const bases = [...rows.values()].map((r) => r.afterFactId).filter((id): id is number => id !== null && !rows.has(id));
  if (bases.length > 0) for (const r of await prisma.fact.findMany({ where: { id: { in: bases } } })) rows.set(r.id, r);
  return { facts: [...rows.values()].map(toFact), count, olderOverdueCount: olderCount };
}

/** How many facts became known (visibleFrom) after `since` up to `until`, and the newest `take` of them. */
export async function factsBecomingKnown(prisma: PrismaClient, since: IsoDate, until: IsoDate, take: number, topic = "korus"): Promise<{ facts: Fact[]; total: number }> {
  const where: Prisma.FactWhereInput = { topic, retractedAt: null, visibleFrom: { gt: toDbDate(since), lte: toDbDate(until) } };
  const [total, rows] = await Promise.all([prisma.fact.count({ where }), prisma.fact.findMany({ where, orderBy: [{ date: "desc" }, { id: "desc" }], take })]);
  return { facts: rows.map(toFact), total };
}
