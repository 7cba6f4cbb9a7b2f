/**
 * The message shortcut "Save as KORUS fact", through the real receiver with signed `message_action` payloads: the
 * form filled in from the message, then submitted through the `/korus fact add` handler and its rules.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { draftFromMessage } from "../../src/slack/message-draft.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { input, messageAction, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

// 2017-07-13 01:30 UTC: still 12 July in New York.
const TS = "1499909400.000200";
const TEXT =
  "USTR requests a special session of the KORUS Joint Committee &amp; asks for talks within 30 days\n" +
  "Letter: <https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/july/ustr-letter|USTR letter> cc <@U0LEAD> <!channel>\n" +
  "Background <https://example.org/korus>";

type View = { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string; initial_date?: string } }> };

describe("Save as KORUS fact (message shortcut)", () => {
  let db: Database;
  let bot: RunningBot;
  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock("2017-07-20T15:00:00Z") });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });
  beforeEach(() => {
    bot.fake.calls.length = 0;
  });

  async function openFromMessage(text: string): Promise<View> {
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    const res = await bot.slack.interaction(messageAction({ callbackId: "save_as_fact", text, ts: TS }));
    expect(res.status).toBe(200);
    return (await opened).body.view as View;
  }

  const initial = (view: View, block: string) => {
    const element = view.blocks.find((b) => b.block_id === block)?.element;
    return element?.initial_value ?? element?.initial_date;
  };

  it("opens the new-fact form filled in from the message: first line as title, text as summary, permalink and links as sources, its day as date", async () => {
    bot.fake.on("chat.getPermalink", (b) => ({ ok: true, channel: b.channel, permalink: `https://example.slack.com/archives/${b.channel}/p1499909400000200` }));
    const view = await openFromMessage(TEXT);
    expect(view.callback_id).toBe("fact_add");
    expect(initial(view, "date")).toBe("2017-07-12");
    expect(initial(view, "title")).toBe("USTR requests a special session of the KORUS Joint Committee & asks for talks within 30 days");
    expect(initial(view, "source_url")).toBe("https://example.slack.com/archives/C0TEAM/p1499909400000200");
    expect(initial(view, "source_title")).toBe("Slack message in #korus-team, 2017-07-12");
    // The links in the message are the next sources (the form holds three in all).
    expect(initial(view, "source_url_2")).toBe("https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/july/ustr-letter");
    expect(initial(view, "source_url_3")).toBe("https://example.org/korus");
    const summary = initial(view, "summary")!;
    expect(summary).toContain("Letter: [USTR letter](https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/july/ustr-letter) cc @U0LEAD @channel");
    expect(summary).not.toContain("Further sources:");
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: "C0TEAM" });
  });

  it("lists the links beyond the form's three sources at the end of the summary", async () => {
    bot.fake.on("chat.getPermalink", (b) => ({ ok: true, channel: b.channel, permalink: `https://example.slack.com/archives/${b.channel}/p1` }));
    const view = await openFromMessage("Four links <https://a.example/1> <https://b.example/2> <https://c.example/3> <https://d.example/4>");
    expect([initial(view, "source_url"), initial(view, "source_url_2"), initial(view, "source_url_3")]).toEqual([
      "https://example.slack.com/archives/C0TEAM/p1",
      "https://a.example/1",
      "https://b.example/2",
    ]);
    expect(initial(view, "summary")).toContain("Further sources:\n- https://c.example/3\n- https://d.example/4");
  });

  it("falls back to the archive link when chat.getPermalink fails", async () => {
    bot.fake.on("chat.getPermalink", () => ({ ok: false, error: "channel_not_found" }));
    const view = await openFromMessage("A short note");
    expect(initial(view, "source_url")).toBe(`https://example.slack.com/archives/C0TEAM/p${TS.replace(".", "")}`);
  });

  it("its submission goes through the fact-add handler: errors under the field, then the fact saved by the submitter", async () => {
    const draft = draftFromMessage({ text: TEXT, date: "2017-07-12", permalink: "https://example.slack.com/archives/C0TEAM/p1499909400000200" });
    const values = {
      kind: input.select(null),
      date: input.date(draft.date),
      title: input.text(draft.title),
      summary: input.text(draft.summary),
      actor: input.select("US"),
      actor_name: input.text(null),
      source_title: input.text(draft.sources[0]!.title ?? null),
      source_url: input.text(draft.sources[0]!.url ?? null),
      source_title_2: input.text(null),
      source_url_2: input.text(draft.sources[1]?.url ?? null),
      source_title_3: input.text(null),
      source_url_3: input.text(draft.sources[2]?.url ?? null),
      due_date: input.date(null),
      after_days: input.number(null),
    };
    const submit = (v: Record<string, Record<string, unknown>>) =>
      bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values: v, user: "U0SAVER", privateMetadata: JSON.stringify({ channel: "C0TEAM" }) }));
    const refused = (await submit(values)).json as { response_action: string; errors: Record<string, string> };
    expect(refused.response_action).toBe("errors");
    expect(Object.keys(refused.errors)).toEqual(["kind"]);
    // The message reports what the seed's fact #1 says (same kind and day, a similar title): the form asks first.
    const duplicate = (await submit({ ...values, kind: input.select("event") })).json as { response_action: string; errors: Record<string, string> };
    expect(duplicate.response_action).toBe("errors");
    expect(duplicate.errors.title).toContain("Looks like fact #1 (2017-07-12");
    const saved = (
      await submit({ ...values, kind: input.select("event"), save_anyway: { value: { type: "checkboxes", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "yes" }] } } })
    ).json as { response_action: string };
    expect(saved).toMatchObject({ response_action: "update" });
    const row = await db.prisma.fact.findFirstOrThrow({ where: { title: draft.title } });
    expect(row.createdBy).toBe("U0SAVER");
    expect(row.sourceUrl).toBe("https://example.slack.com/archives/C0TEAM/p1499909400000200");
    expect(row.sources).toEqual([
      { title: "Slack message, 2017-07-12", url: "https://example.slack.com/archives/C0TEAM/p1499909400000200" },
      { url: "https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/july/ustr-letter" },
      { url: "https://example.org/korus" },
    ]);
  });

  it("refuses a message_action with a missing or malformed message before Bolt sees it", async () => {
    const bad = messageAction({ callbackId: "save_as_fact", text: "x", ts: TS }) as Record<string, unknown>;
    expect((await bot.slack.interaction({ ...bad, message: null })).status).toBe(400);
    expect((await bot.slack.interaction({ ...bad, message: { ts: "not-a-ts" } })).status).toBe(400);
    expect((await bot.slack.interaction({ ...bad, channel: null })).status).toBe(400);
    expect(bot.fake.callsTo("views.open")).toHaveLength(0);
  });
});
