/**
 * Archived copies of cited pages on a real database and a real server on 127.0.0.1: a fact citing a URL queues its
 * page whatever stored it, the queue drain keeps its readable text (a recorded news page; Readability's expected
 * text is the check) with its hash, `sources check` finds the link dead, and status and memos then cite the copy.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Clock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseAllowList, type AllowList } from "../../src/net/address-policy.js";
import type { FeedDeps } from "../../src/feeds/deps.js";
import { addFact } from "../../src/facts/service.js";
import { parseFactLines } from "../../src/facts/jsonl-read.js";
import { importFactLines } from "../../src/facts/import.js";
import { drainArchiveQueue, getSourcePage, listSourcePages } from "../../src/sources/archive.js";
import { checkSources } from "../../src/sources/check.js";
import { htmlToParagraphs } from "../../src/sources/readable.js";
import { sourcePageText, sourcePagesMarkdown } from "../../src/feeds/markdown.js";
import { getStatus } from "../../src/status/service.js";
import { statusToMarkdown } from "../../src/status/markdown.js";
import { statusMessage } from "../../src/slack/views/status.js";
import { createMemo } from "../../src/memos/service.js";
import { getMemo } from "../../src/memos/read.js";
import { render } from "../../src/memos/assemblies.js";
import { blocksText } from "../support/block-limits.js";
import { FEED_PATHS, FeedServer } from "../support/feed-server.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";
import { runWebWork } from "../../src/feeds/worker.js";
import { addFeed } from "../../src/feeds/feeds.js";

const NY = "America/New_York";
const PAGE = new URL("../fixtures/feeds/nbcnews-south-korea-martial-law.html", import.meta.url);
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
    fetch: {
      allow: parseAllowList("127.0.0.1") as AllowList,
      userAgent: "korus-bot tests",
      // No name resolves here: nothing outside loopback is asked, not even DNS.
      resolve: async (name) => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" })),
    },
    settings: { feedIntervalMs: 30 * 60_000, hostIntervalMs: 0 },
    instanceId: "test",
    sleep: async () => undefined,
    ...overrides,
  };
}

beforeAll(async () => {
  server = await new FeedServer().start();
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => {
  await db?.close();
  await server.stop();
});

describe("archived copies of cited pages", () => {
  test("storing a fact that cites a URL queues its page, by any path (the form's service, an import), once", async () => {
    const page = server.url(FEED_PATHS.page);
    await addFact(
      { prisma: db.prisma, admins: [], today: () => "2026-12-07" },
      {
        kind: "event",
        date: "2024-12-07",
        known: "2024-12-07",
        title: "Impeachment motion against President Yoon fails after ruling party walkout",
        actor: "Korea",
        sources: [{ title: "NBC News", url: page, date: "2024-12-06" }],
        disputed: [{ says: "2024-12-08", source: { title: "Other report", url: "http://gone.test/report" } }],
      },
      "U1",
    );
    const { facts } = parseFactLines(
      `${JSON.stringify({
        kind: "note",
        date: "2024-12-08",
        title: "Another report of the vote",
        actor: "Korea",
        sources: [
          { title: "NBC again", url: page },
          { title: "Korea Herald", url: "http://gone.test/herald" },
        ],
      })}\n`,
    );
    await importFactLines(db.prisma, facts, { actor: "U1" });
    const { pages } = await listSourcePages(deps());
    expect(pages.map((p) => [p.url, p.state])).toEqual([
      [page, "queued"],
      ["http://gone.test/report", "queued"],
      ["http://gone.test/herald", "queued"],
    ]);
  });

  test("the queue drain keeps the page's readable text, its fetch time and the SHA-256 of what was fetched", async () => {
    // The trigger queues a page due at the database's now(), the real time; this file's clock is a fixed day
    // (2026-12-07 15:00 UTC), so the queue is put on that clock, as if the facts had been stored then. (Without this
    // the test passed only before 15:00 UTC on 2026-12-07.)
    await db.prisma.$executeRaw`UPDATE source_page SET next_attempt_at = ${clock.now()}`;
    const outcomes = await drainArchiveQueue(deps(), clock.now(), { limit: 10 });
    expect(outcomes.map((o) => [o.result, o.detail.replace(/[\d,]+ characters/, "N characters")])).toEqual([
      ["archived", "N characters of text"],
      // A name that does not resolve may come back: tried again later (up to five times), and dead meanwhile.
      ["retry", "gone.test does not resolve (ENOTFOUND)"],
      ["retry", "gone.test does not resolve (ENOTFOUND)"],
    ]);
    const page = (await getSourcePage(deps(), server.url(FEED_PATHS.page)))!;
    expect(page).toMatchObject({
      state: "archived",
      fetchedAt: clock.now(),
      title: "South Korean president’s impeachment fails after ruling party lawmakers walk out",
      byline: "Stella Kim, Jennifer Jett",
      siteName: "NBC News",
      contentHash: createHash("sha256").update(readFileSync(PAGE)).digest("hex"),
      bytes: readFileSync(PAGE).length,
    });
    // The text is Readability's own expected article (made with jsdom). On linkedom one closing line ("Abigail Williams
    // and Beomsu Jo contributed.", whose words the page separates with empty comments) comes out as five paragraphs:
    // the words match once whitespace is aside, and every other paragraph matches exactly.
    const expected = htmlToParagraphs(readFileSync(new URL("../fixtures/feeds/nbcnews-south-korea-martial-law.expected.html", import.meta.url), "utf8"));
    const words = (text: string) => text.replace(/\s+/g, " ").replace(/ \./g, ".").trim();
    expect(words(page.text!)).toBe(words(expected));
    expect(page.text!.split("\n\n").slice(0, -5)).toEqual(expected.split("\n\n").slice(0, -1));
    expect(page.text!.startsWith("SEOUL, South Korea — A plan to impeach South Korean President Yoon Suk Yeol over his short-lived declaration of martial law has failed")).toBe(true);
    expect(await getSourcePage(deps(), "http://gone.test/report")).toMatchObject({ state: "queued", attempts: 1, text: null, deadReason: "its host name no longer resolves" });
    // Nothing is due again before its retry time.
    expect(await drainArchiveQueue(deps(), clock.now())).toEqual([]);
  });

  test("sources check finds the page gone; status and memos then cite the archived copy beside the dead link", async () => {
    const alive = await checkSources(deps());
    expect(alive.map((c) => c.result)).toEqual(["alive", "dead", "dead"]);
    server.gone.add(FEED_PATHS.page);
    clock.at = new Date("2026-12-09T15:00:00Z");
    const checks = await checkSources(deps());
    expect(checks[0]).toMatchObject({ result: "dead", detail: "HTTP 404 Not Found", archived: true });
    expect(sourcePagesMarkdown((await listSourcePages(deps(), { dead: true })).pages, 3, {}, NY)).toContain("**dead** since 2026-12-09 (HTTP 404 Not Found)");

    const status = await getStatus({ prisma: db.prisma, clock, timeZone: NY }, "2024-12-10");
    const markdown = statusToMarkdown(status);
    expect(markdown).toContain(
      `1. [NBC News](${server.url(FEED_PATHS.page)}) (2024-12-06) — dead link since 2026-12-09 (HTTP 404 Not Found); archived copy, fetched 2026-12-07 (korus sources show 1)`,
    );
    expect(blocksText(statusMessage(status))).toContain("_dead link since 2026-12-09 (HTTP 404 Not Found); archived copy, fetched 2026-12-07 (korus sources show 1)_");
    expect(markdown).toContain("2. [Other report](http://gone.test/report) — dead link since 2026-12-07 (its host name no longer resolves); no archived copy");

    const templates = await shippedTemplates();
    const memoDeps = { prisma: db.prisma, clock, timeZone: NY, templates, admins: [] };
    const memo = await createMemo(memoDeps, { templateId: "special-session-prep", title: "Yoon impeachment", asOf: "2024-12-10" }, "U1");
    const rendered = await render(memoDeps, await getMemo(memoDeps, memo.id));
    expect(rendered.markdown).toMatch(
      /\d+\. \[NBC News\]\(http:\/\/127\.0\.0\.1:\d+\/news\/world\/[^)]+\) \(2024-12-06\) — dead link since 2026-12-09 \(HTTP 404 Not Found\); archived copy, fetched 2026-12-07 \(korus sources show 1\)/,
    );

    const shown = sourcePageText((await getSourcePage(deps(), 1))!, NY);
    expect(shown).toContain("Archived page #1: http://127.0.0.1:");
    expect(shown).toContain("State: archived, fetched Mon 2026-12-07 10:00 EST, 449 KB (text/html; charset=utf-8)");
    expect(shown).toContain("Link: DEAD since 2026-12-09 (HTTP 404 Not Found)");
    expect(shown).toContain("SEOUL, South Korea — A plan to impeach");

    // The page comes back: the link is alive again, and the note goes.
    server.gone.delete(FEED_PATHS.page);
    await checkSources(deps(), { ids: [1] });
    expect(statusToMarkdown(await getStatus({ prisma: db.prisma, clock, timeZone: NY }, "2024-12-10"))).toContain(`1. [NBC News](${server.url(FEED_PATHS.page)}) (2024-12-06)\n`);
  });
});

describe("the scheduler's tick", () => {
  test("polls the feeds that are due and archives a few queued pages, and a second tick finds nothing due", async () => {
    const fresh = await createTestDatabase({ seed: false });
    try {
      const tickDeps = { ...deps(), prisma: fresh.prisma };
      await addFeed(tickDeps, { url: server.url(FEED_PATHS.jsonFeed), check: false }, "U1");
      // Queued at the file's clock: left to its default (the real time), the page was not yet due at that clock on a
      // later real day (a run on 2027-07-15 archived nothing).
      await fresh.prisma.sourcePage.create({ data: { url: server.url(FEED_PATHS.jsonFeed), nextAttemptAt: clock.now() } });
      const first = await runWebWork(tickDeps, clock.now());
      expect(first.polled.map((o) => [o.result, o.added])).toEqual([["new", 1]]);
      expect(first.archived.map((o) => o.result)).toEqual(["unreadable"]);
      expect(await runWebWork(tickDeps, clock.now())).toEqual({ polled: [], archived: [] });
    } finally {
      await fresh.close();
    }
  });
});
