/**
 * The bulk path of an import: a file adding more facts than the duplicate check takes (DUPLICATE_CHECK_MAX; here made
 * small with `duplicateCheckMax`) is not staged, and its one transaction writes the facts and their audit rows straight
 * from the statements' parameters (applyLines "given"). It must store exactly what the staged path stores, keep hostile
 * text byte for byte, and write nothing at all when any of its statements fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { FactImportError, type ImportOptions, type ImportProgress, importFactLines } from "../../src/facts/import.js";
import { createTestDatabase } from "../support/test-db.js";

async function importText(db: Database, text: string, options: Partial<ImportOptions> = {}) {
  const { facts, errors } = parseFactLines(text);
  if (errors.length > 0) throw new FactImportError(errors);
  return importFactLines(db.prisma, facts, { actor: "test", ...options });
}

/**
 * `n` lines on distinct days (so that the staged path's duplicate check has little to compare), one in seven a deadline
 * counting from the line before. Each of the others cites two sources whose addresses weigh about 3,000 characters: a
 * few hundred such lines fill an apply statement (APPLY_CHUNK's weight), so a short file takes several. The weight is in
 * the addresses rather than the summary, which the search index and the duplicate check read: the same statements in
 * about two thirds of the time (1,000 lines, measured under load: 1.3-1.6 s against 2.1-2.5 s through the bulk path).
 */
function timeline(n: number, summary: (i: number) => string = shortSummary): string {
  const day = (i: number) => new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const title = (i: number) => `Bulk item ${i}: tariff schedule ${i % 13}`;
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    if (i % 7 === 0) {
      return JSON.stringify({
        title: title(i),
        kind: "deadline",
        actor: "USTR",
        known: day(i - 1),
        after: { days: 30, from: { date: day(i - 1), title: title(i - 1) } },
        source: { title: "Bulletin" },
      });
    }
    return JSON.stringify({
      date: day(i),
      title: title(i),
      summary: summary(i),
      kind: i % 3 === 0 ? "event" : "note",
      actor: "US",
      sources: [
        { title: `Source ${i}`, url: `https://example.org/${i}/${"p".repeat(1480)}` },
        { title: `Source ${i}, second`, url: `https://example.org/${i}/b/${"q".repeat(1480)}` },
      ],
    });
  }).join("\n");
}

const shortSummary = (i: number) => `Summary of item ${i}: the schedule moves by one step each year.`;

/** Every fact and audit row, as the two paths must both leave them (the import's time aside). */
async function stored(db: Database) {
  const facts = await db.prisma.$queryRaw<Array<Record<string, unknown>>>`
    SELECT id, kind, date, known, visible_from, title, summary, actor, source_title, source_url, source_key, sources, disputed, event,
           confidence, topic, after_days, after_fact_id, due_kind, retracted_at, search::text AS search
      FROM fact ORDER BY id`;
  const audits = await db.prisma.$queryRaw<Array<Record<string, unknown>>>`
    SELECT fact_id, action, actor, topic, before, after FROM fact_audit ORDER BY id`;
  return { facts, audits };
}

const staging = async (db: Database) => (await db.prisma.$queryRaw<Array<{ n: number }>>`SELECT ((SELECT count(*) FROM fact_import_line) + (SELECT count(*) FROM fact_import_word))::int AS n`)[0]!.n;

describe("importing a file too big to check, without staging it", () => {
  let staged: Database;
  let bulk: Database;
  beforeAll(async () => {
    [staged, bulk] = await Promise.all([createTestDatabase({ seed: false }), createTestDatabase({ seed: false })]);
  });
  afterAll(async () => {
    await Promise.all([staged?.close(), bulk?.close()]);
  });

  it("stores the same facts and audit rows as the staged path, over several statements, and reports its progress", async () => {
    const n = 1000;
    const text = timeline(n);
    const progress: ImportProgress[] = [];
    const a = await importText(staged, text);
    // Staging leaves a trace the bulk path must not: a trigger counts the lines written to fact_import_line.
    await bulk.withSession((s) =>
      s.exec(`
        CREATE TABLE staged_count (n int); INSERT INTO staged_count VALUES (0);
        CREATE FUNCTION count_staged() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE staged_count SET n = n + 1; RETURN NEW; END $$;
        CREATE TRIGGER count_staged BEFORE INSERT ON fact_import_line FOR EACH ROW EXECUTE FUNCTION count_staged();`),
    );
    const b = await importText(bulk, text, { duplicateCheckMax: 10, onProgress: (p) => progress.push(p) });
    expect(a).toMatchObject({ added: n, updated: 0, duplicateCheckSkipped: false });
    expect(b).toMatchObject({ added: n, updated: 0, duplicates: [], duplicateCheckSkipped: true });
    expect((await bulk.withSession((s) => s.query<{ n: number }>("SELECT n FROM staged_count")))[0]!.n).toBe(0);
    expect(await stored(bulk)).toEqual(await stored(staged));
    // The deadlines count from the fact of the line before them, as stored.
    const deadline = await bulk.prisma.fact.findFirstOrThrow({ where: { title: "Bulk item 7: tariff schedule 7" } });
    const from = await bulk.prisma.fact.findFirstOrThrow({ where: { title: "Bulk item 6: tariff schedule 6" } });
    expect(deadline.afterFactId).toBe(from.id);
    // Progress: no staging, then the apply and its statements, to the last line.
    expect(progress.map((p) => p.phase).filter((p, i, all) => all[i - 1] !== p)).toEqual(["applying", "applied"]);
    const applied = progress.flatMap((p) => (p.phase === "applied" ? [p.done] : []));
    expect(applied.length).toBeGreaterThanOrEqual(3);
    expect(applied).toEqual([...applied].sort((x, y) => x - y));
    expect(applied.at(-1)).toBe(n);

    // A second file changes three summaries and adds two facts: updated in place through the bulk path, audited with both pictures.
    const changed = `${timeline(6, (i) => (i % 2 === 0 ? `Changed summary ${i}.` : shortSummary(i)))}\n${timeline(n + 2)
      .split("\n")
      .slice(n)
      .join("\n")}`;
    const a2 = await importText(staged, changed);
    const b2 = await importText(bulk, changed, { duplicateCheckMax: 1 });
    expect(a2).toMatchObject({ added: 2, updated: 3, unchanged: 3 });
    expect(b2).toMatchObject({ added: 2, updated: 3, unchanged: 3, duplicateCheckSkipped: true });
    expect(await stored(bulk)).toEqual(await stored(staged));
    expect(await staging(bulk)).toBe(0);
  });

  it("keeps hostile titles, summaries and sources byte for byte", async () => {
    const hostile = [
      'Quote " and backslash \\ and \\" together',
      "Braces {a,b} and a lone { or } and commas, here",
      "NULL",
      "null",
      "<!channel> [x](https://evil.example) *bold* _it_ ~s~ `code`",
      "Ünïcödé — 한미 FTA 🇰🇷 emoji 👍🏽 and CJK 貿易",
      "A dollar $1 and $$ quoting, and a percent %s",
      "'single' quotes; DROP TABLE fact; --",
      "\\x00 as text, and \\u0000 as text",
      "Backslash at the end \\",
    ];
    const text = hostile
      .map((title, i) =>
        JSON.stringify({
          date: `2009-02-${String(i + 1).padStart(2, "0")}`,
          title,
          summary: `${title}\nsecond line\t"quoted" \\ end`,
          kind: "note",
          actor: title.slice(0, 40),
          sources: [{ title, url: `https://example.org/a?q=${i}&x="y"` }],
        }),
      )
      .join("\n");
    const { facts, errors } = parseFactLines(text);
    expect(errors).toEqual([]);
    // What the file says is what the import is given (nothing here is one of the characters a title loses).
    expect(facts.map((f) => f.title)).toEqual(hostile);
    const result = await importFactLines(bulk.prisma, facts, { actor: "test", duplicateCheckMax: 0 });
    expect(result).toMatchObject({ added: hostile.length, duplicateCheckSkipped: true });
    const rows = await bulk.prisma.fact.findMany({
      where: { date: { gte: new Date("2009-02-01T00:00:00Z"), lt: new Date("2009-03-01T00:00:00Z") } },
      orderBy: { date: "asc" },
      include: { audits: true },
    });
    expect(rows.map((r) => r.title)).toEqual(hostile);
    expect(rows.map((r) => r.summary)).toEqual(facts.map((f) => f.summary));
    expect(rows.map((r) => r.actor)).toEqual(facts.map((f) => f.actor));
    expect(rows.map((r) => r.sources)).toEqual(facts.map((f) => f.sources));
    expect(rows.map((r) => (r.audits[0]!.after as { title: string }).title)).toEqual(hostile);
    expect(rows.map((r) => (r.audits[0]!.after as { sources: unknown }).sources)).toEqual(facts.map((f) => f.sources));
  });

  it("writes nothing when a statement fails part-way through: earlier statements of the transaction are rolled back", async () => {
    const db = await createTestDatabase({ seed: false });
    try {
      const before = await stored(db);
      // One line of the second statement cannot be stored (a trigger plays a failing write). A sequence counts the
      // facts written before it: nextval is not undone by the rollback, so it shows that the first statement had
      // written its facts (about 300 of these lines fill one).
      await db.withSession((s) =>
        s.exec(`
          CREATE SEQUENCE facts_written;
          CREATE FUNCTION refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM nextval('facts_written');
            IF NEW.title = 'Bulk item 400: tariff schedule 10' THEN RAISE EXCEPTION 'refused for the test'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER refuse_line BEFORE INSERT ON fact FOR EACH ROW EXECUTE FUNCTION refuse_line();`),
      );
      const text = timeline(450);
      await expect(importText(db, text, { duplicateCheckMax: 10 })).rejects.toThrow(/refused for the test/);
      const written = Number((await db.withSession((s) => s.query<{ n: string }>("SELECT last_value AS n FROM facts_written")))[0]!.n);
      expect(written).toBeGreaterThan(200);
      expect(written).toBeLessThan(400);
      expect(await stored(db)).toEqual(before);
      expect(await staging(db)).toBe(0);
      // The store is usable afterwards: the same file goes in whole once the failure is gone.
      await db.withSession((s) => s.exec("DROP TRIGGER refuse_line ON fact"));
      expect(await importText(db, text, { duplicateCheckMax: 10 })).toMatchObject({ added: 450 });
    } finally {
      await db.close();
    }
  });
});
