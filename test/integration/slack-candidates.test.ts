/**
 * Feed candidates' review queue in Slack, through the real Bolt app over signed HTTP and the fake Slack Web API: the
 * delivery machine posts each new candidate once to its feed's review channel as a card (src/feeds/candidate-kind.ts),
 * and its buttons save it as a fact through the new-fact form, dismiss it, or mark it not relevant. Stale and hostile
 * button payloads get a kind answer and change nothing; a hostile title is text everywhere.
 */
import type { KnownBlock } from "@slack/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import type { DeliveryScheduler } from "../../src/delivery/scheduler.js";
import { DEFAULT_SCHEDULER_SETTINGS } from "../../src/delivery/scheduler.js";
import { escapeMrkdwn } from "../../src/render/escape.js";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { STALE_TEXT } from "../../src/slack/views/expired.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { capturingLogger } from "../support/logs.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const NOW = new Date("2026-12-07T15:00:00Z");
const EVIL = "USTR <!channel> notice *bold* <https://evil.example|click> [x](https://evil.example) @here";

describe("feed candidates reviewed in Slack", () => {
  let db: Database;
  let bot: RunningBot;
  let scheduler: DeliveryScheduler;
  const ids: Record<"hostile" | "plain" | "third" | "old", number> = { hostile: 0, plain: 0, third: 0, old: 0 };

  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    const clock = fixedClock(NOW);
    bot = await startBot(db, { clock });
    // The person who dismisses first, by name in what a later click hears (src/people).
    for (const [id, name] of [
      ["U0ANALYST", "Dana Analyst"],
      ["U0SAVER", "Sam Saver"],
    ] as const) {
      await db.prisma.person.create({ data: { id, name, fetchedAt: NOW } });
      bot.fake.users.set(id, { realName: name });
    }
    const feed = await db.prisma.feed.create({
      data: { url: "https://feeds.example/ustr.xml", topic: "korus", channels: ["C0REVIEW"], actor: "US", kind: "rss", title: "USTR press releases", host: "feeds.example", createdBy: "U0FEEDER" },
    });
    const candidate = (title: string, day: string, key: string, createdAt = NOW) =>
      db.prisma.feedCandidate.create({
        data: {
          feedId: feed.id,
          itemKey: key,
          itemId: key,
          topic: "korus",
          title,
          url: `https://ustr.example/${key}`,
          summary: `Summary of ${title}`,
          publishedOn: new Date(`${day}T00:00:00Z`),
          sourceTitle: "USTR",
          createdAt,
        },
      });
    ids.hostile = (await candidate(EVIL, "2026-12-04", "a")).id;
    ids.plain = (await candidate("USTR and Korea agree on steel quota review", "2026-12-05", "b")).id;
    ids.third = (await candidate("Korea trade ministry statement on autos", "2026-12-06", "c")).id;
    // Found long before: part of the queue `korus candidates list` shows, not news for the channel.
    ids.old = (await candidate("An old item", "2026-11-01", "d", new Date("2026-11-01T12:00:00Z"))).id;
    scheduler = createPostScheduler({
      prisma: db.prisma,
      clock,
      timeZone: "America/New_York",
      templates: await shippedTemplates(),
      logger: capturingLogger("warn", "candidates").logger,
      instanceId: "candidates-test",
      settings: DEFAULT_SCHEDULER_SETTINGS,
      channelIntervalMs: 0,
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: bot.fake.apiUrl, timeoutMs: 2000 }),
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await bot?.stop();
    await db?.close();
  });

  const cards = () => bot.fake.messages.get("C0REVIEW") ?? [];
  const cardOf = (id: number) => cards().find((m) => (m.metadata as { event_payload?: { candidate_id?: number } }).event_payload?.candidate_id === id)!;
  const click = (actionId: string, value: string, user = "U0ANALYST") => {
    const payload = { ...blockAction({ actionId, value, user, responseUrl: bot.fake.responseUrl(), channel: "C0REVIEW" }), message: { type: "message", ts: "1765119600.000100", text: "card" } };
    return bot.slack.interaction(payload);
  };

  it("posts each new candidate once to its feed's review channel, with its buttons, its title as text, and nothing twice", async () => {
    const { events, sent } = await scheduler.runOnce(2000);
    expect(events.filter((e) => e.kind === "feed_candidate")).toHaveLength(3);
    expect(sent).toMatchObject({ sent: 3, failed: 0 });
    expect(cards()).toHaveLength(3);
    expect(cardOf(ids.old)).toBeUndefined();
    const hostile = cardOf(ids.hostile);
    expect((hostile.metadata as { event_type: string }).event_type).toBe("korus_feed_candidate");
    const blocks = hostile.blocks as KnownBlock[];
    console.info(`[candidates] the review card as posted (blocks):\n${JSON.stringify(blocks, null, 1)}`);
    const section = JSON.stringify(blocks[0]);
    expect(section).toContain(escapeMrkdwn("<!channel>").replace(/"/g, '\\"'));
    expect(section).not.toContain("<!channel>");
    expect(section).not.toContain("<https://evil.example|click>");
    expect(String(hostile.text)).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(blocksText({ blocks })).toContain("2026-12-04 · USTR · topic `korus`");
    const buttons = (blocks.find((b) => b.type === "actions") as { elements: Array<{ action_id: string; value: string; text: { text: string } }> }).elements;
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ["candidate_save", "Save as fact"],
      ["candidate_dismiss", "Dismiss"],
      ["candidate_irrelevant", "Not relevant to this topic"],
    ]);
    expect(buttons.every((b) => b.value === JSON.stringify({ c: ids.hostile }))).toBe(true);
    // A second tick (and a second instance) posts nothing again.
    await scheduler.runOnce(300);
    expect(cards()).toHaveLength(3);
  });

  it("Dismiss decides the candidate and turns the card into who dismissed it; a second click says who did, kindly", async () => {
    const replaced = bot.fake.waitForResponse();
    expect((await click("candidate_dismiss", JSON.stringify({ c: ids.hostile }))).status).toBe(200);
    const card = (await replaced).body as { replace_original: boolean; blocks: KnownBlock[] };
    expect(card.replace_original).toBe(true);
    expect(blocksText(card)).toContain("Dismissed by <@U0ANALYST>");
    expect(JSON.stringify(card.blocks)).not.toContain("candidate_dismiss");
    expect((await db.prisma.feedCandidate.findUniqueOrThrow({ where: { id: ids.hostile } })).state).toBe("dismissed");

    const before = bot.fake.callsTo("response_url").length;
    await click("candidate_irrelevant", JSON.stringify({ c: ids.hostile }), "U0OTHER");
    await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").length >= before + 2);
    const answers = bot.fake
      .callsTo("response_url")
      .slice(before)
      .map((c) => blocksText(c.body as object));
    expect(answers.join("\n")).toContain(`Candidate #${ids.hostile} was already dismissed by Dana Analyst on 2026-12-07.`);
    expect(answers.join("\n")).not.toContain("by U0ANALYST");
    expect(answers.join("\n")).toContain("Dismissed by <@U0ANALYST>"); // the card, for whoever clicked late
    expect((await db.prisma.feedCandidate.findUniqueOrThrow({ where: { id: ids.hostile } })).state).toBe("dismissed");
  });

  it("stale or hostile button values are answered kindly and change nothing", async () => {
    for (const value of ["not json", JSON.stringify({ c: -1 }), JSON.stringify({ c: "1; drop table" }), JSON.stringify({ c: 1e12 }), JSON.stringify({})]) {
      const before = bot.fake.callsTo("response_url").length;
      expect((await click("candidate_dismiss", value)).status).toBe(200);
      const answer = await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").indexOf(c) >= before);
      expect(blocksText(answer.body as object)).toContain(STALE_TEXT.slice(0, 40));
    }
    const before = bot.fake.callsTo("response_url").length;
    await click("candidate_dismiss", JSON.stringify({ c: 987654 }));
    const gone = await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").indexOf(c) >= before);
    expect(blocksText(gone.body as object)).toContain("There is no candidate #987654");
    expect(await db.prisma.feedCandidate.count({ where: { state: { not: "pending" } } })).toBe(1);
  });

  it("Save as fact opens the new-fact form filled in from the item; its submission saves the fact in the feed's topic and marks the card", async () => {
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    await click("candidate_save", JSON.stringify({ c: ids.plain }), "U0SAVER");
    const view = (await opened).body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string; initial_date?: string } }> };
    const initial = (block: string) => {
      const element = view.blocks.find((b) => b.block_id === block)?.element;
      return element?.initial_value ?? element?.initial_date;
    };
    expect(view.callback_id).toBe("fact_add");
    expect(initial("title")).toBe("USTR and Korea agree on steel quota review");
    expect(initial("date")).toBe("2026-12-05");
    expect(initial("known")).toBe("2026-12-05");
    expect(initial("source_url")).toBe(`https://ustr.example/b`);
    expect(initial("source_title")).toBe("USTR: USTR and Korea agree on steel quota review");
    const meta = JSON.parse(view.private_metadata) as { candidate: { id: number; channel: string; ts: string } };
    expect(meta.candidate).toEqual({ id: ids.plain, channel: "C0REVIEW", ts: "1765119600.000100" });

    const values = {
      kind: input.select("event"),
      date: input.date("2026-12-05"),
      known: input.date("2026-12-05"),
      title: input.text(initial("title") ?? null),
      summary: input.text("Summary of the steel quota review"),
      actor: input.select("US"),
      actor_name: input.text(null),
      source_title: input.text(initial("source_title") ?? null),
      source_url: input.text(initial("source_url") ?? null),
      source_title_2: input.text(null),
      source_url_2: input.text(null),
      source_title_3: input.text(null),
      source_url_3: input.text(null),
      due_date: input.date(null),
      after_days: input.number(null),
    };
    const updated = bot.fake.waitFor((c) => c.method === "chat.update");
    const saved = (await bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values, user: "U0SAVER", privateMetadata: view.private_metadata }))).json as {
      response_action: string;
      view: unknown;
    };
    expect(saved.response_action).toBe("update");
    expect(JSON.stringify(saved.view)).toContain(`Candidate #${ids.plain} is marked saved.`);
    const candidate = await db.prisma.feedCandidate.findUniqueOrThrow({ where: { id: ids.plain } });
    expect(candidate).toMatchObject({ state: "accepted", decidedBy: "U0SAVER" });
    const fact = await db.prisma.fact.findUniqueOrThrow({ where: { id: candidate.factId! } });
    expect(fact).toMatchObject({ title: "USTR and Korea agree on steel quota review", topic: "korus", createdBy: "U0SAVER" });
    const card = (await updated).body as { channel: string; ts: string; blocks: unknown };
    expect(card).toMatchObject({ channel: "C0REVIEW", ts: "1765119600.000100" });
    expect(blocksText(card as object)).toContain(`Saved as fact #${fact.id} by <@U0SAVER>`);

    // A Save as fact clicked late (on a card not yet refreshed) opens no form and says what happened.
    const before = bot.fake.callsTo("response_url").length;
    const opens = bot.fake.callsTo("views.open").length;
    await click("candidate_save", JSON.stringify({ c: ids.plain }));
    const told = await bot.fake.waitFor((c) => c.method === "response_url" && bot.fake.callsTo("response_url").indexOf(c) >= before);
    expect(blocksText(told.body as object)).toContain(`Candidate #${ids.plain} was already saved as fact #${fact.id} by Sam Saver.`);
    expect(bot.fake.callsTo("views.open")).toHaveLength(opens);
  });

  it("Not relevant to this topic marks it so for the feed's keywords, and the card says so", async () => {
    const replaced = bot.fake.waitForResponse();
    await click("candidate_irrelevant", JSON.stringify({ c: ids.third }), "U0LEAD");
    expect(blocksText((await replaced).body as object)).toContain("Marked not relevant to `korus` by <@U0LEAD>");
    expect((await db.prisma.feedCandidate.findUniqueOrThrow({ where: { id: ids.third } })).state).toBe("irrelevant");
  });
});
