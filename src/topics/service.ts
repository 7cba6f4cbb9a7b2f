/**
 * Topics (the agreements the facts belong to) and the timeline of one: plain data from the fact store.
 */
import { fromDbDate, type IsoDate, toDbDate } from "../facts/dates.js";
import type { Fact } from "../facts/model.js";
import { toFact } from "../facts/rows.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** One topic with its live facts and its next open deadline. */
export interface TopicSummary {
  slug: string;
  /** The name set in topic settings, when there is one. */
  name: string | null;
  facts: number;
  deadlines: number;
  nextDeadline: { id: number; title: string; date: IsoDate } | null;
}

/** Every topic that has live facts or settings, largest first; `today` decides what "next" means. */
export async function listTopics(prisma: PrismaClient, today: IsoDate): Promise<TopicSummary[]> {
  const [counts, settings, upcoming] = await Promise.all([
    prisma.$queryRaw<Array<{ topic: string; facts: bigint; deadlines: bigint }>>`
      SELECT topic, count(*) AS facts, count(*) FILTER (WHERE kind = 'deadline') AS deadlines
        FROM fact WHERE retracted_at IS NULL GROUP BY topic`,
    prisma.topic.findMany({ select: { slug: true, name: true } }),
    prisma.$queryRaw<Array<{ topic: string; id: number; title: string; date: Date }>>`
      SELECT DISTINCT ON (topic) topic, id, title, date
        FROM fact f
       WHERE retracted_at IS NULL AND kind = 'deadline' AND date >= ${toDbDate(today)}
         -- An open deadline: no live fact known by today closes it (met early, extended, withdrawn).
         AND NOT EXISTS (SELECT 1 FROM fact c WHERE c.closes = f.event AND c.outcome IS NOT NULL AND c.topic = f.topic
                            AND c.retracted_at IS NULL AND c.visible_from <= ${toDbDate(today)} AND c.id <> f.id)
       ORDER BY topic, date, id`,
  ]);
  const names = new Map(settings.map((s) => [s.slug, s.name]));
  const next = new Map(upcoming.map((u) => [u.topic, { id: u.id, title: u.title, date: fromDbDate(u.date) }]));
  const slugs = new Set([...counts.map((c) => c.topic), ...names.keys()]);
  const byTopic = new Map(counts.map((c) => [c.topic, c]));
  return [...slugs]
    .map((slug) => ({
      slug,
      name: names.get(slug) ?? null,
      facts: Number(byTopic.get(slug)?.facts ?? 0),
      deadlines: Number(byTopic.get(slug)?.deadlines ?? 0),
      nextDeadline: next.get(slug) ?? null,
    }))
    .sort((a, b) => b.facts - a.facts || a.slug.localeCompare(b.slug));
}

/** How many timeline lines a page holds. */
export const TIMELINE_PAGE_SIZE = 25;

/** One page of a topic's timeline. */
export interface TimelinePage {
  topic: string;
  since?: IsoDate;
  until?: IsoDate;
  page: number;
  pages: number;
  total: number;
  facts: Fact[];
}

/** The live facts of a topic by date (oldest first), one page of them. A page past the end is the last page. */
export async function timeline(prisma: PrismaClient, query: { topic: string; since?: IsoDate; until?: IsoDate; page: number; pageSize?: number }): Promise<TimelinePage> {
  const size = query.pageSize ?? TIMELINE_PAGE_SIZE;
  const date: Prisma.DateTimeFilter = {};
  if (query.since) date.gte = toDbDate(query.since);
  if (query.until) date.lte = toDbDate(query.until);
  const where: Prisma.FactWhereInput = { topic: query.topic, retractedAt: null, ...(query.since || query.until ? { date } : {}) };
  const total = await prisma.fact.count({ where });
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, query.page), pages);
  const rows = await prisma.fact.findMany({ where, orderBy: [{ date: "asc" }, { id: "asc" }], skip: (page - 1) * size, take: size });
  return {
    topic: query.topic,
    ...(query.since ? { since: query.since } : {}),
    ...(query.until ? { until: query.until } : {}),
    page,
    pages,
    total,
    facts: rows.map(toFact),
  };
}
