/**
 * Importing fact JSON Lines into the store: lines resolved level by level (relative deadlines after the facts they
 * count from), matched to stored facts by date, title and source, staged and checked for likely duplicates, then
 * applied in one short transaction (src/facts/import-staging.ts), all or nothing.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { type Clock, systemClock } from "../clock.js";
import { addDays, fromDbDate, type IsoDate, toDbDate, utcDay } from "./dates.js";
import type { FactLine, LineError } from "./jsonl.js";
import { KorusError } from "../errors.js";
import { closingLineErrors } from "./closing.js";
import {
  applyLines,
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
import { type FactData, factRowDiffers, type FactRow, lineToData, newRow } from "./rows.js";
import { snapshotJson } from "./audit.js";
import { DUPLICATE_DAYS, DUPLICATE_SIMILARITY } from "./duplicates.js";

type Tx = Prisma.TransactionClient;

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
  /** Imports adding more facts than this skip the duplicate check (and are not staged). Default: {@link DUPLICATE_CHECK_MAX}. */
  duplicateCheckMax?: number;
  /** Told how a long import is getting on (a few times per phase), for a progress line. */
  onProgress?: (progress: ImportProgress) => void;
  /** The time of the import's audit rows and retractions, and (its UTC day) the day added facts are stored. Default: the system clock. */
  clock?: Clock;
}

/** Where an import stands: `done` of `total` lines staged, checked or applied (in the transaction, not yet committed), or the apply starting. */
export type ImportProgress = { phase: "staged" | "checked" | "applied"; done: number; total: number } | { phase: "applying"; added: number; updated: number };

/** "fact #12 (2018-03-26, “…”)" or "line 4 (2018-03-26, “…”)". */
export function duplicateTarget(d: ImportDuplicate): string {
  return `${d.like.line !== undefined ? `line ${d.like.line}` : `fact #${d.like.factId}`} (${d.like.date}, “${d.like.title}”)`;
}

type PendingLine = FactLine & { line: number };
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
export async function importFactLines(prisma: PrismaClient, input: Array<FactLine & { line?: number }>, options: ImportOptions): Promise<ImportResult> {
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
  const clock = options.clock ?? systemClock;
  const at = clock.now();
  const who = { actor: options.actor, action: options.action ?? "import", at };
  const plan = await planImport(prisma, lines, who);
  const adds = plan.staged.filter((s) => s.change === "add");
  const updates = plan.staged.filter((s) => s.change === "update");
  const result: ImportResult = { added: adds.length, updated: updates.length, unchanged: plan.unchanged, duplicates: [], duplicateCheckSkipped: false };
  const errors = plan.errors;
  const refusal = () => new FactImportError(errors.sort((a, b) => a.line - b.line));
  // A file that fails anyway is staged and checked for likely duplicates only when --strict lists them among its errors.
  if (errors.length > 0 && !options.strict) throw refusal();
  const check = adds.length <= (options.duplicateCheckMax ?? DUPLICATE_CHECK_MAX);
  result.duplicateCheckSkipped = !check;
  const report = lines.length >= PROGRESS_FROM_LINES ? options.onProgress : undefined;
  // The lines are staged only to be checked for likely duplicates: a file too big to check is applied from the lines
  // themselves, each written once (src/facts/import-staging.ts, applyLines).
  const stage = check;
  const importId = newImportId();
  await dropAbandonedImports(prisma);
  try {
    if (stage) {
      await stageLines(prisma, importId, plan.staged, { onChunk: (done) => report?.({ phase: "staged", done, total: plan.staged.length }) });
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
    const applying = { ...who, at: clock.now() };
    const source = stage ? { staged: importId } : "given";
    await prisma.$transaction((tx) => applyLines(tx, source, plan.staged, applying, (done) => report?.({ phase: "applied", done, total: plan.staged.length })), {
      timeout: 10 * 60_000,
      maxWait: 60_000,
    });
  } finally {
    // Should this fail (the connection gone), what was staged is harmless, and the next import deletes it.
    if (stage) await dropStaged(prisma, importId).catch(() => undefined);
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
  // The day the added facts are stored: the UTC day of the import's time, as their createdAt will read.
  const today = utcDay(who.at);
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

async function planLevel(prisma: PrismaClient, ready: Array<{ line: PendingLine; data: FactData }>, placed: Map<string, Placed>, plan: ImportPlan, who: { actor: string; at: Date }): Promise<void> {
  const existing = await storedByIdentity(
    prisma,
    ready.map((r) => r.data),
  );
  const toAdd: Array<{ line: PendingLine; data: FactData }> = [];
  for (const { line, data } of ready) {
    const row = existing.get(identity(data));
    const retract = line.retracted && (!row || row.retractedAt === null) ? retractionData(line.retracted, who.actor, who.at) : {};
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
        before: snapshotJson(row),
        after: snapshotJson(after),
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
    plan.staged.push({ line: line.line, factId: row.id, change: "add", updatedAtBefore: null, data, before: null, after: snapshotJson(row) });
  });
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

function retractionData(retracted: NonNullable<FactLine["retracted"]>, actor: string, at: Date) {
  return { retractedAt: retracted.at ? new Date(retracted.at) : at, retractedBy: retracted.by ?? actor, retractReason: retracted.reason };
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
