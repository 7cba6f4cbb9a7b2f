/**
 * As of a day, only that day's knowledge: the one place that turns stored facts into the facts as they stood on an
 * as-of day, for every view (status, briefs, memos, charts in memos, `ask`).
 *
 * - Which facts: those known by the day (`visibleFrom`, see `knownFrom`) and not retracted (the store's queries).
 * - How each reads: as it read at the end of the day. The audit trail keeps a picture of a fact before each change
 *   (`fact_audit.before`); a fact changed after the day reads as the picture before its first later change. One bounded
 *   query reads those pictures for all the facts of a view (the facts it names, or a whole topic's changes since the
 *   day), never one per fact, and none at all when the day has not ended yet.
 * - What each cites: sources whose own `date` is after the day are left out (a status as of 2017-07-20 does not cite an
 *   August 2017 article), and so are other readings resting on such a source.
 * - Deadline outcomes follow from these facts (src/facts/outcomes.ts, in FactIndex): a closing fact counts from the day
 *   it became known.
 *
 * What a version changes is what a fact says (date, title, summary, actor, sources, other readings, confidence, figure).
 * What links facts (event keys, the deadline a fact closes, a milestone, `after`) and when a fact became known are read
 * as stored now: an event key given to a deadline later still lets the closing fact known that day close it.
 *
 * A cache of as-of fact sets (one per store version and day) wraps {@link factsAsOf}.
 */
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { systemClock } from "../clock.js";
import { zonedInstant } from "../time-zone.js";
import { addDays, type IsoDate, toDbDate } from "./dates.js";
import type { Fact, FactFigure, FactSource } from "./model.js";
import { closersByEvent, type DeadlineOutcome, outcomeOf } from "./outcomes.js";
import { statusFacts } from "./status-queries.js";
import { toFact } from "./rows.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** The picture of a fact as it read on a day: the content fields of an audit snapshot (`snapshot()` in src/facts/audit.ts). */
export type FactVersion = Partial<Pick<Fact, "date" | "title" | "summary" | "actor" | "sources" | "disputed" | "confidence" | "figure">>;

/** Where a view's day ends: the first instant of the next day in the team's time zone. */
export function endOfDay(asOf: IsoDate, timeZone = "UTC"): Date {
  return zonedInstant(addDays(asOf, 1), "00:00", timeZone);
}

/**
 * How the facts of a view read on `asOf`: for each fact changed after the day, its picture before the first such
 * change. One query: by the facts' ids when the view names them (`ids`), else over the topic's changes since the day
 * (the (topic, at, id) index). Empty, without a query, while the day has not ended.
 */
export async function readVersions(db: Db, asOf: IsoDate, which: { ids: readonly number[] } | { topic: string }, options: { timeZone?: string; now?: Date } = {}): Promise<Map<number, FactVersion>> {
  const end = endOfDay(asOf, options.timeZone);
  if (end.getTime() > (options.now ?? systemClock.now()).getTime()) return new Map();
  if ("ids" in which && which.ids.length === 0) return new Map();
  const filter = "ids" in which ? Prisma.sql`fact_id = ANY(${[...which.ids]}::int[])` : Prisma.sql`topic = ${which.topic}`;
  const rows = await db.$queryRaw<Array<{ fact_id: number; before: unknown }>>`
    SELECT DISTINCT ON (fact_id) fact_id, before
      FROM fact_audit
     WHERE ${filter} AND at >= ${end} AND before IS NOT NULL
     ORDER BY fact_id, at, id`;
  return new Map(rows.map((r) => [r.fact_id, versionOf(r.before)]));
}

const isDate = (v: unknown): v is IsoDate => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The content fields of an audit snapshot that have the shape of a fact's (older snapshots may lack some). */
function versionOf(snapshot: unknown): FactVersion {
  if (snapshot === null || typeof snapshot !== "object") return {};
  const s = snapshot as Record<string, unknown>;
  const v: FactVersion = {};
  if (isDate(s.date)) v.date = s.date;
  if (typeof s.title === "string" && s.title !== "") v.title = s.title;
  if (typeof s.summary === "string") v.summary = s.summary;
  if (typeof s.actor === "string" && s.actor !== "") v.actor = s.actor;
  if (Array.isArray(s.sources)) v.sources = s.sources.filter((x): x is FactSource => x !== null && typeof x === "object");
  if (Array.isArray(s.disputed)) v.disputed = s.disputed.filter((x): x is Fact["disputed"][number] => x !== null && typeof x === "object" && typeof (x as { says?: unknown }).says === "string");
  if (s.confidence === "confirmed" || s.confidence === "inferred") v.confidence = s.confidence;
  if ("figure" in s) v.figure = (s.figure as FactFigure | null) ?? null;
  return v;
}

/** A source known on `asOf`: undated, or dated that day or before. */
function sourceKnown(source: FactSource, asOf: IsoDate): boolean {
  return source.date === undefined || source.date <= asOf;
}

/**
 * A fact as it read on `asOf` (pure): its version then, if it changed since, and only the sources (and other readings)
 * published by then. The same object when nothing differs.
 */
export function factAsOf(fact: Fact, asOf: IsoDate, version?: FactVersion): Fact {
  const read = version ? { ...fact, ...version } : fact;
  const laterSource = read.sources.some((s) => !sourceKnown(s, asOf));
  const laterReading = read.disputed.some((d) => !sourceKnown(d.source, asOf));
  if (!laterSource && !laterReading) return read;
  return {
    ...read,
    sources: laterSource ? read.sources.filter((s) => sourceKnown(s, asOf)) : read.sources,
    disputed: laterReading ? read.disputed.filter((d) => sourceKnown(d.source, asOf)) : read.disputed,
  };
}

/** Every fact of a list as it read on `asOf` (see {@link factAsOf}). */
export function viewAsOf(facts: readonly Fact[], asOf: IsoDate, versions: ReadonlyMap<number, FactVersion>): Fact[] {
  return facts.map((f) => factAsOf(f, asOf, versions.get(f.id)));
}

/**
 * The facts of a topic known on `asOf` (not retracted), as they read that day, oldest first: what a memo, a chart in a
 * memo or `ask` is built from. Two queries: the facts, and the pictures of those changed since the day.
 */
export async function factsAsOf(prisma: PrismaClient, asOf: IsoDate, options: { topic?: string; timeZone?: string; now?: Date } = {}): Promise<Fact[]> {
  const topic = options.topic ?? "korus";
  const [rows, versions] = await Promise.all([
    prisma.fact.findMany({ where: { topic, retractedAt: null, visibleFrom: { lte: toDbDate(asOf) } }, orderBy: [{ date: "asc" }, { id: "asc" }] }),
    readVersions(prisma, asOf, { topic }, options),
  ]);
  return viewAsOf(rows.map(toFact), asOf, versions);
}

/**
 * The facts a status or a brief shows on `asOf` (statusFacts: a handful of indexed reads, not the whole store), as
 * they read that day: one more query for the pictures of those changed since.
 */
export async function statusFactsAsOf(
  prisma: PrismaClient,
  asOf: IsoDate,
  options: Parameters<typeof statusFacts>[2] & { timeZone?: string; now?: Date },
): Promise<Awaited<ReturnType<typeof statusFacts>>> {
  const read = await statusFacts(prisma, asOf, options);
  const versions = await readVersions(prisma, asOf, { ids: read.facts.map((f) => f.id) }, options);
  return { ...read, facts: viewAsOf(read.facts, asOf, versions) };
}

/**
 * The outcomes known on `asOf` of the deadlines among `facts` (search results, a fact shown on its own), by fact id.
 * One query for their closing facts; none when no deadline among them has an event key.
 */
export async function outcomesOf(db: Db, facts: readonly Fact[], asOf: IsoDate): Promise<Record<number, DeadlineOutcome>> {
  const deadlines = facts.filter((f) => f.kind === "deadline" && f.event !== null);
  if (deadlines.length === 0) return {};
  const rows = await db.fact.findMany({
    where: { closes: { in: [...new Set(deadlines.map((d) => d.event!))] }, outcome: { not: null }, retractedAt: null, visibleFrom: { lte: toDbDate(asOf) } },
  });
  const closers = closersByEvent(rows.map(toFact));
  const out: Record<number, DeadlineOutcome> = {};
  for (const d of deadlines) {
    const o = outcomeOf(d, closers);
    if (o) out[d.id] = o;
  }
  return out;
}
