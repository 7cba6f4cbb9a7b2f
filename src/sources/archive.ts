/**
 * Archived copies of the pages facts cite. A database trigger queues every http(s) URL a fact cites when the fact is
 * stored or edited, by whichever path (the Slack form, the shortcut, a candidate, an import); the scheduler's tick (and
 * `korus sources archive`) drains the queue: each page is fetched once, through the same safe fetch as feeds, and kept
 * as readable text with its fetch time and the SHA-256 of what was fetched. Nothing here runs while Slack waits for
 * an acknowledgement.
 */
import { createHash } from "node:crypto";
import { Prisma, type SourcePage } from "../generated/prisma/client.js";
import { bodyText, FetchError, safeFetch } from "../net/safe-fetch.js";
import { hostOf, takeHostSlot, waitForHostSlot } from "../net/host-pacing.js";
import type { FeedDeps } from "../feeds/deps.js";
import { httpStatusText } from "../feeds/poll.js";

/** How many times a page is tried before it is given up on, and the wait after the first failure (doubling). */
const ATTEMPTS = 5;
const FIRST_RETRY_MS = 30 * 60_000;
const CLAIM_MS = 2 * 60_000;

/** The states of a cited page. */
export type SourcePageState = "queued" | "archived" | "unreadable" | "failed";

/** What archiving one page did. */
export interface ArchiveOutcome {
  id: number;
  url: string;
  result: "archived" | "unreadable" | "retry" | "failed" | "deferred";
  detail: string;
}

const HTML = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Why a link whose host name no longer resolves is dead. */
export const DNS_DEAD = "its host name no longer resolves";
const TEXT = /^text\/plain\b/i;

/** Archives one claimed page: fetch, extract, store (or record why not). */
async function archiveClaimed(deps: FeedDeps, page: SourcePage, wait: boolean): Promise<ArchiveOutcome> {
  const base = { id: page.id, url: page.url };
  let host: string;
  try {
    host = hostOf(page.url);
  } catch {
    await deps.prisma.sourcePage.update({ where: { id: page.id }, data: { state: "failed", lastError: "not a URL", claimedBy: null, claimedUntil: null } });
    return { ...base, result: "failed", detail: "not a URL" };
  }
  if (wait) {
    await waitForHostSlot(deps.prisma, host, { now: () => deps.clock.now(), intervalMs: deps.settings.hostIntervalMs, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  } else {
    const busyUntil = await takeHostSlot(deps.prisma, host, deps.clock.now(), deps.settings.hostIntervalMs);
    if (busyUntil) {
      await deps.prisma.sourcePage.update({ where: { id: page.id }, data: { nextAttemptAt: busyUntil, claimedBy: null, claimedUntil: null } });
      return { ...base, result: "deferred", detail: `${host}'s turn comes at ${busyUntil.toISOString()}` };
    }
  }
  const now = deps.clock.now();
  const attempts = page.attempts + 1;
  const retryOrFail = async (detail: string, forGood: boolean, dead?: string): Promise<ArchiveOutcome> => {
    const giveUp = forGood || attempts >= ATTEMPTS;
    await deps.prisma.sourcePage.update({
      where: { id: page.id },
      data: {
        state: giveUp ? "failed" : "queued",
        attempts,
        lastError: detail.slice(0, 1000),
        nextAttemptAt: new Date(now.getTime() + FIRST_RETRY_MS * 2 ** (attempts - 1)),
        claimedBy: null,
        claimedUntil: null,
        ...(dead ? { deadSince: page.deadSince ?? now, deadReason: dead, checkedAt: now } : {}),
      },
    });
    return { ...base, result: giveUp ? "failed" : "retry", detail };
  };
  let response: Awaited<ReturnType<typeof safeFetch>>;
  try {
    response = await safeFetch({ url: page.url, accept: "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5", ...(deps.limits ? { limits: deps.limits } : {}) }, deps.fetch);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const forGood = error.code === "refused" || error.code === "bad_url" || error.code === "too_large" || error.code === "encoding";
    const dead = error.code === "dns" && !error.temporary ? DNS_DEAD : undefined;
    return retryOrFail(error.message, forGood, dead);
  }
  if (response.status === 404 || response.status === 410) return retryOrFail(`${httpStatusText(response.status)}: the page is gone`, true, httpStatusText(response.status));
  if (response.status < 200 || response.status >= 300) return retryOrFail(httpStatusText(response.status), false);
  const type = (Array.isArray(response.headers["content-type"]) ? response.headers["content-type"][0] : response.headers["content-type"]) ?? "";
  const hash = createHash("sha256").update(response.body).digest("hex");
  const common = {
    attempts,
    fetchedAt: now,
    httpStatus: response.status,
    finalUrl: response.url === page.url ? null : response.url,
    contentType: type.slice(0, 200) || null,
    contentHash: hash,
    bytes: response.body.length,
    lastError: null,
    claimedBy: null,
    claimedUntil: null,
  };
  if (HTML.test(type) || (!type && /^\s*</.test(response.body.subarray(0, 200).toString("latin1")))) {
    // The page reader (Readability on a DOM: about 1.5 MB of code) loads with the first web page archived, not at the
    // first tick that finds only unreachable or non-HTML pages.
    const { readablePage } = await import("./readable.js");
    const page_ = readablePage(bodyText(response), response.url);
    await deps.prisma.sourcePage.update({
      where: { id: page.id },
      data: { ...common, state: "archived", title: page_.title, byline: page_.byline, siteName: page_.siteName, text: page_.text },
    });
    return { ...base, result: "archived", detail: `${page_.text.length.toLocaleString("en-US")} characters of text` };
  }
  if (TEXT.test(type)) {
    const text = bodyText(response);
    await deps.prisma.sourcePage.update({ where: { id: page.id }, data: { ...common, state: "archived", text } });
    return { ...base, result: "archived", detail: `${text.length.toLocaleString("en-US")} characters of text` };
  }
  // A PDF or an image: its hash and size are kept, but no readable text (the bot does not extract PDFs).
  await deps.prisma.sourcePage.update({
    where: { id: page.id },
    data: { ...common, state: "unreadable", text: null, lastError: `not a web page (${type || "no content type"}): its hash is kept, no text` },
  });
  return { ...base, result: "unreadable", detail: `not a web page (${type || "no content type"})` };
}

/**
 * Archives the queued pages due at `now`, at most `limit` (the scheduler's tick and `korus scheduler run-once`): each
 * is claimed first (one instance fetches it), and one whose host had a request within the host interval waits for the
 * next tick. With `wait` (`korus sources archive`), it waits for the host's turn instead.
 */
export async function drainArchiveQueue(
  deps: FeedDeps,
  now: Date,
  options: { limit?: number; wait?: boolean; ids?: number[]; onOutcome?: (o: ArchiveOutcome) => void } = {},
): Promise<ArchiveOutcome[]> {
  // Pages asked for by number are fetched now, even before their retry time.
  const due = options.ids ? Prisma.sql`id = ANY(${options.ids}::int[])` : Prisma.sql`next_attempt_at <= ${now}`;
  const claimed = await deps.prisma.$queryRaw<Array<{ id: number }>>`
    UPDATE source_page SET claimed_by = ${deps.instanceId}, claimed_until = ${new Date(now.getTime() + CLAIM_MS)}
     WHERE id IN (SELECT id FROM source_page
                   WHERE state = 'queued' AND ${due} AND (claimed_until IS NULL OR claimed_until < ${now})
                   ORDER BY next_attempt_at, id LIMIT ${options.limit ?? 5} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const pages = await deps.prisma.sourcePage.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, orderBy: { id: "asc" } });
  const outcomes: ArchiveOutcome[] = [];
  for (const page of pages) {
    let outcome: ArchiveOutcome;
    try {
      outcome = await archiveClaimed(deps, page, options.wait ?? false);
    } catch (error) {
      await deps.prisma.sourcePage.update({ where: { id: page.id }, data: { claimedBy: null, claimedUntil: null } });
      throw error;
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
    if (outcome.result !== "deferred") deps.logger?.info(`sources: #${page.id} ${page.url}: ${outcome.result} (${outcome.detail})`);
  }
  return outcomes;
}

/** A cited page as people see it. */
export interface SourcePageView {
  id: number;
  url: string;
  state: SourcePageState;
  attempts: number;
  fetchedAt: Date | null;
  finalUrl: string | null;
  contentType: string | null;
  title: string | null;
  byline: string | null;
  siteName: string | null;
  text: string | null;
  contentHash: string | null;
  bytes: number | null;
  lastError: string | null;
  checkedAt: Date | null;
  deadSince: Date | null;
  deadReason: string | null;
  checkDetail: string | null;
}

function view(row: SourcePage): SourcePageView {
  return {
    id: row.id,
    url: row.url,
    state: row.state as SourcePageState,
    attempts: row.attempts,
    fetchedAt: row.fetchedAt,
    finalUrl: row.finalUrl,
    contentType: row.contentType,
    title: row.title,
    byline: row.byline,
    siteName: row.siteName,
    text: row.text,
    contentHash: row.contentHash,
    bytes: row.bytes,
    lastError: row.lastError,
    checkedAt: row.checkedAt,
    deadSince: row.deadSince,
    deadReason: row.deadReason,
    checkDetail: row.checkDetail,
  };
}

/** One cited page by id or by URL, with its text; null when there is none. */
export async function getSourcePage(deps: Pick<FeedDeps, "prisma">, idOrUrl: number | string): Promise<SourcePageView | null> {
  const row = typeof idOrUrl === "number" ? await deps.prisma.sourcePage.findUnique({ where: { id: idOrUrl } }) : await deps.prisma.sourcePage.findUnique({ where: { url: idOrUrl } });
  return row ? view(row) : null;
}

/** The cited pages (without their text), dead ones first with `dead`, else by id. */
export async function listSourcePages(
  deps: Pick<FeedDeps, "prisma">,
  options: { dead?: boolean; state?: SourcePageState; limit?: number } = {},
): Promise<{ pages: SourcePageView[]; total: number; counts: Record<string, number> }> {
  const where = { ...(options.dead ? { deadSince: { not: null } } : {}), ...(options.state ? { state: options.state } : {}) };
  const [rows, total, groups] = await Promise.all([
    deps.prisma.sourcePage.findMany({ where, orderBy: { id: "asc" }, take: options.limit ?? 100, omit: { text: true } }),
    deps.prisma.sourcePage.count({ where }),
    deps.prisma.sourcePage.groupBy({ by: ["state"], _count: { _all: true } }),
  ]);
  return { pages: rows.map((r) => view({ ...r, text: null })), total, counts: Object.fromEntries(groups.map((g) => [g.state, g._count._all])) };
}
