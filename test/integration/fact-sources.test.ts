import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { previewBrief } from "../../src/briefs/brief.js";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { searchResultToMarkdown } from "../../src/facts/markdown.js";
import { parseFactQuery } from "../../src/facts/query.js";
import { addFact, FactError } from "../../src/facts/service.js";
import { exportFactsJsonl } from "../../src/facts/export.js";
import { searchFacts } from "../../src/facts/search.js";
import { FactImportError, importFactLines } from "../../src/facts/import.js";
import { statusToMarkdown } from "../../src/status/markdown.js";
import { getStatus } from "../../src/status/service.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { input, viewSubmission } from "../support/payloads.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";

const NY = "America/New_York";
const TIMELINE = new URL("../../examples/korus-timeline.jsonl", import.meta.url);

async function importText(db: Database, text: string, options: { strict?: boolean } = {}) {
  const { facts, errors } = parseFactLines(text);
  if (errors.length > 0) throw new FactImportError(errors);
  return importFactLines(db.prisma, facts, { actor: "test", ...options });
}

const steel = {
  date: "2018-05-01",
  title: "Korea's steel quota takes effect",
  kind: "deadline",
  actor: "US",
  known: "2018-04-30",
  sources: [
    { title: "Proclamation 9740 (83 FR 20683)", url: "https://www.federalregister.gov/citation/83-FR-20683", date: "2018-05-07" },
    { title: "CBP guidance on the steel quota [<!channel>](https://evil.example)" },
  ],
  disputed: [{ says: "2018-06-01", source: { title: "Global Trade Alert", url: "https://www.globaltradealert.org/" } }],
};

describe("several sources, other readings and events, through the store and every output", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await importText(db, (await readFile(TIMELINE, "utf8")) + `${JSON.stringify(steel)}\n`.replace('"Korea\'s steel quota takes effect"', '"Korea steel quota starts (CBP)"'));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("keeps every source and other reading, and export gives back the same lines", async () => {
    const exported = await exportFactsJsonl(db.prisma);
    const fresh = await createTestDatabase({ seed: false });
    try {
      const seedless = exported;
      await importText(fresh, seedless);
      expect(await exportFactsJsonl(fresh.prisma)).toBe(exported);
      const line = exported.split("\n").find((l) => l.includes("Korea steel quota starts (CBP)"))!;
      expect(JSON.parse(line)).toMatchObject({ sources: steel.sources, disputed: steel.disputed });
    } finally {
      await fresh.close();
    }
  });

  it("status shows every source, the other readings with their sources, and the other reports of one event", async () => {
    const status = (asOf: string) => getStatus({ prisma: db.prisma, clock: fixedClock("2026-12-02T12:00:00Z"), timeZone: NY }, asOf);
    // Two reports of the agreement in principle, each with its date and source.
    expect(statusToMarkdown(await status("2018-04-01"))).toMatch(
      /U\.S\. and Korea reach agreement in principle on KORUS amendments \(since 2018-03-28\) \[\d+(?:, \d+)+\] \(sources differ: “2018-03-26, the day Korea's trade ministry announced it” per Korea's Ministry of Trade, Industry and Energy \(MOTIE\), press releases \[\d+\]; also reported: 2018-03-26 \(Korea\): Korea's trade ministry announces agreement in principle on KORUS amendments \[\d+\]\)/,
    );
    // The steel quota fact: both its sources numbered, and Global Trade Alert's June 1 beside it.
    const text = statusToMarkdown(await status("2018-05-08"));
    const deadline = text.split("\n").find((l) => l.includes("Korea steel quota starts (CBP)"))!;
    expect(deadline).toMatch(/\[(\d+), (\d+)\] \(sources differ: “2018-06-01” per Global Trade Alert \[(\d+)\]\)/);
    expect(text).toContain("(https://www.federalregister.gov/citation/83-FR-20683) (2018-05-07)");
    expect(text).toContain("Global Trade Alert](https://www.globaltradealert.org/)");
    // The day before it falls due, the proclamation of 7 May is not out yet: only the undated source is cited.
    const before = statusToMarkdown(await status("2018-04-30"));
    expect(before.split("\n").find((l) => l.includes("Korea steel quota starts (CBP)"))).toMatch(/\*\*1 day left\*\* \[\d+\] \(sources differ: “2018-06-01” per Global Trade Alert \[\d+\]\)/);
    expect(before).not.toContain("83-FR-20683");
  });

  it("the Slack status escapes a hostile source title and shows the other reading", async () => {
    const bot = await startBot(db, { clock: fixedClock("2018-04-30T15:00:00Z") });
    try {
      const text = blocksText((await bot.slack.command("status")).json as object);
      expect(text).toContain("sources differ: “2018-06-01” per Global Trade Alert");
      expect(text).toContain("CBP guidance on the steel quota [&lt;!channel&gt;](https://evil.example)");
      expect(text).not.toContain("<!channel>");
    } finally {
      await bot.stop();
    }
  });

  it("search lists every source, the other readings and the other reports of the event", async () => {
    const query = parseFactQuery("agreement principle");
    const md = searchResultToMarkdown(query, await searchFacts(db.prisma, query));
    expect(md).toContain("Sources: [USTR fact sheet, New U.S. Trade Policy and National Security Outcomes with the Republic of Korea](https://ustr.gov/");
    expect(md).toContain(
      "**sources differ:** “2018-03-26, the day Korea's trade ministry announced it” per [Korea's Ministry of Trade, Industry and Energy (MOTIE), press releases](https://english.motie.go.kr/)",
    );
    expect(md).toMatch(/also reported: 2018-03-26 \(Korea\): Korea's trade ministry announces agreement in principle on KORUS amendments \(#\d+, \[Korea's Ministry/);
  });

  it("a memo numbers each distinct source once, the fact's own and its other readings'", async () => {
    const brief = await previewBrief({ prisma: db.prisma, clock: fixedClock("2026-12-02T12:00:00Z"), timeZone: NY, templates: await shippedTemplates() }, { asOf: "2018-04-30" });
    const sources = brief.markdown
      .slice(brief.markdown.indexOf("## Sources"))
      .split("\n")
      .filter((l) => /^\d+\. /.test(l));
    const titles = sources.map((l) => l.replace(/^\d+\. /, ""));
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.some((t) => t.startsWith("[Global Trade Alert]"))).toBe(true);
  });
});

describe("history without hindsight, briefs for any date", () => {
  let db: Database;
  const templatesP = shippedTemplates();
  beforeAll(async () => {
    db = await createTestDatabase();
    await importText(db, await readFile(TIMELINE, "utf8"));
  });
  afterAll(async () => {
    await db?.close();
  });
  const deps = async () => ({ prisma: db.prisma, clock: fixedClock("2026-12-02T12:00:00Z"), timeZone: NY, templates: await templatesP });

  it("status --as-of 2017-07-20 shows only what was known then: no 2018 steel quota", async () => {
    const text = statusToMarkdown(await getStatus(await deps(), "2017-07-20"));
    expect(text).toContain("**Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), **22 days left**");
    expect(text).not.toContain("steel quota");
    expect(text).not.toContain("2018");
  });

  it("a deadline without `known` counts from the day it is stored, or from the fact it counts from", async () => {
    // Its own database: the deadlines it adds would change the other tests' overdue counts.
    const db = await createTestDatabase();
    const deps = async () => ({ prisma: db.prisma, clock: fixedClock("2026-12-02T12:00:00Z"), timeZone: NY, templates: await templatesP });
    await importText(db, await readFile(TIMELINE, "utf8"));
    const result = parseFactLines(
      [
        '{"date":"2018-09-30","title":"Undated-knowledge deadline","kind":"deadline","actor":"US","source":"s"}',
        '{"title":"Relative deadline","kind":"deadline","actor":"US","source":"s","after":{"days":10,"from":{"date":"2017-07-12","title":"U.S. requests the first-ever special session of the KORUS Joint Committee"}}}',
      ].join("\n"),
    );
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^1 deadline has no `known` date \(line 1\): they count as known from the day they are stored/)]);
    await importFactLines(db.prisma, result.facts, { actor: "test" });
    const past = statusToMarkdown(await getStatus(await deps(), "2018-09-01"));
    expect(past).not.toContain("Undated-knowledge deadline");
    const july = statusToMarkdown(await getStatus(await deps(), "2017-07-15"));
    expect(july).toContain("Relative deadline");
    await db.close();
  });

  it("brief --as-of 2018-03-30 lists the facts that became known that week, and its headline agrees with its lists", async () => {
    const brief = await previewBrief(await deps(), { asOf: "2018-03-30" });
    expect(brief.markdown).toContain("## What changed in the 7 days to 2018-03-30 (facts that became known then)");
    expect(brief.markdown).toContain("- _New:_ U.S. and Korea reach agreement in principle on KORUS amendments (2018-03-28 (Wed))");
    expect(brief.headline).toContain("6 fact changes in the 7 days to 2018-03-30");
    expect(brief.changeCount).toBe(6);
    expect(brief.headline).toContain("No upcoming deadline on record");
    expect(brief.markdown).toMatch(/## Upcoming deadlines\n\nNone\./);
    // The special-session deadline fell due long before and was met (2017-08-22, 11 days late): nothing is overdue, and
    // the steel quota (an effective date) is not overdue either.
    expect(brief.markdown).not.toContain("overdue");
    expect(brief.headline).not.toContain("Overdue");
  });

  it("a brief names the same next deadline in its headline and its list, however far it is", async () => {
    const brief = await previewBrief(await deps(), { asOf: "2019-06-01" });
    expect(brief.headline).toContain("Next deadline: USTR update on Section 232 auto negotiations due, 2019-11-13 (Wed), 165 days left");
    expect(brief.markdown).toMatch(/## Upcoming deadlines\n\n- \*\*USTR update on Section 232 auto negotiations due\*\*: due 2019-11-13 \(Wed\), 165 days left/);
  });

  it("status summarises overdue deadlines older than 30 days in one line instead of hiding them; met deadlines and effective dates are not overdue", async () => {
    // On the example: the special session was met (11 days late), the steel quota took effect; nothing is overdue.
    expect(statusToMarkdown(await getStatus(await deps(), "2018-07-01"))).not.toContain("## Overdue");
    // The USTR update due 2019-11-13 has no outcome on record: six months on it is one older overdue deadline.
    const text = statusToMarkdown(await getStatus(await deps(), "2020-05-13"));
    expect(text).toMatch(/## Overdue\n\n- 1 older overdue deadline, the latest “USTR update on Section 232 auto negotiations due” due 2019-11-13 \(Wed\), overdue by 182 days\n/);
  });
});

describe("likely duplicates", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("the example carries the seed's lines: imported into the seeded store it adds no duplicate", async () => {
    const result = await importText(db, await readFile(TIMELINE, "utf8"), { strict: true });
    expect(result).toMatchObject({ added: 40, updated: 0, unchanged: 14, duplicates: [] });
    const deadlines = await db.prisma.fact.findMany({ where: { kind: "deadline", title: { contains: "pecial session" } } });
    expect(deadlines.map((d) => d.title)).toEqual(["Special session of the KORUS Joint Committee must be held"]);
    const status = statusToMarkdown(await getStatus({ prisma: db.prisma, clock: fixedClock("2026-12-02T12:00:00Z"), timeZone: NY }, "2017-08-15"));
    const overdue = status
      .slice(status.indexOf("## Overdue"), status.indexOf("## Latest developments"))
      .split("\n")
      .filter((l) => l.startsWith("- "));
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatch(/^- \*\*Special session of the KORUS Joint Committee must be held\*\*: due 2017-08-11 \(Fri\), \*\*overdue by 4 days\*\*/);
    expect(status.match(/first-ever special session of the KORUS Joint Committee \[/g)).toHaveLength(1);
  });

  it("an import that overlaps the seed reports each likely duplicate with its line and the stored fact; --strict refuses it", async () => {
    // The request and the deadline as the example wrote them before it carried the seed's lines.
    const text = [
      '{"date":"2017-07-12","title":"USTR requests a special session of the KORUS Joint Committee","kind":"event","actor":"US","sources":[{"title":"USTR, KORUS FTA","url":"https://ustr.gov/trade-agreements/free-trade-agreements/korus-fta"}],"known":"2017-07-12"}',
      '{"title":"Special session must be held within 30 days of the request","kind":"deadline","actor":"both","sources":["USTR"],"known":"2017-07-12","after":{"days":30,"from":{"date":"2017-07-12","title":"USTR requests a special session of the KORUS Joint Committee"}}}',
    ].join("\n");
    const before = await db.prisma.fact.count();
    const refused = await importText(db, text, { strict: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FactImportError);
    expect((refused as FactImportError).errors.map((e) => `${e.line}:${e.field}`)).toEqual(["1:title", "2:title"]);
    expect((refused as FactImportError).errors[1]!.message).toMatch(
      /^looks like fact #\d+ \(2017-08-11, “Special session of the KORUS Joint Committee must be held”\); --strict refuses likely duplicates$/,
    );
    expect(await db.prisma.fact.count()).toBe(before);

    const result = await importText(db, text);
    expect(result.duplicates.map((d) => [d.line, d.like.title])).toEqual([
      [1, "U.S. requests the first-ever special session of the KORUS Joint Committee"],
      [2, "Special session of the KORUS Joint Committee must be held"],
    ]);
  });

  it("two lines of one file that look alike are reported with both line numbers", async () => {
    const result = await importText(
      db,
      [
        '{"date":"2019-03-01","title":"Steel quota consultations begin","kind":"event","actor":"both","source":"a"}',
        '{"date":"2019-03-02","title":"Steel quota consultations began","kind":"event","actor":"both","source":"b"}',
      ].join("\n"),
    );
    expect(result.duplicates).toEqual([expect.objectContaining({ line: 2, like: expect.objectContaining({ line: 1, date: "2019-03-01", title: "Steel quota consultations begin" }) })]);
  });

  it("adding a fact that looks like a stored one asks first; saying so saves it", async () => {
    const raw = { date: "2019-03-03", title: "Consultations on the steel quota begin", kind: "event", actor: "both", source: "c", known: "2019-03-03" };
    const error = await addFact({ prisma: db.prisma, admins: [] }, raw, "U0A").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FactError);
    expect((error as FactError).code).toBe("duplicate");
    expect((error as FactError).fields.title).toMatch(/^looks like fact #\d+ \(2019-03-0\d, “Steel quota consultations beg/);
    const saved = await addFact({ prisma: db.prisma, admins: [] }, raw, "U0A", { allowDuplicate: true });
    expect(saved.title).toBe(raw.title);
  });

  describe("in the Slack form", () => {
    let bot: RunningBot;
    beforeAll(async () => {
      bot = await startBot(db, { clock: fixedClock("2019-03-10T15:00:00Z") });
    });
    afterAll(async () => {
      await bot?.stop();
    });
    beforeEach(() => {
      bot.fake.calls.length = 0;
    });
    const values = (extra: Record<string, unknown> = {}) => ({
      kind: input.select("event"),
      date: input.date("2019-03-04"),
      title: input.text("Steel quota consultations start"),
      summary: input.text(""),
      actor: input.select("both"),
      actor_name: input.text(null),
      source_title: input.text("Yonhap"),
      source_url: input.text(null),
      source_title_2: input.text("MOTIE"),
      source_url_2: input.text("https://english.motie.go.kr/"),
      source_title_3: input.text(null),
      source_url_3: input.text(null),
      known: input.date(null),
      due_date: input.date(null),
      after_days: input.number(null),
      ...extra,
    });
    const submit = (v: Record<string, unknown>) =>
      bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values: v as never, user: "U0A", privateMetadata: JSON.stringify({ channel: "C0TEAM" }) }));

    it("asks under the title, and saves with both sources and today as known once 'save anyway' is ticked", async () => {
      const asked = await submit(values());
      const body = asked.json as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(body.errors.title).toMatch(/^Looks like fact #\d+ \(2019-03-0\d, “/);
      const saved = await submit(values({ save_anyway: { value: { type: "checkboxes", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "yes" }] } } }));
      expect((saved.json as { response_action: string }).response_action).toBe("update");
      const row = await db.prisma.fact.findFirstOrThrow({ where: { title: "Steel quota consultations start" } });
      expect(row.sources).toEqual([{ title: "Yonhap" }, { title: "MOTIE", url: "https://english.motie.go.kr/" }]);
      expect(row.known?.toISOString().slice(0, 10)).toBe("2019-03-10");
    });
  });
});
