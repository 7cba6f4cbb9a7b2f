import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../db/errors.js";
/** Kept here too for callers that imported it from the fact store; src/db/errors.ts is where it lives. */
export { isUniqueViolation };
import { addDays, fromDbDate, type IsoDate, toDbDate } from "./dates.js";
import type { FactLine, LineError } from "./jsonl.js";
import { type Fact, type FactKind, sourceKey } from "./model.js";
import { KorusError } from "../errors.js";

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
    source: {
      ...(row.sourceTitle ? { title: row.sourceTitle } : {}),
      ...(row.sourceUrl ? { url: row.sourceUrl } : {}),
    },
    confidence: row.confidence === "inferred" ? "inferred" : "confirmed",
    topic: row.topic,
    figure:
      row.value !== null || row.unit !== null || row.period !== null || row.series !== null
        ? { value: row.value, unit: row.unit, period: row.period, series: row.series }
        : null,
    after: row.afterDays !== null && row.afterFactId !== null ? { days: row.afterDays, fromId: row.afterFactId } : null,
    retracted: row.retractedAt !== null,
  };
}

/**
 * The facts of a topic that the team could know on `asOf` (see knownFrom), retracted ones excluded, oldest first.
 */
export async function visibleFacts(prisma: PrismaClient, asOf: IsoDate, topic = "korus"): Promise<Fact[]> {
  const rows = await prisma.fact.findMany({ where: visibleWhere(asOf, topic), orderBy: [{ date: "asc" }, { id: "asc" }] });
  return rows.map(toFact);
}

function visibleWhere(asOf: IsoDate, topic: string): Prisma.FactWhereInput {
  const day = toDbDate(asOf);
  return {
    topic,
    retractedAt: null,
    OR: [
      { known: { lte: day } },
      { known: null, kind: "deadline" },
      { known: null, kind: { not: "deadline" }, date: { lte: day } },
    ],
  };
}

/**
 * Just the facts a status needs (latest event, deadlines around asOf, newest developments and positions, and the
 * facts relative deadlines count from), with the count of all visible facts: a handful of indexed queries instead of
 * reading the whole store.
 */
export async function statusFacts(
  prisma: PrismaClient,
  asOf: IsoDate,
  options: { overdueWindowDays: number; take: number; topic?: string },
): Promise<{ facts: Fact[]; count: number }> {
  const where = visibleWhere(asOf, options.topic ?? "korus");
  const day = toDbDate(asOf);
  const newest = { orderBy: [{ date: "desc" as const }, { id: "desc" as const }] };
  const [count, phase, upcoming, overdue, developments, positions] = await Promise.all([
    prisma.fact.count({ where }),
    prisma.fact.findMany({ where: { AND: [where, { kind: "event", date: { lte: day } }] }, ...newest, take: 1 }),
    prisma.fact.findMany({ where: { AND: [where, { kind: "deadline", date: { gte: day } }] }, orderBy: [{ date: "asc" }, { id: "asc" }], take: 4 }),
    prisma.fact.findMany({
      where: { AND: [where, { kind: "deadline", date: { lt: day, gte: toDbDate(addDays(asOf, -options.overdueWindowDays)) } }] },
      ...newest,
      take: 3,
    }),
    prisma.fact.findMany({ where: { AND: [where, { kind: { in: ["event", "note", "figure"] }, date: { lte: day } }] }, ...newest, take: options.take }),
    prisma.fact.findMany({ where: { AND: [where, { kind: "position", date: { lte: day } }] }, ...newest, take: options.take }),
  ]);
  const rows = new Map([...phase, ...upcoming, ...overdue, ...developments, ...positions].map((r) => [r.id, r]));
  const bases = [...rows.values()].map((r) => r.afterFactId).filter((id): id is number => id !== null && !rows.has(id));
  if (bases.length > 0) for (const r of await prisma.fact.findMany({ where: { id: { in: bases } } })) rows.set(r.id, r);
  return { facts: [...rows.values()].map(toFact), count };
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
}

/** Facts inserted per statement: large enough to be fast, small enough to keep each statement's arrays modest. */
const INSERT_CHUNK = 5000;

class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

type PendingLine = FactLine & { line: number };
type FactData = Omit<Prisma.FactUncheckedCreateInput, "createdBy">;

/**
 * Stores validated lines in one transaction. A line whose date, title and source match a stored fact updates it in
 * place (only if something differs); any other line adds a fact. Every change writes an audit row. `after`
 * references resolve to other lines of the batch or to stored facts. With `dryRun`, everything is checked and
 * counted, then rolled back.
 * @throws FactImportError naming every line that cannot be stored; then nothing is written.
 */
export async function importFactLines(
  prisma: PrismaClient,
  input: Array<FactLine & { line?: number }>,
  options: { actor: string; action?: "import" | "seed"; dryRun?: boolean },
): Promise<ImportResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await importOnce(prisma, input, options);
    } catch (error) {
      // Another writer stored one of these facts between our lookup and our insert: run again, and it is found.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}


async function importOnce(
  prisma: PrismaClient,
  input: Array<FactLine & { line?: number }>,
  options: { actor: string; action?: "import" | "seed"; dryRun?: boolean },
): Promise<ImportResult> {
  const action = options.action ?? "import";
  const lines: PendingLine[] = input.map((l, i) => ({ ...l, line: l.line ?? i + 1 }));
  try {
    return await prisma.$transaction(
      async (tx) => {
        const result: ImportResult = { added: 0, updated: 0, unchanged: 0 };
        const errors: LineError[] = [];
        const existing = await existingByIdentity(tx, lines);
        // Where each line of the batch landed: "date|title" -> fact, for `after` references.
        const placed = new Map<string, { id: number; date: IsoDate }>();
        const seenKeys = new Map<string, number>();
        let pending = lines;
        // Level by level: plain lines first, then deadlines relative to them, then deadlines relative to those.
        while (pending.length > 0) {
          const ready: Array<{ line: PendingLine; data: FactData }> = [];
          const waiting: PendingLine[] = [];
          for (const line of pending) {
            let date = line.date;
            let afterFactId: number | null = null;
            if (line.after) {
              const ref = `${line.after.from.date}|${line.after.from.title}`;
              const from = placed.get(ref);
              if (!from) {
                waiting.push(line);
                continue;
              }
              afterFactId = from.id;
              date = addDays(from.date, line.after.days);
            }
            if (!date) continue; // the schema guarantees a date or `after`
            const data = lineToData(line, date, afterFactId);
            const key = identity(data);
            const first = seenKeys.get(key);
            if (first !== undefined) {
              errors.push({ line: line.line, field: "(line)", message: `has the same date, title and source as line ${first}` });
              continue;
            }
            seenKeys.set(key, line.line);
            ready.push({ line, data });
          }
          if (ready.length === 0) {
            // What is still waiting counts from a fact that is neither in the batch nor resolvable in the store.
            for (const line of waiting) {
              const from = await findByDateTitle(tx, line.after!.from);
              if (from) {
                placed.set(`${line.after!.from.date}|${line.after!.from.title}`, from);
              } else {
                errors.push({
                  line: line.line,
                  field: "after.from",
                  message: `no fact dated ${line.after!.from.date} titled "${line.after!.from.title}" in the store or the file`,
                });
              }
            }
            pending = waiting.filter((l) => placed.has(`${l.after!.from.date}|${l.after!.from.title}`));
            continue;
          }
          await storeLevel(tx, ready, existing, placed, result, { actor: options.actor, action });
          pending = waiting;
        }
        if (errors.length > 0) throw new FactImportError(errors.sort((a, b) => a.line - b.line));
        if (options.dryRun) throw new DryRun(result);
        return result;
      },
      { timeout: 10 * 60_000, maxWait: 60_000 },
    );
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

/** A validated line as the columns of a fact row, its date resolved. */
export function lineToData(line: FactLine, date: IsoDate, afterFactId: number | null): FactData {
  const source = typeof line.source === "string" ? { title: line.source } : line.source;
  return {
    kind: line.kind,
    date: toDbDate(date),
    known: line.known ? toDbDate(line.known) : null,
    title: line.title,
    summary: line.summary,
    actor: line.actor,
    sourceTitle: source.title ?? null,
    sourceUrl: source.url ?? null,
    sourceKey: sourceKey(source),
    confidence: line.confidence,
    topic: line.topic,
    value: line.value ?? null,
    unit: line.unit ?? null,
    period: line.period ?? null,
    series: line.series ?? null,
    afterDays: line.after?.days ?? null,
    afterFactId,
  };
}

function identity(data: { date: Date | string; title: string; sourceKey: string }): string {
  const date = data.date instanceof Date ? fromDbDate(data.date) : data.date.slice(0, 10);
  return `${date}|${data.title}|${data.sourceKey}`;
}

/** Stored facts whose title appears in the batch, by identity. */
async function existingByIdentity(tx: Tx, lines: PendingLine[]): Promise<Map<string, FactRow>> {
  const titles = [...new Set(lines.map((l) => l.title))];
  const ids = (await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM fact WHERE title = ANY(${titles}::text[])`).map((r) => r.id);
  const map = new Map<string, FactRow>();
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const rows = await tx.fact.findMany({ where: { id: { in: ids.slice(i, i + INSERT_CHUNK) } } });
    for (const row of rows) map.set(identity(row), row);
  }
  return map;
}

/**
 * Inserts facts and their "created" audit rows with one statement each per chunk: unnest() over column arrays is
 * several times faster than Prisma's createMany for the 100,000-line imports the team does.
 */
async function insertFacts(tx: Tx, items: FactData[], who: { actor: string; action: string }): Promise<FactRow[]> {
  const now = new Date();
  const col = <T,>(pick: (d: FactData) => T) => items.map(pick);
  const inserted = await tx.$queryRaw<Array<{ id: number; date: Date; title: string; source_key: string }>>`
    INSERT INTO fact (kind, date, known, title, summary, actor, source_title, source_url, source_key, confidence, topic,
                      after_days, after_fact_id, created_by, created_at, updated_at, retracted_at, retracted_by, retract_reason,
                      figure_value, figure_unit, figure_period, figure_series)
    SELECT k, d, kn, t, s, a, st, su, sk, c, tp, ad, af, ${who.actor}, ${now}, ${now}, ra, rb, rr, fv, fu, fp, fs
      FROM unnest(${col((d) => d.kind)}::text[], ${col((d) => fromDbDate(d.date as Date))}::date[],
                  ${col((d) => (d.known ? fromDbDate(d.known as Date) : null))}::date[], ${col((d) => d.title)}::text[],
                  ${col((d) => d.summary ?? "")}::text[], ${col((d) => d.actor)}::text[], ${col((d) => d.sourceTitle ?? null)}::text[],
                  ${col((d) => d.sourceUrl ?? null)}::text[], ${col((d) => d.sourceKey)}::text[], ${col((d) => d.confidence ?? "confirmed")}::text[],
                  ${col((d) => d.topic ?? "korus")}::text[], ${col((d) => d.afterDays ?? null)}::int[], ${col((d) => d.afterFactId ?? null)}::int[],
                  ${col((d) => (d.retractedAt ? (d.retractedAt as Date).toISOString() : null))}::timestamptz[],
                  ${col((d) => d.retractedBy ?? null)}::text[], ${col((d) => d.retractReason ?? null)}::text[],
                  ${col((d) => d.value ?? null)}::float8[], ${col((d) => d.unit ?? null)}::text[],
                  ${col((d) => d.period ?? null)}::text[], ${col((d) => d.series ?? null)}::text[])
           AS x(k, d, kn, t, s, a, st, su, sk, c, tp, ad, af, ra, rb, rr, fv, fu, fp, fs)
    RETURNING id, date, title, source_key`;
  const byIdentity = new Map(items.map((d) => [identity(d as { date: Date; title: string; sourceKey: string }), d]));
  const rows: FactRow[] = inserted.map((r) => {
    const d = byIdentity.get(identity({ date: r.date, title: r.title, sourceKey: r.source_key }))!;
    return {
      id: r.id,
      kind: d.kind,
      date: d.date as Date,
      known: (d.known as Date | null) ?? null,
      title: d.title,
      summary: d.summary ?? "",
      actor: d.actor,
      sourceTitle: d.sourceTitle ?? null,
      sourceUrl: d.sourceUrl ?? null,
      sourceKey: d.sourceKey,
      confidence: d.confidence ?? "confirmed",
      topic: d.topic ?? "korus",
      afterDays: d.afterDays ?? null,
      afterFactId: d.afterFactId ?? null,
      value: d.value ?? null,
      unit: d.unit ?? null,
      period: d.period ?? null,
      series: d.series ?? null,
      createdBy: who.actor,
      createdAt: now,
      updatedAt: now,
      retractedAt: (d.retractedAt as Date | null) ?? null,
      retractedBy: d.retractedBy ?? null,
      retractReason: d.retractReason ?? null,
    };
  });
  await tx.$executeRaw`
    INSERT INTO fact_audit (fact_id, action, actor, at, after)
    SELECT f, ${who.action}, ${who.actor}, ${now}, j::jsonb
      FROM unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => JSON.stringify(snapshot(r)))}::text[]) AS x(f, j)`;
  return rows;
}

async function storeLevel(
  tx: Tx,
  ready: Array<{ line: PendingLine; data: FactData }>,
  existing: Map<string, FactRow>,
  placed: Map<string, { id: number; date: IsoDate }>,
  result: ImportResult,
  who: { actor: string; action: string },
): Promise<void> {
  const toCreate: Array<{ line: PendingLine; data: FactData }> = [];
  for (const item of ready) {
    const { line, data } = item;
    const row = existing.get(identity(data));
    const retract = line.retracted && (!row || row.retractedAt === null) ? retractionData(line.retracted, who.actor) : {};
    if (!row) {
      toCreate.push({ line, data: { ...data, ...retract } });
      continue;
    }
    placed.set(`${fromDbDate(row.date)}|${row.title}`, { id: row.id, date: fromDbDate(row.date) });
    if (differs(row, data) || Object.keys(retract).length > 0) {
      const updated = await tx.fact.update({ where: { id: row.id }, data: { ...data, ...retract } });
      await tx.factAudit.create({
        data: { factId: row.id, action: who.action, actor: who.actor, before: snapshot(row), after: snapshot(updated) },
      });
      result.updated++;
    } else {
      result.unchanged++;
    }
  }
  for (let i = 0; i < toCreate.length; i += INSERT_CHUNK) {
    const created = await insertFacts(tx, toCreate.slice(i, i + INSERT_CHUNK).map((c) => c.data), who);
    for (const row of created) placed.set(`${fromDbDate(row.date)}|${row.title}`, { id: row.id, date: fromDbDate(row.date) });
    result.added += created.length;
  }
}

function retractionData(retracted: NonNullable<FactLine["retracted"]>, actor: string) {
  return { retractedAt: retracted.at ? new Date(retracted.at) : new Date(), retractedBy: retracted.by ?? actor, retractReason: retracted.reason };
}

async function findByDateTitle(tx: Tx, ref: { date: IsoDate; title: string }) {
  const row = await tx.fact.findFirst({
    where: { date: toDbDate(ref.date), title: ref.title, retractedAt: null },
    select: { id: true, date: true },
    orderBy: { id: "asc" },
  });
  return row ? { id: row.id, date: fromDbDate(row.date) } : undefined;
}

function differs(row: FactRow, data: FactData): boolean {
  return Object.entries(data).some(([key, value]) => {
    const current = (row as Record<string, unknown>)[key];
    if (current instanceof Date && value instanceof Date) return current.getTime() !== value.getTime();
    return current !== value;
  });
}

/** The audit trail's picture of a fact: the domain form, so it reads the same in every database. */
export function snapshot(row: FactRow): Prisma.InputJsonValue {
  const { id, retracted, after, ...rest } = toFact(row);
  return JSON.parse(JSON.stringify({ id, ...rest, after, retracted })) as Prisma.InputJsonValue;
}
