import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../db/errors.js";
/** Kept here too for callers that imported it from the fact store; src/db/errors.ts is where it lives. */
export { isUniqueViolation };
import { addDays, fromDbDate, type IsoDate, toDbDate } from "./dates.js";
import type { FactLine, LineError } from "./jsonl.js";
import { type DisputedReading, type Fact, type FactKind, type FactSource, knownFrom, type Milestone, type Outcome, sourceKey } from "./model.js";
import { KorusError } from "../errors.js";
import { closingLineErrors } from "./closing.js";
import {
  applyStaged,
  CHECK_CHUNK,
  chunked,
  dropAbandonedImports,
  dropStaged,
  dropStagedWords,
  indexStoredNeighbours,
  newImportId,
  reserveFactIds,
  StaleImportError,
  type StagedLine,
  stagedDuplicates,
  stageLines,
} from "./import-staging.js";

type FactRow = Prisma.FactGetPayload<object>;
type Tx = Prisma.TransactionClient;

/** Turns a database row into the domain's Fact. */
export function toFact(row: FactRow): Fact {
  return {
    id: row.id,
    kind: row.kind as FactKind,
    date: fromDbDate(row.date),
    known: row.known ? fromDbDate(row.known) : null,
    title: row.title,
    summary: row.summary,
    actor: row.actor,
    sources: sourcesOf(row),
    disputed: Array.isArray(row.disputed)
      ? (row.disputed as unknown as DisputedReading[]).map((d) => ({ says: d.says, source: orderedSource(d.source) }))
      : [],
    event: row.event,
    visibleFrom: fromDbDate(row.visibleFrom),
    confidence: row.confidence === "inferred" ? "inferred" : "confirmed",
    topic: row.topic,
    figure:
      row.value !== null || row.unit !== null || row.period !== null || row.series !== null
        ? { value: row.value, unit: row.unit, period: row.period, series: row.series }
        : null,
    dueKind: row.dueKind === "effective" ? "effective" : "obligation",
    closes: row.closes !== null && row.outcome !== null ? { event: row.closes, outcome: row.outcome as Outcome } : null,
    milestone: (row.milestone as Milestone | null) ?? null,
    after: row.afterDays !== null && row.afterFactId !== null ? { days: row.afterDays, fromId: row.afterFactId } : null,
    retracted: row.retractedAt !== null,
  };
}

/** A source with its keys in the order people write them (jsonb stores them shortest first). */
function orderedSource(source: FactSource): FactSource {
  return {
    ...(source.title ? { title: source.title } : {}),
    ...(source.url ? { url: source.url } : {}),
    ...(source.date ? { date: source.date } : {}),
  };
}

/** A row's sources: the list, or (for a row written before there were lists) its one source. */
function sourcesOf(row: FactRow): FactSource[] {
  if (Array.isArray(row.sources) && row.sources.length > 0) return (row.sources as unknown as FactSource[]).map(orderedSource);
  const one: FactSource = {
    ...(row.sourceTitle ? { title: row.sourceTitle } : {}),
    ...(row.sourceUrl ? { url: row.sourceUrl } : {}),
  };
  return one.title || one.url ? [one] : [];
}

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
  if (closedEvents.length > 0) wanted.push({ AND: [where, { OR: [{ kind: "deadline", event: { in: closedEvents } }, { closes: { in: closedEvents }, outcome: { not: null } }] }] });
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
export async function factsBecomingKnown(
  prisma: PrismaClient,
  since: IsoDate,
  until: IsoDate,
  take: number,
  topic = "korus",
): Promise<{ facts: Fact[]; total: number }> {
  const where: Prisma.FactWhereInput = { topic, retractedAt: null, visibleFrom: { gt: toDbDate(since), lte: toDbDate(until) } };
  const [total, rows] = await Promise.all([
    prisma.fact.count({ where }),
    prisma.fact.findMany({ where, orderBy: [{ date: "desc" }, { id: "desc" }], take }),
  ]);
  return { facts: rows.map(toFact), total };
}

/** Raised when lines cannot be stored; nothing was written. */
export class FactImportError extends KorusError<"fact_import_invalid"> {
  constructor(readonly errors: LineError[]) {
    super("fact_import_invalid", errors.map((e) => `line ${e.line}: ${e.field}: ${e.message}`).join("\n"));
  }
}

/** What an import did (or, in a dry run, would do). */
export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Added lines that look like a stored fact or an earlier line (see {@link stagedDuplicates}). */
  duplicates: ImportDuplicate[];
  /** True when the file was too large to check for likely duplicates (more than {@link DUPLICATE_CHECK_MAX} added). */
  duplicateCheckSkipped: boolean;
}

/** An added line that looks like a fact already stored, or like another line of the same file. */
export interface ImportDuplicate {
  line: number;
  title: string;
  date: IsoDate;
  /** The stored fact it resembles, or the earlier line of the file. */
  like: { factId: number; line?: number; date: IsoDate; title: string };
}

/** Imports adding more facts than this skip the duplicate check (and say so): a bulk load, not a person's timeline. */
export const DUPLICATE_CHECK_MAX = 20_000;

/** How an import runs: who, as what action, whether it only checks, and whether likely duplicates are refused. */
export interface ImportOptions {
  actor: string;
  action?: "import" | "seed";
  dryRun?: boolean;
  /** Refuse the file when a line looks like a stored fact or an earlier line. */
  strict?: boolean;
  /** Told how a long import is getting on (a few times per phase), for a progress line. */
  onProgress?: (progress: ImportProgress) => void;
}

/** Where an import stands: `done` of `total` lines staged or checked, or the staged changes being applied. */
export type ImportProgress =
  | { phase: "staged" | "checked"; done: number; total: number }
  | { phase: "applying"; added: number; updated: number };

/** "fact #12 (2018-03-26, “…”)" or "line 4 (2018-03-26, “…”)". */
export function duplicateTarget(d: ImportDuplicate): string {
  return `${d.like.line !== undefined ? `line ${d.like.line}` : `fact #${d.like.factId}`} (${d.like.date}, “${d.like.title}”)`;
}

type PendingLine = FactLine & { line: number };
/** The columns of a fact row that a line sets. */
export type FactData = Omit<Prisma.FactUncheckedCreateInput, "createdBy">;

/**
 * Stores validated lines, all or nothing. A line whose date, title and source match a stored fact updates it in place
 * (only if something differs); any other line adds a fact. Every change writes an audit row. `after` references
 * resolve to other lines of the batch or to stored facts. With `dryRun`, everything is checked and counted, and
 * nothing is written.
 *
 * The lines are resolved here, staged and checked for likely duplicates in short statements, then applied in one
 * short transaction (src/facts/import-staging.ts): a big file never holds the database, or the bot that owns it, for
 * long.
 * @throws FactImportError naming every line that cannot be stored; then nothing is written.
 */
export async function importFactLines(
  prisma: PrismaClient,
  input: Array<FactLine & { line?: number }>,
  options: ImportOptions,
): Promise<ImportResult> {
  // A line closing a deadline must name one (in the store or the file) that can have its outcome.
  const closing = await closingLineErrors(prisma, input);
  if (closing.length > 0) throw new FactImportError(closing);
  for (let attempt = 1; ; attempt++) {
    try {
      return await importOnce(prisma, input, options);
    } catch (error) {
      // Another writer stored one of these facts, or changed one this import updates, after it was read: run again.
      if (attempt < 3 && (isUniqueViolation(error) || error instanceof StaleImportError)) continue;
      throw error;
    }
  }
}

/**
 * Imports that add or change at least this many facts refresh the planner's statistics of the fact tables afterwards:
 * the embedded database has no autovacuum to do it, and with statistics of an empty table the status and the brief
 * over a big import chose plans three times slower (bench `brief-window`: 100,000 changes).
 */
export const ANALYZE_AFTER_CHANGES = 1_000;

async function importOnce(prisma: PrismaClient, input: Array<FactLine & { line?: number }>, options: ImportOptions): Promise<ImportResult> {
  const lines: PendingLine[] = input.map((l, i) => ({ ...l, line: l.line ?? i + 1 }));
  const at = new Date();
  const who = { actor: options.actor, action: options.action ?? "import", at };
  const plan = await planImport(prisma, lines, who);
  const adds = plan.staged.filter((s) => s.change === "add");
  const updates = plan.staged.filter((s) => s.change === "update");
  const result: ImportResult = { added: adds.length, updated: updates.length, unchanged: plan.unchanged, duplicates: [], duplicateCheckSkipped: false };
  const errors = plan.errors;
  const refusal = () => new FactImportError(errors.sort((a, b) => a.line - b.line));
  // A file that fails anyway is staged and checked for likely duplicates only when --strict lists them among its errors.
  if (errors.length > 0 && !options.strict) throw refusal();
  const check = adds.length <= DUPLICATE_CHECK_MAX;
  result.duplicateCheckSkipped = !check;
  const report = lines.length >= PROGRESS_FROM_LINES ? options.onProgress : undefined;
  const importId = newImportId();
  await dropAbandonedImports(prisma);
  try {
    await stageLines(prisma, importId, plan.staged, { words: check, onChunk: (done) => report?.({ phase: "staged", done, total: plan.staged.length }) });
    if (check) {
      result.duplicates = await checkStaged(prisma, importId, adds, (done) => report?.({ phase: "checked", done, total: adds.length }));
      await dropStagedWords(prisma, importId);
    }
    if (options.strict) {
      for (const d of result.duplicates) {
        errors.push({ line: d.line, field: "title", message: `looks like ${duplicateTarget(d)}; --strict refuses likely duplicates` });
      }
    }
    if (errors.length > 0) throw refusal();
    if (options.dryRun || plan.staged.length === 0) return result;
    report?.({ phase: "applying", added: adds.length, updated: updates.length });
    // The audit rows' time is the apply's: a brief that ran while the file was being checked lists them next time.
    const applying = { ...who, at: new Date() };
    await prisma.$transaction((tx) => applyStaged(tx, importId, plan.staged, applying), {
      timeout: 10 * 60_000,
      maxWait: 60_000,
    });
  } finally {
    // Should this fail (the connection gone), what was staged is harmless, and the next import deletes it.
    await dropStaged(prisma, importId).catch(() => undefined);
  }
  if (result.added + result.updated >= ANALYZE_AFTER_CHANGES) {
    // One table per statement: each is a short hold of the database.
    await prisma.$executeRawUnsafe("ANALYZE fact");
    await prisma.$executeRawUnsafe("ANALYZE fact_audit");
  }
  return result;
}

/** Imports of this many lines or more report their progress (see ImportOptions.onProgress). */
const PROGRESS_FROM_LINES = 1_000;

/** What a file will change: the lines to stage (added and updated facts), how many are unchanged, and what is wrong. */
interface ImportPlan {
  staged: StagedLine[];
  unchanged: number;
  errors: LineError[];
}

/**
 * Resolves the lines level by level (plain lines first, then deadlines relative to them, then deadlines relative to
 * those), reads the stored facts they match (short reads, a level at a time) and reserves ids for the facts they add.
 * Writes nothing.
 */
async function planImport(prisma: PrismaClient, lines: PendingLine[], who: { actor: string; at: Date }): Promise<ImportPlan> {
  const plan: ImportPlan = { staged: [], unchanged: 0, errors: [] };
  // Where each line of the batch lands: "date|title" -> fact, for `after` references.
  const placed = new Map<string, Placed>();
  const seenKeys = new Map<string, number>();
  const today = todayUtc();
  let pending = lines;
  while (pending.length > 0) {
    const ready: Array<{ line: PendingLine; data: FactData }> = [];
    const waiting: PendingLine[] = [];
    for (const line of pending) {
      let date = line.date;
      let afterFactId: number | null = null;
      let base: IsoDate | null = null;
      if (line.after) {
        const from = placed.get(`${line.after.from.date}|${line.after.from.title}`);
        if (!from) {
          waiting.push(line);
          continue;
        }
        afterFactId = from.id;
        base = from.visibleFrom;
        date = addDays(from.date, line.after.days);
      }
      if (!date) continue; // the schema guarantees a date or `after`
      const data = lineToData(line, date, afterFactId, { base, stored: today });
      const key = identity(data);
      const first = seenKeys.get(key);
      if (first !== undefined) {
        plan.errors.push({ line: line.line, field: "(line)", message: `has the same date, title and source as line ${first}` });
        continue;
      }
      seenKeys.set(key, line.line);
      ready.push({ line, data });
    }
    if (ready.length === 0) {
      // What is still waiting counts from a fact that is neither in the batch nor resolvable in the store.
      for (const line of waiting) {
        const from = await findByDateTitle(prisma, line.after!.from);
        if (from) {
          placed.set(`${line.after!.from.date}|${line.after!.from.title}`, from);
        } else {
          plan.errors.push({
            line: line.line,
            field: "after.from",
            message: `no fact dated ${line.after!.from.date} titled "${line.after!.from.title}" in the store or the file`,
          });
        }
      }
      pending = waiting.filter((l) => placed.has(`${l.after!.from.date}|${l.after!.from.title}`));
      continue;
    }
    await planLevel(prisma, ready, placed, plan, who);
    pending = waiting;
  }
  return plan;
}

/** Stored facts looked up per statement when an import looks for the facts its lines match, and their text in all. */
const LOOKUP_CHUNK = { count: 1000, weight: 500_000 };

async function planLevel(
  prisma: PrismaClient,
  ready: Array<{ line: PendingLine; data: FactData }>,
  placed: Map<string, Placed>,
  plan: ImportPlan,
  who: { actor: string; at: Date },
): Promise<void> {
  const existing = await storedByIdentity(prisma, ready.map((r) => r.data));
  const toAdd: Array<{ line: PendingLine; data: FactData }> = [];
  for (const { line, data } of ready) {
    const row = existing.get(identity(data));
    const retract = line.retracted && (!row || row.retractedAt === null) ? retractionData(line.retracted, who.actor) : {};
    if (!row) {
      toAdd.push({ line, data: { ...data, ...retract } });
      continue;
    }
    placed.set(`${fromDbDate(row.date)}|${row.title}`, placedOf(row));
    // A stored fact keeps the day it was stored: re-importing it does not make it newly known.
    if (!data.known && data.kind === "deadline" && !data.afterFactId) data.visibleFrom = toDbDate(fromDbDate(row.createdAt));
    if (factRowDiffers(row, data) || Object.keys(retract).length > 0) {
      const after: FactRow = { ...row, ...(data as Partial<FactRow>), ...retract, updatedAt: who.at };
      plan.staged.push({
        line: line.line,
        factId: row.id,
        change: "update",
        updatedAtBefore: row.updatedAt,
        // The retraction as it will stand (kept, or made by this line): an updated fact that is retracted is alike nothing.
        data: { ...data, retractedAt: row.retractedAt, retractedBy: row.retractedBy, retractReason: row.retractReason, ...retract },
        before: JSON.stringify(snapshot(row)),
        after: JSON.stringify(snapshot(after)),
      });
    } else {
      plan.unchanged++;
    }
  }
  // Ids in line order, so that a deadline's id follows that of the fact it counts from (an earlier level).
  const ids = await reserveFactIds(prisma, toAdd.length);
  toAdd.forEach(({ line, data }, i) => {
    const row = newRow(ids[i]!, data, who);
    placed.set(`${fromDbDate(row.date)}|${row.title}`, placedOf(row));
    plan.staged.push({ line: line.line, factId: row.id, change: "add", updatedAtBefore: null, data, before: null, after: JSON.stringify(snapshot(row)) });
  });
}

/** The row an added line becomes, for its audit picture. */
function newRow(id: number, d: FactData, who: { actor: string; at: Date }): FactRow {
  return {
    id,
    kind: d.kind,
    date: d.date as Date,
    known: (d.known as Date | null) ?? null,
    visibleFrom: d.visibleFrom as Date,
    title: d.title,
    summary: d.summary ?? "",
    actor: d.actor,
    sourceTitle: d.sourceTitle ?? null,
    sourceUrl: d.sourceUrl ?? null,
    sourceKey: d.sourceKey,
    sources: (d.sources ?? []) as Prisma.JsonValue,
    disputed: (d.disputed ?? []) as Prisma.JsonValue,
    event: d.event ?? null,
    confidence: d.confidence ?? "confirmed",
    topic: d.topic ?? "korus",
    afterDays: d.afterDays ?? null,
    afterFactId: d.afterFactId ?? null,
    value: d.value ?? null,
    unit: d.unit ?? null,
    period: d.period ?? null,
    series: d.series ?? null,
    dueKind: d.dueKind ?? "obligation",
    closes: d.closes ?? null,
    outcome: d.outcome ?? null,
    milestone: d.milestone ?? null,
    createdBy: who.actor,
    createdAt: who.at,
    updatedAt: who.at,
    retractedAt: (d.retractedAt as Date | null) ?? null,
    retractedBy: d.retractedBy ?? null,
    retractReason: d.retractReason ?? null,
  };
}

/**
 * The likely duplicates among the staged added lines (see {@link stagedDuplicates}): the stored facts near them are
 * indexed first (the days within DUPLICATE_DAYS of each added line), then the lines are checked CHECK_CHUNK at a time.
 * Two added lines alike are reported once, on the later line.
 */
async function checkStaged(prisma: PrismaClient, importId: string, adds: StagedLine[], onChunk: (done: number) => void): Promise<ImportDuplicate[]> {
  if (adds.length === 0) return [];
  const days = new Map<string, { kind: string; topic: string; day: IsoDate }>();
  for (const a of adds) {
    const date = fromDbDate(a.data.date as Date);
    const topic = a.data.topic ?? "korus";
    for (let offset = -DUPLICATE_DAYS; offset <= DUPLICATE_DAYS; offset++) {
      const day = addDays(date, offset);
      days.set(`${a.data.kind}|${topic}|${day}`, { kind: a.data.kind, topic, day });
    }
  }
  await indexStoredNeighbours(prisma, importId, [...days.values()]);
  const byLine = new Map(adds.map((a) => [a.line, a]));
  const sorted = [...adds].sort((a, b) => a.line - b.line);
  const found: ImportDuplicate[] = [];
  const rule = { days: DUPLICATE_DAYS, similarity: DUPLICATE_SIMILARITY };
  let checked = 0;
  // By the words of their titles: each word of a line is an index lookup or two.
  for (const chunk of chunked(sorted, CHECK_CHUNK, (a) => a.data.title.split(/[^\p{L}\p{N}]+/u).length)) {
    for (const d of await stagedDuplicates(prisma, importId, chunk[0]!.line, chunk.at(-1)!.line, rule)) {
      const self = byLine.get(d.line)!;
      found.push({
        line: d.line,
        title: self.data.title,
        date: fromDbDate(self.data.date as Date),
        like: { factId: d.other.factId, ...(d.other.line !== null ? { line: d.other.line } : {}), date: d.other.date, title: d.other.title },
      });
    }
    checked += chunk.length;
    onChunk(checked);
  }
  return found;
}

/**
 * A validated line as the columns of a fact row, its date resolved. `base` is the visibleFrom of the fact a relative
 * deadline counts from; `stored` the day the fact was (or is being) stored (see {@link knownFrom}).
 */
export function lineToData(
  line: FactLine,
  date: IsoDate,
  afterFactId: number | null,
  context: { base?: IsoDate | null; stored: IsoDate } = { stored: todayUtc() },
): FactData {
  const first = line.sources[0] ?? {};
  return {
    kind: line.kind,
    date: toDbDate(date),
    known: line.known ? toDbDate(line.known) : null,
    visibleFrom: toDbDate(knownFrom({ known: line.known ?? null, kind: line.kind, date }, context)),
    title: line.title,
    summary: line.summary,
    actor: line.actor,
    sourceTitle: first.title ?? null,
    sourceUrl: first.url ?? null,
    sourceKey: sourceKey(first),
    sources: line.sources as unknown as Prisma.InputJsonValue,
    disputed: line.disputed as unknown as Prisma.InputJsonValue,
    event: line.event ?? null,
    confidence: line.confidence,
    topic: line.topic,
    value: line.value ?? null,
    unit: line.unit ?? null,
    period: line.period ?? null,
    series: line.series ?? null,
    dueKind: line.due_kind ?? "obligation",
    closes: line.closes ?? null,
    outcome: line.outcome ?? null,
    milestone: line.milestone ?? null,
    afterDays: line.after?.days ?? null,
    afterFactId,
  };
}

/** Today's date in UTC: the day a fact is stored. */
export function todayUtc(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

function identity(data: { date: Date | string; title: string; sourceKey: string }): string {
  const date = data.date instanceof Date ? fromDbDate(data.date) : data.date.slice(0, 10);
  return `${date}|${data.title}|${data.sourceKey}`;
}

/** The stored facts with the identities (date, title, source) of `items`, by identity (LOOKUP_CHUNK per read). */
async function storedByIdentity(prisma: PrismaClient, items: FactData[]): Promise<Map<string, FactRow>> {
  const map = new Map<string, FactRow>();
  for (const chunk of chunked(items, LOOKUP_CHUNK, (d) => d.title.length + d.sourceKey.length)) {
    const ids = (
      await prisma.$queryRaw<Array<{ id: number }>>`
        SELECT f.id FROM unnest(${chunk.map((d) => fromDbDate(d.date as Date))}::date[], ${chunk.map((d) => d.title)}::text[],
                                ${chunk.map((d) => d.sourceKey)}::text[]) AS k(date, title, source_key)
          JOIN fact f ON f.date = k.date AND f.title = k.title AND f.source_key = k.source_key`
    ).map((r) => r.id);
    if (ids.length === 0) continue;
    for (const row of await prisma.fact.findMany({ where: { id: { in: ids } } })) map.set(identity(row), row);
  }
  return map;
}

function retractionData(retracted: NonNullable<FactLine["retracted"]>, actor: string) {
  return { retractedAt: retracted.at ? new Date(retracted.at) : new Date(), retractedBy: retracted.by ?? actor, retractReason: retracted.reason };
}

/** Where a line of a batch landed: the fact a relative deadline counts from. */
interface Placed {
  id: number;
  date: IsoDate;
  visibleFrom: IsoDate;
}

function placedOf(row: { id: number; date: Date; visibleFrom: Date }): Placed {
  return { id: row.id, date: fromDbDate(row.date), visibleFrom: fromDbDate(row.visibleFrom) };
}

async function findByDateTitle(tx: PrismaClient | Tx, ref: { date: IsoDate; title: string }): Promise<Placed | undefined> {
  const row = await tx.fact.findFirst({
    where: { date: toDbDate(ref.date), title: ref.title, retractedAt: null },
    select: { id: true, date: true, visibleFrom: true },
    orderBy: { id: "asc" },
  });
  return row ? placedOf(row) : undefined;
}

/** True when storing `data` would change `row` (dates by day, sources and readings by content). */
export function factRowDiffers(row: FactRow, data: FactData): boolean {
  return Object.entries(data).some(([key, value]) => {
    const current = (row as Record<string, unknown>)[key];
    if (current instanceof Date && value instanceof Date) return current.getTime() !== value.getTime();
    if (key === "sources" || key === "disputed") return canonicalJson(current) !== canonicalJson(value);
    return current !== value;
  });
}

/** JSON with every object's keys sorted: jsonb does not keep the order they were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The audit trail's picture of a fact: the domain form, so it reads the same in every database. */
export function snapshot(row: FactRow): Prisma.InputJsonValue {
  const { id, retracted, after, ...rest } = toFact(row);
  return JSON.parse(JSON.stringify({ id, ...rest, after, retracted })) as Prisma.InputJsonValue;
}

/** How far apart two dates may be for two facts to look like one (reports of one event often differ by a few days). */
export const DUPLICATE_DAYS = 3;
/**
 * How alike two titles must be: the word stems in common over the stems of the shorter title (English stop words left
 * out), and at least two in common. "Special session must be held within 30 days of the request" and "Special session
 * of the KORUS Joint Committee must be held" share 4 of 7.
 */
export const DUPLICATE_SIMILARITY = 0.5;

/** A stored fact that looks like a candidate: a near date, a similar title, and no shared event key. */
export interface LikelyDuplicate {
  /** The candidate's key (a line number, or a fact id). */
  key: number;
  other: { id: number; date: IsoDate; title: string };
  similarity: number;
}

/**
 * Stored live facts that look like the candidates: the same kind and topic, dated within {@link DUPLICATE_DAYS}, and a
 * title whose word stems overlap at least {@link DUPLICATE_SIMILARITY} (computed in the database from PostgreSQL's
 * English text search, in PGlite and PostgreSQL alike). Facts that share an event key are reports of one event on
 * purpose, not duplicates; `exclude` lists facts not to compare with (the candidates themselves, once stored).
 *
 * For the few facts of a form or `korus facts add`: each is compared with every fact near it. An import checks its
 * lines with {@link stagedDuplicates} instead, whose cost does not grow with how many facts share a day.
 */
export async function likelyDuplicates(
  db: PrismaClient | Tx,
  candidates: ReadonlyArray<{ key: number; date: IsoDate; title: string; kind: string; topic: string; event: string | null; exclude?: number }>,
  limit = 200,
): Promise<LikelyDuplicate[]> {
  if (candidates.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ key: number; id: number; date: Date; title: string; similarity: number }>>`
    WITH c AS (
      SELECT k, d, kd, tp, ev, ex, tsvector_to_array(to_tsvector('english', t)) AS w
        FROM unnest(${candidates.map((c) => c.key)}::int[], ${candidates.map((c) => c.date)}::date[], ${candidates.map((c) => c.title)}::text[],
                    ${candidates.map((c) => c.kind)}::text[], ${candidates.map((c) => c.topic)}::text[], ${candidates.map((c) => c.event)}::text[],
                    ${candidates.map((c) => c.exclude ?? null)}::int[]) AS x(k, d, t, kd, tp, ev, ex)
    ), pairs AS (
      SELECT c.k, f.id, f.date, f.title, c.w, tsvector_to_array(to_tsvector('english', f.title)) AS fw
        FROM c JOIN fact f
          ON f.date BETWEEN c.d - ${DUPLICATE_DAYS}::int AND c.d + ${DUPLICATE_DAYS}::int
         AND f.kind = c.kd AND f.topic = c.tp AND f.retracted_at IS NULL
         AND f.id IS DISTINCT FROM c.ex
         AND (c.ev IS NULL OR f.event IS NULL OR f.event <> c.ev)
       WHERE cardinality(c.w) > 0
    )
    SELECT k AS key, id, date, title, s::float8 AS similarity
      FROM pairs
     CROSS JOIN LATERAL (
       SELECT CASE WHEN shared >= 2 THEN shared::float8 / LEAST(cardinality(w), cardinality(fw)) ELSE 0 END AS s
         FROM (SELECT count(*) AS shared FROM (SELECT unnest(w) INTERSECT SELECT unnest(fw)) i) n
     ) sim
     WHERE s >= ${DUPLICATE_SIMILARITY}
     ORDER BY k, s DESC, id
     LIMIT ${limit}`;
  return rows.map((r) => ({ key: r.key, other: { id: r.id, date: fromDbDate(r.date), title: r.title }, similarity: r.similarity }));
}
