import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { addDays, fromDbDate, type IsoDate, toDbDate } from "./dates.js";
import type { FactLine, LineError } from "./jsonl.js";
import { type Fact, type FactKind, sourceKey } from "./model.js";

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
    after: row.afterDays !== null && row.afterFactId !== null ? { days: row.afterDays, fromId: row.afterFactId } : null,
    retracted: row.retractedAt !== null,
  };
}

/**
 * The facts of a topic that the team could know on `asOf` (see knownFrom), retracted ones excluded, oldest first.
 */
export async function visibleFacts(prisma: PrismaClient, asOf: IsoDate, topic = "korus"): Promise<Fact[]> {
  const day = toDbDate(asOf);
  const rows = await prisma.fact.findMany({
    where: {
      topic,
      retractedAt: null,
      OR: [
        { known: { lte: day } },
        { known: null, kind: "deadline" },
        { known: null, kind: { not: "deadline" }, date: { lte: day } },
      ],
    },
    orderBy: [{ date: "asc" }, { id: "asc" }],
  });
  return rows.map(toFact);
}

/** Raised when lines cannot be stored; nothing was written. */
export class FactImportError extends Error {
  readonly code = "fact_import_invalid";
  constructor(readonly errors: LineError[]) {
    super(errors.map((e) => `line ${e.line}: ${e.field}: ${e.message}`).join("\n"));
  }
}

/** What an import did. */
export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Stores validated lines in one transaction: a line whose date, title and source match a stored fact updates it in
 * place (only if something differs), any other line adds a fact. Every change writes an audit row.
 * `after` references resolve to earlier lines of the same batch or to stored facts.
 * @throws FactImportError naming every line that cannot be stored; then nothing is written.
 */
export async function importFactLines(
  prisma: PrismaClient,
  lines: Array<FactLine & { line?: number }>,
  options: { actor: string; action?: "import" | "seed" },
): Promise<ImportResult> {
  const action = options.action ?? "import";
  return prisma.$transaction(
    async (tx) => {
      const result: ImportResult = { added: 0, updated: 0, unchanged: 0 };
      const errors: LineError[] = [];
      const batch = new Map<string, { id: number; date: IsoDate }>();
      for (const [index, line] of lines.entries()) {
        const lineNo = line.line ?? index + 1;
        let date = line.date;
        let afterFactId: number | null = null;
        if (line.after) {
          const from = batch.get(`${line.after.from.date}|${line.after.from.title}`) ?? (await findByDateTitle(tx, line.after.from));
          if (!from) {
            errors.push({
              line: lineNo,
              field: "after.from",
              message: `no fact dated ${line.after.from.date} titled "${line.after.from.title}" (in the store or earlier in the file)`,
            });
            continue;
          }
          afterFactId = from.id;
          date = addDays(from.date, line.after.days);
        }
        if (!date) continue; // the schema guarantees a date or `after`
        const source = typeof line.source === "string" ? { title: line.source } : line.source;
        const data = {
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
          afterDays: line.after?.days ?? null,
          afterFactId,
        };
        const existing = await tx.fact.findUnique({
          where: { identity: { date: data.date, title: data.title, sourceKey: data.sourceKey } },
        });
        let id: number;
        if (!existing) {
          const created = await tx.fact.create({ data: { ...data, createdBy: options.actor } });
          await tx.factAudit.create({
            data: { factId: created.id, action, actor: options.actor, after: snapshot(created) },
          });
          id = created.id;
          result.added++;
        } else if (differs(existing, data)) {
          const updated = await tx.fact.update({ where: { id: existing.id }, data });
          await tx.factAudit.create({
            data: { factId: existing.id, action, actor: options.actor, before: snapshot(existing), after: snapshot(updated) },
          });
          id = existing.id;
          result.updated++;
        } else {
          id = existing.id;
          result.unchanged++;
        }
        batch.set(`${date}|${line.title}`, { id, date });
      }
      if (errors.length > 0) throw new FactImportError(errors);
      return result;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

async function findByDateTitle(tx: Tx, ref: { date: IsoDate; title: string }) {
  const row = await tx.fact.findFirst({
    where: { date: toDbDate(ref.date), title: ref.title, retractedAt: null },
    select: { id: true, date: true },
    orderBy: { id: "asc" },
  });
  return row ? { id: row.id, date: fromDbDate(row.date) } : undefined;
}

function differs(row: FactRow, data: Record<string, unknown>): boolean {
  return Object.entries(data).some(([key, value]) => {
    const current = (row as Record<string, unknown>)[key];
    if (current instanceof Date && value instanceof Date) return current.getTime() !== value.getTime();
    return current !== value;
  });
}

/** The audit trail's picture of a fact: the domain form, so it reads the same in every database. */
function snapshot(row: FactRow): Prisma.InputJsonValue {
  const { id, retracted, after, ...rest } = toFact(row);
  return JSON.parse(JSON.stringify({ id, ...rest, after, retracted })) as Prisma.InputJsonValue;
}
