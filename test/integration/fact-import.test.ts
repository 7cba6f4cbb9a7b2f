import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { exportFactsJsonl } from "../../src/facts/export.js";
import { retractFact } from "../../src/facts/service.js";
import { FactImportError, importFactLines } from "../../src/facts/import.js";
import { createTestDatabase } from "../support/test-db.js";
import { fixedClock } from "../../src/clock.js";
import { addFact } from "../../src/facts/service.js";

const TIMELINE = new URL("../../examples/korus-timeline.jsonl", import.meta.url);

async function importText(db: Database, text: string, options: { dryRun?: boolean } = {}) {
  const { facts, errors } = parseFactLines(text);
  if (errors.length > 0) throw new FactImportError(errors);
  return importFactLines(db.prisma, facts, { actor: "test", ...options });
}

describe("importing and exporting facts as JSON Lines", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("imports the 54-line cited timeline, and importing it again adds nothing", async () => {
    const text = await readFile(TIMELINE, "utf8");
    expect(await importText(db, text, { dryRun: true })).toMatchObject({ added: 54, updated: 0, unchanged: 0 });
    expect(await db.prisma.fact.count()).toBe(0);
    expect(await importText(db, text)).toMatchObject({ added: 54, updated: 0, unchanged: 0 });
    expect(await importText(db, text)).toMatchObject({ added: 0, updated: 0, unchanged: 54 });
    expect(await db.prisma.fact.count()).toBe(54);
    expect(await db.prisma.factAudit.count()).toBe(54);
    const deadline = await db.prisma.fact.findFirstOrThrow({ where: { title: { startsWith: "Special session of the KORUS Joint Committee must be held" } } });
    expect(deadline.date.toISOString().slice(0, 10)).toBe("2017-08-11");
  });

  it("updates a fact in place when a line with the same date, title and source changes, with an audit row", async () => {
    const text = (await readFile(TIMELINE, "utf8")).replace('"Both houses pass H.R.3080, the implementing legislation, on the same day."', '"Both houses pass H.R.3080 on October 12."');
    expect(await importText(db, text)).toMatchObject({ added: 0, updated: 1, unchanged: 53 });
    const row = await db.prisma.fact.findFirstOrThrow({ where: { title: "U.S. Congress passes the KORUS implementing bill" }, include: { audits: true } });
    expect(row.summary).toBe("Both houses pass H.R.3080 on October 12.");
    expect(row.audits.map((a) => a.action)).toEqual(["import", "import"]);
  });

  it("export then import into an empty database gives the same facts back, retracted ones included on request", async () => {
    const someFact = await db.prisma.fact.findFirstOrThrow({ where: { title: { startsWith: "Korea says its" } } });
    await retractFact({ prisma: db.prisma, admins: ["test"] }, someFact.id, "could not confirm", "test");
    const live = await exportFactsJsonl(db.prisma);
    const all = await exportFactsJsonl(db.prisma, { includeRetracted: true });
    expect(live.trim().split("\n")).toHaveLength(53);
    expect(all.trim().split("\n")).toHaveLength(54);
    expect(all).toContain('"retracted":{');

    const fresh = await createTestDatabase({ seed: false });
    try {
      expect(await importText(fresh, all)).toMatchObject({ added: 54, updated: 0, unchanged: 0 });
      expect(await exportFactsJsonl(fresh.prisma, { includeRetracted: true })).toBe(all);
      expect(await exportFactsJsonl(fresh.prisma)).toBe(live);
    } finally {
      await fresh.close();
    }
  });

  it("names the line and field of every bad line, and imports none of the file", async () => {
    const before = await db.prisma.fact.count();
    const text = [
      '{"date":"2018-05-01","title":"A good line","kind":"event","actor":"US","source":"s"}',
      '{"date":"2018-02-30","title":"Bad date","kind":"event","actor":"US","source":"s"}',
      "",
      "{not json",
      '{"date":"2018-05-02","title":"","kind":"memo","actor":"US","source":{"url":"ftp://x"},"colour":"red"}',
      '{"title":"Relative to nothing","kind":"deadline","actor":"both","source":"s","after":{"days":5,"from":{"date":"2001-01-01","title":"Nope"}}}',
    ].join("\n");
    const parsed = parseFactLines(text);
    expect(parsed.errors.map((e) => `${e.line}:${e.field}`)).toEqual(["2:date", "4:(line)", "5:title", "5:kind", "5:source.url", "5:colour"]);
    expect(parsed.errors.find((e) => e.field === "colour")!.message).toBe("is not a known field");
    // Lines that parse can still fail to resolve: all of them are reported, and nothing is written.
    const good = parsed.facts;
    const error = await importFactLines(db.prisma, good, { actor: "test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FactImportError);
    expect((error as FactImportError).errors).toEqual([{ line: 6, field: "after.from", message: 'no fact dated 2001-01-01 titled "Nope" in the store or the file' }]);
    expect(await db.prisma.fact.count()).toBe(before);
  });

  it("reports two lines that are the same fact", async () => {
    const line = '{"date":"2018-05-01","title":"Twice","kind":"event","actor":"US","source":"s"}';
    await expect(importText(db, `${line}\n${line}\n`)).rejects.toThrow("line 2: (line): has the same date, title and source as line 1");
  });

  it("never crashes and never imports part of a file, whatever the lines (property)", async () => {
    const kinds = ["event", "deadline", "figure", "position", "quote", "note", "bogus"];
    const goodLine = fc.record({
      date: fc.oneof(
        fc.constant("2019-03-01"),
        fc.constant("2019-02-29"),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      ),
      title: fc.string({ minLength: 0, maxLength: 160 }),
      kind: fc.constantFrom(...kinds),
      actor: fc.constantFrom("US", "Korea", "both", "", "Someone"),
      source: fc.oneof(fc.string({ maxLength: 20 }), fc.record({ title: fc.string({ maxLength: 20 }) }), fc.record({ url: fc.constantFrom("https://a.example/x", "javascript:1", "nope") })),
    });
    const validLine = fc.record({
      date: fc.date({ min: new Date("2000-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      title: fc.string({ minLength: 1, maxLength: 150 }).filter((t) => t.trim().length > 0),
      kind: fc.constantFrom("event", "figure", "position", "quote", "note"),
      actor: fc.constantFrom("US", "Korea", "both", "Robert Lighthizer"),
      source: fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim().length > 0),
      summary: fc.string({ maxLength: 200 }),
    });
    const anyLine = fc.oneof(
      { arbitrary: validLine.map((o) => JSON.stringify(o)), weight: 8 },
      goodLine.map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 60 }),
      fc.json({ maxDepth: 2 }),
      goodLine.map((o) => JSON.stringify({ ...o, extra: 1 })),
      goodLine.map((o) => JSON.stringify({ ...o, after: { days: 3, from: { date: "2019-03-01", title: "missing" } } })),
    );
    let imported = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyLine, { minLength: 1, maxLength: 6 }), async (lines) => {
        const before = await db.prisma.fact.count();
        const text = lines.join("\n");
        try {
          const result = await importText(db, text);
          const after = await db.prisma.fact.count();
          expect(after - before).toBe(result.added);
          expect(result.added + result.updated + result.unchanged).toBe(parseFactLines(text).facts.length);
          imported++;
        } catch (error) {
          refused++;
          expect(error).toBeInstanceOf(FactImportError);
          expect((error as FactImportError).errors.length).toBeGreaterThan(0);
          expect(await db.prisma.fact.count()).toBe(before);
        }
      }),
      { numRuns: 80 },
    );
    // Both branches were exercised: some files went in whole, some were refused whole.
    expect(imported).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  });
});

describe("the clock of an import and of the fact service", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("takes the time and the stored day from the clock it is given: imported, added and retracted facts alike", async () => {
    // 23:30 in New York is the next day in UTC: the stored day is the UTC day of the clock's time, as createdAt reads.
    const clock = fixedClock("2031-03-04T04:30:00Z");
    const line = (title: string) => JSON.stringify({ date: "2031-06-01", title, summary: "", kind: "deadline", actor: "US", source: "Clock test" });
    const { facts } = parseFactLines(
      `${line("Clock import deadline")}\n${JSON.stringify({ date: "2031-01-02", title: "Clock import retracted", summary: "", kind: "note", actor: "US", source: "Clock test", retracted: { reason: "wrong" } })}`,
      { today: "2031-03-04" },
    );
    await importFactLines(db.prisma, facts, { actor: "test", clock });
    const imported = await db.prisma.fact.findFirstOrThrow({ where: { title: "Clock import deadline" } });
    expect(imported.visibleFrom.toISOString().slice(0, 10)).toBe("2031-03-04");
    const retracted = await db.prisma.fact.findFirstOrThrow({ where: { title: "Clock import retracted" } });
    expect(retracted.retractedAt?.toISOString()).toBe("2031-03-04T04:30:00.000Z");
    expect((await db.prisma.factAudit.findFirstOrThrow({ where: { factId: imported.id } })).at.toISOString()).toBe("2031-03-04T04:30:00.000Z");
    const added = await addFact({ prisma: db.prisma, admins: [], clock }, JSON.parse(line("Clock added deadline")), "U1", { allowDuplicate: true });
    expect(added.visibleFrom).toBe("2031-03-04");
    // Without a team today, the rules' today is the clock's UTC day: a fact known on 2031-03-05 is in the future.
    await expect(addFact({ prisma: db.prisma, admins: [], clock }, { ...JSON.parse(line("Known tomorrow")), known: "2031-03-05" }, "U1", { allowDuplicate: true })).rejects.toMatchObject({
      code: "invalid",
      fields: { known: expect.stringContaining("2031-03-04") },
    });
    const gone = await retractFact({ prisma: db.prisma, admins: [], clock: fixedClock("2031-03-05T12:00:00Z") }, added.id, "test", "U1");
    expect(gone.retracted).toBe(true);
    expect((await db.prisma.fact.findUniqueOrThrow({ where: { id: added.id } })).retractedAt?.toISOString()).toBe("2031-03-05T12:00:00.000Z");
  });
});
