/**
 * The recorded real documents (test/fixtures/feeds/README.md says where each comes from) read as their published
 * formats define them, and the hostile XML refused.
 */
import { readFileSync } from "node:fs";
import { parseFeed } from "feedsmith";
import { describe, expect, test } from "vitest";
import { FeedParseError } from "../../../src/feeds/items.js";
import { feedDate, htmlToText, parseFeedDocument } from "../../../src/feeds/parse.js";
import { BILLION_LAUGHS, EXTERNAL_ENTITY } from "../../support/feed-server.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), "utf8");

function refused(text: string): FeedParseError {
  try {
    parseFeedDocument(text, "https://example.org/feed");
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return error as FeedParseError;
  }
  throw new Error("not refused");
}

describe("recorded real feeds", () => {
  test("RSS 2.0 (a House press-release feed): channel title, items with title, link, guid; its non-RFC 822 dates read as days", () => {
    const feed = parseFeedDocument(fixture("ruiz-house-press-releases.rss.xml"), "http://ruiz.house.gov/rss.xml");
    expect(feed.kind).toBe("rss");
    expect(feed.title).toBe("Congressman Raul Ruiz - Representing the 36th District of California");
    expect(feed.items).toHaveLength(10);
    const [first] = feed.items;
    expect(first).toMatchObject({
      title: "Dr. Ruiz Highlights First 100 Days in Congress",
      url: "http://ruiz.house.gov/media-center/press-releases/dr-ruiz-highlights-first-100-days-in-congress",
      // "Monday, April 15, 2013 - 2:23pm" is not RFC 822: the day is kept, the time (zone unknown) is not.
      publishedAt: null,
      publishedDay: "2013-04-15",
    });
    // The description is HTML escaped into XML ("&amp;nbsp;"): both layers are decoded, no entity is left.
    expect(first!.summary.startsWith("Washington, DC – Last Friday marked the first 100 days in Congress")).toBe(true);
    expect(feed.items.map((i) => i.summary).join(" ")).not.toMatch(/&(nbsp|ndash|rsquo|amp);/);
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(10);
  });

  test("Atom (RFC 4287, heise developer): entry id, title, alternate link, published with its offset, HTML summary as text", () => {
    const feed = parseFeedDocument(fixture("heise-developer.atom.xml"), "http://www.heise.de/developer/rss/news-atom.xml");
    expect(feed.kind).toBe("atom");
    expect(feed.title).toBe("heise developer neueste Meldungen");
    expect(feed.items).toHaveLength(15);
    expect(feed.items[0]).toMatchObject({
      id: "http://heise.de/-3088438",
      title: "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
      url: "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom",
      publishedAt: new Date("2016-02-01T16:22:00.000Z"),
    });
    expect(feed.items[0]!.summary).toMatch(/^Die nun verfügbare Version 10 des Enterprise-Java-Servers/);
  });

  test("JSON Feed (jsonfeed.org's own feed, version 1): id, url, title, content_html as text, date_published", () => {
    const feed = parseFeedDocument(fixture("jsonfeed-org.feed.json"), "https://jsonfeed.org/feed.json");
    expect(feed).toMatchObject({ kind: "json", title: "JSON Feed" });
    expect(feed.items).toEqual([
      expect.objectContaining({
        id: "https://jsonfeed.org/2017/05/17/announcing_json_feed",
        url: "https://jsonfeed.org/2017/05/17/announcing_json_feed",
        title: "Announcing JSON Feed",
        publishedAt: new Date("2017-05-17T15:02:12.000Z"),
      }),
    ]);
    expect(feed.items[0]!.summary).toMatch(/^We — Manton Reece and Brent Simmons — have noticed that JSON/);
    expect(feed.items[0]!.summary).not.toContain("<p>");
  });

  test("the Federal Register documents search (documents.json): document number, html_url, publication_date, abstract, agencies", () => {
    const feed = parseFeedDocument(fixture("federal-register-documents-newest20.json"), "https://www.federalregister.gov/api/v1/documents.json?per_page=20&order=newest");
    expect(feed.kind).toBe("federal-register");
    expect(feed.title).toBe("Federal Register: All Documents");
    expect(feed.items).toHaveLength(20);
    const pet = feed.items.find((i) => i.id === "fr:2026-20273")!;
    expect(pet).toMatchObject({
      title: "Polyethylene Terephthalate Film, Sheet, and Strip From Taiwan: Preliminary Results and Preliminary Intent To Rescind, In Part, of Antidumping Duty Administrative Review; 2024-2025",
      url: "https://www.federalregister.gov/documents/2026/10/02/2026-20273/polyethylene-terephthalate-film-sheet-and-strip-from-taiwan-preliminary-results-and-preliminary",
      publishedDay: "2026-10-02",
      publisher: "Federal Register notice 2026-20273, Commerce Department, International Trade Administration",
    });
    expect(pet.summary).toMatch(/^The U\.S\. Department of Commerce \(Commerce\) preliminarily determines/);
    expect(feed.items.find((i) => i.id === "fr:2026-20272")!.title).toBe("Certain Aluminum Foil From the Republic of Türkiye: Final Results of Countervailing Duty Administrative Review; 2023");
    // A presidential document has no abstract (null in the API): an empty summary, not "null".
    expect(feed.items[0]!.summary).toBe("");
  });

  test("a Federal Register search that matched nothing has no results key, and reads as no items", () => {
    expect(parseFeedDocument(`{"description":"Documents matching 'qqzzxx'","count":0}`, "https://www.federalregister.gov/api/v1/documents.json")).toEqual({
      kind: "federal-register",
      title: "Federal Register: Documents matching 'qqzzxx'",
      items: [],
    });
  });
});

describe("what is not a feed, or is refused", () => {
  test("a billion-laughs document is refused before parsing, and the parser itself would not expand it", () => {
    expect(refused(BILLION_LAUGHS).message).toBe(
      "refused: the document declares XML entities in its DOCTYPE (as a billion-laughs attack does); the bot never expands entities, and no real feed declares them",
    );
    // Underneath our refusal: feedsmith (fast-xml-parser with processEntities off) leaves the reference as text.
    const raw = parseFeed(BILLION_LAUGHS);
    expect(raw.format).toBe("rss");
    expect((raw.feed as { items: Array<{ title: string }> }).items[0]!.title).toBe("Korea &lol9;");
  });

  test("an external entity is refused, and the parser itself refuses to resolve it", () => {
    expect(refused(EXTERNAL_ENTITY).message).toBe("refused: the document declares an external XML entity (<!ENTITY … SYSTEM …>); the bot never fetches or expands entities");
    expect(() => parseFeed(EXTERNAL_ENTITY)).toThrow(/Invalid feed format/);
    try {
      parseFeed(EXTERNAL_ENTITY);
    } catch (error) {
      expect(String((error as { cause?: Error }).cause?.message)).toBe("External entities are not supported");
    }
  });

  test("an HTML page is named as one, with the feed it advertises", () => {
    expect(refused(`<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>x</body></html>`).message).toBe(
      "the address is an HTML page, not a feed; the page names its feed: https://example.org/feed.xml",
    );
  });

  test("JSON that is neither a JSON Feed nor a Federal Register search, and text that is neither", () => {
    expect(refused(`{"hello": "world"}`).message).toMatch(/^the response is JSON, but neither a JSON Feed/);
    expect(refused("plain words").message).toBe("the response is neither XML nor JSON, so it is not a feed");
    expect(refused("{not json").code).toBe("malformed");
  });
});

describe("texts and dates", () => {
  test("HTML to one line of text: scripts dropped, blocks spaced, entities decoded, control characters removed", () => {
    expect(htmlToText("<script>alert(1)</script><p>One&nbsp;<b>two</b></p><p>three\u001b[2J</p>")).toBe("One two three[2J");
  });

  test("dates as feeds write them", () => {
    expect(feedDate("Fri, 05 Dec 2025 10:00:00 GMT")).toEqual({ at: new Date("2025-12-05T10:00:00Z"), day: null });
    expect(feedDate("2016-02-01T17:22:00+01:00")).toEqual({ at: new Date("2016-02-01T16:22:00Z"), day: null });
    expect(feedDate("2026-10-02")).toEqual({ at: null, day: "2026-10-02" });
    expect(feedDate("Thursday, February 28, 2013 - 3:40am")).toEqual({ at: null, day: "2013-02-28" });
    expect(feedDate("someday")).toEqual({ at: null, day: null });
    expect(feedDate(undefined)).toEqual({ at: null, day: null });
  });
});
