/**
 * What the rest of the bot knows of a parsed feed without parsing one: the kinds, an item's and a feed's shape, the
 * parse error and how text from the web is made storable. The parsers themselves (feedsmith, sanitize-html, chrono-node
 * and entities, about 1.2 MiB of resident memory) are in parse.ts, which is loaded only when a feed is fetched
 * (poll.ts), not when the bot starts (issue 25).
 */
import { KorusError } from "../errors.js";
import type { IsoDate } from "../facts/dates.js";

/** The kinds of feed the bot reads. */
export const FEED_KINDS = ["rss", "atom", "rdf", "json", "federal-register"] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** How each kind is named to people. */
export const FEED_KIND_NAMES: Record<FeedKind, string> = {
  rss: "RSS",
  atom: "Atom",
  rdf: "RSS 1.0 (RDF)",
  json: "JSON Feed",
  "federal-register": "Federal Register search",
};

/** One item of a feed, as plain text. */
export interface FeedItem {
  /** The item's identity in its feed: guid or id, else link, else title and date. */
  id: string;
  title: string;
  /** An http(s) link to the item, resolved against the feed's URL; null when it has none. */
  url: string | null;
  /** Plain text: HTML removed, whitespace collapsed. */
  summary: string;
  /** When it was published, when the feed says so with a time. */
  publishedAt: Date | null;
  /** The day it names when it gives only a day (the Federal Register's publication_date, an odd date format). */
  publishedDay: IsoDate | null;
  /** Who published it when the feed names it per item (the Federal Register's agencies). */
  publisher: string | null;
}

/** A parsed feed. */
export interface ParsedFeed {
  kind: FeedKind;
  title: string | null;
  items: FeedItem[];
}

/** A document that is not a feed the bot reads, or is refused; the message says why. */
export class FeedParseError extends KorusError<"not_a_feed" | "refused_xml" | "malformed"> {}

/** At most this many items are read from one document (a feed of a million items is an attack, not news). */
export const MAX_ITEMS = 500;

/** Control characters (other than tab and newline) and lone surrogates: no text the bot stores may hold them. */
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and lone surrogates are what cannot be stored.
const UNSTORABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text from a feed made storable: control characters and broken surrogates dropped, NFC. */
export function storableText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(UNSTORABLE, "").normalize("NFC");
}
