import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { importFactLines } from "../../src/facts/import.js";
import { statusFacts, visibleFacts } from "../../src/facts/status-queries.js";
import { OVERDUE_WINDOW_DAYS } from "../../src/facts/fact-index.js";
import { buildStatus, MAX_DEVELOPMENTS } from "../../src/status/status.js";
import { createTestDatabase } from "../support/test-db.js";

describe("statusFacts reads only what the status needs", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { facts } = parseFactLines(await readFile(new URL("../../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
    await importFactLines(db.prisma, facts, { actor: "test" });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("gives the same status as building it from every visible fact, on any date", async () => {
    for (const asOf of ["2006-01-01", "2012-03-15", "2017-07-12", "2017-07-20", "2017-08-15", "2018-03-27", "2018-07-01", "2026-11-29"]) {
      const all = await visibleFacts(db.prisma, asOf);
      const some = await statusFacts(db.prisma, asOf, { overdueWindowDays: OVERDUE_WINDOW_DAYS, take: MAX_DEVELOPMENTS * 10 });
      expect(some.count).toBe(all.length);
      expect(some.facts.length).toBeLessThanOrEqual(all.length);
      expect(buildStatus(some.facts, asOf, "2026-11-29", some.count, undefined, some.olderOverdueCount)).toEqual(buildStatus(all, asOf, "2026-11-29"));
    }
  });
});

describe("StatusCache", () => {
  it("serves a report until the fact store changes, reading the store's version at most once per interval", async () => {
    const { StatusCache } = await import("../../src/status/cache.js");
    const { getStatus } = await import("../../src/status/service.js");
    const { fixedClock } = await import("../../src/clock.js");
    const db = await createTestDatabase();
    try {
      let now = 0;
      const cache = new StatusCache(db.prisma, 1000, () => now);
      const deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", cache };
      const first = await getStatus(deps);
      expect(await getStatus(deps)).toBe(first);
      // Another instance changes a fact: within the interval the cached report stands, after it the change shows.
      await db.prisma.fact.updateMany({ where: { kind: "event" }, data: { title: "Special session requested (edited elsewhere)" } });
      now = 500;
      expect(await getStatus(deps)).toBe(first);
      now = 1500;
      const second = await getStatus(deps);
      expect(second).not.toBe(first);
      expect(second.phase?.fact.title).toBe("Special session requested (edited elsewhere)");
      // A change made through this process invalidates at once.
      await db.prisma.fact.updateMany({ where: { kind: "event" }, data: { title: "Edited here" } });
      cache.invalidate();
      expect((await getStatus(deps)).phase?.fact.title).toBe("Edited here");
      // Another as-of date is its own entry.
      expect((await getStatus(deps, "2017-08-15")).overdue).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it("answers without waiting while another process holds the database, from the version read before the hold began", async () => {
    const { readFactStoreVersion, StatusCache } = await import("../../src/status/cache.js");
    const { getStatus } = await import("../../src/status/service.js");
    const { fixedClock } = await import("../../src/clock.js");
    const db = await createTestDatabase();
    try {
      let now = 0;
      let heldSince: number | undefined;
      const cache = new StatusCache(db.prisma, 1000, () => now, { externalWorkSince: () => heldSince, readVersion: () => readFactStoreVersion(db) });
      const deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", cache };
      const first = await getStatus(deps);
      // A command's transaction takes the database at 800, while the version read at 0 is fresh, and holds it long
      // past the interval: the report stands, and no query waits for the transaction (one would never end here).
      // What a `korus` command's transaction does to this process: its queries wait until the hold is released.
      const holdDatabase = async () => {
        let release!: () => void;
        let holding!: () => void;
        const hold = new Promise<void>((r) => (holding = r));
        const held = db.pglite!.transaction(async (tx) => {
          await tx.query("UPDATE fact SET title = title WHERE false");
          holding();
          await new Promise<void>((r) => (release = r));
        });
        await hold;
        return async () => {
          release();
          await held;
        };
      };
      const titleWithin = (ms: number) => Promise.race([getStatus(deps).then((r) => r.phase?.fact.title), new Promise((r) => setTimeout(() => r("(waited for the database)"), ms))]);
      // A command's transaction takes the database at 800, while the version read at 0 is fresh, and holds it long
      // past the interval: the report stands, and no query waits for the transaction.
      let releaseHold = await holdDatabase();
      heldSince = 800;
      now = 60_000;
      expect(await getStatus(deps)).toBe(first);
      await releaseHold();
      // A hold that began once the version was stale does not count: the version is read again.
      await db.prisma.fact.updateMany({ where: { kind: "event" }, data: { title: "Edited by a command" } });
      heldSince = 59_000;
      expect((await getStatus(deps)).phase?.fact.title).toBe("Edited by a command");
      // refresh(), as a command's unit of work ends, reads the version at once: when its next unit holds the database
      // for long, the status still needs no query.
      now = 70_000;
      heldSince = undefined;
      cache.refresh();
      await new Promise((r) => setTimeout(r, 200));
      releaseHold = await holdDatabase();
      heldSince = 70_100;
      now = 200_000;
      const title = await titleWithin(5000);
      await releaseHold();
      expect(title).toBe("Edited by a command");
    } finally {
      await db.close();
    }
  });
});
