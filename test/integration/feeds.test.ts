/**
 * Feeds end to end on a real database (PGlite) and a real web server on 127.0.0.1 serving recorded real documents:
 * adding (checked), polling (conditional GET, exactly once across instances, per-host pacing, backoff), candidates
 * (duplicates, accept through the facts service, dismiss, not relevant), and hostile feeds and titles.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Clock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseAllowList, NO_EXCEPTIONS, type AllowList } from "../../src/net/address-policy.js";
import { acceptCandidate, candidateDraft, dismissCandidate, listCandidates } from "../../src/feeds/candidates.js";
import { type FeedDeps, FeedError } from "../../src/feeds/deps.js";
import { addFeed, listFeeds, removeFeed } from "../../src/feeds/feeds.js";
import { candidatesMarkdown, feedsMarkdown } from "../../src/feeds/markdown.js";
import { pollDueFeeds, pollFeeds } from "../../src/feeds/poll.js";
import { addFact, FactError } from "../../src/facts/service.js";
import { getStatus } from "../../src/status/service.js";
import { statusMessage } from "../../src/slack/views/status.js";
import { blocksText } from "../support/block-limits.js";
import { FEED_PATHS, FeedServer, HOSTILE_TITLES } from "../support/feed-server.js";
import { createTestDatabase } from "../support/test-db.js";

const NY = "America/New_York";
const allowLoopback = parseAllowList("127.0.0.1") as AllowList;
let server: FeedServer;
let db: Database;
const clock = {
  at: new Date("2026-12-07T15:00:00Z"),
  now() {
    return new Date(this.at);
  },
} satisfies Clock & { at: Date };

function deps(overrides: Partial<FeedDeps> = {}): FeedDeps {
  return {
    prisma: db.prisma,
    clock,
    timeZone: NY,
    // Names other than the fixture server's never resolve: nothing outside loopback is asked, not even DNS.
    fetch: { allow: allowLoopback, userAgent: "korus-bot tests", resolve: async (name) => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" })) },
    settings: { feedIntervalMs: 30 * 60_000, hostIntervalMs: 0 },
    instanceId: "test-a",
    sleep: async () => undefined,
    ...overrides,
  };
}

beforeAll(async () => {
  server = await new FeedServer().start();
});
afterAll(async () => {
  await server.stop();
});

describe("three feeds, polled, reviewed", () => {
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  test("adding a feed fetches it once and finds its kind; a bad or hostile one is refused with nothing stored", async () => {
    const rss = await addFeed(deps(), { url: server.url(FEED_PATHS.rss), topic: "korus", keywords: "Medicare, budget", channels: ["C0123ABCD"], actor: "Rep. Ruiz" }, "U1");
    expect(rss.check).toEqual({ kind: "rss", title: "Congressman Raul Ruiz - Representing the 36th District of California", items: 10, matching: 3, redirects: [] });
    expect(rss.feed).toMatchObject({ kind: "rss", topic: "korus", keywords: ["Medicare", "budget"], channels: ["C0123ABCD"], actor: "Rep. Ruiz" });
    const fr = await addFeed(deps(), { url: server.url(FEED_PATHS.federalRegister), keywords: "antidumping, countervailing, Taiwan" }, "U1");
    expect(fr.check).toMatchObject({ kind: "federal-register", items: 20, matching: 3 });
    // The Federal Register is the U.S. government's journal.
    expect(fr.feed.actor).toBe("US");
    const json = await addFeed(deps(), { url: server.url(FEED_PATHS.jsonFeed) }, "U1");
    expect(json.check).toMatchObject({ kind: "json", items: 1, matching: 1 });

    await expect(addFeed(deps(), { url: server.url(FEED_PATHS.rss), keywords: "x" }, "U1")).rejects.toThrow(`Feed #${rss.feed.id} already watches ${server.url(FEED_PATHS.rss)} for korus.`);
    await expect(addFeed(deps({ fetch: { allow: NO_EXCEPTIONS, userAgent: "t" } }), { url: server.url(FEED_PATHS.atom) }, "U1")).rejects.toThrow(
      `${server.url(FEED_PATHS.atom)}: refused: 127.0.0.1 is a loopback address (the bot fetches from public addresses only; KORUS_FEEDS_ALLOW_HOSTS lists exceptions). Nothing was added.`,
    );
    await expect(addFeed(deps(), { url: server.url("/hostile/metadata-redirect") }, "U1")).rejects.toThrow("refused: 169.254.169.254 is the cloud metadata address");
    await expect(addFeed(deps(), { url: server.url("/hostile/billion-laughs.xml") }, "U1")).rejects.toThrow("refused: the document declares XML entities in its DOCTYPE");
    await expect(addFeed(deps(), { url: server.url("/hostile/gzip-bomb.xml") }, "U1")).rejects.toThrow("the response is larger than 5 MB once decompressed; nothing was kept. Nothing was added.");
    await expect(addFeed(deps(), { url: server.url("/hostile/50mb.xml") }, "U1")).rejects.toThrow("the response is larger than 5 MB; nothing was kept");
    await expect(addFeed(deps(), { url: server.url("/page.html") }, "U1")).rejects.toThrow(`the address is an HTML page, not a feed; the page names its feed: ${server.url(FEED_PATHS.rss)}`);
    await expect(addFeed(deps(), { url: "ftp://example.org/feed" }, "U1")).rejects.toMatchObject({ code: "invalid", field: "url" });
    await expect(addFeed(deps(), { url: server.url(FEED_PATHS.atom), channels: ["#general"] }, "U1")).rejects.toMatchObject({ field: "channel" });
    await expect(addFeed(deps(), { url: server.url(FEED_PATHS.atom), topic: "Not A Topic!" }, "U1")).rejects.toMatchObject({ field: "topic" });
    expect((await listFeeds(deps())).map((f) => f.kind)).toEqual(["rss", "federal-register", "json"]);
  });

  test("a poll makes each matching item a candidate; the next poll gets 304 and adds nothing", async () => {
    const first = await pollFeeds(deps());
    expect(first.map((o) => [o.result, o.httpStatus, o.items, o.matched, o.added])).toEqual([
      ["new", 200, 10, 3, 3],
      ["new", 200, 20, 3, 3],
      ["new", 200, 1, 1, 1],
    ]);
    const { candidates, total } = await listCandidates(deps());
    expect(total).toBe(7);
    const pet = candidates.find((c) => c.title.startsWith("Polyethylene Terephthalate Film"))!;
    expect(pet).toMatchObject({
      publishedOn: "2026-10-02",
      sourceTitle: "Federal Register notice 2026-20273, Commerce Department, International Trade Administration",
      matched: ["antidumping", "Taiwan"],
      state: "pending",
    });

    const before = server.requests.length;
    const second = await pollFeeds(deps());
    expect(second.map((o) => [o.result, o.httpStatus, o.added ?? 0])).toEqual([
      ["not-modified", 304, 0],
      ["not-modified", 304, 0],
      ["not-modified", 304, 0],
    ]);
    expect(server.requests.slice(before).every((r) => typeof r.headers["if-none-match"] === "string")).toBe(true);
    expect((await listCandidates(deps())).total).toBe(7);
    const listed = feedsMarkdown(await listFeeds(deps()), NY, { korus: 7 });
    expect(listed).toContain("Last poll: Mon 2026-12-07 10:00 EST (304 not modified) · next: Mon 2026-12-07 10:30 EST");
    expect(listed).toContain("Candidates: 3 waiting, 0 saved as facts, 0 dismissed, 0 not relevant");
    expect(listed).toContain("Waiting for review: 7 in `korus`");
  });

  test("several instances polling at once insert each item once and fetch each feed once", async () => {
    // Forget the validators so that both instances would get the whole documents.
    await db.prisma.feed.updateMany({ data: { etag: null, lastModified: null, nextPollAt: clock.now() } });
    await db.prisma.feedCandidate.deleteMany({ where: { feed: { kind: "federal-register" } } });
    const before = server.requests.length;
    const [a, b, c] = await Promise.all([
      pollDueFeeds(deps({ instanceId: "a" }), clock.now()),
      pollDueFeeds(deps({ instanceId: "b" }), clock.now()),
      pollDueFeeds(deps({ instanceId: "c" }), clock.now()),
    ]);
    const polled = [...a, ...b, ...c].filter((o) => o.result === "new");
    expect(polled).toHaveLength(3);
    expect(server.requests.length - before).toBe(3);
    expect(polled.reduce((n, o) => n + (o.added ?? 0), 0)).toBe(3);
    expect((await listCandidates(deps())).total).toBe(7);
  });

  test("a candidate that points at a stored fact's page, or reads like one near its date, says so", async () => {
    const rssCandidates = (await listCandidates(deps())).candidates.filter((c) => c.sourceTitle.startsWith("Congressman"));
    const [one, two] = rssCandidates;
    await addFact(
      { prisma: db.prisma, admins: [] },
      { kind: "event", date: one!.publishedOn, title: "A stored fact citing the same page", actor: "US", sources: [{ title: "Ruiz", url: `${one!.url!.replace("http://", "https://")}/` }] },
      "U2",
    );
    await addFact({ prisma: db.prisma, admins: [] }, { kind: "note", date: two!.publishedOn, title: two!.title.replace("Dr. Ruiz", "Ruiz"), actor: "US", sources: ["Press"] }, "U2");
    const listed = (await listCandidates(deps())).candidates;
    expect(listed.find((c) => c.id === one!.id)!.duplicates).toEqual([expect.objectContaining({ certainty: "same", what: "fact", title: "A stored fact citing the same page" })]);
    expect(listed.find((c) => c.id === two!.id)!.duplicates).toEqual([expect.objectContaining({ certainty: "likely", what: "fact" })]);
    const text = candidatesMarkdown(listed, listed.length, "pending");
    expect(text).toContain("**same**: same as fact #1 (the same page) “A stored fact citing the same page”");
    expect(text).toMatch(/\*\*likely duplicate\*\*: likely the same as fact #2 \(a similar title, 2013-04-\d\d\)/);
  });

  test("accepting saves the fact through the facts service (its duplicate check too); dismissing and not relevant are kept", async () => {
    const { candidates } = await listCandidates(deps());
    const pet = candidates.find((c) => c.title.startsWith("Polyethylene"))!;
    const draft = await candidateDraft(deps(), pet.id);
    expect(draft).toMatchObject({
      kind: "event",
      date: "2026-10-02",
      known: "2026-10-02",
      actor: "US",
      topic: "korus",
      sources: [{ title: expect.stringMatching(/^Federal Register notice 2026-20273, Commerce Department, International Trade Administration: Polyethylene/), url: pet.url, date: "2026-10-02" }],
    });
    expect(draft.title.length).toBeLessThanOrEqual(150);
    expect(draft.title.endsWith("…")).toBe(true);
    const { fact, candidate } = await acceptCandidate({ ...deps(), admins: [] }, pet.id, "U3", { kind: "position", title: "Commerce: PET film from Taiwan sold below normal value (preliminary)" });
    expect(fact).toMatchObject({ kind: "position", date: "2026-10-02", known: "2026-10-02", actor: "US", title: "Commerce: PET film from Taiwan sold below normal value (preliminary)" });
    expect(fact.sources[0]).toMatchObject({ url: pet.url, date: "2026-10-02" });
    expect(candidate).toMatchObject({ state: "accepted", factId: fact.id, decidedBy: "U3" });
    await expect(acceptCandidate({ ...deps(), admins: [] }, pet.id, "U4")).rejects.toThrow(`Candidate #${pet.id} was already saved as fact #${fact.id} by U3 on 2026-12-07.`);

    // The likely-duplicate check of the facts service applies: the second RSS candidate reads like fact #2.
    const similar = candidates.find((c) => c.duplicates.some((d) => d.certainty === "likely"))!;
    const refused = await acceptCandidate({ ...deps(), admins: [] }, similar.id, "U3", { kind: "note" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FactError);
    expect((refused as FactError).code).toBe("duplicate");
    expect((await listCandidates(deps())).candidates.find((c) => c.id === similar.id)!.state).toBe("pending");
    const anyway = await acceptCandidate({ ...deps(), admins: [] }, similar.id, "U3", { kind: "note" }, { allowDuplicate: true });
    expect(anyway.candidate.state).toBe("accepted");

    const json = candidates.find((c) => c.title === "Announcing JSON Feed")!;
    await expect(acceptCandidate({ ...deps(), admins: [] }, json.id, "U3")).rejects.toMatchObject({ code: "invalid", field: "actor" });
    expect(await dismissCandidate(deps(), json.id, "U5", "irrelevant")).toMatchObject({ state: "irrelevant", decidedBy: "U5" });
    const other = (await listCandidates(deps())).candidates[0]!;
    expect(await dismissCandidate(deps(), other.id, "U5")).toMatchObject({ state: "dismissed" });
    await expect(dismissCandidate(deps(), other.id, "U6")).rejects.toThrow(`Candidate #${other.id} was already dismissed by U5 on 2026-12-07.`);
    await expect(dismissCandidate(deps(), 99_999, "U6")).rejects.toThrow("There is no candidate #99999");
    const feeds = await listFeeds(deps());
    expect(feeds.find((f) => f.kind === "json")!.counts).toEqual({ pending: 0, accepted: 0, dismissed: 0, irrelevant: 1 });
  });

  test("a feed that starts failing keeps its error and backs off; removing one dismisses what waits", async () => {
    const [rss] = await listFeeds(deps());
    server.gone.add(FEED_PATHS.rss);
    try {
      await db.prisma.feed.update({ where: { id: rss!.id }, data: { nextPollAt: clock.now(), etag: null } });
      const [failed] = await pollDueFeeds(deps(), clock.now());
      expect(failed).toMatchObject({ result: "failed", httpStatus: 404, error: `HTTP 404 Not Found from 127.0.0.1:${new URL(server.baseUrl).port}` });
      expect(failed!.nextPollAt).toEqual(new Date(clock.now().getTime() + 30 * 60_000));
      clock.at = failed!.nextPollAt!;
      const [again] = await pollDueFeeds(deps(), clock.now());
      expect(again!.nextPollAt).toEqual(new Date(clock.now().getTime() + 60 * 60_000));
      const listed = feedsMarkdown(await listFeeds(deps()), NY, {});
      expect(listed).toContain("**Last error** (Mon 2026-12-07 10:30 EST, 2 failures in a row, retried with backoff): HTTP 404 Not Found from 127.0.0.1:");
    } finally {
      server.gone.delete(FEED_PATHS.rss);
    }
    const waiting = (await listCandidates(deps(), { feedId: rss!.id })).total;
    expect(waiting).toBeGreaterThan(0);
    const { dismissed } = await removeFeed(deps(), rss!.id, "U1");
    expect(dismissed).toBe(waiting);
    expect((await listCandidates(deps(), { feedId: rss!.id })).total).toBe(0);
    expect((await listFeeds(deps())).map((f) => f.id)).not.toContain(rss!.id);
    await expect(removeFeed(deps(), rss!.id, "U1")).rejects.toBeInstanceOf(FeedError);
  });
});

describe("politeness", () => {
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  test("two feeds on one host are polled a host interval apart: the second waits for its turn", async () => {
    const paced = deps({ settings: { feedIntervalMs: 30 * 60_000, hostIntervalMs: 60_000 } });
    await addFeed(paced, { url: server.url(FEED_PATHS.atom), check: false }, "U1");
    await addFeed(paced, { url: server.url(FEED_PATHS.jsonFeed), check: false }, "U1");
    const outcomes = await pollDueFeeds(paced, clock.now());
    expect(outcomes.map((o) => o.result)).toEqual(["new", "deferred"]);
    expect(outcomes[1]!.nextPollAt).toEqual(new Date(clock.now().getTime() + 60_000));
    expect(await pollDueFeeds(paced, clock.now())).toEqual([]);
    const later = new Date(clock.now().getTime() + 60_000);
    expect((await pollDueFeeds({ ...paced, clock: { now: () => later } }, later)).map((o) => o.result)).toEqual(["new"]);
  });
});

describe("hostile feed text", () => {
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  test("titles with mentions, links and markup stay text in the terminal, in the fact store and in Slack", async () => {
    await addFeed(deps(), { url: server.url("/hostile/titles.rss"), keywords: "KORUS", actor: "US" }, "U1");
    await pollFeeds(deps());
    const { candidates } = await listCandidates(deps());
    expect(candidates.map((c) => c.title).sort()).toEqual([...HOSTILE_TITLES].sort());
    const text = candidatesMarkdown(candidates, candidates.length, "pending");
    // No mention, no angle-bracket link, no unescaped Markdown link, no markup survives.
    expect(text).not.toMatch(/<!channel>|<!everyone>|<!here>|<@U012ABCDEF>|(?<!\\)\]\(https:\/\/evil|<https:\/\/evil|<script>/);
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("\\[click me\\](https\\://evil.example/phish)");
    for (const c of candidates) await acceptCandidate({ ...deps(), admins: [] }, c.id, "U3", {}, { allowDuplicate: true });
    const facts = await db.prisma.fact.findMany({ orderBy: { id: "asc" } });
    // Stored as the feed wrote them (the guard only drops control characters); summaries as escaped Markdown.
    expect(facts.map((f) => f.title).sort()).toEqual([...HOSTILE_TITLES].sort());
    expect(facts.map((f) => f.summary)).toEqual(expect.arrayContaining(["Summary 0 \\[x\\](https\\://evil.example)"]));
    expect(facts.every((f) => !/(?<!\\)\]\(https:\/\/evil/.test(f.summary) && !f.summary.includes("<script>") && !f.summary.includes("alert(1)"))).toBe(true);
    const report = await getStatus({ prisma: db.prisma, clock, timeZone: NY });
    const slack = blocksText(statusMessage(report));
    expect(slack).not.toMatch(/<!channel>|<@U012ABCDEF>|<https:\/\/evil/);
    expect(slack).toContain("&lt;!channel&gt;");
  });
});
