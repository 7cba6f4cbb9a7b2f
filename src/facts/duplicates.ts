/** The store's rule for likely duplicates (a near date and a similar title) and its check for a few candidates. */
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate } from "./dates.js";

type Tx = Prisma.TransactionClient;

/** How far apart two dates may be for two facts to look like one (reports of one event often differ by a few days). */
export const DUPLICATE_DAYS = 3;
/**
 * How alike two titles must be: the word stems in common over the stems of the shorter title (English stop words left
 * out), and at least two in common. "Special session must be held within 30 days of the request" and "Special session
 * of the KORUS Joint Committee must be held" share 4 of 7.
 */
export const DUPLICATE_SIMILARITY = 0.5;

/**
 * The rule above in SQL, for a LATERAL join: the similarity `s` of two titles given as arrays of word stems (columns
 * `a` and `b` of the row), 0 unless they share at least two stems. Used by facts' and feed candidates' checks alike.
 */
export function titleSimilaritySql(a: string, b: string): Prisma.Sql {
  return Prisma.raw(`SELECT CASE WHEN shared >= 2 THEN shared::float8 / LEAST(cardinality(${a}), cardinality(${b})) ELSE 0 END AS s
         FROM (SELECT count(*) AS shared FROM (SELECT unnest(${a}) INTERSECT SELECT unnest(${b})) i) n`);
}

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
 * lines with `stagedDuplicates` (src/facts/import-staging.ts) instead, whose cost does not grow with how many facts share a day.
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
     CROSS JOIN LATERAL (${titleSimilaritySql("w", "fw")}) sim
     WHERE s >= ${DUPLICATE_SIMILARITY}
     ORDER BY k, s DESC, id
     LIMIT ${limit}`;
  return rows.map((r) => ({ key: r.key, other: { id: r.id, date: fromDbDate(r.date), title: r.title }, similarity: r.similarity }));
}
