/**
 * Whether a candidate is already on record: the same as a stored fact or another waiting candidate when it points at
 * the same page (its URL, scheme and a trailing slash aside), and likely the same when its title shares at least half
 * the word stems of the shorter title, two at least, with something dated within three days in its topic: the fact
 * store's own rule for likely duplicates (src/facts/duplicates.ts: DUPLICATE_DAYS, DUPLICATE_SIMILARITY, PostgreSQL's
 * English stems), applied to facts of any kind, since a candidate has no kind yet.
 */
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate } from "../facts/dates.js";
import { DUPLICATE_DAYS, DUPLICATE_SIMILARITY, titleSimilaritySql } from "../facts/duplicates.js";

/** Something a candidate is (or is likely) the same as. */
export interface CandidateDuplicate {
  certainty: "same" | "likely";
  what: "fact" | "candidate";
  id: number;
  title: string;
  date: IsoDate | null;
}

/** The comparable form of a URL, in SQL: no scheme, no trailing slash, lower-case host part kept as written. */
const urlKey = (column: Prisma.Sql) => Prisma.sql`regexp_replace(regexp_replace(${column}, '^https?://(www\\.)?', '', 'i'), '/+$', '')`;

/** For each candidate id, what it duplicates (same first, then likely; each other thing once). */
export async function candidateDuplicates(prisma: PrismaClient, ids: readonly number[]): Promise<Map<number, CandidateDuplicate[]>> {
  const out = new Map<number, CandidateDuplicate[]>();
  if (ids.length === 0) return out;
  const idList = [...ids];
  const same = await prisma.$queryRaw<Array<{ cid: number; what: string; id: number; title: string; date: Date | null }>>`
    WITH c AS (SELECT id, ${urlKey(Prisma.sql`url`)} AS k FROM feed_candidate WHERE id = ANY(${idList}::int[]) AND url IS NOT NULL)
    SELECT c.id AS cid, 'fact' AS what, f.id, f.title, f.date
      FROM c JOIN fact f ON f.retracted_at IS NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(f.sources) = 'array' THEN f.sources ELSE '[]'::jsonb END) s
                    WHERE ${urlKey(Prisma.sql`(s ->> 'url')`)} = c.k)
    UNION ALL
    SELECT c.id, 'candidate', o.id, o.title, o.published_on
      FROM c JOIN feed_candidate o ON o.id <> c.id AND o.state IN ('pending', 'accepting') AND o.url IS NOT NULL AND ${urlKey(Prisma.sql`o.url`)} = c.k
     ORDER BY 1, 2 DESC, 3`;
  const likely = await prisma.$queryRaw<Array<{ cid: number; what: string; id: number; title: string; date: Date | null }>>`
    WITH c AS (
      SELECT id, topic, published_on AS d, tsvector_to_array(to_tsvector('english', title)) AS w
        FROM feed_candidate WHERE id = ANY(${idList}::int[]) AND published_on IS NOT NULL
    ), pairs AS (
      SELECT c.id AS cid, o.what, o.id, o.title, o.d, c.w, tsvector_to_array(to_tsvector('english', o.title)) AS ow
        FROM c CROSS JOIN LATERAL (
          SELECT 'fact' AS what, f.id, f.title, f.date AS d FROM fact f
           WHERE f.retracted_at IS NULL AND f.topic = c.topic AND f.date BETWEEN c.d - ${DUPLICATE_DAYS}::int AND c.d + ${DUPLICATE_DAYS}::int
          UNION ALL
          SELECT 'candidate', k.id, k.title, k.published_on FROM feed_candidate k
           WHERE k.id <> c.id AND k.state IN ('pending', 'accepting') AND k.topic = c.topic
             AND k.published_on BETWEEN c.d - ${DUPLICATE_DAYS}::int AND c.d + ${DUPLICATE_DAYS}::int
        ) o
       WHERE cardinality(c.w) > 0
    )
    SELECT cid, what, id, title, d AS date
      FROM pairs
     CROSS JOIN LATERAL (${titleSimilaritySql("w", "ow")}) sim
     WHERE s >= ${DUPLICATE_SIMILARITY}
     ORDER BY cid, s DESC, what DESC, id
     LIMIT 500`;
  for (const [certainty, rows] of [
    ["same", same],
    ["likely", likely],
  ] as const) {
    for (const r of rows) {
      const list = out.get(r.cid) ?? [];
      if (list.some((d) => d.what === r.what && d.id === r.id)) continue;
      list.push({ certainty, what: r.what === "fact" ? "fact" : "candidate", id: r.id, title: r.title, date: r.date ? fromDbDate(r.date) : null });
      out.set(r.cid, list);
    }
  }
  return out;
}

/** "same as fact #12 (same page)" / "likely candidate #4 (similar title, 2017-07-12)". */
export function duplicateLabel(d: CandidateDuplicate): string {
  return d.certainty === "same" ? `same as ${d.what} #${d.id} (the same page)` : `likely the same as ${d.what} #${d.id} (a similar title${d.date ? `, ${d.date}` : ""})`;
}
