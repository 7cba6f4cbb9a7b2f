import type { KnownBlock, SectionBlock } from "@slack/types";
import type { IsoDate } from "../../facts/dates.js";
import { type DeadlineOutcome, deadlineState, deadlineStateLabel, dueWord } from "../../facts/outcomes.js";
import type { Fact, FactSource } from "../../facts/model.js";
import type { HistoryEntry } from "../../facts/audit.js";
import type { SearchResult } from "../../facts/search.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { mrkdwnLink, truncate } from "../../render/mrkdwn.js";
import { markdownToMrkdwn } from "../../render/slack-mrkdwn.js";
import { ALSO_REPORTED, actorLabel, sameEventLabel, SOURCES_DIFFER, sourceName } from "../../facts/labels.js";
import { ACTION_IDS, isSlackUserId } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import type { SlackMessage } from "./status.js";
import { formatInZone } from "../../time-zone.js";
import { counted } from "../../render/count.js";

/** Results shown per page. */
export const FACTS_PAGE_SIZE = 10;

/** The value a page button carries: the query text and where the page starts. */
export interface FactsPageValue {
  q: string;
  o: number;
}

function sourceMrkdwn(source: FactSource): string {
  const named = source.url ? mrkdwnLink(source.url, source.title ?? source.url) : escapeMrkdwn(sourceName(source));
  return source.date ? `${named} (${source.date})` : named;
}

/**
 * One fact as mrkdwn: title, kind, date (with days left for a deadline), actor, id, summary, every source, the other
 * readings ("sources differ") and the other reports of the same event (`sameEvent`).
 */
export function factMrkdwn(fact: Fact, today: IsoDate, summaryLength = 400, sameEvent: readonly Fact[] = [], outcome: DeadlineOutcome | null = null): string {
  const when = fact.kind === "deadline" ? `${dueWord(fact)} ${fact.date} (${escapeMrkdwn(deadlineStateLabel(deadlineState(fact, today, outcome)))})` : fact.date;
  const marks = [...(fact.closes ? [`closes \`${escapeMrkdwn(fact.closes.event)}\` (${fact.closes.outcome})`] : []), ...(fact.milestone ? [`milestone: ${fact.milestone}`] : [])];
  const sources = fact.sources.length === 0 ? "no source" : fact.sources.map(sourceMrkdwn).join(" · ");
  const summary = fact.summary ? `\n${truncate(markdownToMrkdwn(fact.summary), summaryLength)}` : "";
  const lines = [
    `*${escapeMrkdwn(fact.title)}*${fact.confidence === "inferred" ? " _(inferred)_" : ""}`,
    `\`${fact.kind}\` · ${when} · ${escapeMrkdwn(actorLabel(fact.actor))} · #${fact.id}${marks.map((m) => ` · ${m}`).join("")}${summary}`,
    `_Source${fact.sources.length === 1 ? "" : "s"}:_ ${sources}`,
  ];
  if (fact.disputed.length > 0) {
    lines.push(`:warning: _${SOURCES_DIFFER}:_ ${fact.disputed.map((d) => `“${escapeMrkdwn(d.says)}” per ${sourceMrkdwn(d.source)}`).join("; ")}`);
  }
  if (sameEvent.length > 0) {
    lines.push(`_${ALSO_REPORTED}:_ ${sameEvent.map((o) => `${escapeMrkdwn(sameEventLabel(o))} (#${o.id}, ${o.sources.map(sourceMrkdwn).join(" · ")})`).join("; ")}`);
  }
  return lines.join("\n");
}

function factSection(fact: Fact, today: IsoDate, sameEvent: readonly Fact[], outcome: DeadlineOutcome | null): SectionBlock {
  return {
    type: "section",
    block_id: `fact-${fact.id}`,
    text: { type: "mrkdwn", text: truncate(factMrkdwn(fact, today, 400, sameEvent, outcome), 3000) },
    accessory: {
      type: "overflow",
      action_id: ACTION_IDS.factMenu,
      options: [
        { text: { type: "plain_text", text: "Edit" }, value: `edit:${fact.id}` },
        // A deadline's outcome: met, missed, extended or withdrawn, by a fact on record or a new one.
        ...(fact.kind === "deadline" ? [{ text: { type: "plain_text" as const, text: "Mark met by…" }, value: `close:${fact.id}` }] : []),
        { text: { type: "plain_text", text: "Retract" }, value: `retract:${fact.id}` },
        { text: { type: "plain_text", text: "Show history" }, value: `history:${fact.id}` },
      ],
    },
  };
}

/** A page of search results with an overflow menu on each fact and Previous/More buttons. */
export function factsSearchMessage(queryText: string, result: SearchResult, today: IsoDate): SlackMessage {
  const echo = queryText.trim() ? `\`${escapeMrkdwn(truncate(queryText.trim(), 200))}\`` : "everything";
  if (result.total === 0) {
    const text = `No facts match ${echo}.`;
    return {
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text } },
        { type: "context", elements: [{ type: "mrkdwn", text: "Try fewer words, or filters: `kind:deadline` `since:2017-07-01` `until:2017-12-31` `actor:korea`." }] },
      ],
    };
  }
  const first = result.offset + 1;
  const last = result.offset + result.facts.length;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${counted(result.total, "fact")} match* ${echo}` } },
    { type: "context", elements: [{ type: "mrkdwn", text: `Showing ${first}–${last}. Best matches first, then newest.` }] },
    ...result.facts.map((f) => factSection(f, today, result.sameEvent[f.id] ?? [], result.outcomes?.[f.id] ?? null)),
  ];
  const buttons = [];
  if (result.offset > 0) {
    buttons.push({
      type: "button" as const,
      action_id: `${ACTION_IDS.factsPage}:prev`,
      text: { type: "plain_text" as const, text: "Previous" },
      value: JSON.stringify({ q: truncate(queryText, 1800), o: Math.max(0, result.offset - FACTS_PAGE_SIZE) } satisfies FactsPageValue),
    });
  }
  if (last < result.total) {
    buttons.push({
      type: "button" as const,
      action_id: `${ACTION_IDS.factsPage}:more`,
      text: { type: "plain_text" as const, text: "More" },
      value: JSON.stringify({ q: truncate(queryText, 1800), o: last } satisfies FactsPageValue),
    });
  }
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return { text: truncate(escapeMrkdwn(`${counted(result.total, "fact")} match ${queryText.trim() || "everything"}`), SLACK_LIMITS.messageText), blocks };
}

/** A fact's history: every change with who, when and why. */
export function factHistoryMessage(fact: Fact, entries: HistoryEntry[], timeZone: string): SlackMessage {
  const when = (d: Date) => formatInZone(d, timeZone, "en-CA", { dateStyle: "short", timeStyle: "short", hourCycle: "h23" });
  const who = (e: HistoryEntry) => (isSlackUserId(e.actor) ? `<@${e.actor}>` : escapeMrkdwn(e.actorName));
  const show = (value: unknown) => escapeMrkdwn(truncate(typeof value === "string" ? value : (JSON.stringify(value) ?? "—"), 200));
  const lines = entries.map((e) => {
    const changes = e.changes.map((c) => `    ${escapeMrkdwn(c.field)}: ${show(c.before)} → ${show(c.after)}`).join("\n");
    return `• ${when(e.at)} · *${e.action}* by ${who(e)}${e.reason ? ` · _${escapeMrkdwn(e.reason)}_` : ""}${changes ? `\n${changes}` : ""}`;
  });
  const text = `History of fact #${fact.id}${fact.retracted ? " (retracted)" : ""}: ${fact.title}`;
  return {
    text: truncate(escapeMrkdwn(text), SLACK_LIMITS.messageText),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(truncate(text, 500))}*` } },
      { type: "section", text: { type: "mrkdwn", text: truncate(lines.join("\n") || "No changes recorded.", 3000) } },
    ],
  };
}

/** A plain ephemeral notice. */
export function noticeMessage(text: string): SlackMessage {
  return { text: truncate(text, SLACK_LIMITS.messageText), blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) } }] };
}
