import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { Database, SqlSession } from "./client.js";
import { packagePath } from "../paths.js";
import { KorusError } from "../errors.js";

/** prisma/migrations, resolved from this file so the working directory does not matter. */
export const MIGRATIONS_DIR = packagePath("prisma/migrations/");

// Any constant works; it only has to be the same in every instance of the bot.
const MIGRATION_LOCK_KEY = 4_721_337;

// The bookkeeping table exactly as `prisma migrate deploy` creates it, so that Prisma accepts a database we migrated.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** One folder of prisma/migrations. */
export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of migration.sql, hex, as Prisma computes it. */
  checksum: string;
}

/** Raised when the database holds a migration that differs from (or is missing in) this checkout. */
export class MigrationError extends KorusError<"migration_failed"> {
  constructor(message: string, options?: ErrorOptions) {
    super("migration_failed", message, options);
  }
}

/** Reads the migrations in name order. */
export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(new URL(`${name}/migration.sql`, dir), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`, each in its own transaction. On a PostgreSQL
 * server this runs under an advisory lock, so that several instances starting at once migrate once; an embedded
 * database has one owner, which needs no lock (and skips the DDL when the bookkeeping table is there).
 * @returns the names of the migrations applied now.
 */
export async function migrate(db: Database, dir: URL = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const shared = db.kind !== "pglite";
  return db.withSession(async (session) => {
    if (shared) await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      const [table] = await session.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
      if (!table?.exists) await session.exec(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedMigrations(session);
      const done: string[] = [];
      for (const migration of migrations) {
        const previous = applied.get(migration.name);
        if (previous) {
          if (previous !== migration.checksum) {
            throw new MigrationError(`migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead`);
          }
          continue;
        }
        await apply(session, migration);
        done.push(migration.name);
      }
      return done;
    } finally {
      if (shared) await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  });
}

async function appliedMigrations(session: SqlSession): Promise<Map<string, string>> {
  const rows = await session.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
  return new Map(rows.map((r) => [r.migration_name, r.checksum]));
}

async function apply(session: SqlSession, migration: Migration): Promise<void> {
  const startedAt = new Date();
  await session.exec("BEGIN");
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
