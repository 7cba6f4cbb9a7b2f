/**
 * `/korus feeds` and `/korus candidates` through the real Bolt app over signed HTTP, the fake Slack Web API and the
 * recorded feeds served on loopback (test/support/feed-server.ts): feeds added (checked by fetching them once) and
 * listed with their last poll and candidates waiting, hostile feeds refused with their reasons and nothing stored,
 * the candidates waiting listed with their buttons (a decision there leaves the other cards), the Home tab's count,
 * did-you-mean, and every feed's and item's text escaped.
 */
import type { KnownBlock } from "@slack/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { FetchSettings } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { feedDepsFrom } from "../../src/feeds/deps.js";
import { pollFeeds } from "../../src/feeds/poll.js";
import { parseAllowList, type AllowList } from "../../src/net/address-policy.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { FEED_PATHS, FeedServer, HOSTILE_TITLES } from "../support/feed-server.js";
import { blockAction } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const NOW = new Date("2026-12-07T15:00:00Z");
const fetching: FetchSettings = { allow: parseAllowList("127.0.0.1") as AllowList, feedIntervalMs: 30 * 60_000, hostIntervalMs: 0, background: false };

describe("/korus feeds and /korus candidates in Slack", () => {
  let db: Database;
  let bot: RunningBot;
  let feeds: FeedServer;
  const clock = fixedClock(NOW);

  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    feeds = await new FeedServer().start();
    bot = await startBot(db, { clock, fetching });
    for (const [id, name] of [
      ["U0ANALYST", "Dana Analyst"],
      ["U0OTHER", "Lee Other"],
    ] as const) {
      await db.prisma.person.create({ data: { id, name, fetchedAt: NOW } });
      bot.fake.users.set(id, { realName: name });
    }
  });
  afterAll(async () => {
    await bot?.stop();
    await feeds?.stop();
    await db?.close();
  });

  /** Types `/korus text` in `channel`; returns the ack and the answers sent through response_url (waits for `answers`). */
  async function korus(text: string, options: { channel?: string; user?: string; answers?: number } = {}) {
    const seen = bot.fake.callsTo("response_url").length;
    const ack = await bot.slack.command(text, { channel_id: options.channel ?? "C0REVIEW", user_id: options.user ?? "U0ANALYST", response_url: bot.fake.responseUrl() });
    const want = options.answers ?? 1;
    if (want > 0) await bot.fake.waitFor(() => bot.fake.callsTo("response_url").length >= seen + want, 10_000);
    const answers = bot.fake
      .callsTo("response_url")
      .slice(seen)
      .map((c) => c.body as { text: string; blocks: KnownBlock[]; replace_original?: boolean; response_type?: string });
    if (process.env.SHOW) console.info(`/korus ${text}\n${answers.map((a) => blocksText(a)).join("\n")}`);
    return { ack, answers, last: answers.at(-1)!, text: answers.map((a) => blocksText(a)).join("\n") };
  }

  it("says how to add a feed when none is watched, and answers after the ack", async () => {
    const { ack, last } = await korus("feeds");
    expect(ack.status).toBe(200);
    expect(ack.text).toBe("");
    expect(last.response_type).toBe("ephemeral");
    expect(blocksText(last)).toContain("No feeds are watched yet. Add one: `/korus feeds add URL [topic] [#channel] [keywords:Korea,KORUS]`");
  });

  it("adds feeds (a link as Slack sends it, a topic, a #channel, keywords), says it is checking first, and reviews in the channel typed in by default", async () => {
    const rss = await korus(`feeds add <${feeds.url(FEED_PATHS.rss)}> korus`, { answers: 2 });
    expect(blocksText(rss.answers[0]!)).toContain(":hourglass_flowing_sand: Checking");
    expect(blocksText(rss.last)).toMatch(
      /:white_check_mark: Watching feed \*#1\* .* \(RSS\) for topic `korus`: every item \(no keywords\); its new items are posted for review in <#C0REVIEW>\. It has \d+ items now, \d+ matching\./,
    );
    const atom = await korus(`feeds add ${feeds.url(FEED_PATHS.atom)} <#C0OTHER|trade-review> keywords:Java,Release`, { answers: 2 });
    expect(blocksText(atom.last)).toContain("items naming Java, Release; its new items are posted for review in <#C0OTHER>");
    const fr = await korus(`feeds add ${feeds.url(FEED_PATHS.federalRegister)} korus keywords:Korea,KORUS,steel`, { answers: 2 });
    expect(blocksText(fr.last)).toContain("Federal Register");
    const stored = await db.prisma.feed.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((f) => [f.topic, f.channels, f.keywords, f.createdBy])).toEqual([
      ["korus", ["C0REVIEW"], [], "U0ANALYST"],
      ["korus", ["C0OTHER"], ["Java", "Release"], "U0ANALYST"],
      ["korus", ["C0REVIEW"], ["Korea", "KORUS", "steel"], "U0ANALYST"],
    ]);
  });

  it("refuses hostile feeds with their reasons, stores nothing, and escapes what they quote", async () => {
    const before = await db.prisma.feed.count();
    const refused = async (url: string) => blocksText((await korus(`feeds add ${url}`, { answers: 2 })).last);
    expect(await refused("http://10.1.2.3/feed.xml")).toMatch(/^:no_entry: URL: .*(private|not public)/i);
    expect(await refused("http://169.254.169.254/latest/meta-data/")).toMatch(/^:no_entry: URL: /);
    expect(await refused(feeds.url("/hostile/billion-laughs.xml"))).toMatch(/^:no_entry: URL: .*entit/i);
    expect(await refused(feeds.url("/hostile/external-entity.xml"))).toMatch(/^:no_entry: URL: .*entit/i);
    expect(await refused(feeds.url("/hostile/50mb-declared.xml"))).toMatch(/^:no_entry: URL: .*(MB|large|size)/i);
    expect(await refused(feeds.url("/page.html"))).toMatch(/^:no_entry: URL: .*(HTML|not a feed)/i);
    const typed = await korus("feeds add ftp://example.org/feed.xml", { answers: 2 });
    expect(blocksText(typed.last)).toMatch(/^:no_entry: URL: .*http/i);
    expect(await db.prisma.feed.count()).toBe(before);
    // Not a URL at all, and two topics: a usage line, no fetch.
    const noUrl = await korus("feeds add");
    expect(blocksText(noUrl.last)).toContain("`feeds add` needs the feed's address.");
    const twoTopics = await korus(`feeds add ${feeds.url(FEED_PATHS.rss)} korus kftA`);
    expect(blocksText(twoTopics.last)).toContain("a feed has one topic");
    // channel:… is read at Slack's edge: a mention inside the word is its id; anything else is not a channel.
    const badChannel = await korus(`feeds add ${feeds.url(FEED_PATHS.rss)} korus channel:<@U0ANALYST>,general`);
    expect(blocksText(badChannel.last)).toContain("`&lt;@U0ANALYST&gt;` is not a Slack channel id: write it like C0123ABCD, or pick the channel from the # menu.");
    expect(await db.prisma.feed.count()).toBe(before);
  });

  it("lists the feeds with name, URL, last poll and candidates waiting, hostile titles escaped", async () => {
    const hostile = await korus(`feeds add ${feeds.url("/hostile/titles.rss")} korus`, { answers: 2 });
    expect(blocksText(hostile.last)).toContain("Watching feed *#4*");
    await pollFeeds(feedDepsFrom({ timeZone: "America/New_York", fetching }, db.prisma, clock, "test"));
    const { last } = await korus("feeds");
    const text = blocksText(last);
    expect(text).toContain("*Watched feeds* (4)");
    expect(text).toMatch(
      /\*#1\* .* · RSS · topic `korus`\n<http:\/\/127\.0\.0\.1:\d+\/ruiz\/rss\.xml\|http:\/\/127\.0\.0\.1:\d+\/ruiz\/rss\.xml>\nlast poll Mon 2026-12-07 10:00 EST \(200: 10 items, 10 matched, 10 new\) · \*10 new candidates waiting\*, 0 saved · reviewed in <#C0REVIEW>/,
    );
    const hostileCount = await db.prisma.feedCandidate.count({ where: { feedId: 4 } });
    expect(hostileCount).toBe(HOSTILE_TITLES.length);
    expect(text).toMatch(new RegExp(`\\*#4\\*[^\\n]*\\n[^\\n]*\\n[^\\n]*\\*${hostileCount} new candidates waiting\\*`));
    expect(JSON.stringify(last.blocks)).not.toMatch(/<!channel>|<!everyone>|<https:\/\/evil/);
    expect(text).toContain("waiting for review: `/korus candidates`.");
  });

  it("lists the candidates waiting with their buttons, titles as text; a decision in the list leaves the other cards, a late one names who decided", async () => {
    const pending = await db.prisma.feedCandidate.count({ where: { state: "pending" } });
    const { last } = await korus("candidates");
    expect(blocksText(last)).toContain(`*${pending} candidates waiting for review* (the newest 10)`);
    const actions = last.blocks.filter((b): b is KnownBlock & { type: "actions"; block_id: string; elements: Array<{ action_id: string; value: string }> } => b.type === "actions");
    expect(actions).toHaveLength(10);
    expect(actions[0]!.elements.map((e) => e.action_id)).toEqual(["candidate_save", "candidate_dismiss", "candidate_irrelevant"]);
    expect(last.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(last.blocks)).not.toMatch(/<!channel>|<!everyone>|<https:\/\/evil|<@U012ABCDEF>/);
    expect(blocksText(last)).toContain(`${pending - 10} more: decide these first`);

    const hostileIds = (await db.prisma.feedCandidate.findMany({ where: { feedId: 4 }, orderBy: { id: "asc" } })).map((c) => c.id);
    const inList = await korus("candidates list korus");
    const card = inList.last.blocks.find((b) => b.type === "actions" && (b as { block_id: string }).block_id === `candidate-list:${hostileIds[0]}`) as
      | { block_id: string; elements: Array<{ action_id: string; value: string }> }
      | undefined;
    expect(card, "the hostile items are the newest").toBeDefined();
    const click = (user: string) =>
      bot.slack.interaction(blockAction({ actionId: "candidate_dismiss", value: card!.elements[1]!.value, blockId: card!.block_id, user, responseUrl: bot.fake.responseUrl(), channel: "C0REVIEW" }));
    const told = bot.fake.waitForResponse();
    expect((await click("U0ANALYST")).status).toBe(200);
    const decided = (await told).body as { replace_original: boolean; response_type: string; blocks: KnownBlock[] };
    expect(decided.replace_original).toBe(false);
    expect(decided.response_type).toBe("ephemeral");
    expect(blocksText(decided)).toContain("Dismissed by <@U0ANALYST>");
    expect(JSON.stringify(decided.blocks)).not.toContain("<!channel>");

    const seen = bot.fake.callsTo("response_url").length;
    await click("U0OTHER");
    await bot.fake.waitFor(() => bot.fake.callsTo("response_url").length > seen);
    const late = bot.fake
      .callsTo("response_url")
      .slice(seen)
      .map((c) => c.body as { replace_original?: boolean; blocks?: KnownBlock[]; text?: string });
    expect(late.map((a) => blocksText(a)).join("\n")).toContain(`Candidate #${hostileIds[0]} was already dismissed by Dana Analyst on 2026-12-07.`);
    expect(
      late.some((a) => a.replace_original === true),
      "the list is not replaced by one card",
    ).toBe(false);
    expect(await db.prisma.feedCandidate.count({ where: { state: "dismissed" } })).toBe(1);
  });

  it("counts the candidates waiting on the Home tab, with where to review them", async () => {
    const waiting = await db.prisma.feedCandidate.count({ where: { state: "pending" } });
    const published = bot.fake.waitFor((c) => c.method === "views.publish" && c.body.user_id === "U0ANALYST");
    await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "EvFeeds1", event: { type: "app_home_opened", user: "U0ANALYST", channel: "D0ANA", tab: "home" } });
    const view = (await published).body.view as { blocks: KnownBlock[] };
    const queue = view.blocks.find((b) => b.block_id === "review_queue");
    expect(blocksText({ blocks: [queue] })).toBe(`:inbox_tray: *${waiting} feed items waiting for review* in \`korus\`: \`/korus candidates\` lists them with their Save as fact and Dismiss buttons.`);
  });

  it("answers near misses with did-you-mean, and says where polling and deciding by number are done", async () => {
    const typo = await bot.slack.command(`feeds ad ${feeds.url(FEED_PATHS.rss)}`, { channel_id: "C0REVIEW" });
    expect(blocksText(typo.json as object)).toContain(`\`feeds ad\` is not a feeds command. Did you mean \`feeds add ${feeds.url(FEED_PATHS.rss)}\`?`);
    expect(blocksText((await bot.slack.command("candidtes")).json as object)).toContain("Did you mean `candidates`?");
    expect(blocksText((await bot.slack.command("feeds poll")).json as object)).toContain(
      "`feeds poll` works in the local console and the `korus` command, not here. The bot polls each feed on its own schedule",
    );
    expect(blocksText((await bot.slack.command("candidates accept 3")).json as object)).toContain("the buttons on each card of `/korus candidates`");
    expect(blocksText((await bot.slack.command("feeds everything")).json as object)).toContain("`feeds everything` is not a feeds command.");
    const badList = await korus("feeds list everything");
    expect(blocksText(badList.last)).toContain("`feeds` takes nothing more");
  });

  it("removes a feed: its waiting candidates are dismissed; an unknown one is named", async () => {
    const waiting = await db.prisma.feedCandidate.count({ where: { feedId: 4, state: "pending" } });
    const { last } = await korus("feeds remove #4");
    expect(blocksText(last)).toContain(`Stopped watching feed *#4* “&lt;!here&gt; Hostile [feed](https://evil.example)”; ${waiting} waiting candidates dismissed, facts saved from it stay.`);
    expect((await db.prisma.feed.findUniqueOrThrow({ where: { id: 4 } })).removedAt).not.toBeNull();
    expect(blocksText((await korus("feeds remove 99")).last)).toContain("There is no feed #99");
    expect(blocksText((await korus("feeds remove four")).last)).toContain("`feeds remove` takes the feed's number");
  });
});
