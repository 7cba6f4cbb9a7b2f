/**
 * Feeds, candidates and archived pages as Markdown for the terminal and the local console. Every text that came from a
 * feed or a page (titles, summaries, feed names, errors quoting a server) goes through escapeMarkdown, like any fact
 * title: a `<!channel>` or `[x](https://evil)` in a feed is shown as the characters it is.
 */
import { escapeMarkdown, markdownLink } from "../render/escape.js";
import { dateInZone, describeInstant } from "../time-zone.js";
import type { CandidateView, FactDraft } from "./candidates.js";
import { duplicateLabel, type CandidateDuplicate } from "./duplicates.js";
import { feedKindName, type FeedCheck, type FeedView } from "./feeds.js";
import type { FeedKind } from "./items.js";
import type { PollOutcome } from "./poll.js";
import type { ArchiveOutcome, SourcePageView } from "../sources/archive.js";
import type { LinkCheck } from "../sources/check.js";
import { describeBytes } from "../net/safe-fetch.js";
import { counted } from "../render/count.js";

const quoted = (text: string) => `“${escapeMarkdown(text)}”`;
const link = (url: string) => markdownLink(url, url);

/** What `feeds add` says. */
export function feedAddedMarkdown(feed: FeedView, check: FeedCheck | null): string {
  const lines = [
    `Added feed #${feed.id}: ${feedKindName(feed.kind)}${feed.title ? ` ${quoted(feed.title)}` : ""} (${link(feed.url)}), topic \`${feed.topic}\`, ${
      feed.keywords.length > 0 ? `keywords ${feed.keywords.map(escapeMarkdown).join(", ")}` : "every item (no keywords)"
    }${feed.channels.length > 0 ? `, reviewed in ${feed.channels.join(", ")}` : ""}${feed.actor ? `, actor ${escapeMarkdown(feed.actor)}` : ""}.`,
  ];
  if (check) {
    if (check.redirects.length > 0) lines.push(`It was redirected ${counted(check.redirects.length, "time")} on the way; the address stored is the one given.`);
    const matching = check.matching === 0 ? "none matches yet" : check.matching === check.items ? (check.items === 1 ? "it matches" : "all match") : `${check.matching} match`;
    const next = check.matching === 0 ? "" : `. \`korus feeds poll\` makes ${check.matching === 1 ? "it a candidate" : "them candidates"} now`;
    lines.push(`It has ${counted(check.items, "item")} now; ${matching}${next}; the bot polls the feed every ${feed.intervalMinutes} min.`);
  } else {
    lines.push("Not checked (--no-check): its first poll will say whether it is a feed the bot reads.");
  }
  return `${lines.join("\n")}\n`;
}

/** `feeds list`. */
export function feedsMarkdown(feeds: FeedView[], timeZone: string, pending: Record<string, number>): string {
  if (feeds.length === 0) return 'No feeds yet. Add one: `korus feeds add URL --topic korus --keywords "Korea,KORUS"`.\n';
  const out = ["# Feeds", ""];
  for (const f of feeds) {
    out.push(`- **#${f.id}** ${feedKindName(f.kind)} · \`${f.topic}\`${f.title ? ` · ${quoted(f.title)}` : ""}${f.removedAt ? ` · _removed ${dateInZone(f.removedAt, timeZone)}_` : ""}  `);
    out.push(`  ${link(f.url)}  `);
    out.push(
      `  Keywords: ${f.keywords.length > 0 ? f.keywords.map(escapeMarkdown).join(", ") : "none (every item)"}${f.channels.length > 0 ? ` · channels ${f.channels.join(", ")}` : ""}${f.actor ? ` · actor ${escapeMarkdown(f.actor)}` : ""} · every ${f.intervalMinutes} min  `,
    );
    out.push(
      `  Last poll: ${f.lastPolledAt ? `${describeInstant(f.lastPolledAt, timeZone)} (${escapeMarkdown(f.lastStatus ?? "")})` : "not yet"}${f.removedAt ? "" : ` · next: ${describeInstant(f.nextPollAt, timeZone)}`}  `,
    );
    out.push(`  Candidates: ${f.counts.pending} waiting, ${f.counts.accepted} saved as facts, ${f.counts.dismissed} dismissed, ${f.counts.irrelevant} not relevant${f.lastError ? "  " : ""}`);
    if (f.lastError) {
      out.push(
        `  **Last error**${f.lastErrorAt ? ` (${describeInstant(f.lastErrorAt, timeZone)}${f.failures > 0 ? `, ${counted(f.failures, "failure")} in a row, retried with backoff` : ", since recovered"})` : ""}: ${escapeMarkdown(f.lastError)}`,
      );
    }
  }
  const waiting = Object.entries(pending).filter(([, n]) => n > 0);
  out.push("", waiting.length > 0 ? `Waiting for review: ${waiting.map(([t, n]) => `${n} in \`${t}\``).join(", ")} (\`korus candidates list\`).` : "No candidates are waiting.");
  return `${out.join("\n")}\n`;
}

/** One line for a poll outcome, as `feeds poll` prints them. */
export function pollOutcomeLine(o: PollOutcome, timeZone: string): string {
  const head = `#${o.feedId} ${o.url}`;
  switch (o.result) {
    case "new":
      return `${head}: ${o.httpStatus}, ${feedKindName((o.kind as FeedKind | undefined) ?? null)}, ${counted(o.items ?? 0, "item")}, ${o.matched ?? 0} matched, ${counted(o.added ?? 0, "new candidate")}`;
    case "not-modified":
      return `${head}: 304 not modified, nothing new`;
    case "deferred":
      return `${head}: its host was asked moments ago; its turn comes ${o.nextPollAt ? describeInstant(o.nextPollAt, timeZone) : "soon"}`;
    case "skipped":
      return `${head}: skipped (${o.error ?? "busy"})`;
    case "failed":
      return `${head}: failed: ${o.error}${o.nextPollAt ? ` (next try ${describeInstant(o.nextPollAt, timeZone)})` : ""}`;
  }
}

function duplicateLine(d: CandidateDuplicate): string {
  return `${d.certainty === "same" ? "**same**" : "**likely duplicate**"}: ${escapeMarkdown(duplicateLabel(d))} ${quoted(d.title)}`;
}

/** `candidates list`. */
export function candidatesMarkdown(candidates: CandidateView[], total: number, state: string): string {
  if (total === 0) return state === "pending" ? "No candidates are waiting. `korus feeds poll` polls the feeds now.\n" : `No candidates ${state === "all" ? "at all" : `in state ${state}`}.\n`;
  const heading = state === "pending" ? `${counted(total, "candidate")} waiting` : `${counted(total, "candidate")}${state === "all" ? "" : ` (${state})`}`;
  const out = [`# ${heading}${candidates.length < total ? ` (showing ${candidates.length})` : ""}`, ""];
  for (const c of candidates) {
    out.push(
      `- **#${c.id}** ${c.publishedOn ?? "no date"} · \`${c.topic}\` · ${quoted(c.title)} · ${escapeMarkdown(c.sourceTitle)}${c.state !== "pending" ? ` · _${c.state === "accepted" ? `saved as fact #${c.factId}` : c.state === "irrelevant" ? "not relevant" : "dismissed"}${c.decidedBy ? ` by ${escapeMarkdown(c.decidedBy)}` : ""}_` : ""}  `,
    );
    if (c.url) out.push(`  ${link(c.url)}  `);
    if (c.summary) out.push(`  ${escapeMarkdown(c.summary.length > 240 ? `${c.summary.slice(0, 239)}…` : c.summary)}  `);
    if (c.matched.length > 0) out.push(`  Matched: ${c.matched.map(escapeMarkdown).join(", ")}  `);
    for (const d of c.duplicates) out.push(`  ${duplicateLine(d)}  `);
    if (c.state === "pending") out.push(`  \`korus candidates accept ${c.id}\` · \`korus candidates dismiss ${c.id}\` · \`korus candidates dismiss ${c.id} --not-relevant\``);
  }
  return `${out.join("\n")}\n`;
}

/** `candidates show`: the candidate and the fact it would become. */
export function candidateDraftMarkdown(c: CandidateView, draft: FactDraft): string {
  const out = [`# Candidate #${c.id}: ${escapeMarkdown(c.title)}`, ""];
  out.push(`From feed #${c.feedId}${c.feedTitle ? ` (${escapeMarkdown(c.feedTitle)})` : ""}, topic \`${c.topic}\`, state ${c.state}.`, "");
  for (const d of c.duplicates) out.push(`- ${duplicateLine(d)}`);
  if (c.duplicates.length > 0) out.push("");
  out.push("The fact it would become (`korus candidates accept` takes --kind, --actor, --date, --title):", "");
  out.push(`- kind: ${draft.kind}`, `- date: ${draft.date ?? "(none: give --date)"}`, `- known: ${draft.known ?? "(the date)"}`, `- title: ${escapeMarkdown(draft.title)}`);
  out.push(`- actor: ${draft.actor ? escapeMarkdown(draft.actor) : "(none: give --actor)"}`, `- topic: ${draft.topic}`);
  for (const s of draft.sources) out.push(`- source: ${s.url ? markdownLink(s.url, s.title ?? s.url) : escapeMarkdown(s.title ?? "")}${s.date ? ` (${s.date})` : ""}`);
  // The draft's summary is already Markdown (the feed's text escaped).
  if (draft.summary) out.push(`- summary: ${draft.summary}`);
  return `${out.join("\n")}\n`;
}

/** One line for an archived page's outcome. */
export function archiveOutcomeLine(o: ArchiveOutcome): string {
  return `#${o.id} ${o.url}: ${o.result}${o.detail ? ` (${o.detail})` : ""}`;
}

/** One line for a link check. */
export function linkCheckLine(c: LinkCheck, timeZone: string): string {
  const copy = c.result === "dead" ? (c.archived && c.fetchedAt ? `; archived copy, fetched ${dateInZone(c.fetchedAt, timeZone)} (korus sources show ${c.id})` : "; no archived copy") : "";
  return `#${c.id} ${c.url}: ${c.result === "dead" ? "DEAD" : c.result === "alive" ? "alive" : "could not tell"} (${c.detail})${copy}`;
}

/** `sources list`. */
export function sourcePagesMarkdown(pages: SourcePageView[], total: number, counts: Record<string, number>, timeZone: string): string {
  const summary = Object.entries(counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(", ");
  if (total === 0) return `No cited pages${summary ? ` match (${summary} in all)` : " yet: a fact that cites a URL queues its page"}.\n`;
  const out = [`# Cited pages (${summary})`, ""];
  for (const p of pages) {
    const state =
      p.state === "archived" && p.fetchedAt
        ? `archived ${describeInstant(p.fetchedAt, timeZone)}`
        : p.state === "queued"
          ? `queued${p.attempts > 0 ? ` (tried ${counted(p.attempts, "time")}: ${escapeMarkdown(p.lastError ?? "")})` : ""}`
          : `${p.state}${p.lastError ? `: ${escapeMarkdown(p.lastError)}` : ""}`;
    out.push(`- **#${p.id}** ${link(p.url)} · ${state}${p.deadSince ? ` · **dead** since ${dateInZone(p.deadSince, timeZone)} (${escapeMarkdown(p.deadReason ?? "")})` : ""}`);
  }
  if (pages.length < total) out.push("", `…and ${total - pages.length} more.`);
  return `${out.join("\n")}\n`;
}

/** `sources show`: the page's record and its archived text (plain text, as kept). */
export function sourcePageText(p: SourcePageView, timeZone: string): string {
  const head = [
    `Archived page #${p.id}: ${p.url}`,
    p.finalUrl ? `Fetched from: ${p.finalUrl} (after redirects)` : null,
    `State: ${p.state}${p.fetchedAt ? `, fetched ${describeInstant(p.fetchedAt, timeZone)}` : ""}${p.bytes !== null ? `, ${describeBytes(p.bytes)}` : ""}${p.contentType ? ` (${p.contentType})` : ""}`,
    p.contentHash ? `SHA-256: ${p.contentHash}` : null,
    p.deadSince
      ? `Link: DEAD since ${dateInZone(p.deadSince, timeZone)} (${p.deadReason ?? ""})`
      : p.checkedAt
        ? `Link: checked ${describeInstant(p.checkedAt, timeZone)}: ${p.checkDetail ?? ""}`
        : null,
    p.lastError ? `Last problem: ${p.lastError}` : null,
    p.title ? `Title: ${p.title}` : null,
    p.byline ? `By: ${p.byline}` : null,
    p.siteName ? `Site: ${p.siteName}` : null,
  ].filter((l): l is string => l !== null);
  const body = p.text ? `\n${"-".repeat(72)}\n${p.text}\n` : `\nNo text was kept${p.state === "queued" ? " yet: `korus sources archive` fetches it now" : ""}.\n`;
  return `${head.join("\n")}\n${body}`;
}
