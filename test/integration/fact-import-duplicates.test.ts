/**
 * Likely duplicates in imports of any shape: a one-day bulletin of alike lines is checked line by line like any other
 * file (each compared with its nearest alike facts, not with every other line of its day); on ordinary files the check
 * finds exactly what comparing every pair finds. And an import leaves nothing staged behind, whatever its outcome. (The
 * CLI's warnings, from korus processes, are in fact-import-cli.test.ts, in the slow suite.)
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { addDays, type IsoDate, utcDay } from "../../src/facts/dates.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { retractFact } from "../../src/facts/service.js";
import { NEIGHBOURS_PER_WORD, StaleImportError, applyLines, newImportId, stageLines } from "../../src/facts/import-staging.js";
import { DUPLICATE_DAYS, DUPLICATE_SIMILARITY } from "../../src/facts/duplicates.js";
import { FactImportError, type ImportDuplicate, importFactLines } from "../../src/facts/import.js";
import { lineToData } from "../../src/facts/rows.js";
import { snapshot } from "../../src/facts/audit.js";
import { createTestDatabase } from "../support/test-db.js";

const DAY = "2031-01-01";
const bulletinTitle = (i: number) => `Daily trade bulletin: steel tariff quota update, item ${i}`;

/** `n` bulletin lines (JSON Lines), all of one day unless `date` says otherwise. */
function bulletin(n: number, date: (i: number) => string = () => DAY, title = bulletinTitle): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ date: date(i + 1), title: title(i + 1), kind: "note", actor: "US", source: { title: "Bulletin" } })).join("\n");
}

async function importText(db: Database, text: string, options: { dryRun?: boolean; strict?: boolean } = {}) {
  const { facts, errors } = parseFactLines(text);
  if (errors.length > 0) throw new FactImportError(errors);
  return importFactLines(db.prisma, facts, { actor: "test", ...options });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function stagedRows(db: Database): Promise<{ lines: number; words: number }> {
  const [row] = await db.prisma.$queryRaw<Array<{ lines: number; words: number }>>`
    SELECT (SELECT count(*) FROM fact_import_line)::int AS lines, (SELECT count(*) FROM fact_import_word)::int AS words`;
  return row!;
}

describe("likely duplicates in long imports", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a one-day bulletin of 600 alike lines: every line after the first is a likely duplicate of an alike earlier line of that day", async () => {
    const result = await importText(db, bulletin(600));
    expect(result).toMatchObject({ added: 600, updated: 0, unchanged: 0, duplicateCheckSkipped: false });
    expect(result.duplicates.map((d) => d.line)).toEqual(range(2, 600));
    for (const d of result.duplicates) {
      expect(d).toMatchObject({ title: bulletinTitle(d.line), date: DAY });
      const other = d.like.line!;
      expect(other).toBeLessThan(d.line);
      expect(d.like).toMatchObject({ date: DAY, title: bulletinTitle(other) });
    }
    // A bulletin no longer than the nearest few compared per word is compared whole: each line like the first, as when
    // every pair was compared.
    expect(result.duplicates.slice(0, NEIGHBOURS_PER_WORD).map((d) => d.like.line)).toEqual(Array(NEIGHBOURS_PER_WORD).fill(1));
    expect(await stagedRows(db)).toEqual({ lines: 0, words: 0 });
    // Emptied outright, not only deleted from: the embedded database runs no VACUUM, and the tables would keep the
    // space of every import's rows (600 lines stage about 1 MB).
    const [size] = await db.prisma.$queryRaw<Array<{ bytes: number }>>`
      SELECT (pg_total_relation_size('fact_import_line') + pg_total_relation_size('fact_import_word'))::int AS bytes`;
    expect(size!.bytes).toBeLessThan(100_000);
  });

  it("the next day's bulletin is compared with the stored one: its first line names a stored fact, every other line an alike one", async () => {
    const next = addDays(DAY, 1);
    const result = await importText(
      db,
      bulletin(
        300,
        () => next,
        (i) => `${bulletinTitle(i)} (revised)`,
      ),
    );
    expect(result.added).toBe(300);
    expect(result.duplicates).toHaveLength(300);
    const stored = new Map((await db.prisma.fact.findMany({ where: { date: new Date(`${DAY}T00:00:00Z`) } })).map((f) => [f.id, f.title]));
    // Line 1 has no earlier line: what it looks like is stored.
    const first = result.duplicates[0]!;
    expect(first.line).toBe(1);
    expect(first.like.line).toBeUndefined();
    expect(stored.get(first.like.factId)).toBe(first.like.title);
    expect(first.like.date).toBe(DAY);
    for (const d of result.duplicates.slice(1)) {
      expect(d.like.line === undefined ? stored.get(d.like.factId) : `${bulletinTitle(d.like.line)} (revised)`).toBe(d.like.title);
      expect(d.like.title).toMatch(/^Daily trade bulletin: steel tariff quota update, item \d+/);
    }
  });

  // A deadline counted from another fact is resolved after the plain lines of its file, so its id follows theirs
  // wherever it stands in the file. On its own day a line is compared with the stored facts and the earlier lines
  // nearest it in the file, whatever their ids. Each test below on a day of its own: `opened` and ten days after.
  const deadlineLines = (opened: IsoDate) => {
    const day = addDays(opened, 10);
    const deadline = (title: string, source = "Quota notices") => JSON.stringify({ date: day, title, kind: "deadline", actor: "US", source });
    return {
      day,
      deadline,
      relative: (title: string) => JSON.stringify({ title, kind: "deadline", actor: "US", source: "Quota notices", after: { days: 10, from: { date: opened, title: "Quota review opened" } } }),
      anchor: JSON.stringify({ date: opened, title: "Quota review opened", kind: "event", actor: "US", source: "Quota notices" }),
      // Alike the lines below (three stems of their five shared), but less alike than the deadline they are like.
      filler: (i: number) => deadline(`Steel quota review notice ${i}`),
    };
  };
  const factsOf = (day: IsoDate) => db.prisma.fact.findMany({ where: { date: new Date(`${day}T00:00:00Z`) }, orderBy: { id: "asc" } });

  it("a deadline earlier in the file (a later id) is compared with a plain line after it on its day, however many lines follow", async () => {
    const { day, deadline, relative, anchor, filler } = deadlineLines("2035-04-01");
    const file = [relative("Steel quota review report due today"), anchor, deadline("Steel quota review report due"), ...range(1, 2 * NEIGHBOURS_PER_WORD).map(filler)];
    const result = await importText(db, file.join("\n"));
    expect(result.added).toBe(file.length);
    const facts = await factsOf(day);
    const early = facts.find((f) => f.title === "Steel quota review report due today")!;
    // The deadline of line 1 has the day's last id: the plain line 3 and the 32 lines after it have lower ones.
    expect(early.id).toBe(facts.at(-1)!.id);
    const third = result.duplicates.find((d) => d.line === 3);
    expect(third?.like).toEqual({ factId: early.id, line: 1, date: day, title: "Steel quota review report due today" });
    // Every plain line after it is alike too (itself and the fillers before it).
    expect(result.duplicates.map((d) => d.line)).toEqual([3, ...range(4, file.length)]);
  });

  it("on a busy day a line is compared with the nearest earlier lines of the file: the sixteenth before it is seen, whatever follows", async () => {
    const { day, deadline, relative, anchor, filler } = deadlineLines("2036-04-01");
    const file = [
      deadline("Steel quota review report due", "Quota notices, first"),
      ...range(1, NEIGHBOURS_PER_WORD - 1).map(filler),
      relative("Steel quota review report due"),
      ...range(NEIGHBOURS_PER_WORD, 3 * NEIGHBOURS_PER_WORD).map(filler),
      anchor,
    ];
    const at = NEIGHBOURS_PER_WORD + 1;
    const result = await importText(db, file.join("\n"));
    expect(result.added).toBe(file.length);
    const facts = await factsOf(day);
    const [first, late] = facts.filter((f) => f.title === "Steel quota review report due");
    // The deadline of line 17 has the day's last id: the 33 plain lines after it have lower ones.
    expect(late!.id).toBe(facts.at(-1)!.id);
    const line = result.duplicates.find((d) => d.line === at);
    expect(line?.like).toEqual({ factId: first!.id, line: 1, date: day, title: "Steel quota review report due" });
  });

  it("on ordinary files finds exactly what comparing every pair of the file and the store finds (property)", async () => {
    // Few words, few days, few kinds: many alike pairs, but no word shared by more facts near a line than are compared.
    // Some deadlines are counted from a stored fact: their ids follow every plain line's of their file, wherever they
    // stand in it, and "an earlier line" is still the file's order.
    const words = ["steel", "quota", "tariff", "autos", "beef", "rice", "session", "committee", "panel", "safeguard"];
    const line = fc.record({
      day: fc.integer({ min: 0, max: 8 }),
      kind: fc.constantFrom("event", "note", "deadline"),
      relative: fc.constantFrom(false, false, true),
      title: fc.uniqueArray(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }),
      event: fc.constantFrom(undefined, undefined, undefined, "e1", "e2"),
    });
    let withDuplicates = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 2, maxLength: 30 }), async (lines) => {
        // Each run in a topic and a source of its own: facts of other topics are never alike, and no line of this run
        // has the identity (date, title, source) of an earlier run's fact, which it would update rather than add (the
        // reference below numbers the added facts as the file's lines).
        const topic = `property-${++run}`;
        const anchor = { date: "2030-02-24", title: `Anchor ${run}` };
        const all = lines.map((l, i) =>
          JSON.stringify({
            title: `${l.title.join(" ")} ${i}`,
            ...(l.relative ? { kind: "deadline", after: { days: 5 + l.day, from: anchor } } : { kind: l.kind, date: addDays("2030-03-01", l.day) }),
            actor: "US",
            source: topic,
            topic,
            ...(l.event ? { event: l.event } : {}),
          }),
        );
        // Half the lines stored first (after the facts deadlines count from), the other half imported after them.
        const half = Math.floor(all.length / 2);
        const anchorLine = JSON.stringify({ ...anchor, kind: "position", actor: "US", source: topic, topic });
        await importText(db, [anchorLine, ...all.slice(0, half)].join("\n"));
        const result = await importText(db, all.slice(half).join("\n"));
        const expected = await everyPairReference(db, topic, result.added, half);
        expect(result.duplicates.map(describeDuplicate)).toEqual(expected);
        if (expected.length > 0) withDuplicates++;
      }),
      { numRuns: 40, ...(process.env.KORUS_PROPERTY_SEED ? { seed: Number(process.env.KORUS_PROPERTY_SEED) } : {}) },
    );
    // The property was exercised on files that do have likely duplicates. (Days 0-12 and "more than 5" failed once in
    // CI with 4 of 40 runs having duplicates; the days are now closer together, and 3 runs are enough to exercise it.)
    expect(withDuplicates).toBeGreaterThanOrEqual(3);
  }, 120_000); // 80 small imports

  it("a retracted fact is alike nothing, also when the file updates it, and the update leaves it retracted", async () => {
    const fact = (title: string, summary = "") => JSON.stringify({ date: "2033-03-03", title, kind: "event", actor: "US", source: "Wire", summary });
    await importText(db, [fact("Steel quota talks open in Seoul"), fact("Beef import rules eased in Seoul")].join("\n"));
    const seoul = await db.prisma.fact.findFirstOrThrow({ where: { title: "Steel quota talks open in Seoul" } });
    await retractFact({ prisma: db.prisma, admins: ["test"] }, seoul.id, "reported in error", "test");
    const result = await importText(db, [fact("Steel quota talks open in Seoul", "Corrected summary."), fact("Steel quota talks open in Busan"), fact("Beef import rules eased in Busan")].join("\n"));
    expect(result).toMatchObject({ added: 2, updated: 1, unchanged: 0 });
    // Busan's steel talks look like nothing (Seoul's are retracted); Busan's beef rules look like Seoul's, which stand.
    expect(result.duplicates.map((d) => [d.line, d.like.title])).toEqual([[3, "Beef import rules eased in Seoul"]]);
    const after = await db.prisma.fact.findUniqueOrThrow({ where: { id: seoul.id } });
    expect(after).toMatchObject({ summary: "Corrected summary.", retractReason: "reported in error" });
    expect(after.retractedAt).not.toBeNull();
  });

  it("leaves nothing staged after an import, a dry run or a refused file, and clears what a killed import left", async () => {
    await importText(
      db,
      bulletin(20, () => "2032-02-02"),
      { dryRun: true },
    );
    expect(await stagedRows(db)).toEqual({ lines: 0, words: 0 });
    await expect(
      importText(
        db,
        bulletin(20, () => "2032-02-02"),
        { strict: true },
      ),
    ).rejects.toThrow(/line 2: title: looks like line 1 \(2032-02-02, “Daily trade bulletin: steel tariff quota update, item 1”\); --strict refuses likely duplicates/);
    expect(await stagedRows(db)).toEqual({ lines: 0, words: 0 });
    expect(await db.prisma.fact.count({ where: { date: new Date("2032-02-02T00:00:00Z") } })).toBe(0);

    // What a process killed half-way through an import left a day ago goes at the next import; a running one's stays.
    const killed = newImportId();
    const running = newImportId();
    const [a, b] = await Promise.all([stagedLine(db, 1), stagedLine(db, 2)]);
    await stageLines(db.prisma, killed, [a!]);
    await stageLines(db.prisma, running, [b!]);
    await db.prisma.$executeRaw`UPDATE fact_import_line SET staged_at = now() - interval '25 hours' WHERE import_id = ${killed}`;
    await importText(
      db,
      bulletin(1, () => "2032-03-03"),
    );
    const left = await db.prisma.$queryRaw<Array<{ import_id: string }>>`SELECT DISTINCT import_id FROM fact_import_word UNION SELECT DISTINCT import_id FROM fact_import_line`;
    expect(left.map((r) => r.import_id)).toEqual([running]);
    await db.prisma.$executeRaw`DELETE FROM fact_import_word`;
    await db.prisma.$executeRaw`DELETE FROM fact_import_line`;
  });

  it("applies nothing when a fact it updates changed after it was read, and the import then runs again and wins", async () => {
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title: bulletinTitle(3), date: new Date(`${DAY}T00:00:00Z`) } });
    const importId = newImportId();
    const line = await stagedLine(db, 3, { factId: fact.id, change: "update", updatedAtBefore: new Date(fact.updatedAt.getTime() - 1000) });
    await stageLines(db.prisma, importId, [line]);
    const at = new Date();
    const refused = await db.prisma.$transaction((tx) => applyLines(tx, { staged: importId }, [line], { actor: "test", action: "import", at })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StaleImportError);
    // The same line given to the apply itself (a file too big to check, which stages nothing) is refused the same way.
    const given = await db.prisma.$transaction((tx) => applyLines(tx, "given", [line], { actor: "test", action: "import", at })).catch((e: unknown) => e);
    expect(given).toBeInstanceOf(StaleImportError);
    expect((await db.prisma.fact.findUniqueOrThrow({ where: { id: fact.id } })).summary).toBe(fact.summary);
    await db.prisma.$executeRaw`DELETE FROM fact_import_line WHERE import_id = ${importId}`;

    // Through importFactLines: another writer edits the fact just after the import read it (a trigger plays that
    // writer, once). The apply finds it changed, the import runs again from a fresh read, and its line wins, audited.
    await db.withSession((s) =>
      s.exec(`
        CREATE TABLE race_once (x int); INSERT INTO race_once VALUES (1);
        CREATE FUNCTION race_edit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.change = 'update' AND EXISTS (SELECT 1 FROM race_once) THEN
            DELETE FROM race_once;
            UPDATE fact SET summary = 'Edited meanwhile', updated_at = now() + interval '1 second' WHERE id = NEW.fact_id;
          END IF;
          RETURN NULL;
        END $$;
        CREATE TRIGGER race_edit AFTER INSERT ON fact_import_line FOR EACH ROW EXECUTE FUNCTION race_edit();`),
    );
    try {
      const changed = JSON.stringify({ date: DAY, title: bulletinTitle(3), kind: "note", actor: "US", source: { title: "Bulletin" }, summary: "Revised by the import." });
      const result = await importText(db, changed);
      expect(result).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
      expect(await db.prisma.$queryRaw`SELECT * FROM race_once`).toEqual([]);
    } finally {
      await db.withSession((s) => s.exec("DROP TRIGGER race_edit ON fact_import_line; DROP FUNCTION race_edit(); DROP TABLE race_once;"));
    }
    const after = await db.prisma.fact.findUniqueOrThrow({ where: { id: fact.id }, include: { audits: { orderBy: { id: "asc" } } } });
    expect(after.summary).toBe("Revised by the import.");
    expect(after.audits.map((a) => a.action)).toEqual(["import", "import"]);
    // The update was made, and audited, from the second read: after the other writer's edit.
    expect((after.audits[1]!.before as { summary: string }).summary).toBe("Edited meanwhile");
    expect((after.audits[1]!.after as { summary: string }).summary).toBe("Revised by the import.");
  });
});

/** A staged line for `line` of the bulletin (an added fact with a fresh id unless told otherwise). */
async function stagedLine(db: Database, line: number, overrides: { factId?: number; change?: "add" | "update"; updatedAtBefore?: Date } = {}) {
  const { facts } = parseFactLines(bulletin(line).split("\n").at(-1)!);
  const now = new Date();
  const data = lineToData(facts[0]!, DAY, null, { stored: utcDay(now) });
  const factId = overrides.factId ?? (await db.prisma.$queryRaw<Array<{ id: number }>>`SELECT nextval(pg_get_serial_sequence('fact', 'id'))::int AS id`)[0]!.id;
  const row = { id: factId, ...data, createdBy: "test", createdAt: now, updatedAt: now, retractedAt: null, retractedBy: null, retractReason: null } as never;
  return {
    line,
    factId,
    change: overrides.change ?? ("add" as const),
    updatedAtBefore: overrides.updatedAtBefore ?? null,
    data: { ...data, summary: "Staged by the test." },
    before: null,
    after: JSON.stringify(snapshot(row)),
  };
}

const describeDuplicate = (d: ImportDuplicate) => `${d.line} like ${d.like.line !== undefined ? `line ${d.like.line}` : `fact ${d.like.factId}`}`;

/**
 * What comparing every pair finds, computed here from the README's rule with the stems PostgreSQL gives: each added
 * line (the last `added` facts of the topic; the file's line from the title's number, which counts from `firstIndex`
 * at line 1) against every stored fact and earlier line of the same kind within DUPLICATE_DAYS days, not sharing an
 * event key; at least two stems shared and at least DUPLICATE_SIMILARITY of the shorter title's; the most alike, then
 * the oldest.
 */
async function everyPairReference(db: Database, topic: string, added: number, firstIndex: number): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<Array<{ id: number; kind: string; topic: string; date: Date; event: string | null; words: string[]; title: string }>>`
    SELECT id, kind, topic, date, event, tsvector_to_array(to_tsvector('english', title)) AS words, title FROM fact WHERE topic = ${topic} ORDER BY id`;
  const firstNew = rows.length - added;
  const lineOf = (j: number) => (j >= firstNew ? Number(rows[j]!.title.split(" ").at(-1)) - firstIndex + 1 : 0);
  const out: Array<{ line: number; text: string }> = [];
  rows.forEach((self, i) => {
    if (i < firstNew || self.words.length === 0) return;
    let best: { similarity: number; id: number; line?: number } | undefined;
    rows.forEach((other, j) => {
      if (j === i || (j >= firstNew && lineOf(j) > lineOf(i))) return;
      if (other.kind !== self.kind || other.topic !== self.topic) return;
      if (Math.abs(other.date.getTime() - self.date.getTime()) > DUPLICATE_DAYS * 86_400_000) return;
      if (self.event !== null && other.event !== null && self.event === other.event) return;
      const shared = self.words.filter((w) => other.words.includes(w)).length;
      const similarity = shared / Math.min(self.words.length, other.words.length);
      if (shared < 2 || similarity < DUPLICATE_SIMILARITY) return;
      if (!best || similarity > best.similarity || (similarity === best.similarity && other.id < best.id)) {
        best = { similarity, id: other.id, ...(j >= firstNew ? { line: lineOf(j) } : {}) };
      }
    });
    if (best) out.push({ line: lineOf(i), text: `${lineOf(i)} like ${best.line !== undefined ? `line ${best.line}` : `fact ${best.id}`}` });
  });
  return out.sort((a, b) => a.line - b.line).map((o) => o.text);
}
