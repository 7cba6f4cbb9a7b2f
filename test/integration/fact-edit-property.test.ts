/**
 * The edit forms change only what the person changed, for any valid fact: imported through the real parser and
 * store, opened in the Slack edit form through the real Bolt app (signed requests, the view taken from the fake Slack
 * API's views.open) and submitted untouched, it is stored identically and no audit row is written; with only the
 * title changed, the audit row lists only the title. The same through the local console, driven line by line.
 * Each tries 5 facts in `npm test` and 20 in `npm run test:slow` (test/support/property-runs.ts; KORUS_PROPERTY_RUNS=n tries n).
 */
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { runConsole } from "../../src/cli/console.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { changeFact } from "../../src/facts/service.js";
import { factHistory } from "../../src/facts/audit.js";
import { importFactLines } from "../../src/facts/import.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { blockAction, untouchedValues, viewSubmission } from "../support/payloads.js";
import { shippedTemplates } from "../support/templates.js";
import { propertyRuns } from "../support/property-runs.js";
import { createTestDatabase } from "../support/test-db.js";
import { consoleDeps } from "../support/terminal.js";

const ADMIN = "U0ADMIN";
const NOW = "2026-12-02T15:00:00Z";
const TODAY = "2026-12-02";
const RUNS = propertyRuns({ fast: 5, full: 20 });

// ---- valid facts, as a file would hold them (normalised by the import: zero-width characters, decomposed accents)
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const TEXT_UNITS = [...`${LETTERS}0123456789      .,:;!?-–—/()[]*_\`~|<>@#&"'\\`, "é", "e\u0301", "ü", "한", "국", "😀", "\u200B", "\t", "<!channel>", "[x](https://evil.example)"];
const oneLine = (max: number) => fc.tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...TEXT_UNITS), { maxLength: 30 })).map(([a, rest]) => `${a}${rest.join("")}`.slice(0, max));
const summary = fc.array(fc.constantFrom(...TEXT_UNITS, "\n", "\n\n", "- ", "**"), { maxLength: 60 }).map((u) => u.join(""));
const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dateIn = (from: string, to: string) => fc.integer({ min: Date.parse(from) / DAY, max: Date.parse(to) / DAY }).map((d) => dayOf(d * DAY));
const anyDate = dateIn("1800-01-01", "2100-12-31");
const pastDate = dateIn("1800-01-01", TODAY);
const url = fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: true, withFragments: true }).filter((u) => u.length < 300 && !/[\s"]/.test(u));
const source = fc.record({ title: oneLine(80), url, date: pastDate }, { requiredKeys: [] }).filter((s) => s.title !== undefined || s.url !== undefined);
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);

const factArb = fc
  .record(
    {
      kind: fc.constantFrom("event", "deadline", "figure", "position", "quote", "note"),
      date: anyDate,
      title: oneLine(150),
      summary,
      actor: fc.oneof(fc.constantFrom("US", "Korea", "both", "U.S.", "ROK"), oneLine(60)),
      sources: fc.array(source, { minLength: 1, maxLength: 10 }),
      disputed: fc.array(fc.record({ says: oneLine(60), source }), { maxLength: 3 }),
      event: slug,
      known: pastDate,
      confidence: fc.constantFrom("confirmed", "inferred"),
      topic: slug.filter((t) => t !== "prop-base"),
      figure: fc.record(
        {
          value: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
          unit: oneLine(40),
          period: fc.constantFrom("2016", "2018-Q1", "2018-03", "2018-01/2018-10"),
          series: slug,
        },
        { requiredKeys: [] },
      ),
      after: fc.record({ days: fc.integer({ min: 0, max: 3650 }) }),
    },
    { requiredKeys: ["kind", "date", "title", "actor", "sources"] },
  )
  .map((f) => {
    const line: Record<string, unknown> = { ...f };
    delete line.figure;
    delete line.after;
    if (f.kind === "figure" && f.figure) {
      const { value, unit, period, series } = f.figure;
      // A value needs its unit and a unit its value; a series needs a value and a period.
      if (value !== undefined && unit !== undefined) Object.assign(line, { value, unit, ...(period ? { period } : {}), ...(series && period ? { series } : {}) });
      else if (period) line.period = period;
    }
    if (f.kind === "deadline") {
      if (f.after) {
        delete line.date;
        delete line.known;
        line.after = { days: f.after.days };
      } else if (f.known && f.date < f.known) {
        line.date = f.known; // a deadline falls due on or after the day it was set
      }
    }
    return line;
  });

let serial = 0;
/** The JSON Lines of a fact under test, and of the fact a relative deadline counts from (another topic: never alike). */
function fileOf(fact: Record<string, unknown>): { text: string; title: string } {
  const base = { date: "2000-01-03", title: `Base fact ${++serial}`, kind: "note", actor: "US", source: "Base source", topic: "prop-base" };
  const line = fact.after ? { ...fact, known: base.date, after: { ...(fact.after as object), from: { date: base.date, title: base.title } } } : fact;
  return { text: `${JSON.stringify(base)}\n${JSON.stringify(line)}\n`, title: line.title as string };
}

/** The local console on streams: answers each question with `answer(prompt)` until the form says what it did. */
async function consoleEdit(db: Database, templates: Awaited<ReturnType<typeof shippedTemplates>>, id: number, answer: (prompt: string) => string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = "";
  output.on("data", (chunk: Buffer) => (seen += chunk.toString("utf8")));
  const done = runConsole({ input, output, interactive: true }, (line, form) =>
    runTextCommand(line, consoleDeps({ prisma: db.prisma, clock: fixedClock(NOW), timeZone: "America/New_York", templates, ...form })),
  );
  let from = 0;
  const deadline = Date.now() + 10_000;
  // readline draws its prompt with cursor moves (ESC [ 1 G ...): read the text without them.
  const next = async (): Promise<string> => {
    for (;;) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's ESC colour sequences.
      const chunk = seen.slice(from).replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
      if (/Nothing changed in fact|Edited fact|^\s*\S.*(is needed|not a date|must|already)/m.test(chunk) && !chunk.endsWith(": ")) return chunk;
      if (chunk.endsWith(": ") || chunk.endsWith("> ")) return chunk;
      if (Date.now() > deadline) throw new Error(`the console stalled; it showed:\n${seen}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await next();
  from = seen.length;
  input.write(`fact edit ${id}\n`);
  for (let i = 0; i < 20; i++) {
    const chunk = await next();
    if (/Nothing changed in fact|Edited fact/.test(chunk)) break;
    if (!chunk.endsWith(": ")) throw new Error(`the console refused the form:\n${seen}`);
    from = seen.length;
    input.write(`${answer(chunk.slice(chunk.lastIndexOf("\n") + 1))}\n`);
  }
  input.end();
  await done;
  return seen;
}

describe("an edit changes only what the person changed (property, real Slack and console paths)", () => {
  let db: Database;
  let bot: RunningBot;
  let templates: Awaited<ReturnType<typeof shippedTemplates>>;

  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    templates = await shippedTemplates();
    // A generous ack budget: the answer is always in the ack, so the test reads it there.
    bot = await startBot(db, { clock: fixedClock(NOW), admins: [ADMIN], ackBudgetMs: 30_000 });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  /** Imports a generated fact as a file would be; returns its id. */
  async function importFact(fact: Record<string, unknown>): Promise<number> {
    const { text, title } = fileOf(fact);
    const { facts, errors } = parseFactLines(text, { today: TODAY });
    expect(errors).toEqual([]);
    await importFactLines(db.prisma, facts, { actor: "import" });
    return (await db.prisma.fact.findFirstOrThrow({ where: { title: facts.find((f) => f.line === 2)!.title ?? title } })).id;
  }
  const state = (id: number) => Promise.all([db.prisma.fact.findUniqueOrThrow({ where: { id } }), db.prisma.factAudit.count({ where: { factId: id } })]);
  async function cleanUp() {
    await db.prisma.factAudit.deleteMany({});
    await db.prisma.fact.deleteMany({ where: { afterFactId: { not: null } } });
    await db.prisma.fact.deleteMany({});
  }

  it("the Slack edit form: submitted untouched it stores the fact identically and writes no audit row; a new title is the only change audited", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(factArb, oneLine(150), async (fact, newTitleRaw) => {
        try {
          const id = await importFact(fact);
          const [before, audits] = await state(id);
          bot.fake.calls.length = 0;
          const opened = bot.fake.waitFor((c) => c.method === "views.open");
          await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${id}`, user: ADMIN, responseUrl: bot.fake.responseUrl() }));
          const view = (await opened).body.view as { private_metadata: string; blocks: Array<Record<string, unknown>> };
          const submit = (values: Record<string, Record<string, unknown>>) =>
            bot.slack.interaction(viewSubmission({ callbackId: "fact_edit", values, privateMetadata: view.private_metadata, user: ADMIN, blocks: view.blocks }));

          const same = await submit(untouchedValues(view));
          expect((same.json as { view?: { title: { text: string } } }).view?.title.text, JSON.stringify(same.json)).toBe(`Fact #${id} unchanged`);
          expect(await state(id)).toEqual([before, audits]);

          const newTitle = `${newTitleRaw.slice(0, 140)} v${++serial}`; // never the stored title, however normalised
          const values = untouchedValues(view);
          values.title = { value: { type: "plain_text_input", value: newTitle } };
          const changed = await submit(values);
          expect((changed.json as { view?: { title: { text: string } } }).view?.title.text, JSON.stringify(changed.json)).toBe(`Fact #${id} saved`);
          const [after, auditsAfter] = await state(id);
          expect(auditsAfter).toBe(audits + 1);
          expect({ ...after, title: before.title, updatedAt: before.updatedAt }).toEqual(before);
          const { entries } = await factHistory(db.prisma, id);
          expect(entries.at(-1)!.changes.map((c) => c.field)).toEqual(["title"]);
        } finally {
          await cleanUp();
        }
      }),
      { numRuns: RUNS, verbose: true },
    );
  });

  it("the console's fact edit: Enter at every question stores the fact identically with no audit row; a new title is the only change audited", { timeout: 600_000 }, async () => {
    const consoleTitle = fc.tuple(fc.constantFrom(...LETTERS), fc.string({ unit: fc.constantFrom(..."abcdefghij KLMNOP.,-한😀"), maxLength: 40 })).map(([a, b]) => `${a}${b}`.trim());
    await fc.assert(
      fc.asyncProperty(factArb, consoleTitle, async (fact, newTitleRaw) => {
        try {
          const id = await importFact(fact);
          const [before, audits] = await state(id);
          const transcript = await consoleEdit(db, templates, id, () => "");
          expect(transcript).toContain(`Nothing changed in fact #${id}; nothing was saved.`);
          expect(await state(id)).toEqual([before, audits]);

          const newTitle = `${newTitleRaw} v${++serial}`;
          const edited = await consoleEdit(db, templates, id, (prompt) => (prompt.startsWith("Title [") ? newTitle : ""));
          expect(edited).toContain(`Edited fact #${id}:`);
          expect(edited).toContain("(changed: title)");
          const [after, auditsAfter] = await state(id);
          expect(auditsAfter).toBe(audits + 1);
          expect({ ...after, title: before.title, updatedAt: before.updatedAt }).toEqual(before);
          expect((await factHistory(db.prisma, id)).entries.at(-1)!.changes.map((c) => c.field)).toEqual(["title"]);
        } finally {
          await cleanUp();
        }
      }),
      { numRuns: RUNS, verbose: true },
    );
  });

  it("the issue's fact: five sources, an event key, a disputed reading, confidence inferred, known before its date; a title edit keeps them all and the form says so", async () => {
    const line = {
      date: "2018-03-28",
      known: "2018-03-20",
      title: "Korea and the U.S. reach an agreement in principle on KORUS",
      kind: "event",
      actor: "both",
      sources: [
        { title: "USTR fact sheet", url: "https://ustr.gov/fact-sheet", date: "2018-03-28" },
        "MOTIE press release https://motie.go.kr/release",
        "CRS IF10733 https://crsreports.congress.gov/product/pdf/IF/IF10733",
        "Yonhap https://en.yna.co.kr/view/1",
        "Reuters https://www.reuters.com/article/1",
      ],
      event: "korus-2018-aip",
      disputed: [{ says: "2018-03-26", source: "MOTIE" }],
      confidence: "inferred",
    };
    const { facts, errors } = parseFactLines(JSON.stringify(line), { today: TODAY });
    expect(errors).toEqual([]);
    await importFactLines(db.prisma, facts, { actor: "import" });
    const id = (await db.prisma.fact.findFirstOrThrow({ where: { title: line.title } })).id;
    try {
      bot.fake.calls.length = 0;
      const opened = bot.fake.waitFor((c) => c.method === "views.open");
      await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${id}`, user: ADMIN, responseUrl: bot.fake.responseUrl() }));
      const view = (await opened).body.view as { private_metadata: string; blocks: Array<Record<string, unknown> & { elements?: Array<{ text: string }> }> };
      const notes = view.blocks.filter((b) => b.type === "context" && /^(Kept|And) /.test(b.elements?.[0]?.text ?? "")).map((b) => b.elements![0]!.text);
      expect(notes).toEqual([
        "Kept as stored (this form has no field for them): the date of a source (2018-03-28), kept while the URL stays the same · event key korus-2018-aip · 1 other reading: “2018-03-26” per MOTIE · confidence: inferred.",
        "And 2 more sources, kept: Yonhap; Reuters.",
      ]);
      const known = view.blocks.find((b) => b.block_id === "known") as { element: { initial_date?: string } };
      expect(known.element.initial_date).toBe("2018-03-20");
      const values = untouchedValues(view);
      values.title = { value: { type: "plain_text_input", value: "Korea and the U.S. agree in principle on KORUS amendments" } };
      const res = await bot.slack.interaction(viewSubmission({ callbackId: "fact_edit", values, privateMetadata: view.private_metadata, user: ADMIN, blocks: view.blocks }));
      const done = (res.json as { view: { title: { text: string }; blocks: Array<{ text: { text: string } }> } }).view;
      expect(done.title.text).toBe(`Fact #${id} saved`);
      expect(done.blocks.map((b) => b.text.text).join("\n")).toContain("Changed: title.");
      const { fact, entries } = await factHistory(db.prisma, id);
      expect(fact.sources).toHaveLength(5);
      expect(fact.sources[0]).toEqual({ title: "USTR fact sheet", url: "https://ustr.gov/fact-sheet", date: "2018-03-28" });
      expect(fact).toMatchObject({ event: "korus-2018-aip", confidence: "inferred", known: "2018-03-20", disputed: [{ says: "2018-03-26", source: { title: "MOTIE" } }] });
      expect(entries.at(-1)!.changes.map((c) => c.field)).toEqual(["title"]);
    } finally {
      await cleanUp();
    }
  });

  it("what the guard refuses shows under the field at fault in the form, and nothing is stored", async () => {
    const { facts } = parseFactLines(
      JSON.stringify({ date: "2018-10-31", title: "Deficit Jan-Oct", kind: "figure", actor: "US", source: "Census", value: 15.1, unit: "USD billion", period: "2018-01/2018-10" }),
      { today: TODAY },
    );
    await importFactLines(db.prisma, facts, { actor: "import" });
    const id = (await db.prisma.fact.findFirstOrThrow({ where: { title: "Deficit Jan-Oct" } })).id;
    try {
      const [before, audits] = await state(id);
      bot.fake.calls.length = 0;
      const opened = bot.fake.waitFor((c) => c.method === "views.open");
      await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${id}`, user: ADMIN, responseUrl: bot.fake.responseUrl() }));
      const view = (await opened).body.view as { private_metadata: string; blocks: Array<Record<string, unknown>> };
      const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["figure_unit", { type: "plain_text_input", value: "USD\u0000billion" }, "figure_unit", /^Contains a NUL character/],
        ["figure_unit", { type: "plain_text_input", value: "USD\ud800" }, "figure_unit", /^Contains a broken character/],
        ["figure_series", { type: "plain_text_input", value: "deficit\u001b[2J" }, "figure_series", /U\+001B \(ESC\)/],
        ["title", { type: "plain_text_input", value: "Deficit \u001b[31mred" }, "title", /U\+001B \(ESC\)/],
        ["known", { type: "datepicker", selected_date: "2099-01-01" }, "known", /^2099-01-01 is after today \(2026-12-02\)/],
        ["date", { type: "datepicker", selected_date: "9999-01-01" }, "date", /^9999-01-01 is outside the dates a fact may have/],
      ];
      for (const [block, state, errorBlock, message] of cases) {
        const values = untouchedValues(view);
        values[block] = { value: state };
        const res = await bot.slack.interaction(viewSubmission({ callbackId: "fact_edit", values, privateMetadata: view.private_metadata, user: ADMIN, blocks: view.blocks }));
        const ack = res.json as { response_action: string; errors: Record<string, string> };
        expect(ack.response_action, `${block}: ${JSON.stringify(res.json)}`).toBe("errors");
        expect(ack.errors[errorBlock], block).toMatch(message);
      }
      expect(await state(id)).toEqual([before, audits]);
    } finally {
      await cleanUp();
    }
  });

  it("a field someone changed after the form opened is not put back by a save that did not touch it", async () => {
    const { facts } = parseFactLines(JSON.stringify({ date: "2018-05-01", title: "Steel quota takes effect", kind: "deadline", known: "2018-04-30", actor: "US", source: "Proclamation 9740" }), {
      today: TODAY,
    });
    await importFactLines(db.prisma, facts, { actor: "import" });
    const id = (await db.prisma.fact.findFirstOrThrow({ where: { title: "Steel quota takes effect" } })).id;
    try {
      bot.fake.calls.length = 0;
      const opened = bot.fake.waitFor((c) => c.method === "views.open");
      await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${id}`, user: ADMIN, responseUrl: bot.fake.responseUrl() }));
      const view = (await opened).body.view as { private_metadata: string; blocks: Array<Record<string, unknown>> };
      // Meanwhile a colleague adds a summary from the terminal.
      await changeFact({ prisma: db.prisma, admins: ["cli:ana"] }, id, (line) => ({ ...line, summary: "Quota: 70% of 2015-2017 exports." }), "cli:ana");
      const values = untouchedValues(view);
      values.title = { value: { type: "plain_text_input", value: "Korea's steel quota takes effect" } };
      const res = await bot.slack.interaction(viewSubmission({ callbackId: "fact_edit", values, privateMetadata: view.private_metadata, user: ADMIN, blocks: view.blocks }));
      expect((res.json as { view: { title: { text: string } } }).view.title.text).toBe(`Fact #${id} saved`);
      const row = await db.prisma.fact.findUniqueOrThrow({ where: { id } });
      expect([row.title, row.summary]).toEqual(["Korea's steel quota takes effect", "Quota: 70% of 2015-2017 exports."]);
    } finally {
      await cleanUp();
    }
  });
});
