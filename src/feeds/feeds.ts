/**
 * The feeds a team watches, per topic: adding one (checked by fetching it once, so that a wrong or hostile address is
 * refused at once with the reason), listing them with their last and next poll, last error and candidate counts, and
 * removing one (kept, with its decided candidates; its pending ones are dismissed).
 */
import type { Feed } from "../generated/prisma/client.js";
import { normalizeActor } from "../facts/model.js";
import { TextRefused, guardText } from "../text-guard.js";
import { parseTopic, TopicError } from "../topics/slug.js";
import { checkedUrl, FetchError } from "../net/safe-fetch.js";
import { hostOf, waitForHostSlot } from "../net/host-pacing.js";
import { type FeedDeps, FeedError } from "./deps.js";
import { itemMatches, keywordMatcher, parseKeywords } from "./keywords.js";
import { FEED_KIND_NAMES, type FeedKind, FeedParseError } from "./items.js";
import { fetchFeed, httpStatusText } from "./poll.js";
import { dateInZone } from "../time-zone.js";

/**
 * A channel as the domain keeps it: the id the chat adapter gave (letters and digits, like C0123ABCD). The adapter
 * reads what its users type (Slack: a #channel mention) and checks its own id shape at its edge.
 */
const CHANNEL_ID = /^[A-Z0-9]{2,40}$/;

/** The states a candidate can be in. */
export const CANDIDATE_STATES = ["pending", "accepted", "dismissed", "irrelevant"] as const;
export type CandidateState = (typeof CANDIDATE_STATES)[number];

/** A feed as people see it. */
export interface FeedView {
  id: number;
  url: string;
  topic: string;
  keywords: string[];
  channels: string[];
  actor: string | null;
  kind: FeedKind | null;
  title: string | null;
  intervalMinutes: number;
  lastPolledAt: Date | null;
  nextPollAt: Date;
  lastStatus: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  counts: Record<CandidateState, number>;
  removedAt: Date | null;
}

/** What `feeds add` was given. */
export interface NewFeed {
  url: string;
  topic?: string;
  /** "Korea, KORUS" or a list; none: every item becomes a candidate. */
  keywords?: string | string[];
  channels?: string[];
  actor?: string;
  /** Fetch it once before storing it (default): a feed that does not answer or is not a feed is refused. */
  check?: boolean;
}

/** What the check of a new feed found. */
export interface FeedCheck {
  kind: FeedKind;
  title: string | null;
  items: number;
  matching: number;
  redirects: string[];
}

function view(feed: Feed, counts: Partial<Record<CandidateState, number>> = {}): FeedView {
  return {
    id: feed.id,
    url: feed.url,
    topic: feed.topic,
    keywords: feed.keywords,
    channels: feed.channels,
    actor: feed.actor,
    kind: (feed.kind as FeedKind | null) ?? null,
    title: feed.title,
    intervalMinutes: Math.round(feed.intervalSeconds / 60),
    lastPolledAt: feed.lastPolledAt,
    nextPollAt: feed.nextPollAt,
    lastStatus: feed.lastStatus,
    lastError: feed.lastError,
    lastErrorAt: feed.lastErrorAt,
    failures: feed.failures,
    counts: { pending: counts.pending ?? 0, accepted: counts.accepted ?? 0, dismissed: counts.dismissed ?? 0, irrelevant: counts.irrelevant ?? 0 },
    removedAt: feed.removedAt,
  };
}

/** A feed's fields checked, or FeedError("invalid") naming the field at fault. */
function checkedInput(input: NewFeed): { url: string; topic: string; keywords: string[]; channels: string[]; actor: string | null } {
  let url: URL;
  try {
    url = checkedUrl(input.url.trim());
  } catch (error) {
    if (error instanceof FetchError) throw new FeedError("invalid", error.message, "url");
    throw error;
  }
  if (url.href.length > 2000) throw new FeedError("invalid", "a feed URL may be at most 2,000 characters", "url");
  let topic: string;
  try {
    topic = parseTopic(input.topic ?? "korus");
  } catch (error) {
    if (error instanceof TopicError) throw new FeedError("invalid", error.message, "topic");
    throw error;
  }
  const keywords = parseKeywords(input.keywords);
  if ("problem" in keywords) throw new FeedError("invalid", keywords.problem, "keywords");
  const channels = [
    ...new Set(
      (input.channels ?? [])
        .flatMap((c) => c.split(","))
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
  const bad = channels.find((c) => !CHANNEL_ID.test(c));
  if (bad) throw new FeedError("invalid", `\`${bad.slice(0, 40)}\` is not a channel id: write it like C0123ABCD`, "channel");
  let actor: string | null = null;
  if (input.actor !== undefined && input.actor.trim() !== "") {
    try {
      actor = normalizeActor(guardText(input.actor).replace(/\s+/g, " ").trim());
    } catch (error) {
      if (error instanceof TextRefused) throw new FeedError("invalid", error.problem, "actor");
      throw error;
    }
    if (actor.length > 200) throw new FeedError("invalid", "an actor may be at most 200 characters", "actor");
  }
  return { url: url.href, topic, keywords, channels, actor };
}

/**
 * Adds a feed to a topic. Unless `check: false`, the feed is fetched once first (waiting for its host's turn) and
 * refused, with nothing stored, when it cannot be fetched (refused address, DNS, timeout, size) or is not a feed; its
 * kind and title come from that answer. The first poll makes its candidates.
 * @throws FeedError invalid (a field), conflict (already watched), unreachable (the check failed).
 */
export async function addFeed(deps: FeedDeps, input: NewFeed, user: string): Promise<{ feed: FeedView; check: FeedCheck | null }> {
  const fields = checkedInput(input);
  const existing = await deps.prisma.feed.findFirst({ where: { url: fields.url, topic: fields.topic, removedAt: null }, select: { id: true } });
  if (existing) throw new FeedError("conflict", `Feed #${existing.id} already watches ${fields.url} for ${fields.topic}.`, "url");
  let check: FeedCheck | null = null;
  if (input.check !== false) {
    await waitForHostSlot(deps.prisma, hostOf(fields.url), { now: () => deps.clock.now(), intervalMs: deps.settings.hostIntervalMs, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
    let fetched: Awaited<ReturnType<typeof fetchFeed>>;
    try {
      fetched = await fetchFeed(deps, fields.url);
    } catch (error) {
      if (error instanceof FetchError || error instanceof FeedParseError) throw new FeedError("unreachable", `${fields.url}: ${error.message}. Nothing was added.`, "url");
      throw error;
    }
    if (!fetched.parsed) throw new FeedError("unreachable", `${fields.url} answered ${httpStatusText(fetched.response.status)}. Nothing was added.`, "url");
    const match = keywordMatcher(fields.keywords);
    const matching = fetched.parsed.items.filter((i) => itemMatches(fields.keywords, match(`${i.title}\n${i.summary}`))).length;
    check = { kind: fetched.parsed.kind, title: fetched.parsed.title, items: fetched.parsed.items.length, matching, redirects: fetched.response.redirects };
  }
  const now = deps.clock.now();
  const feed = await deps.prisma.feed.create({
    data: {
      url: fields.url,
      topic: fields.topic,
      keywords: fields.keywords,
      channels: fields.channels,
      // The Federal Register is the U.S. government's journal: its documents are the U.S.'s unless someone says otherwise.
      actor: fields.actor ?? (check?.kind === "federal-register" ? "US" : null),
      kind: check?.kind ?? null,
      title: check?.title?.slice(0, 300) ?? null,
      host: hostOf(fields.url),
      intervalSeconds: Math.round(deps.settings.feedIntervalMs / 1000),
      nextPollAt: now,
      createdBy: user,
    },
  });
  return { feed: view(feed), check };
}

/** Candidate counts per feed and state. */
async function countsByFeed(deps: Pick<FeedDeps, "prisma">, ids: number[]): Promise<Map<number, Partial<Record<CandidateState, number>>>> {
  const groups = await deps.prisma.feedCandidate.groupBy({ by: ["feedId", "state"], where: { feedId: { in: ids } }, _count: { _all: true } });
  const out = new Map<number, Partial<Record<CandidateState, number>>>();
  for (const g of groups) {
    const state = g.state === "accepting" ? "pending" : (g.state as CandidateState);
    const counts = out.get(g.feedId) ?? {};
    counts[state] = (counts[state] ?? 0) + g._count._all;
    out.set(g.feedId, counts);
  }
  return out;
}

/** The feeds, oldest first: live ones, or with `removed` the removed ones too. */
export async function listFeeds(deps: Pick<FeedDeps, "prisma">, options: { topic?: string; removed?: boolean } = {}): Promise<FeedView[]> {
  const feeds = await deps.prisma.feed.findMany({
    where: { ...(options.removed ? {} : { removedAt: null }), ...(options.topic ? { topic: options.topic } : {}) },
    orderBy: { id: "asc" },
  });
  const counts = await countsByFeed(
    deps,
    feeds.map((f) => f.id),
  );
  return feeds.map((f) => view(f, counts.get(f.id)));
}

/** One feed, or FeedError not_found. */
export async function getFeed(deps: Pick<FeedDeps, "prisma">, id: number): Promise<FeedView> {
  const feed = await deps.prisma.feed.findUnique({ where: { id } });
  if (!feed) throw new FeedError("not_found", `There is no feed #${id} (korus feeds list shows them).`);
  return view(feed, (await countsByFeed(deps, [id])).get(id));
}

/**
 * Removes a feed: it is no longer polled, its pending candidates are dismissed, and it stays listed with `--removed`
 * (the facts saved from it keep their sources).
 */
export async function removeFeed(deps: Pick<FeedDeps, "prisma" | "clock" | "timeZone">, id: number, user: string): Promise<{ feed: FeedView; dismissed: number }> {
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const feed = await tx.feed.findUnique({ where: { id } });
    if (!feed) throw new FeedError("not_found", `There is no feed #${id} (korus feeds list shows them).`);
    if (feed.removedAt) throw new FeedError("conflict", `Feed #${id} was removed on ${dateInZone(feed.removedAt, deps.timeZone)}${feed.removedBy ? ` by ${feed.removedBy}` : ""}.`);
    const removed = await tx.feed.update({ where: { id }, data: { removedAt: now, removedBy: user, claimedBy: null, claimedUntil: null } });
    const { count } = await tx.feedCandidate.updateMany({ where: { feedId: id, state: "pending" }, data: { state: "dismissed", decidedBy: user, decidedAt: now } });
    return { feed: view(removed), dismissed: count };
  });
}

/** "RSS", "Atom", … for a kind (or "not polled yet"). */
export function feedKindName(kind: FeedKind | null): string {
  return kind ? FEED_KIND_NAMES[kind] : "kind not known yet";
}
