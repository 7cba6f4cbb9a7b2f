import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/db/seed.js";
import { assemble, listAssemblies } from "../../src/memos/assemblies.js";
import { createMemo } from "../../src/memos/service.js";
import type { MemoDeps } from "../../src/memos/read.js";
import { createPostgresDatabase, POSTGRES_URL } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

/** Two instances assembling one memo at once: each assembly gets its own number, none is lost. */
describe.skipIf(!POSTGRES_URL)("memo assemblies on PostgreSQL", () => {
  let target: { url: string; drop: () => Promise<void> };
  let db: Database;
  let other: Database;

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
    await migrate(db);
    await seed(db);
    other = await openDatabase({ databaseUrl: target.url, dataDir: "unused" });
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
    await target?.drop();
  });

  it("numbers concurrent assemblies 1..n without a clash", async () => {
    const templates = await shippedTemplates();
    const deps = (d: Database): MemoDeps => ({ prisma: d.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", admins: ["U0LEAD"], templates });
    const memo = await createMemo(deps(db), { templateId: "special-session-prep", title: "Race" }, "U0LEAD");
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => assemble(deps(i % 2 ? other : db), memo.id, "U0LEAD", { force: true })));
    expect(results.map((r) => r.assembly.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await listAssemblies(deps(db), memo.id)).map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
