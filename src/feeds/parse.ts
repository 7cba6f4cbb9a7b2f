/**
 * A fetched feed document as items, whatever its kind: RSS (0.9x, 1.0/RDF, 2.0), Atom and JSON Feed through feedsmith,
 * and the Federal Register's documents search (its JSON API) through a zod schema of the fields we read. The kind is
 * found from the document itself, not from the URL or the Content-Type (servers label feeds every which way).
 *
 * XML is parsed without expanding entities: feedsmith runs fast-xml-parser with `processEntities: false`, which
 * refuses external entities and never expands one an attacker declares; on top of that a document whose prolog
 * declares any entity is refused here before parsing (no real feed declares one; a billion-laughs document does).
 */
import { parseFeed, parseJsonFeed } from "feedsmith";
import { decodeHTML } from "entities";
import sanitizeHtml from "sanitize-html";
import * as chrono from "chrono-node";
import { z } from "zod";
import type { IsoDate } from "../facts/dates.js";
import { type FeedItem, FeedParseError, MAX_ITEMS, type ParsedFeed, storableText } from "./items.js";

const ONE_LINE = (text: string) => text.replace(/\s+/g, " ").trim();

/** HTML (a description, an abstract) as one line of plain text. */
export function htmlToText(html: string): string {
  // Block boundaries become spaces, so that "<p>a</p><p>b</p>" does not read "ab".
  const spaced = html.replace(/<\/?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|section|article|header|footer)\b[^>]*>/gi, " $& ");
  return ONE_LINE(storableText(decodeHTML(sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} }))));
}

/** A title as the feed gives it, on one line; entities were decoded by the parser, and markup here is text. */
function titleText(title: string | undefined | null): string {
  return ONE_LINE(storableText(title ?? ""));
}

/** An http(s) URL resolved against `base`, or null. */
function httpUrl(raw: string | undefined | null, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A date as feeds write it: RFC 822 (RSS), RFC 3339 (Atom, JSON Feed), or whatever a CMS made up ("Monday, April 15,
 * 2013 - 2:23pm"): then chrono-node reads it, and only its day is kept (its time zone is anyone's guess).
 */
export function feedDate(raw: string | undefined | null): { at: Date | null; day: IsoDate | null } {
  const text = raw?.trim();
  if (!text) return { at: null, day: null };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { at: null, day: text as IsoDate };
  const ms = Date.parse(text);
  if (Number.isFinite(ms) && /\d{4}/.test(text)) return { at: new Date(ms), day: null };
  const parsed = chrono.parse(text)[0];
  if (!parsed?.start.isCertain("year") || !parsed.start.isCertain("month") || !parsed.start.isCertain("day")) return { at: null, day: null };
  const pad = (n: number) => String(n).padStart(2, "0");
  return { at: null, day: `${parsed.start.get("year")}-${pad(parsed.start.get("month")!)}-${pad(parsed.start.get("day")!)}` as IsoDate };
}

/** The Federal Register documents search answer, as far as the bot reads it (https://www.federalregister.gov/developers/documentation/api/v1). */
const federalRegisterSchema = z
  .object({
    description: z.string().optional(),
    count: z.number(),
    // A search that matched nothing has no `results` key at all.
    results: z
      .array(
        z
          .object({
            document_number: z.string(),
            title: z.string(),
            type: z.string().nullish(),
            abstract: z.string().nullish(),
            html_url: z.string().nullish(),
            publication_date: z.string().nullish(),
            agencies: z.array(z.object({ name: z.string().nullish(), raw_name: z.string().nullish() }).passthrough()).nullish(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

function federalRegisterItems(json: z.infer<typeof federalRegisterSchema>, base: string): ParsedFeed {
  const items = (json.results ?? []).slice(0, MAX_ITEMS).map((doc): FeedItem => {
    const agencies = [...new Set((doc.agencies ?? []).map((a) => titleText(a.name ?? a.raw_name)).filter(Boolean))];
    const date = feedDate(doc.publication_date);
    return {
      id: `fr:${doc.document_number}`,
      title: titleText(doc.title),
      url: httpUrl(doc.html_url, base),
      summary: htmlToText(doc.abstract ?? ""),
      publishedAt: date.at,
      publishedDay: date.day,
      publisher: `Federal Register${doc.type ? ` ${titleText(doc.type).toLowerCase()}` : ""} ${doc.document_number}${agencies.length > 0 ? `, ${agencies.join(", ")}` : ""}`,
    };
  });
  const what = json.description ? titleText(json.description) : "documents";
  return { kind: "federal-register", title: `Federal Register: ${what}`, items };
}

/** The prolog of an XML document (everything before its root element), where a DOCTYPE and its entities live. */
function prologOf(xml: string): string {
  const root = /<(?![?!])[A-Za-z_]/.exec(xml);
  return root ? xml.slice(0, root.index) : xml.slice(0, 4096);
}

/** Where an HTML page points at its feed (`<link rel="alternate" type="application/rss+xml" href=…>`), if it does. */
function advertisedFeed(html: string, base: string): string | null {
  for (const tag of html.slice(0, 200_000).match(/<link\b[^>]*>/gi) ?? []) {
    if (/rel\s*=\s*["']?alternate/i.test(tag) && /type\s*=\s*["']?application\/(rss|atom|feed)\+(xml|json)/i.test(tag)) {
      const href = /href\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
      const url = href ? httpUrl(decodeHTML(href), base) : null;
      if (url) return url;
    }
  }
  return null;
}

/**
 * Parses a fetched document into items. `url` is where it came from (relative links resolve against it).
 * @throws FeedParseError naming what the document is instead, or why it is refused.
 */
export function parseFeedDocument(text: string, url: string): ParsedFeed {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("{") || body.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new FeedParseError("malformed", `the response looks like JSON but does not parse: ${(error as Error).message}`);
    }
    if (json && typeof json === "object" && typeof (json as { version?: unknown }).version === "string" && /^https?:\/\/jsonfeed\.org\/version\//.test((json as { version: string }).version)) {
      let feed: ReturnType<typeof parseJsonFeed<string>>;
      try {
        feed = parseJsonFeed(json);
      } catch (error) {
        throw new FeedParseError("malformed", `the JSON Feed is not valid: ${(error as Error).message}`);
      }
      const items = (feed.items ?? []).slice(0, MAX_ITEMS).map((item): FeedItem => {
        const date = feedDate(item.date_published ?? item.date_modified);
        const link = httpUrl(item.url, url) ?? httpUrl(item.external_url, url);
        return {
          id: String(item.id ?? link ?? `${item.title ?? ""}|${item.date_published ?? ""}`),
          title: titleText(item.title),
          url: link,
          summary: item.summary ? ONE_LINE(storableText(item.summary)) : item.content_text ? ONE_LINE(storableText(item.content_text)) : htmlToText(item.content_html ?? ""),
          publishedAt: date.at,
          publishedDay: date.day,
          publisher: null,
        };
      });
      return { kind: "json", title: feed.title ? titleText(feed.title) : null, items };
    }
    const fr = federalRegisterSchema.safeParse(json);
    if (fr.success && (fr.data.results !== undefined || (fr.data.count === 0 && typeof fr.data.description === "string"))) return federalRegisterItems(fr.data, url);
    throw new FeedParseError(
      "not_a_feed",
      "the response is JSON, but neither a JSON Feed (https://jsonfeed.org/version/1.1) nor a Federal Register documents search (…/api/v1/documents.json?conditions[term]=…)",
    );
  }
  if (!body.startsWith("<")) throw new FeedParseError("not_a_feed", "the response is neither XML nor JSON, so it is not a feed");
  const prolog = prologOf(body);
  if (/<!ENTITY/i.test(prolog)) {
    throw new FeedParseError(
      "refused_xml",
      /\b(SYSTEM|PUBLIC)\b/.test(prolog.slice(prolog.search(/<!ENTITY/i)))
        ? "refused: the document declares an external XML entity (<!ENTITY … SYSTEM …>); the bot never fetches or expands entities"
        : "refused: the document declares XML entities in its DOCTYPE (as a billion-laughs attack does); the bot never expands entities, and no real feed declares them",
    );
  }
  if (/^(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i.test(body)) {
    const advertised = advertisedFeed(body, url);
    throw new FeedParseError("not_a_feed", `the address is an HTML page, not a feed${advertised ? `; the page names its feed: ${advertised}` : ""}`);
  }
  let parsed: ReturnType<typeof parseFeed<string>>;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message;
    throw new FeedParseError("malformed", `the document is not an RSS, Atom or RDF feed the parser can read (${(error as Error).message}${cause ? `: ${cause}` : ""})`);
  }
  if (parsed.format === "rss" || parsed.format === "rdf") {
    const items = (parsed.feed.items ?? []).slice(0, MAX_ITEMS).map((item): FeedItem => {
      const it = item as typeof item & { guid?: { value?: string }; pubDate?: string; dc?: { dates?: string[]; date?: string } };
      const link = httpUrl(item.link, url);
      const date = feedDate(it.pubDate ?? it.dc?.date ?? it.dc?.dates?.[0]);
      const guid = it.guid?.value?.trim();
      return {
        id: guid || link || `${titleText(item.title)}|${it.pubDate ?? ""}`,
        title: titleText(item.title),
        url: link,
        summary: htmlToText(item.description ?? ""),
        publishedAt: date.at,
        publishedDay: date.day,
        publisher: null,
      };
    });
    return { kind: parsed.format, title: parsed.feed.title ? titleText(parsed.feed.title) : null, items };
  }
  if (parsed.format === "atom") {
    const items = (parsed.feed.entries ?? []).slice(0, MAX_ITEMS).map((entry): FeedItem => {
      const links = entry.links ?? [];
      const alternate = links.find((l) => !l.rel || l.rel === "alternate") ?? links[0];
      const link = httpUrl(alternate?.href, url);
      const date = feedDate(entry.published ?? entry.updated);
      const summary = entry.summary?.value ?? (entry.content as { value?: string } | undefined)?.value ?? "";
      return {
        id: entry.id?.trim() || link || `${titleText(entry.title?.value)}|${entry.updated ?? ""}`,
        title: titleText(entry.title?.value),
        url: link,
        summary: htmlToText(summary),
        publishedAt: date.at,
        publishedDay: date.day,
        publisher: null,
      };
    });
    return { kind: "atom", title: parsed.feed.title?.value ? titleText(parsed.feed.title.value) : null, items };
  }
  throw new FeedParseError("not_a_feed", "the document is not a feed the bot reads");
}
