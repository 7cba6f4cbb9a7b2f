import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { MIGRATIONS_DIR, migrate, readMigrations } from "../../src/db/migrate.js";
import { schemaDrift } from "../support/schema-drift.js";
import { createPostgresDatabase, createTestDatabase, POSTGRES_URL } from "../support/test-db.js";

const SCHEMA = new URL("../../prisma/schema.prisma", import.meta.url);

describe("migrations on the embedded database", () => {
  it("migrate an empty database to exactly what schema.prisma describes", async () => {
    const db = await createTestDatabase({ migrate: false });
    try {
      // Empty as initdb leaves it: nothing in the public schema, not even the migrations' own table.
      expect(await db.withSession((s) => s.query(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'`))).toEqual([]);
      expect(await migrate(db)).toEqual((await readMigrations()).map((m) => m.name));
      expect(await db.withSession((s) => schemaDrift(s, SCHEMA))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("the drift check fails when a column is missing, retyped or made nullable", async () => {
    const db = await createTestDatabase({ seed: false });
    try {
      await db.withSession((s) =>
        s.exec(`ALTER TABLE fact DROP COLUMN topic CASCADE;
                ALTER TABLE fact ALTER COLUMN date TYPE timestamp(3);
                ALTER TABLE fact_audit ALTER COLUMN actor DROP NOT NULL;`),
      );
      const problems = await db.withSession((s) => schemaDrift(s, SCHEMA));
      expect(problems).toEqual(
        expect.arrayContaining([
          'Fact.topic: column "fact"."topic" is missing',
          "Fact.date: column type is timestamp, schema.prisma says date",
          "FactAudit.actor: column is nullable, schema.prisma says required",
        ]),
      );
    } finally {
      await db.close();
    }
  });

  it("records each migration in _prisma_migrations as prisma migrate deploy does, and applies it once", async () => {
    const db = await createTestDatabase({ seed: false });
    try {
      expect(await migrate(db)).toEqual([]);
      const rows = await db.withSession((s) =>
        s.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; id: string }>(
          `SELECT id, migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
        ),
      );
      const files = await readMigrations();
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      for (const [i, row] of rows.entries()) {
        expect(row.checksum).toBe(files[i]!.checksum);
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.finished_at).not.toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await db.close();
    }
  });

  it("refuses to start when an applied migration was edited, and rolls back a failing one whole", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "korus-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const dirUrl = pathToFileURL(`${dir}/`);
    // The prebuilt image, on which these migrations are applied already (recorded with their checksums).
    const db = await createTestDatabase({ seed: false });
    try {
      expect(await migrate(db, dirUrl)).toEqual([]);
      const [first] = await readMigrations(dirUrl);
      const file = path.join(dir, first!.name, "migration.sql");
      await writeFile(file, `${await readFile(file, "utf8")}\n-- edited\n`);
      await expect(migrate(db, dirUrl)).rejects.toThrow(/was changed after it was applied/);
      await writeFile(file, first!.sql);

      await cp(path.join(dir, first!.name), path.join(dir, "29990101000000_broken"), { recursive: true });
      await writeFile(path.join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;`);
      await expect(migrate(db, dirUrl)).rejects.toThrow(/29990101000000_broken failed/);
      const tables = await db.withSession((s) => s.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`));
      expect(tables).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!POSTGRES_URL)("migrations on a PostgreSQL server", () => {
  it("three instances starting at once migrate once, and the result matches schema.prisma", async () => {
    const target = await createPostgresDatabase();
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: target.url, dataDir: "unused" })));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const names = (await readMigrations()).map((m) => m.name);
      expect(applied.flat().sort()).toEqual([...names].sort());
      const rows = await dbs[0]!.withSession((s) => s.query<{ n: string }>(`SELECT count(*)::text AS n FROM _prisma_migrations`));
      expect(rows[0]!.n).toBe(String(names.length));
      expect(await dbs[0]!.withSession((s) => schemaDrift(s, SCHEMA))).toEqual([]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await target.drop();
    }
  });
});
