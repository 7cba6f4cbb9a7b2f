/**
 * Issue 23's run-through, as a new user would do it, through the real Bolt app over signed HTTP, the fake Slack Web
 * API and the recorded feeds served on loopback: three feeds added with `/korus feeds add`, a poll, the review cards
 * posted by the delivery machine, one candidate saved from the form and one dismissed, a second poll answered 304
 * (conditional GET), a cited page archived, then gone, shown in the status with its archived copy, and the hostile
 * feeds refused with their messages. With KORUS_RUNTHROUGH=path, what a person saw is also written there.
 */
import { writeFileSync } from "node:fs";
import type { KnownBlock } from "@slack/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import type { FetchSettings } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { DEFAULT_SCHEDULER_SETTINGS } from "../../src/delivery/scheduler.js";
import { type FeedDeps, feedDepsFrom } from "../../src/feeds/deps.js";
import { archiveOutcomeLine, linkCheckLine, pollOutcomeLine } from "../../src/feeds/markdown.js";
import { pollFeeds } from "../../src/feeds/poll.js";
import { parseAllowList, type AllowList } from "../../src/net/address-policy.js";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { drainArchiveQueue } from "../../src/sources/archive.js";
import { checkSources } from "../../src/sources/check.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { FEED_PATHS, FeedServer } from "../support/feed-server.js";
import { capturingLogger } from "../support/logs.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const NY = "America/New_York";
const fetching: FetchSettings = { allow: parseAllowList("127.0.0.1") as AllowList, feedIntervalMs: 30 * 60_000, hostIntervalMs: 0, background: false };
const clock = {
  at: new Date("2026-12-07T15:00:00Z"),
  now() {
    return new Date(this.at);
  },
} satisfies Clock & { at: Date };

describe("issue 23's run-through in Slack", () => {
  let db: Database;
  let bot: RunningBot;
  let server: FeedServer;
  let scheduler: ReturnType<typeof createPostScheduler>;
  const transcript: string[] = [];
  const say = (...lines: string[]) => transcript.push(...lines);
  let base = "";
  const shown = (text: string) => text.split(base).join("http://127.0.0.1:PORT");

  /** The bot's fetcher for the steps a background tick does (poll, archive, check): names other than loopback never resolve. */
  const feedDeps = (): FeedDeps => ({
    ...feedDepsFrom({ timeZone: NY, fetching }, db.prisma, clock, "runthrough"),
    fetch: { allow: fetching.allow, userAgent: "korus-bot run-through", resolve: async (name) => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" })) },
  });

  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    server = await new FeedServer().start();
    base = server.url("");
    bot = await startBot(db, { clock, fetching, ackBudgetMs: 2000 });
    for (const [id, name] of [
      ["U0ANALYST", "Dana Analyst"],
      ["U0LEAD", "Lee Lead"],
    ] as const) {
      await db.prisma.person.create({ data: { id, name, fetchedAt: clock.now() } });
      bot.fake.users.set(id, { realName: name });
    }
    scheduler = createPostScheduler({
      prisma: db.prisma,
      clock,
      timeZone: NY,
      templates: await shippedTemplates(),
      logger: capturingLogger("warn", "runthrough").logger,
      instanceId: "runthrough",
      settings: DEFAULT_SCHEDULER_SETTINGS,
      channelIntervalMs: 0,
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: bot.fake.apiUrl, timeoutMs: 2000 }),
    });
  });
  afterAll(async () => {
    if (process.env.KORUS_RUNTHROUGH) writeFileSync(process.env.KORUS_RUNTHROUGH, `${transcript.join("\n")}\n`);
    await scheduler?.stop();
    await bot?.stop();
    await server?.stop();
    await db?.close();
  });

  /** `/korus text` typed by `user` in #review (C0REVIEW); waits for `answers` replies through response_url. */
  async function korus(text: string, answers = 1, user = "U0ANALYST") {
    const seen = bot.fake.callsTo("response_url").length;
    const ack = await bot.slack.command(text, { channel_id: "C0REVIEW", user_id: user, response_url: bot.fake.responseUrl() });
    if (answers > 0) await bot.fake.waitFor(() => bot.fake.callsTo("response_url").length >= seen + answers, 15_000);
    const replies = [
      ...(ack.json ? [ack.json as object] : []),
      ...bot.fake
        .callsTo("response_url")
        .slice(seen)
        .map((c) => c.body),
    ];
    const text2 = replies.map((r) => readable(r)).join("\n");
    say(
      "",
      `> /korus ${shown(text)}`,
      ...shown(text2)
        .split("\n")
        .map((l) => `  ${l}`),
    );
    return text2;
  }

  /** A message as a reader sees its text, its buttons as [labels]. */
  function readable(message: { blocks?: unknown }): string {
    type Button = { text?: { text: string } };
    return ((message.blocks ?? []) as KnownBlock[])
      .map((b) => (b.type === "actions" ? (b.elements as Button[]).map((e) => `[${e.text?.text ?? ""}]`).join(" ") : b.type === "divider" ? "---" : blocksText({ blocks: [b] })))
      .join("\n");
  }

  it("adds three feeds, polls them, and the review cards are posted once to #review", async () => {
    say("# Issue 23 run-through (Slack, as a new user)", "", `Recorded feeds served on loopback (test/support/feed-server.ts); shown as http://127.0.0.1:PORT. Clock ${clock.now().toISOString()}.`);
    say("", "## 1. Three feeds added in #review (C0REVIEW)");
    await korus("feeds", 1);
    expect(await korus(`feeds add <${server.url(FEED_PATHS.rss)}> korus`, 2)).toContain("Watching feed *#1*");
    expect(await korus(`feeds add ${server.url(FEED_PATHS.federalRegister)} korus keywords:Taiwan,China,Korea`, 2)).toContain("Watching feed *#2*");
    expect(await korus(`feeds add ${server.url(FEED_PATHS.atom)} korus keywords:Java`, 2)).toContain("Watching feed *#3*");

    say("", "## 2. A poll (what the scheduler's tick does; `npx korus feeds poll` prints the same lines)");
    const outcomes = await pollFeeds(feedDeps());
    say(...outcomes.map((o) => `  ${shown(pollOutcomeLine(o, NY))}`));
    expect(outcomes.every((o) => o.result === "new")).toBe(true);
    await korus("feeds", 1);

    say("", "## 3. The review cards, posted by the delivery machine at the next tick");
    const { sent } = await scheduler.runOnce(5000);
    const cards = bot.fake.messages.get("C0REVIEW") ?? [];
    say(`  delivery: ${JSON.stringify(sent)}; ${cards.length} cards in C0REVIEW`);
    expect(cards.length).toBe(await db.prisma.feedCandidate.count());
    const first = cards[0]!;
    const blocks = JSON.stringify(first.blocks as KnownBlock[], null, 1);
    say("  The first card as posted (chat.postMessage blocks, abbreviated to 1,500 characters):", "```json", blocks.length > 1500 ? `${blocks.slice(0, 1500)}\n…` : blocks, "```");
    await scheduler.runOnce(500);
    expect(bot.fake.messages.get("C0REVIEW") ?? []).toHaveLength(cards.length);
    say(`  A second tick: still ${cards.length} cards (each candidate is posted once).`);
  });

  const cardOf = (n: number) => {
    const card = (bot.fake.messages.get("C0REVIEW") ?? [])[n]!;
    const id = (card.metadata as { event_payload: { candidate_id: number } }).event_payload.candidate_id;
    return { id, ts: String(card.ts ?? "1765119600.000100") };
  };
  const click = (actionId: string, candidate: { id: number; ts: string }, user: string) =>
    bot.slack.interaction({
      ...blockAction({ actionId, value: JSON.stringify({ c: candidate.id }), user, responseUrl: bot.fake.responseUrl(), channel: "C0REVIEW", blockId: `candidate:${candidate.id}` }),
      message: { type: "message", ts: candidate.ts, text: "card" },
    });

  it("saves one candidate from the form and dismisses another", async () => {
    say("", "## 4. Save as fact (the form, filled in from the item) and Dismiss");
    const saved = cardOf(0);
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    await click("candidate_save", saved, "U0ANALYST");
    const view = (await opened).body.view as { private_metadata: string; blocks: Array<{ block_id?: string; label?: { text: string }; element?: { initial_value?: string; initial_date?: string } }> };
    const initial = (block: string) => view.blocks.find((b) => b.block_id === block)?.element?.initial_value ?? view.blocks.find((b) => b.block_id === block)?.element?.initial_date;
    say(`  Save as fact on candidate #${saved.id}: views.open, the new-fact form filled in:`);
    for (const field of ["title", "date", "known", "source_title", "source_url"]) say(`    ${field}: ${initial(field)}`);
    const values = {
      kind: input.select("event"),
      date: input.date(initial("date") ?? null),
      known: input.date(initial("known") ?? null),
      title: input.text(initial("title") ?? null),
      summary: input.text(initial("summary") ?? "From the feed."),
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
    const answer = (await bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values, user: "U0ANALYST", privateMetadata: view.private_metadata }))).json as { view: { blocks: unknown[] } };
    say(
      `  Submitted: ${blocksText(answer.view as object)
        .split("\n")
        .join(" / ")}`,
    );
    say(
      `  The card, updated (chat.update): ${blocksText((await updated).body as object)
        .split("\n")
        .at(-1)}`,
    );
    const candidate = await db.prisma.feedCandidate.findUniqueOrThrow({ where: { id: saved.id } });
    expect(candidate.state).toBe("accepted");

    const dismissed = cardOf(1);
    const replaced = bot.fake.waitForResponse();
    await click("candidate_dismiss", dismissed, "U0ANALYST");
    say(
      `  Dismiss on candidate #${dismissed.id}: the card becomes: ${blocksText((await replaced).body as object)
        .split("\n")
        .at(-1)}`,
    );
    const seen = bot.fake.callsTo("response_url").length;
    await click("candidate_irrelevant", dismissed, "U0LEAD");
    await bot.fake.waitFor(() => bot.fake.callsTo("response_url").length >= seen + 2);
    const late = bot.fake
      .callsTo("response_url")
      .slice(seen)
      .map((c) => blocksText(c.body as object))
      .join(" / ");
    say(`  Lee Lead clicks Not relevant on the same card later: ${late}`);
    expect(late).toContain("already dismissed by Dana Analyst");
    await korus("candidates", 1);
    const published = bot.fake.waitFor((c) => c.method === "views.publish" && c.body.user_id === "U0LEAD");
    await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "EvRun1", event: { type: "app_home_opened", user: "U0LEAD", channel: "D0LEAD", tab: "home" } });
    const home = ((await published).body.view as { blocks: KnownBlock[] }).blocks.find((b) => b.block_id === "review_queue")!;
    say("", `  Lee Lead opens the Home tab; it says: ${blocksText({ blocks: [home] })}`);
    expect(blocksText({ blocks: [home] })).toContain("*13 feed items waiting for review*");
  });

  it("a second poll adds nothing: each feed answers 304 to the conditional GET", async () => {
    say("", "## 5. A second poll");
    const before = await db.prisma.feedCandidate.count();
    clock.at = new Date("2026-12-07T16:00:00Z");
    const outcomes = await pollFeeds(feedDeps());
    say(...outcomes.map((o) => `  ${shown(pollOutcomeLine(o, NY))}`));
    const last = server.requestsTo(FEED_PATHS.rss).at(-1)!;
    say(`  The RSS feed's last request carried if-none-match: ${String(last.headers["if-none-match"])}, if-modified-since: ${String(last.headers["if-modified-since"])}`);
    expect(outcomes.every((o) => o.result === "not-modified")).toBe(true);
    expect(await db.prisma.feedCandidate.count()).toBe(before);
    say(`  Candidates: ${before} before, ${await db.prisma.feedCandidate.count()} after.`);
  });

  it("a cited page is archived; once gone, the status shows the dead link with its archived copy", async () => {
    say("", "## 6. A dead link and its archived copy");
    // A teammate saves a fact citing a press page (the form), as one would by hand.
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    await bot.slack.command("fact add", { channel_id: "C0REVIEW", user_id: "U0ANALYST", response_url: bot.fake.responseUrl() });
    const view = (await opened).body.view as { private_metadata: string };
    const values = {
      kind: input.select("event"),
      date: input.date("2024-12-07"),
      known: input.date("2024-12-07"),
      title: input.text("Korea's National Assembly votes on impeaching the president"),
      summary: input.text("The vote after the martial-law declaration."),
      actor: input.select("Korea"),
      actor_name: input.text(null),
      source_title: input.text("NBC News"),
      source_url: input.text(server.url(FEED_PATHS.page)),
      source_title_2: input.text(null),
      source_url_2: input.text(null),
      source_title_3: input.text(null),
      source_url_3: input.text(null),
      due_date: input.date(null),
      after_days: input.number(null),
    };
    await bot.slack.interaction(viewSubmission({ callbackId: "fact_add", values, user: "U0ANALYST", privateMetadata: view.private_metadata }));
    const page = await db.prisma.sourcePage.findFirstOrThrow({ where: { url: server.url(FEED_PATHS.page) } });
    const archived = await drainArchiveQueue(feedDeps(), clock.now(), { ids: [page.id], wait: true });
    say(`  Saved a fact citing ${shown(page.url)}; archived: ${archived.map((o) => shown(archiveOutcomeLine(o))).join("; ")}`);
    server.gone.add(FEED_PATHS.page);
    clock.at = new Date("2026-12-09T15:00:00Z");
    const checks = await checkSources(feedDeps(), { ids: [page.id] });
    say(`  Two days later the page answers 404; sources check: ${checks.map((c) => shown(linkCheckLine(c, NY))).join("; ")}`);
    expect(checks[0]).toMatchObject({ result: "dead", archived: true });
    const status = await korus("status as-of 2024-12-10", 0);
    expect(status).toContain("archived copy, fetched 2026-12-07");
  });

  it("refuses hostile feeds with their messages and stores none", async () => {
    say("", "## 7. Hostile feeds");
    const before = await db.prisma.feed.count();
    for (const url of [
      "http://10.0.0.7/feed.xml",
      "http://169.254.169.254/latest/meta-data/",
      server.url("/hostile/billion-laughs.xml"),
      server.url("/hostile/external-entity.xml"),
      server.url("/hostile/50mb-declared.xml"),
      server.url("/hostile/gzip-bomb.xml"),
      server.url("/page.html"),
      server.url("/hostile/metadata-redirect"),
    ]) {
      expect(await korus(`feeds add ${url}`, 2)).toContain(":no_entry: URL:");
    }
    expect(await db.prisma.feed.count()).toBe(before);
    say("", `Feeds stored after the hostile ones: ${await db.prisma.feed.count()} (as before).`);
  });
});
