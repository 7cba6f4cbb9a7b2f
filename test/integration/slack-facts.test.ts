import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { toFact } from "../../src/facts/rows.js";
import { blocksText, expectWithinBlockLimits } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const ADMIN = "U0ADMIN";
const AUTHOR = "U0AUTHOR";
const OTHER = "U0OTHER";

type Values = Record<string, Record<string, unknown>>;

function factValues(overrides: Partial<Record<string, Record<string, unknown>>> = {}): Values {
  return {
    kind: input.select("event"),
    date: input.date("2017-07-20"),
    title: input.text("Korea names its negotiator"),
    summary: input.text("Korea's trade ministry names a **chief negotiator** for the special session."),
    actor: input.select("Korea"),
    actor_name: input.text(null),
    source_title: input.text("Ministry press release"),
    source_url: input.text("https://example.org/motie/release"),
    due_date: input.date(null),
    after_days: input.number(null),
    ...overrides,
  } as Values;
}

describe("facts from Slack: add, search, edit, retract, history", () => {
  let db: Database;
  let bot: RunningBot;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock("2017-07-20T15:00:00Z"), admins: [ADMIN] });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });
  beforeEach(() => {
    bot.fake.calls.length = 0;
  });

  const submit = (values: Values, options: { user?: string; callbackId?: string; factId?: number } = {}) =>
    bot.slack.interaction(
      viewSubmission({
        callbackId: options.callbackId ?? "fact_add",
        values,
        user: options.user ?? AUTHOR,
        privateMetadata: JSON.stringify({ channel: "C0TEAM", ...(options.factId ? { factId: options.factId } : {}) }),
      }),
    );

  it("`/korus fact add` opens the modal with every field", async () => {
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    expect((await bot.slack.command("fact add")).status).toBe(200);
    const { body } = await opened;
    const view = body.view as { callback_id: string; blocks: Array<{ block_id?: string; element?: { type: string } }> };
    expect(view.callback_id).toBe("fact_add");
    expect(view.blocks.filter((b) => b.block_id).map((b) => b.block_id)).toEqual([
      "kind",
      "date",
      "title",
      "summary",
      "actor",
      "actor_name",
      "source_title",
      "source_url",
      "source_title_2",
      "source_url_2",
      "source_title_3",
      "source_url_3",
      "known",
      "due_date",
      "due_kind",
      "after_days",
      "after_from",
      "figure_value",
      "figure_unit",
      "figure_period",
      "figure_series",
      "save_anyway",
    ]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(body.trigger_id).toBeTruthy();
  });

  it("saves a valid submission, shows it in the modal, and writes an audit row", async () => {
    const res = await submit(factValues());
    expect(res.status).toBe(200);
    const ack = res.json as { response_action: string; view: { title: { text: string }; blocks: Array<{ text: { text: string } }> } };
    expect(ack.response_action).toBe("update");
    expect(ack.view.title.text).toMatch(/^Fact #\d+ added$/);
    expect(ack.view.blocks[0]!.text.text).toContain("*Korea names its negotiator*");
    expect(ack.view.blocks[0]!.text.text).toContain("names a *chief negotiator*");
    const row = await db.prisma.fact.findFirstOrThrow({ where: { title: "Korea names its negotiator" }, include: { audits: true } });
    expect(row.createdBy).toBe(AUTHOR);
    expect(row.sourceUrl).toBe("https://example.org/motie/release");
    expect(row.audits.map((a) => [a.action, a.actor])).toEqual([["create", AUTHOR]]);
  });

  it("answers bad input under the field at fault and writes nothing", async () => {
    const before = await db.prisma.fact.count();
    const cases: Array<[Values, Record<string, string | RegExp>]> = [
      [factValues({ title: input.text("   ") }), { title: /must not be empty/i }],
      [factValues({ title: input.text("x".repeat(151)) }), { title: /at most 150 characters/ }],
      [factValues({ source_url: input.text("javascript:alert(1)") }), { source_url: /http\(s\) URL/ }],
      [factValues({ source_title: input.text(null), source_url: input.text(null) }), { source_title: /source title or URL/ }],
      [factValues({ kind: input.select("deadline"), due_date: input.date("2017-07-01") }), { due_date: /before the fact's own date/ }],
      [factValues({ kind: input.select("deadline") }), { due_date: /needs a due date/ }],
      [factValues({ kind: input.select("deadline"), after_days: input.number("30"), after_from: input.select("999999") }), { after_from: /no longer exists/ }],
      [factValues({ actor: input.select("other") }), { actor_name: /Name the person or body/ }],
      [factValues({ due_date: input.date("2017-08-01") }), { due_date: /Only a deadline/ }],
    ];
    for (const [values, expected] of cases) {
      const res = await submit(values);
      expect(res.status).toBe(200);
      const ack = res.json as { response_action: string; errors: Record<string, string> };
      expect(ack.response_action).toBe("errors");
      for (const [block, message] of Object.entries(expected)) expect(ack.errors[block]).toMatch(message);
    }
    expect(await db.prisma.fact.count()).toBe(before);
  });

  it("refuses a fact with the same date, title and source as another, under the title", async () => {
    await submit(factValues({ title: input.text("Duplicate check") }));
    const res = await submit(factValues({ title: input.text("Duplicate check") }));
    expect((res.json as { errors: Record<string, string> }).errors.title).toMatch(/already has this date, title and source/);
  });

  it("computes a relative deadline: 30 days after the 12 July request", async () => {
    const request = await db.prisma.fact.findFirstOrThrow({ where: { kind: "event", title: { startsWith: "U.S. requests" } } });
    const res = await submit(
      factValues({
        kind: input.select("deadline"),
        date: input.date("2017-07-12"),
        title: input.text("Second special session deadline (test)"),
        after_days: input.number("30"),
        after_from: input.select(String(request.id)),
      }),
    );
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const row = await db.prisma.fact.findFirstOrThrow({ where: { title: "Second special session deadline (test)" } });
    expect(toFact(row).date).toBe("2017-08-11");
    expect(row.afterFactId).toBe(request.id);
  });

  it("searches with words and filters, ranked, newest first, escaping what users wrote", async () => {
    await submit(factValues({ title: input.text("<!channel> special session rumour"), date: input.date("2017-07-19") }));
    const response = bot.fake.waitForResponse();
    expect((await bot.slack.command("facts special session kind:event")).status).toBe(200);
    const { body } = await response;
    expectWithinBlockLimits(body);
    const text = blocksText(body);
    expect(text).toContain("match* `special session kind:event`");
    expect(text).toContain("*&lt;!channel&gt; special session rumour*");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("*U.S. requests the first-ever special session of the KORUS Joint Committee*");
    const blocks = body.blocks as Array<{ accessory?: { type: string; options: Array<{ value: string }> } }>;
    const menus = blocks.filter((b) => b.accessory?.type === "overflow");
    expect(menus.length).toBeGreaterThan(0);
    expect(menus[0]!.accessory!.options.map((o) => o.value.split(":")[0])).toEqual(["edit", "retract", "history"]);
  });

  it("says no facts match, echoing the query, and explains a bad filter", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("facts zebra crossing since:2017-01-01");
    expect((await response).body.text).toBe("No facts match `zebra crossing since:2017-01-01`.");
    response = bot.fake.waitForResponse();
    await bot.slack.command("facts since:yesterday");
    expect(blocksText((await response).body)).toContain("`since:yesterday` is not a date");
  });

  it("pages through results with More and Previous", async () => {
    for (let i = 1; i <= 12; i++) {
      // Alike on purpose (a likely duplicate of the day before): saved with "save anyway" ticked.
      await submit(
        factValues({
          title: input.text(`Tariff schedule note ${i}`),
          kind: input.select("note"),
          date: input.date(`2017-06-${String(i).padStart(2, "0")}`),
          save_anyway: { value: { type: "checkboxes", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "yes" }] } },
        }),
      );
    }
    let response = bot.fake.waitForResponse();
    await bot.slack.command("facts tariff schedule");
    let body = (await response).body;
    expect(blocksText(body)).toContain("*12 facts match*");
    expect(blocksText(body)).toContain("Showing 1–10");
    const actions = (body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions")!;
    const more = actions.elements!.find((e) => e.action_id.endsWith(":more"))!;
    response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: more.action_id, value: more.value, responseUrl: bot.fake.responseUrl() }));
    body = (await response).body;
    expect(body.replace_original).toBe(true);
    expect(blocksText(body)).toContain("Showing 11–12");
    expect(blocksText(body)).toContain("Tariff schedule note 1*");
  });

  it("refuses an edit by someone who is neither the author nor an admin", async () => {
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title: "Korea names its negotiator" } });
    const response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${fact.id}`, user: OTHER, responseUrl: bot.fake.responseUrl() }));
    expect((await response).body.text).toContain(`Only the author of fact #${fact.id} (<@${AUTHOR}>) or an admin can edit it.`);
    expect(bot.fake.callsTo("views.open")).toHaveLength(0);
    const refused = await submit(factValues({ title: input.text("Hijacked") }), { callbackId: "fact_edit", factId: fact.id, user: OTHER });
    expect((refused.json as { view: { blocks: Array<{ text: { text: string } }> } }).view.blocks[0]!.text.text).toContain("Only the author");
    expect((await db.prisma.fact.findUniqueOrThrow({ where: { id: fact.id } })).title).toBe("Korea names its negotiator");
  });

  it("lets the author edit: the modal opens filled in, and the change is audited", async () => {
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title: "Korea names its negotiator" } });
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `edit:${fact.id}`, user: AUTHOR, responseUrl: bot.fake.responseUrl() }));
    const view = (await opened).body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string; initial_date?: string } }> };
    expect(view.callback_id).toBe("fact_edit");
    expect(JSON.parse(view.private_metadata).factId).toBe(fact.id);
    expect(view.blocks.find((b) => b.block_id === "title")!.element!.initial_value).toBe("Korea names its negotiator");
    expect(view.blocks.find((b) => b.block_id === "date")!.element!.initial_date).toBe("2017-07-20");

    const res = await submit(factValues({ title: input.text("Korea names Yeo Han-koo chief negotiator") }), { callbackId: "fact_edit", factId: fact.id });
    expect((res.json as { view: { title: { text: string } } }).view.title.text).toBe(`Fact #${fact.id} saved`);
    const audits = await db.prisma.factAudit.findMany({ where: { factId: fact.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["create", "edit"]);
    expect((audits[1]!.before as { title: string }).title).toBe("Korea names its negotiator");
    expect((audits[1]!.after as { title: string }).title).toBe("Korea names Yeo Han-koo chief negotiator");
  });

  it("moves a relative deadline when the fact it counts from moves", async () => {
    const base = await submit(factValues({ title: input.text("Round one opens"), date: input.date("2017-09-01"), kind: input.select("event") }));
    const baseId = Number(/#(\d+)/.exec((base.json as { view: { title: { text: string } } }).view.title.text)![1]);
    // A deadline's Date is the day it was set: today (2017-07-20), not a day to come (`known` after today is refused).
    const deadline0 = await submit(
      factValues({
        kind: input.select("deadline"),
        date: input.date("2017-07-20"),
        title: input.text("Round one report due"),
        after_days: input.number("14"),
        after_from: input.select(String(baseId)),
      }),
    );
    expect((deadline0.json as { view: { title: { text: string } } }).view.title.text).toMatch(/^Fact #\d+ added$/);
    const res = await submit(factValues({ title: input.text("Round one opens"), date: input.date("2017-09-05"), kind: input.select("event") }), { callbackId: "fact_edit", factId: baseId });
    expect(blocksText((res.json as { view: object }).view)).toContain("to 2017-09-19");
    const deadline = await db.prisma.fact.findFirstOrThrow({ where: { title: "Round one report due" }, include: { audits: true } });
    expect(toFact(deadline).date).toBe("2017-09-19");
    expect(deadline.audits.map((a) => a.action)).toEqual(["create", "recompute"]);
  });

  it("lets an admin retract with a reason; the fact leaves status and search but keeps its history", async () => {
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { kind: "position", actor: "US" } });
    // The status is cached until the fact store changes: before the retraction it shows the fact.
    expect(blocksText((await bot.slack.command("status")).json as object)).toContain("level playing field");
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `retract:${fact.id}`, user: ADMIN, responseUrl: bot.fake.responseUrl() }));
    expect(((await opened).body.view as { callback_id: string }).callback_id).toBe("fact_retract");
    const empty = await submit({ reason: input.text("  ") }, { callbackId: "fact_retract", factId: fact.id, user: ADMIN });
    expect((empty.json as { errors: Record<string, string> }).errors.reason).toBe("Say why it is retracted.");
    const res = await submit({ reason: input.text("Superseded by the March 2018 position") }, { callbackId: "fact_retract", factId: fact.id, user: ADMIN });
    expect((res.json as { view: { title: { text: string } } }).view.title.text).toBe(`Fact #${fact.id} retracted`);

    expect(blocksText((await bot.slack.command("status")).json as object)).not.toContain("level playing field");
    let response = bot.fake.waitForResponse();
    await bot.slack.command('facts "level playing field"');
    expect((await response).body.text).toBe('No facts match `"level playing field"`.');

    response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "fact_menu", selectedOption: `history:${fact.id}`, user: OTHER, responseUrl: bot.fake.responseUrl() }));
    const history = blocksText((await response).body);
    expect(history).toContain("(retracted)");
    expect(history).toContain("*seed* by korus-bot (seed)");
    expect(history).toContain(`*retract* by <@${ADMIN}> · _Superseded by the March 2018 position_`);
  });

  it("`/korus fact history N` and `fact show N` answer for a fact, and name a missing one", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.command("fact show 1");
    expect(blocksText((await response).body)).toContain("#1");
    response = bot.fake.waitForResponse();
    await bot.slack.command("fact history 999999");
    expect((await response).body.text).toBe("There is no fact #999999.");
    const bad = await bot.slack.command("fact edit twelve");
    expect((bad.json as { text: string }).text).toContain("`fact edit` needs a fact number");
  });
});
