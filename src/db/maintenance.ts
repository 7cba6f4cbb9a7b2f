/**
 * What PostgreSQL's autovacuum would do for the planner, done by the process that owns an embedded database (PGlite
 * runs no autovacuum): refresh the statistics of a table that has grown well past what its last ANALYZE saw. Without
 * it, a store that grew from the seed to 100,000 facts keeps the statistics of a nearly empty table, and the status and
 * the brief choose plans about three times slower (bench `brief-window`). A big import analyzes at once
 * (ANALYZE_AFTER_CHANGES); this catches growth by many small writes.
 */
import type { Database } from "./database.js";

/** The tables whose statistics the status, search and briefs depend on. */
const TABLES = ["fact", "fact_audit"] as const;

/** Analyze when the table holds more than this many rows and more than twice what the last ANALYZE counted. */
const MIN_ROWS = 1_000;

/**
 * Analyzes each table that has grown past its statistics (never analyzed, or twice the rows it had then).
 * @returns the tables analyzed.
 */
export async function analyzeGrownTables(db: Database): Promise<string[]> {
  const analyzed: string[] = [];
  for (const table of TABLES) {
    const [row] = await db.prisma.$queryRawUnsafe<Array<{ seen: number; rows: number }>>(
      `SELECT (SELECT reltuples FROM pg_class WHERE oid = '${table}'::regclass)::float8 AS seen, (SELECT count(*) FROM ${table})::float8 AS rows`,
    );
    if (!row || row.rows <= MIN_ROWS || row.rows <= 2 * Math.max(row.seen, 0)) continue;
    await db.prisma.$executeRawUnsafe(`ANALYZE ${table}`);
    analyzed.push(table);
  }
  return analyzed;
}
