import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/db/seed.js";

/**
 * A fresh, migrated embedded database in memory (loaded from the prebuilt image that `npm run build` makes, so no
 * initdb); seeded with the source article's facts unless told not to. `migrate: false` gives an empty cluster.
 */
export async function createTestDatabase(options: { seed?: boolean; migrate?: boolean } = {}): Promise<Database> {
  const db = await openDatabase({ dataDir: "memory://", fromImage: options.migrate !== false });
  if (options.migrate !== false) await migrate(db);
  if (options.seed !== false && options.migrate !== false) await seed(db);
  return db;
}

/** The PostgreSQL server for tests that need a real one (.ci/run starts it); undefined skips those tests. */
export const POSTGRES_URL = process.env.KORUS_TEST_DATABASE_URL;

/**
 * A new, empty database on the test PostgreSQL server, dropped by `drop()`.
 * Each test gets its own, so tests never see each other's rows.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error("KORUS_TEST_DATABASE_URL is not set");
  const name = `korus_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
