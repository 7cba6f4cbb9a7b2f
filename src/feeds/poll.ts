/**
 * Polling feeds politely and exactly once. The scheduler's tick calls {@link pollDueFeeds}; `korus feeds poll` calls
 * {@link pollFeeds} for every feed now. A feed is claimed in the database before it is fetched (one instance polls it),
 * each host is asked at most once per host interval (src/net/host-pacing.ts), the request is conditional (ETag,
 * Last-Modified; a 304 reads nothing), and each matching item is inserted once per feed (ON CONFLICT DO NOTHING on
 * (feed, item key)), whichever instance sees it first. A failed poll is retried later and later (the interval doubling
 * per failure, up to a day); the error is kept for `korus feeds list`.
 */
import { createHash } from "node:crypto";
import type { Feed, Prisma } from "../generated/prisma/client.js";
import { dateInZone } from "../time-zone.js";
import { toDbDate } from "../facts/dates.js";
import { FetchError, bodyText, safeFetch, type FetchResponse } from "../net/safe-fetch.js";
import { takeHostSlot, waitForHostSlot } from "../net/host-pacing.js";
import type { FeedDeps } from "./deps.js";
import { itemMatches, keywordMatcher } from "./keywords.js";
import { type FeedItem, FeedParseError, type ParsedFeed } from "./items.js";
import { count, counted } from "../render/count.js";

/** What feeds are asked for: every kind the bot reads, feeds first. */
export const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5";

/** A claim on a feed lasts this long (a poll takes at most the fetch deadline and a little database work). */
const CLAIM_MS = 2 * 60_000;
/** The longest a failing feed waits before it is tried again. */
const MAX_BACKOFF_MS = 24 * 3_600_000;
/** Candidate texts are cut here (a fact's summary holds 3,000 characters; a title is cut when it becomes a fact). */
const TEXT_LIMITS = { title: 1000, summary: 3000, itemId: 500, sourceTitle: 300 } as const;

/** What one poll of one feed did. */
export interface PollOutcome {
  feedId: number;
  url: string;
  /** new: it answered with a document; not-modified: 304; deferred: its host's turn had not come; failed. */
  result: "new" | "not-modified" | "deferred" | "failed" | "skipped";
  httpStatus?: number;
  kind?: string;
  items?: number;
  matched?: number;
  /** Candidates inserted by this poll (items another instance inserted first are not counted). */
  added?: number;
  error?: string;
  /** When it will be polled next. */
  nextPollAt?: Date;
}

/** The delay before the next try after `failures` failures in a row. */
export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.max(0, Math.min(failures, 12) - 1));
}

/** Retry-After (seconds or an HTTP date) in milliseconds from `now`, or 0. */
function retryAfterMs(response: FetchResponse, now: Date): number {
  const raw = response.headers["retry-after"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : 0;
}

const STATUS_WORDS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** "HTTP 404 Not Found". */
export function httpStatusText(status: number): string {
  return `HTTP ${status}${STATUS_WORDS[status] ? ` ${STATUS_WORDS[status]}` : ""}`;
}

/** The item key candidates are unique on: a hash of the item's identity in its feed. */
export function itemKey(item: Pick<FeedItem, "id">): string {
  return createHash("sha256").update(item.id).digest("hex");
}

/** Fetches and parses a feed URL once (no database): `korus feeds add` checks a feed this way before storing it. */
export async function fetchFeed(
  deps: Pick<FeedDeps, "fetch" | "limits">,
  url: string,
  validators: { etag?: string | null; lastModified?: string | null } = {},
): Promise<{ response: FetchResponse; parsed: ParsedFeed | null }> {
  const response = await safeFetch({ url, accept: FEED_ACCEPT, ...validators, ...(deps.limits ? { limits: deps.limits } : {}) }, deps.fetch);
  if (response.status === 304) return { response, parsed: null };
  if (response.status < 200 || response.status >= 300) return { response, parsed: null };
  // The parsers load with the first feed fetched, not when the bot starts (items.ts).
  const { parseFeedDocument } = await import("./parse.js");
  return { response, parsed: parseFeedDocument(bodyText(response), response.url) };
}

/** The candidate rows a parsed feed gives: the items that match the feed's keywords. */
function candidateRows(deps: Pick<FeedDeps, "timeZone">, feed: Pick<Feed, "id" | "topic" | "keywords" | "url">, parsed: ParsedFeed): Prisma.FeedCandidateCreateManyInput[] {
  const match = keywordMatcher(feed.keywords);
  const rows: Prisma.FeedCandidateCreateManyInput[] = [];
  for (const item of parsed.items) {
    if (!item.title && !item.summary) continue;
    const matched = match(`${item.title}\n${item.summary}`);
    if (!itemMatches(feed.keywords, matched)) continue;
    const day = item.publishedDay ?? (item.publishedAt ? dateInZone(item.publishedAt, deps.timeZone) : null);
    rows.push({
      feedId: feed.id,
      itemKey: itemKey(item),
      itemId: item.id.slice(0, TEXT_LIMITS.itemId),
      topic: feed.topic,
      title: (item.title || item.summary.slice(0, 120) || "(untitled)").slice(0, TEXT_LIMITS.title),
      url: item.url,
      summary: item.summary.slice(0, TEXT_LIMITS.summary),
      publishedOn: day ? toDbDate(day) : null,
      publishedAt: item.publishedAt,
      sourceTitle: (item.publisher ?? parsed.title ?? new URL(feed.url).hostname).slice(0, TEXT_LIMITS.sourceTitle),
      matched,
    });
  }
  return rows;
}

/** Stores a parsed answer: the candidates (each once), the feed's kind, title, validators and status. */
async function recordAnswer(deps: FeedDeps, feed: Feed, response: FetchResponse, parsed: ParsedFeed, now: Date): Promise<PollOutcome> {
  const rows = candidateRows(deps, feed, parsed);
  const nextPollAt = new Date(now.getTime() + feed.intervalSeconds * 1000);
  const header = (name: string) => {
    const v = response.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.slice(0, 500) ?? null;
  };
  const added = await deps.prisma.$transaction(async (tx) => {
    const inserted = rows.length > 0 ? (await tx.feedCandidate.createMany({ data: rows, skipDuplicates: true })).count : 0;
    await tx.feed.update({
      where: { id: feed.id },
      data: {
        kind: parsed.kind,
        title: parsed.title?.slice(0, 300) ?? feed.title,
        etag: header("etag"),
        lastModified: header("last-modified"),
        lastPolledAt: now,
        lastStatus: `${response.status}: ${counted(parsed.items.length, "item")}, ${count(rows.length)} matched, ${count(inserted)} new`,
        lastError: null,
        failures: 0,
        nextPollAt,
        claimedBy: null,
        claimedUntil: null,
      },
    });
    return inserted;
  });
  return { feedId: feed.id, url: feed.url, result: "new", httpStatus: response.status, kind: parsed.kind, items: parsed.items.length, matched: rows.length, added, nextPollAt };
}

/** Records a failed poll: the error in words, the failure count, and a later next try. */
async function recordFailure(deps: FeedDeps, feed: Feed, error: string, now: Date, atLeastMs = 0, httpStatus?: number): Promise<PollOutcome> {
  const failures = feed.failures + 1;
  const nextPollAt = new Date(now.getTime() + Math.max(atLeastMs, backoffMs(feed.intervalSeconds * 1000, failures)));
  await deps.prisma.feed.update({
    where: { id: feed.id },
    data: {
      lastPolledAt: now,
      lastStatus: httpStatus ? httpStatusText(httpStatus) : "failed",
      lastError: error.slice(0, 1000),
      lastErrorAt: now,
      failures,
      nextPollAt,
      claimedBy: null,
      claimedUntil: null,
    },
  });
  deps.logger?.warn(`feeds: #${feed.id} ${feed.url}: ${error} (failure ${failures} in a row; next try ${nextPollAt.toISOString()})`);
  return { feedId: feed.id, url: feed.url, result: "failed", error, ...(httpStatus ? { httpStatus } : {}), nextPollAt };
}

/** Polls one feed this instance holds the claim on, and releases the claim. */
async function pollClaimed(deps: FeedDeps, feed: Feed, options: { wait: boolean }): Promise<PollOutcome> {
  const host = feed.host;
  if (options.wait) {
    await waitForHostSlot(deps.prisma, host, { now: () => deps.clock.now(), intervalMs: deps.settings.hostIntervalMs, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  } else {
    const busyUntil = await takeHostSlot(deps.prisma, host, deps.clock.now(), deps.settings.hostIntervalMs);
    if (busyUntil) {
      await deps.prisma.feed.update({ where: { id: feed.id }, data: { nextPollAt: busyUntil, claimedBy: null, claimedUntil: null } });
      return { feedId: feed.id, url: feed.url, result: "deferred", nextPollAt: busyUntil };
    }
  }
  const now = deps.clock.now();
  let fetched: Awaited<ReturnType<typeof fetchFeed>>;
  try {
    fetched = await fetchFeed(deps, feed.url, { etag: feed.etag, lastModified: feed.lastModified });
  } catch (error) {
    if (error instanceof FetchError || error instanceof FeedParseError) return recordFailure(deps, feed, error.message, now);
    await deps.prisma.feed.update({ where: { id: feed.id }, data: { claimedBy: null, claimedUntil: null } });
    throw error;
  }
  const { response, parsed } = fetched;
  if (response.status === 304) {
    const nextPollAt = new Date(now.getTime() + feed.intervalSeconds * 1000);
    await deps.prisma.feed.update({
      where: { id: feed.id },
      data: { lastPolledAt: now, lastStatus: "304 not modified", lastError: null, failures: 0, nextPollAt, claimedBy: null, claimedUntil: null },
    });
    return { feedId: feed.id, url: feed.url, result: "not-modified", httpStatus: 304, nextPollAt };
  }
  if (!parsed) {
    const words = httpStatusText(response.status);
    const retry = response.status === 429 || response.status === 503 ? retryAfterMs(response, now) : 0;
    return recordFailure(deps, feed, `${words} from ${new URL(response.url).host}${retry ? ` (asked to wait ${Math.round(retry / 1000)} s)` : ""}`, now, retry, response.status);
  }
  return recordAnswer(deps, feed, response, parsed, now);
}

/** Claims a feed for this instance if nobody holds it; returns the row when the claim landed. */
async function claim(deps: FeedDeps, id: number, now: Date, where: Prisma.FeedWhereInput = {}): Promise<Feed | null> {
  const { count } = await deps.prisma.feed.updateMany({
    where: { id, removedAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }], ...where },
    data: { claimedBy: deps.instanceId, claimedUntil: new Date(now.getTime() + CLAIM_MS) },
  });
  return count > 0 ? deps.prisma.feed.findUnique({ where: { id } }) : null;
}

/**
 * Polls the feeds due at `now` (the scheduler's tick and `korus scheduler run-once`): each is claimed first, so that
 * several instances poll it once; a feed whose host had a request within the host interval is put off until its turn.
 * Feeds of different hosts are polled side by side (at most `concurrency` at once).
 */
export async function pollDueFeeds(deps: FeedDeps, now: Date, options: { limit?: number; concurrency?: number } = {}): Promise<PollOutcome[]> {
  const due = await deps.prisma.feed.findMany({
    where: { removedAt: null, nextPollAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: [{ nextPollAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 50,
    select: { id: true, host: true },
  });
  return runByHost(due, options.concurrency ?? 4, async ({ id }) => {
    const feed = await claim(deps, id, now, { nextPollAt: { lte: now } });
    return feed ? pollClaimed(deps, feed, { wait: false }) : null;
  });
}

/**
 * Polls feeds now, whatever their schedule (`korus feeds poll [ID...]`), waiting for each host's turn; a feed another
 * instance is polling at this moment is skipped. `onOutcome` hears of each as it ends.
 */
export async function pollFeeds(deps: FeedDeps, options: { ids?: number[]; onOutcome?: (o: PollOutcome) => void } = {}): Promise<PollOutcome[]> {
  const feeds = await deps.prisma.feed.findMany({
    where: { removedAt: null, ...(options.ids ? { id: { in: options.ids } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, host: true, url: true },
  });
  return runByHost(feeds, 4, async ({ id, url }) => {
    const feed = await claim(deps, id, deps.clock.now());
    const outcome = feed ? await pollClaimed(deps, feed, { wait: true }) : { feedId: id, url, result: "skipped" as const, error: "another instance is polling it right now" };
    options.onOutcome?.(outcome);
    return outcome;
  });
}

/** Runs `fn` on each item, one host at a time in order, different hosts side by side (at most `concurrency`). */
async function runByHost<T extends { host: string }, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R | null>): Promise<R[]> {
  const byHost = new Map<string, T[]>();
  for (const item of items) byHost.set(item.host, [...(byHost.get(item.host) ?? []), item]);
  const queues = [...byHost.values()];
  const out: R[] = [];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const item of queue) {
        const result = await fn(item);
        if (result !== null) out.push(result);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
  return out;
}
