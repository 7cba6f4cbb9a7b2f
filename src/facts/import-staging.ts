/**
 * The database side of an import (src/facts/import.ts plans it): the lines are staged in `fact_import_line` and checked
 * for likely duplicates in short statements, then applied all or nothing in one short transaction. A file too big to
 * check (more than DUPLICATE_CHECK_MAX added facts) is not staged: its transaction takes the lines from its statements'
 * parameters, each line written once instead of three times (staged, copied, emptied).
 *
 * Why short: the embedded database (PGlite) runs on the thread of the process that owns it, and a `korus facts import`
 * beside a running bot goes through the bot (src/db/pglite-server.ts): every statement of the import runs on the bot's
 * thread, and nothing else (no Slack request, no `/healthz`) is served while one runs; the bot's own queries also wait
 * for a client's transaction to end. So every statement here handles a bounded number of rows, whatever the file's
 * size, and the one transaction only copies rows that are ready.
 */
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate } from "./dates.js";
import type { FactData } from "./rows.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** A line as the import stores it: the fact it adds or updates, with the audit row's pictures of it. */
export interface StagedLine {
  line: number;
  /** The fact's id: reserved from fact's sequence for an added line, the stored fact's for an update. */
  factId: number;
  change: "add" | "update";
  /** For an update: the stored fact's updated_at when it was read (the update applies only if it is still that). */
  updatedAtBefore: Date | null;
  /** Every column of the fact as the line leaves it (for an update, its retraction as it stands unless the line retracts it). */
  data: FactData;
  /** The audit row's pictures of the fact, as JSON text. */
  before: string | null;
  after: string;
}

/** A likely duplicate the check found: the added line, and the stored fact or earlier line it looks like. */
export interface StagedDuplicate {
  line: number;
  other: { factId: number; line: number | null; date: IsoDate; title: string };
  similarity: number;
}

// Rows per statement, and what they may weigh in all: each statement is a few dozen milliseconds of the owner's thread
// on an idle machine, for ordinary lines and for lines of the largest size the schema allows (about 25 KB each).
/** Lines staged per statement, and their JSON text in all (see stagedBytes). */
export const STAGE_CHUNK = { count: 500, weight: 1_000_000 };
/** Added lines checked per statement, and the words of their titles in all. */
export const CHECK_CHUNK = { count: 250, weight: 2000 };
/** (kind, topic, day) triples whose stored facts are indexed for the check per statement. */
const NEIGHBOUR_DAYS_CHUNK = 1000;
/** Facts inserted (or updated) per statement of the applying transaction, and their JSON text in all. */
export const APPLY_CHUNK = { count: 1000, weight: 2_000_000 };

/**
 * `items` in order, cut into runs of at most `limit.count` items that weigh at most `limit.weight` in all (a run of
 * one item may weigh more).
 */
export function chunked<T>(items: readonly T[], limit: { count: number; weight: number }, weight: (item: T) => number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let sum = 0;
  for (const item of items) {
    const w = weight(item);
    if (run.length > 0 && (run.length >= limit.count || sum + w > limit.weight)) {
      runs.push(run);
      run = [];
      sum = 0;
    }
    run.push(item);
    sum += w;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** What a staged line weighs: about the JSON text it carries (its columns, and the audit pictures). */
export function stagedBytes(line: StagedLine): number {
  return 2 * line.after.length + (line.before?.length ?? 0);
}

/**
 * How many stored facts and earlier lines that share a word stem with an added line it is compared with, on each side
 * of it, per word stem. The check's index orders a day's rows by rank (stored facts first, then the added lines in
 * line order) and then id: before a line come its own day's stored facts and earlier lines, nearest first, then the
 * days before; after it only the days after (its own day's later lines are never compared with it). Where a word is
 * shared by no more than this many facts of the same kind within the date window, the comparison is exact (every
 * fact sharing that word is seen); a day of a thousand alike lines costs about what a thousand days do, each line
 * compared with its nearest few.
 */
export const NEIGHBOURS_PER_WORD = 16;

/** A new import's id: its rows in the staging tables. */
export function newImportId(): string {
  return randomUUID();
}

/** `n` ids from fact's sequence, ascending, for the lines an import adds (a dry run or a failed import leaves a gap). */
export async function reserveFactIds(db: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const rows = await db.$queryRaw<Array<{ id: number }>>`
    SELECT nextval(pg_get_serial_sequence('fact', 'id'))::int AS id FROM generate_series(1, ${n}::int)`;
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const dbDate = (d: unknown): string | null => (d instanceof Date ? fromDbDate(d) : null);
const dbTime = (d: unknown): string | null => (d instanceof Date ? d.toISOString() : null);

/**
 * Stages `lines` (STAGE_CHUNK per statement) for the duplicate check: each title's word stems are computed by
 * PostgreSQL's English text search as it is staged, and written to the check's index (fact_import_word): an added
 * line as itself (ranked by its line, which counts from 1), an updated one as a stored fact (rank 0).
 */
export async function stageLines(db: Db, importId: string, lines: readonly StagedLine[], options: { onChunk?: (staged: number) => void } = {}): Promise<void> {
  let staged = 0;
  for (const chunk of chunked(lines, STAGE_CHUNK, stagedBytes)) {
    await db.$executeRaw`
      WITH staged AS (
        INSERT INTO fact_import_line (import_id, line, fact_id, change, updated_at_before, ${Prisma.raw(FACT_COLUMNS)}, words, before, after)
        SELECT ${importId}, s.line, s.fact_id, s.change, s.updated_at_before, ${Prisma.raw(FACT_VALUES)},
               tsvector_to_array(to_tsvector('english', s.title)),
               s.before::jsonb, s.after::jsonb
          FROM ${linesRelation(chunk, true)}
        RETURNING line, fact_id, change, kind, topic, date, event, retracted_at, words
      )
      INSERT INTO fact_import_word (import_id, kind, topic, word, date, rank, fact_id, line, words, event, live)
      SELECT ${importId}, kind, topic, w, date, CASE WHEN change = 'add' THEN line ELSE 0 END, fact_id,
             CASE WHEN change = 'add' THEN line END, cardinality(words), event, retracted_at IS NULL
        FROM staged CROSS JOIN unnest(words) AS w`;
    staged += chunk.length;
    options.onChunk?.(staged);
  }
}

/** The columns of fact that an import sets from a line; fact_import_line has them under the same names. */
const FACT_COLUMN_NAMES = `kind date known visible_from title summary actor source_title source_url source_key sources disputed event confidence
  topic figure_value figure_unit figure_period figure_series after_days after_fact_id retracted_at retracted_by retract_reason due_kind closes
  outcome milestone`.split(/\s+/);
const FACT_COLUMNS = FACT_COLUMN_NAMES.join(", ");
/** FACT_COLUMNS read from a relation `s` of lines (staged rows, or {@link linesRelation}), its JSON as jsonb. */
const FACT_VALUES = FACT_COLUMN_NAMES.map((c) => (c === "sources" || c === "disputed" ? `s.${c}::jsonb` : `s.${c}`)).join(", ");

/**
 * `lines` as a relation `s` with fact_import_line's columns (less import_id and words; less the audit pictures, before
 * and after, unless `pictures`), from one array parameter per column: one statement passes a chunk of lines whatever
 * its size. The JSON columns (sources, disputed, before, after) come as text.
 */
function linesRelation(lines: readonly StagedLine[], pictures: boolean): Prisma.Sql {
  const col = <T>(pick: (l: StagedLine) => T) => lines.map(pick);
  const d = <T>(pick: (data: FactData) => T) => lines.map((l) => pick(l.data));
  return Prisma.sql`unnest(${col((l) => l.line)}::int[], ${col((l) => l.factId)}::int[], ${col((l) => l.change)}::text[],
                      ${col((l) => dbTime(l.updatedAtBefore))}::timestamptz[], ${d((x) => x.kind)}::text[],
                      ${d((x) => dbDate(x.date))}::date[], ${d((x) => dbDate(x.known))}::date[], ${d((x) => dbDate(x.visibleFrom))}::date[],
                      ${d((x) => x.title)}::text[], ${d((x) => x.summary ?? "")}::text[], ${d((x) => x.actor)}::text[],
                      ${d((x) => x.sourceTitle ?? null)}::text[], ${d((x) => x.sourceUrl ?? null)}::text[], ${d((x) => x.sourceKey)}::text[],
                      ${d((x) => JSON.stringify(x.sources ?? []))}::text[], ${d((x) => JSON.stringify(x.disputed ?? []))}::text[],
                      ${d((x) => x.event ?? null)}::text[], ${d((x) => x.confidence ?? "confirmed")}::text[], ${d((x) => x.topic ?? "korus")}::text[],
                      ${d((x) => x.value ?? null)}::float8[], ${d((x) => x.unit ?? null)}::text[], ${d((x) => x.period ?? null)}::text[],
                      ${d((x) => x.series ?? null)}::text[], ${d((x) => x.afterDays ?? null)}::int[], ${d((x) => x.afterFactId ?? null)}::int[],
                      ${d((x) => dbTime(x.retractedAt))}::timestamptz[], ${d((x) => x.retractedBy ?? null)}::text[],
                      ${d((x) => x.retractReason ?? null)}::text[],
                      ${d((x) => x.dueKind ?? "obligation")}::text[], ${d((x) => x.closes ?? null)}::text[],
                      ${d((x) => x.outcome ?? null)}::text[], ${d((x) => x.milestone ?? null)}::text[]
                      ${pictures ? Prisma.sql`, ${col((l) => l.before)}::text[], ${col((l) => l.after)}::text[]` : Prisma.empty})
           AS s(line, fact_id, change, updated_at_before, ${Prisma.raw(FACT_COLUMNS)}${Prisma.raw(pictures ? ", before, after" : "")})`;
}

/**
 * Adds to the check's index the live stored facts of the given (kind, topic, day) triples (the days within the window
 * of an added line), as their titles read now; a fact the import updates is there already, as it will read.
 */
export async function indexStoredNeighbours(db: Db, importId: string, days: ReadonlyArray<{ kind: string; topic: string; day: IsoDate }>): Promise<void> {
  for (let i = 0; i < days.length; i += NEIGHBOUR_DAYS_CHUNK) {
    const chunk = days.slice(i, i + NEIGHBOUR_DAYS_CHUNK);
    await db.$executeRaw`
      INSERT INTO fact_import_word (import_id, kind, topic, word, date, rank, fact_id, line, words, event, live)
      SELECT ${importId}, f.kind, f.topic, w, f.date, 0, f.id, NULL, cardinality(ws), f.event, true
        FROM unnest(${chunk.map((c) => c.kind)}::text[], ${chunk.map((c) => c.topic)}::text[], ${chunk.map((c) => c.day)}::date[])
             AS d(kind, topic, day)
        JOIN fact f ON f.kind = d.kind AND f.date = d.day AND f.topic = d.topic
       CROSS JOIN LATERAL tsvector_to_array(to_tsvector('english', f.title)) AS ws
       CROSS JOIN LATERAL unnest(ws) AS w
       WHERE f.retracted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM fact_import_line s WHERE s.import_id = ${importId} AND s.fact_id = f.id)`;
  }
}

/**
 * The likely duplicates among the added lines `fromLine`..`toLine`: for each, the most alike (then the oldest) live
 * fact of the same kind and topic, dated within `days`, that is stored or an earlier line, does not share its event
 * key, and shares at least two word stems and `similarity` of the shorter title's. Blocking key and bounded
 * comparison: per word stem, only the NEIGHBOURS_PER_WORD nearest facts on each side (an index range scan each) are
 * looked at, and the stems two facts share are counted over those; where a word is that rare near the line, the count
 * is exact. Before the line: `(date, rank) < (its date, its line)`, which on its own day is exactly the stored facts
 * and the earlier lines; after it: the later days only. (Ordered by id, a day of alike lines spent the "after" side on
 * its later lines, thrown away once read, and a deadline earlier in the file, whose id follows every plain line's,
 * could be crowded out of it.) The shared stems are counted line by line (a small aggregate each, its best taken at
 * once), not over all the chunk's (line, neighbour, stem) rows together.
 */
export async function stagedDuplicates(db: Db, importId: string, fromLine: number, toLine: number, rule: { days: number; similarity: number }): Promise<StagedDuplicate[]> {
  const rows = await db.$queryRaw<Array<{ line: number; other: number; other_line: number | null; date: Date; title: string; similarity: number }>>`
    WITH best AS (
      SELECT l.line, b.other, b.other_line, b.similarity
        FROM fact_import_line l
       CROSS JOIN LATERAL (
         SELECT x.fact_id AS other, min(x.line) AS other_line, count(*)::float8 / LEAST(cardinality(l.words), min(x.words)) AS similarity
           FROM unnest(l.words) AS w
          CROSS JOIN LATERAL (
            (SELECT x.fact_id, x.line, x.event, x.words, x.live FROM fact_import_word x
              WHERE x.import_id = ${importId} AND x.kind = l.kind AND x.topic = l.topic AND x.word = w
                AND (x.date, x.rank) < (l.date, l.line) AND x.date >= l.date - ${rule.days}::int
              ORDER BY x.date DESC, x.rank DESC, x.fact_id DESC LIMIT ${NEIGHBOURS_PER_WORD}::int)
            UNION ALL
            (SELECT x.fact_id, x.line, x.event, x.words, x.live FROM fact_import_word x
              WHERE x.import_id = ${importId} AND x.kind = l.kind AND x.topic = l.topic AND x.word = w
                AND x.date > l.date AND x.date <= l.date + ${rule.days}::int
              ORDER BY x.date, x.rank, x.fact_id LIMIT ${NEIGHBOURS_PER_WORD}::int)
          ) x
          WHERE x.live AND (x.line IS NULL OR x.line < l.line) AND (l.event IS NULL OR x.event IS NULL OR x.event <> l.event)
          GROUP BY x.fact_id
         HAVING count(*) >= 2 AND count(*)::float8 / LEAST(cardinality(l.words), min(x.words)) >= ${rule.similarity}::float8
          ORDER BY similarity DESC, other
          LIMIT 1
       ) b
       WHERE l.import_id = ${importId} AND l.line BETWEEN ${fromLine}::int AND ${toLine}::int AND l.change = 'add'
    )
    SELECT b.line, b.other, b.other_line, COALESCE(o.date, f.date) AS date, COALESCE(o.title, f.title) AS title, b.similarity
      FROM best b
      LEFT JOIN fact_import_line o ON o.import_id = ${importId} AND o.fact_id = b.other
      LEFT JOIN fact f ON o.fact_id IS NULL AND f.id = b.other
     ORDER BY b.line`;
  return rows.map((r) => ({
    line: r.line,
    other: { factId: r.other, line: r.other_line, date: fromDbDate(r.date), title: r.title },
    similarity: r.similarity,
  }));
}

/** Raised when a fact the import updates was changed by someone else after it was read: the import runs again. */
export class StaleImportError extends Error {
  constructor() {
    super("a fact changed while the import was staged");
  }
}

/**
 * Where the lines an apply statement takes come from: the rows an import staged (`staged`: its id), or the lines
 * themselves, passed with the statement (`given`: an import that stages nothing, see {@link applyLines}).
 */
export type ApplySource = { staged: string } | "given";

/**
 * Applies an import inside the caller's transaction: inserts the added facts and updates the changed ones
 * (APPLY_CHUNK per statement, in id order so that a deadline comes after the fact it counts from), each with its
 * audit row. The lines come from the staging tables, or (`given`) straight from `lines`: an import that checks
 * nothing against the stored facts (no duplicate check) need not write every line twice.
 * @throws StaleImportError when an updated fact changed since it was read.
 */
export async function applyLines(
  tx: Prisma.TransactionClient,
  source: ApplySource,
  lines: readonly StagedLine[],
  who: { actor: string; action: string; at: Date },
  onChunk?: (applied: number) => void,
): Promise<void> {
  let applied = 0;
  for (const run of idRuns(lines.filter((s) => s.change === "add"))) {
    const from = linesFrom(source, "add", run);
    await tx.$executeRaw`
      INSERT INTO fact (id, ${Prisma.raw(FACT_COLUMNS)}, created_by, created_at, updated_at)
      SELECT s.fact_id, ${Prisma.raw(FACT_VALUES)}, ${who.actor}, ${who.at}, ${who.at}
        FROM ${from}
       ORDER BY s.fact_id`;
    await auditLines(tx, source, "add", run, who);
    applied += run.length;
    onChunk?.(applied);
  }
  for (const run of idRuns(lines.filter((s) => s.change === "update"))) {
    const count = await tx.$executeRaw`
      UPDATE fact f
         SET kind = s.kind, known = s.known, visible_from = s.visible_from, summary = s.summary, actor = s.actor,
             source_title = s.source_title, source_url = s.source_url, sources = s.sources::jsonb, disputed = s.disputed::jsonb,
             event = s.event, confidence = s.confidence, topic = s.topic, figure_value = s.figure_value,
             figure_unit = s.figure_unit, figure_period = s.figure_period, figure_series = s.figure_series,
             after_days = s.after_days, after_fact_id = s.after_fact_id,
             due_kind = s.due_kind, closes = s.closes, outcome = s.outcome, milestone = s.milestone,
             retracted_at = s.retracted_at, retracted_by = s.retracted_by, retract_reason = s.retract_reason, updated_at = ${who.at}
        FROM ${linesFrom(source, "update", run)}
         AND f.id = s.fact_id AND f.updated_at = s.updated_at_before`;
    if (count !== run.length) throw new StaleImportError();
    await auditLines(tx, source, "update", run, who);
    applied += run.length;
    onChunk?.(applied);
  }
}

/**
 * `FROM` and `WHERE` of the lines of `run` (one change, ascending fact ids) as a relation `s` with fact_import_line's
 * columns: its staged rows (an id range), or the lines passed as parameters.
 */
function linesFrom(source: ApplySource, change: "add" | "update", run: readonly StagedLine[]): Prisma.Sql {
  // The audit pictures are passed to the audit's own statement (auditLines), not here.
  if (source === "given") return Prisma.sql`${linesRelation(run, false)} WHERE true`;
  return Prisma.sql`fact_import_line s
       WHERE s.import_id = ${source.staged} AND s.change = ${change} AND s.fact_id BETWEEN ${run[0]!.factId}::int AND ${run.at(-1)!.factId}::int`;
}

async function auditLines(tx: Prisma.TransactionClient, source: ApplySource, change: "add" | "update", run: readonly StagedLine[], who: { actor: string; action: string; at: Date }) {
  // Given lines pass only what the audit row takes: the fact's id and its pictures.
  const from =
    source === "given"
      ? Prisma.sql`unnest(${run.map((l) => l.factId)}::int[], ${run.map((l) => l.before)}::text[], ${run.map((l) => l.after)}::text[]) AS s(fact_id, before, after)`
      : linesFrom(source, change, run);
  await tx.$executeRaw`
    INSERT INTO fact_audit (fact_id, action, actor, at, before, after)
    SELECT s.fact_id, ${who.action}, ${who.actor}, ${who.at}, s.before::jsonb, s.after::jsonb
      FROM ${from}
     ORDER BY s.fact_id`;
}

/** The lines (of one change) in ascending fact id, cut into APPLY_CHUNK runs. */
function idRuns(lines: readonly StagedLine[]): StagedLine[][] {
  return chunked(
    [...lines].sort((a, b) => a.factId - b.factId),
    APPLY_CHUNK,
    stagedBytes,
  );
}

/** Deletes the check's index of an import (once checked). */
export async function dropStagedWords(db: Db, importId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM fact_import_word WHERE import_id = ${importId}`;
}

/**
 * Deletes what an import staged (when it has been applied, refused, or was a dry run); when no other import has rows
 * staged, empties the staging tables outright, so that they do not grow (migration 20261207110000: the embedded
 * database runs no VACUUM).
 */
export async function dropStaged(db: Db, importId: string): Promise<void> {
  await db.$executeRaw`SELECT fact_import_clear(${importId})`;
}

/** Imports staged longer ago than this are abandoned (their process was killed): the next import deletes them. */
const ABANDONED_AFTER_HOURS = 24;

/** Deletes the rows of abandoned imports. */
export async function dropAbandonedImports(db: Db): Promise<void> {
  const gone = await db.$executeRaw`
    DELETE FROM fact_import_line WHERE staged_at < now() - make_interval(hours => ${ABANDONED_AFTER_HOURS}::int)`;
  if (gone > 0) {
    await db.$executeRaw`
      DELETE FROM fact_import_word w WHERE NOT EXISTS (SELECT 1 FROM fact_import_line l WHERE l.import_id = w.import_id)`;
  }
}
