import type { HomeView, KnownBlock } from "@slack/types";
import { deadlineStateLabel } from "../../facts/outcomes.js";
import type { MemoView, SectionView } from "../../memos/read.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import type { StatusReport } from "../../status/status.js";
import { ACTION_IDS } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import type { SectionRef } from "../carried-values.js";
import { plain } from "./blocks.js";
import { formatDue, memoListMessage, STATE_ICON } from "./memos.js";
import { count, counted } from "../../render/count.js";

/** Most sections listed under "Waiting for you" (each is one block; the Home tab holds 100). */
export const MAX_HOME_SECTIONS = 20;

/** What the Home tab shows one person. */
export interface HomeContent {
  user: string;
  waiting: Array<{ memo: MemoView; section: SectionView }>;
  memos: MemoView[];
  status: StatusReport;
  timeZone: string;
  /** Feed candidates waiting for review, per topic (src/feeds/candidates.ts pendingCounts). */
  candidatesWaiting?: Record<string, number>;
}

/**
 * The Home tab: buttons for the status, a new fact and a new memo; the status headline; the viewer's sections waiting
 * (soonest due first) with a Write button each; the memos in progress.
 */
export function homeView(content: HomeContent): HomeView {
  const blocks: KnownBlock[] = [
    { type: "header", text: plain("KORUS") },
    {
      type: "actions",
      block_id: "home_actions",
      elements: [
        { type: "button", action_id: ACTION_IDS.homeStatus, text: plain("Status"), style: "primary" },
        { type: "button", action_id: ACTION_IDS.homeFactAdd, text: plain("Add a fact") },
        { type: "button", action_id: ACTION_IDS.homeMemoNew, text: plain("New memo") },
      ],
    },
  ];
  const s = content.status;
  const next = s.nextDeadline
    ? `Next deadline: *${escapeMrkdwn(s.nextDeadline.fact.title)}*, ${s.nextDeadline.fact.date} (${deadlineStateLabel(s.nextDeadline.state)})`
    : "No upcoming deadlines on record.";
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: truncate(`*Current phase:* ${s.phase ? escapeMrkdwn(s.phase.fact.title) : "no events on record"}\n${next}`, SLACK_LIMITS.sectionText) },
  });
  blocks.push(reviewQueue(content.candidatesWaiting ?? {}));
  blocks.push({ type: "divider" }, { type: "header", text: plain("Waiting for you") });
  if (content.waiting.length === 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: "Nothing: no sections are waiting for you." } });
  for (const { memo, section } of content.waiting.slice(0, MAX_HOME_SECTIONS)) {
    blocks.push({
      type: "section",
      block_id: `waiting:${memo.id}:${section.key}`.slice(0, 255),
      text: {
        type: "mrkdwn",
        text: truncate(
          `*${escapeMrkdwn(section.title)}* · memo #${memo.id} _${escapeMrkdwn(memo.title)}_\n${memo.dueAt ? `Due ${escapeMrkdwn(formatDue(memo.dueAt, content.timeZone))}` : "No due time"} · ${STATE_ICON[section.state]}${section.revision ? ` · rev ${section.revision}` : ""}`,
          SLACK_LIMITS.sectionText,
        ),
      },
      accessory: { type: "button", action_id: ACTION_IDS.memoWrite, text: plain("Write section"), value: JSON.stringify({ m: memo.id, k: section.key } satisfies SectionRef) },
    });
  }
  if (content.waiting.length > MAX_HOME_SECTIONS) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${content.waiting.length - MAX_HOME_SECTIONS} more.` }] });
  }
  blocks.push({ type: "divider" }, { type: "header", text: plain("Memos in progress") });
  blocks.push(...memoListMessage(content.memos, content.timeZone).blocks);
  return { type: "home", blocks: blocks.slice(0, SLACK_LIMITS.blocksPerView) };
}

/** The review queue's count, per topic, with where to review it. */
function reviewQueue(waiting: Record<string, number>): KnownBlock {
  const topics = Object.entries(waiting)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const total = topics.reduce((n, [, c]) => n + c, 0);
  const text =
    total === 0
      ? ":inbox_tray: No feed items are waiting for review (`/korus feeds` shows the watched feeds)."
      : `:inbox_tray: *${counted(total, "feed item")} waiting for review*${topics.length > 1 ? ` (${topics.map(([t, n]) => `${count(n)} in \`${escapeMrkdwn(t)}\``).join(", ")})` : topics[0] ? ` in \`${escapeMrkdwn(topics[0][0])}\`` : ""}: \`/korus candidates\` lists them with their Save as fact and Dismiss buttons.`;
  return { type: "section", block_id: "review_queue", text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) } };
}
