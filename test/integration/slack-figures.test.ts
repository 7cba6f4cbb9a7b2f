import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { importFactLines } from "../../src/facts/import.js";
import { blocksText, expectWithinBlockLimits } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const EVIL = "<!channel> [x](https://evil.example) <@U0VICTIM>";

/** Each markdown block's text, joined (the answers are markdown blocks). */
function markdownText(body: Record<string, unknown>): string {
  return ((body.blocks ?? []) as Array<{ type: string; text?: string }>)
    .filter((b) => b.type === "markdown")
    .map((b) => b.text)
    .join("\n");
}

describe("figures, charts and questions from Slack", () => {
  let db: Database;
  let bot: RunningBot;

  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    const { facts, errors } = parseFactLines(await readFile(new URL("../../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
    expect(errors).toEqual([]);
    await importFactLines(db.prisma, facts, { actor: "test" });
    bot = await startBot(db, { clock: fixedClock("2019-06-03T15:00:00Z") });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });
  beforeEach(() => {
    bot.fake.calls.length = 0;
  });

  it("`/korus figures` lists the series with the latest value, the change and the sources, only to whoever asked", async () => {
    const response = bot.fake.waitForResponse();
    expect((await bot.slack.command("figures")).status).toBe(200);
    const { body } = await response;
    expect(body.response_type).toBe("ephemeral");
    expectWithinBlockLimits(body);
    const text = markdownText(body);
    expect(text).toContain("**U.S. goods trade deficit with Korea** (`us-goods-deficit-korea`): 17.9 USD billion [1] in 2018, −5 (−21.8%) from 2017");
    expect(text).toContain("1 with differing sources");
    expect(text).toContain("1. [U.S. Census Bureau, Trade in Goods with Korea, South](https://www.census.gov/foreign-trade/balance/c5800.html)");
  });

  it("`/korus figures SERIES` lists every period with the disagreement and both sources; an unknown series names the known ones", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("figures us-goods-deficit-korea");
    let text = markdownText((await response).body);
    expect(text).toContain("- **2011**: 13.2 USD billion [1, 2]");
    expect(text).toContain("- **2016**: **sources differ**: 27.7 USD billion [5, 6] (fact #");
    expect(text).toMatch(/vs 27\.6 USD billion \[2, 7\] \(fact #\d+\)/);
    expect(text).toContain("5. [USTR, Korea country page (U.S.-Korea trade facts)](https://ustr.gov/countries-regions/japan-korea-apec/korea)");

    response = bot.fake.waitForResponse();
    await bot.slack.command("figures steel-quota");
    text = markdownText((await response).body);
    expect(text.trim()).toBe("No figure series “steel-quota” on record. Series on record: `us-goods-deficit-korea`.");
  });

  it("`/korus figures SERIES as-of DATE` shows only the figures known by then", async () => {
    const response = bot.fake.waitForResponse();
    await bot.slack.command("figures us-goods-deficit-korea as-of 2017-10-01");
    const text = markdownText((await response).body);
    expect(text).toContain("(`us-goods-deficit-korea`) as of 2017-10-01");
    expect(text).toContain("- **2016**: **sources differ**");
    expect(text).not.toContain("2017**");
    expect(text).not.toContain("2018**");
  });

  it("`/korus chart SERIES` uploads a PNG to the channel with title, unit, periods, differing values and sources", async () => {
    const completed = bot.fake.waitFor((c) => c.method === "files.completeUploadExternal");
    expect((await bot.slack.command("chart us-goods-deficit-korea since:2014")).status).toBe(200);
    const { body } = await completed;
    const upload = bot.fake.calls.find((c) => c.method === "file_upload")!;
    const bytes = upload.body.bytes as Buffer;
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(600); // width in pixels, from the IHDR chunk
    const asked = bot.fake.calls.find((c) => c.method === "files.getUploadURLExternal")!;
    expect(asked.body.filename).toBe("us-goods-deficit-korea-chart.png");
    expect(Number(asked.body.length)).toBe(bytes.length);
    expect(asked.body.alt_text).toContain("2016: sources differ (27.7 vs 27.6)");
    expect(body.channel_id).toBe("C0TEAM");
    const comment = String(body.initial_comment);
    expect(comment).toContain("*U.S. goods trade deficit with Korea* (`us-goods-deficit-korea`), USD billion, 2014 to 2018: 5 periods.");
    expect(comment).toContain("Sources differ on 2016 (red bar): 27.7 USD billion [2,3] vs 27.6 USD billion [4,5].");
    expect(comment).toContain("2. <https://ustr.gov/countries-regions/japan-korea-apec/korea|USTR, Korea country page (U.S.-Korea trade facts)>");
  });

  it("`/korus chart` of a series not on record, or a bad range, answers the user and uploads nothing", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("chart nope");
    expect(blocksText((await response).body)).toContain("No figure series “nope” on record. Series on record: `us-goods-deficit-korea`.");
    response = bot.fake.waitForResponse();
    await bot.slack.command("chart us-goods-deficit-korea since:2025");
    expect(blocksText((await response).body)).toContain("No period of `us-goods-deficit-korea` falls within the range asked for; it covers 2011 to 2018.");
    const ack = await bot.slack.command("chart us-goods-deficit-korea since:FY16");
    expect(JSON.stringify(ack.json)).toContain('\\"FY16\\" is not a period');
    expect(bot.fake.calls.filter((c) => c.method.startsWith("files."))).toEqual([]);
  });

  it("a chart the bot may not post says why, to the user", async () => {
    bot.fake.failNext("files.completeUploadExternal", { error: "not_in_channel" });
    const response = bot.fake.waitForResponse();
    await bot.slack.command("chart us-goods-deficit-korea");
    expect(blocksText((await response).body)).toContain("I couldn't post the chart here: I am not in that channel");
  });

  it("`/korus ask` answers after the ack: the answer sentence first, the facts with their sources, then buttons", async () => {
    // Acked at once with nothing, answered through response_url. How long an answer takes is the bench's to measure
    // (`npm run bench -- --only=ask`), not a timed test's: under a loaded test run the first question, which loads the
    // part-of-speech tagger, took 3.1 s.
    const response = bot.fake.waitForResponse();
    const ack = await bot.slack.command("ask what is the next deadline as of 2017-07-20?");
    expect(ack.status).toBe(200);
    expect(ack.text).toBe("");
    const { body } = await response;
    expect(body.response_type).toBe("ephemeral");
    expectWithinBlockLimits(body);
    const text = markdownText(body);
    const lines = text.split("\n");
    expect(lines[2]).toBe(
      "**Next deadline as of 2017-07-20: “Special session of the KORUS Joint Committee must be held”, due 2017-08-11 (30 days after “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12)): 22 days left as of 2017-07-20.**",
    );
    expect(text).toContain("- **Due 2017-08-11 (Fri)**: Special session of the KORUS Joint Committee must be held [1, 2, 3] · `deadline` · #");
    expect(text).toContain("1. Trade news item, July 2017: U.S. requests KORUS special session");
    const blocks = body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>;
    const actions = blocks.at(-1)!;
    expect(actions.type).toBe("actions");
    expect(actions.elements!.map((b) => b.text.text)).toEqual([expect.stringMatching(/^Open fact #\d+$/), "Status as of 2017-07-20"]);

    // The buttons: the fact as `fact show` shows it, and the status as of that day.
    const shown = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: actions.elements![0]!.action_id, value: actions.elements![0]!.value, responseUrl: bot.fake.responseUrl() }));
    expect(blocksText((await shown).body)).toContain("Special session of the KORUS Joint Committee must be held");
    const status = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "ask_status", value: actions.elements![1]!.value, responseUrl: bot.fake.responseUrl() }));
    expect(blocksText((await status).body)).toContain("2017-07-20");
  });

  it("`/korus ask` shows the other reading of a disputed date, `inferred` facts, and the series with differing sources", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("ask when did the U.S. and Korea reach agreement in principle?");
    let text = markdownText((await response).body);
    expect(text).toContain("**sources differ**: “2018-03-26, the day Korea's trade ministry announced it” per Korea's Ministry of Trade, Industry and Energy (MOTIE), press releases [4].");
    response = bot.fake.waitForResponse();
    await bot.slack.command("ask how big was the goods deficit in 2016?");
    text = markdownText((await response).body);
    expect(text).toContain("**U.S. goods trade deficit with Korea, 2016: 27.7 USD billion or 27.6 USD billion (sources differ).**");
    expect(text).toContain("`figure` `inferred`");
    expect(text).toContain("**Sources differ** on 2016 (`us-goods-deficit-korea`): 27.7 USD billion [1, 2] vs 27.6 USD billion [3, 4].");
    expect(text).toContain("Series `us-goods-deficit-korea` (USD billion), as known 2019-06-03: 2011: 13.2 · 2012: 16.6");
  });

  it("`/korus ask` computes a day span from two facts and cites both", async () => {
    const response = bot.fake.waitForResponse();
    await bot.slack.command("ask how many days from the request to the first session?");
    const text = markdownText((await response).body);
    expect(text).toContain(
      "**41 days from “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12) to “First special session of the Joint Committee meets in Seoul” (2017-08-22).**",
    );
    expect(text).toMatch(/U.S. requests the first-ever special session of the KORUS Joint Committee \[1, 2, 3\]/);
    expect(text).toMatch(/First special session of the Joint Committee meets in Seoul \[4, 5\]/);
  });

  it("`/korus ask` says first when nothing on record answers, offers the search, and lists only facts sharing the subject", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("ask who chairs the environmental affairs council?");
    let text = markdownText((await response).body);
    expect(text.split("\n")[2]).toBe("Nothing on record answers this.");
    expect(text).toContain("Search the facts instead: `/korus facts chairs environmental affairs council`");
    expect(text).not.toContain("Closest on record");
    response = bot.fake.waitForResponse();
    await bot.slack.command("ask what tariff rate applied to washers in year three?");
    text = markdownText((await response).body);
    expect(text.split("\n")[2]).toBe("Nothing on record answers this.");
    expect(text).toContain("Closest on record (they share the question's subject but do not answer it):");
    expect(text).toContain("U.S. imposes Section 201 safeguards on washing machines and solar cells");
  });

  it("a stale or forged ask button is answered as stale, not trusted", async () => {
    for (const [actionId, value] of [
      ["ask_fact:0", '{"f":"1; drop"}'],
      ["ask_status", '{"d":"2017-02-31"}'],
      ["ask_status", '{"d":"2999-01-01"}'],
      ["ask_fact:0", "not json"],
    ] as const) {
      const response = bot.fake.waitForResponse();
      const res = await bot.slack.interaction(blockAction({ actionId, value, responseUrl: bot.fake.responseUrl() }));
      expect(res.status).toBe(200);
      expect(blocksText((await response).body)).toMatch(/older message|expired|no longer/i);
    }
  });

  it("`/korus ask` without a question explains how to ask", async () => {
    const ack = await bot.slack.command("ask");
    expect(JSON.stringify(ack.json)).toContain("`ask` needs a question");
  });

  it("a figure's title, unit and source cannot ping or link in figures, charts or answers", async () => {
    await importFactLines(
      db.prisma,
      parseFactLines(
        JSON.stringify({
          date: "2018-06-30",
          title: `${EVIL} steel quota: 2.6 in 2018-H1`,
          kind: "figure",
          actor: "Korea",
          source: { title: `${EVIL} source` },
          value: 2.6,
          unit: `<!here> tons`,
          period: "2018-01/2018-06",
          series: "evil-series",
        }),
      ).facts,
      { actor: "test" },
    );
    const outputs: string[] = [];
    const markdowns: string[] = [];
    for (const command of ["figures", "figures evil-series", "ask how much steel quota in 2018?", `ask ${EVIL} when was the steel quota?`, "ask what changed since 2018-06-01?"]) {
      const response = bot.fake.waitForResponse();
      await bot.slack.command(command);
      const { body } = await response;
      markdowns.push(markdownText(body));
      outputs.push(markdownText(body), String(body.text));
    }
    const completed = bot.fake.waitFor((c) => c.method === "files.completeUploadExternal");
    await bot.slack.command("chart evil-series");
    outputs.push(String((await completed).body.initial_comment));
    // The file's alt text is plain text that Slack never parses (like a plain_text object): it stays as written.
    expect(bot.fake.calls.find((c) => c.method === "files.getUploadURLExternal")!.body.alt_text).toContain("<!here> tons: Jan-Jun 2018 (part year): 2.6");
    expect(outputs.join("\n")).toContain("steel quota");
    for (const out of outputs) {
      expect(out).not.toContain("<!channel>");
      expect(out).not.toContain("<!here>");
      expect(out).not.toContain("<@U0VICTIM>");
      // A bare URL may show as itself (Slack links those anyway); never under another label. mrkdwn has no
      // `[label](url)`, so there the title's `[x](https://evil.example)` is text as typed.
      expect(out).not.toMatch(/<https:\/\/evil\.example\|(?!https:\/\/evil\.example>)/);
    }
    // In a `markdown` block the title's link is escaped, and its URL is no link of ours.
    expect(markdowns.join("\n")).toContain("\\[x\\](https\\://evil.example)");
    for (const markdown of markdowns) expect(markdown).not.toContain("https://evil");
  });

  it("the fact form takes a figure's value, unit, period and series, with errors under the field at fault", async () => {
    const values = (figure: Record<string, unknown>) => ({
      kind: input.select("figure"),
      date: input.date("2018-10-31"),
      title: input.text("Goods deficit, January-October 2018"),
      summary: input.text(null),
      actor: input.select("US"),
      actor_name: input.text(null),
      source_title: input.text("Census, monthly release"),
      source_url: input.text(null),
      due_date: input.date(null),
      after_days: input.number(null),
      figure_value: input.number(null),
      figure_unit: input.text(null),
      figure_period: input.text(null),
      figure_series: input.text(null),
      ...figure,
    });
    const submit = (v: ReturnType<typeof values>) =>
      bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values: v, user: "U0AUTHOR", privateMetadata: JSON.stringify({ channel: "C0TEAM" }) }));

    let res = await submit(values({ figure_value: input.number("15.1"), figure_period: input.text("Jan-Oct 2018") }));
    expect(res.json).toEqual({
      response_action: "errors",
      errors: {
        figure_unit: expect.stringMatching(/^Is required with a value/),
        figure_period: expect.stringMatching(/^"Jan-Oct 2018" is not a period; write a year "2016"/),
      },
    });
    res = await submit(values({ kind: input.select("event"), figure_value: input.number("15.1"), figure_unit: input.text("USD billion") }));
    expect((res.json as { errors: Record<string, string> }).errors).toEqual({
      figure_value: "Only a figure has a value (this fact is an event).",
      figure_unit: "Only a figure has a unit (this fact is an event).",
    });
    expect(await db.prisma.fact.count({ where: { title: "Goods deficit, January-October 2018" } })).toBe(0);

    res = await submit(
      values({ figure_value: input.number("15.1"), figure_unit: input.text("USD billion"), figure_period: input.text("2018-01/2018-10"), figure_series: input.text("us-goods-deficit-korea") }),
    );
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const row = await db.prisma.fact.findFirstOrThrow({ where: { title: "Goods deficit, January-October 2018" } });
    expect(row).toMatchObject({ value: 15.1, unit: "USD billion", period: "2018-01/2018-10", series: "us-goods-deficit-korea" });

    const response = bot.fake.waitForResponse();
    await bot.slack.command("figures us-goods-deficit-korea");
    expect(markdownText((await response).body)).toMatch(/- \*\*Jan-Oct 2018 \(part year\)\*\*: 15\.1 USD billion \[\d+\]/);
  });
});
