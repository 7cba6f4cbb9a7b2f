import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { Fact } from "../../facts/model.js";
import type { MemoView, SectionView } from "../../memos/read.js";
import type { PeopleNames } from "../../people/names.js";
import type { MemoTemplate } from "../../memos/templates/template.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import { ACTION_IDS, isSlackUserId, MEMO_BLOCKS as B, VIEW_IDS } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import type { ApproveRef, MemoRef, NewMemoForm, SectionMenuRef, SectionRef, WriteForm } from "../carried-values.js";
import type { SlackMessage } from "./status.js";
import { inputBlock, plain } from "./blocks.js";
import { formatInZone } from "../../time-zone.js";
import { markdownToRichText } from "../rich-text.js";

const option = (text: string, value: string): PlainTextOption => ({ text: plain(truncate(text, 75)), value });
/** A section's state as shown: an emoji and a word. */
export const STATE_ICON: Record<string, string> = { waiting: ":hourglass_flowing_sand: waiting", drafted: ":pencil2: drafted", final: ":white_check_mark: final" };

/** A due time in the team's time zone, e.g. "Fri 11 Aug 2017, 17:00 (America/New_York)". */
export function formatDue(due: Date | null, timeZone: string): string {
  if (!due) return "no due time";
  const text = formatInZone(due, timeZone, "en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return `${text.replace(",", "").replace(/ at /, ", ")} (${timeZone})`;
}

/** The due time as a memo's line says it: "due *Fri 11 Aug 2017, 17:00 (…)*" (bold unless `plainText`), or "no due time". */
export function dueWords(due: Date | null, timeZone: string, plainText = false): string {
  if (!due) return "no due time";
  const when = escapeMrkdwn(formatDue(due, timeZone));
  return plainText ? `due ${when}` : `due *${when}*`;
}

/**
 * A person in a Slack message: a mention for a Slack member (Slack shows it as their name, and a new owner hears of
 * it), else their name (a terminal user, `cli:…`) escaped; "unassigned" for nobody.
 */
export function who(user: string | null, names: PeopleNames): string {
  if (!user) return "_unassigned_";
  return isSlackUserId(user) ? `<@${user}>` : escapeMrkdwn(names.label(user));
}

/** The new-memo form: template (changing it redraws the owners), title, due date and time, channel, owners. */
export function newMemoModal(options: { templates: readonly MemoTemplate[]; selected: MemoTemplate; channel?: string; values?: { title?: string }; today?: string }): ModalView {
  const templateOptions = options.templates
    .filter((t) => t.kind === "memo")
    .slice(0, 100)
    .map((t) => option(t.title, t.id));
  const blocks: KnownBlock[] = [
    {
      type: "section",
      block_id: B.template,
      text: { type: "mrkdwn", text: `*Template*\n${escapeMrkdwn(truncate(options.selected.description, 2000))}` },
      accessory: {
        type: "static_select",
        action_id: ACTION_IDS.memoTemplate,
        options: templateOptions,
        initial_option: templateOptions.find((o) => o.value === options.selected.id),
      },
    },
    inputBlock(B.title, "Title", { type: "plain_text_input", max_length: 150, ...(options.values?.title ? { initial_value: options.values.title } : {}) }),
    inputBlock(
      B.asOf,
      "Memo date (as of)",
      { type: "datepicker", ...(options.today ? { initial_date: options.today } : {}) },
      {
        optional: true,
        hint: "The memo's date: it shows the facts known that day. Leave today for a memo dated when it is assembled.",
      },
    ),
    inputBlock(B.dueDate, "Due date", { type: "datepicker" }, { optional: true }),
    inputBlock(B.dueTime, "Due time", { type: "timepicker", initial_time: "17:00" }, { optional: true, hint: "In the team's time zone." }),
    inputBlock(B.channel, "Post progress in", {
      type: "conversations_select",
      default_to_current_conversation: true,
      filter: { include: ["public", "private"], exclude_bot_users: true },
      ...(options.channel ? { initial_conversation: options.channel } : {}),
    }),
    { type: "header", text: plain("Section owners") },
    ...options.selected.sections
      .slice(0, 40)
      .map((s) => inputBlock(`${B.ownerPrefix}${s.key}`, `${s.title}${s.required ? "" : " (optional)"}`, { type: "users_select" }, { optional: true, hint: s.prompt })),
  ];
  return {
    type: "modal",
    callback_id: VIEW_IDS.memoNew,
    title: plain("New memo"),
    submit: plain("Create"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ t: options.selected.id } satisfies NewMemoForm),
    blocks,
  };
}

/** The tracking message: one line per section with owner and state, the due time, and what can be done. */
export function trackingMessage(memo: MemoView, timeZone: string, names: PeopleNames): SlackMessage {
  const state = memo.state === "cancelled" ? ":no_entry: cancelled" : memo.state === "assembled" ? ":page_facing_up: assembled" : memo.lockedAt ? ":lock: approved" : ":memo: in progress";
  const blocks: KnownBlock[] = [
    { type: "header", text: plain(truncate(`Memo #${memo.id}: ${memo.title}`, 150)) },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `${escapeMrkdwn(memo.templateTitle)} · ${dueWords(memo.dueAt, timeZone)} · by ${who(memo.createdBy, names)} · ${state}` }],
    },
  ];
  for (const s of memo.sections.slice(0, 40)) {
    blocks.push({
      type: "section",
      block_id: `section:${s.key}`,
      text: { type: "mrkdwn", text: `*${escapeMrkdwn(s.title)}*${s.required ? "" : " _(optional)_"} · ${who(s.ownerId, names)} · ${STATE_ICON[s.state]}${s.revision ? ` · rev ${s.revision}` : ""}` },
      ...(memo.state === "cancelled"
        ? {}
        : {
            accessory: {
              type: "overflow",
              action_id: ACTION_IDS.memoSection,
              options: [
                option("Write section", JSON.stringify({ m: memo.id, k: s.key, a: "write" } satisfies SectionMenuRef)),
                option(s.state === "final" ? "Back to draft" : "Mark final", JSON.stringify({ m: memo.id, k: s.key, a: s.state === "final" ? "draft" : "final" } satisfies SectionMenuRef)),
                option("Reassign", JSON.stringify({ m: memo.id, k: s.key, a: "reassign" } satisfies SectionMenuRef)),
                option("Show history", JSON.stringify({ m: memo.id, k: s.key, a: "history" } satisfies SectionMenuRef)),
              ],
            },
          }),
    } as KnownBlock);
  }
  if (memo.approvals.length > 0) {
    const lines = memo.approvals.map((a) => `${who(a.approver, names)}: ${a.approvedAt && a.memoVersion === memo.version ? `approved version ${a.memoVersion}` : "pending"}`);
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(`Sign-off (version ${memo.version}): ${lines.join(" · ")}`, 3000) }] });
  }
  if (memo.state !== "cancelled") {
    const ref = JSON.stringify({ m: memo.id } satisfies MemoRef);
    blocks.push({
      type: "actions",
      block_id: "memo_actions",
      elements: [
        { type: "button", action_id: ACTION_IDS.memoAssemble, text: plain("Assemble"), style: "primary", value: ref },
        { type: "button", action_id: ACTION_IDS.memoSignOff, text: plain("Request sign-off"), value: ref },
        {
          type: "button",
          action_id: ACTION_IDS.memoCancel,
          text: plain("Cancel memo"),
          style: "danger",
          value: ref,
          confirm: { title: plain("Cancel this memo?"), text: plain("No more edits or reminders. The sections stay readable."), confirm: plain("Cancel memo"), deny: plain("Keep it") },
        },
      ],
    });
  }
  const done = memo.sections.filter((s) => s.state !== "waiting").length;
  return { text: truncate(escapeMrkdwn(`Memo #${memo.id}: ${memo.title} (${done}/${memo.sections.length} sections written)`), SLACK_LIMITS.messageText), blocks };
}

function factLines(facts: readonly Fact[]): string {
  return facts.map((f) => `• ${f.date}: ${escapeMrkdwn(truncate(f.title, 150))}`).join("\n");
}

/** The DM to a section owner: the memo, their section's prompt, relevant facts, and a Write button. */
export function ownerMessage(memo: MemoView, section: SectionView, facts: readonly Fact[], timeZone: string, names: PeopleNames, reminder = false): SlackMessage {
  const intro = reminder
    ? `:alarm_clock: Reminder: *${escapeMrkdwn(section.title)}* of memo #${memo.id} _${escapeMrkdwn(memo.title)}_ is ${section.state === "waiting" ? "not written yet" : "not final yet"}. It is due *${escapeMrkdwn(formatDue(memo.dueAt, timeZone))}*.`
    : `${who(memo.createdBy, names)} asked you to write *${escapeMrkdwn(section.title)}* for memo #${memo.id} _${escapeMrkdwn(memo.title)}_${memo.dueAt ? `, ${dueWords(memo.dueAt, timeZone)}` : " (no due time)"}.`;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: truncate(intro, 3000) } },
    { type: "section", text: { type: "mrkdwn", text: truncate(`*What to write*\n${escapeMrkdwn(section.prompt)}`, 3000) } },
  ];
  if (facts.length > 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`*Relevant facts*\n${factLines(facts)}`, 3000) } });
  blocks.push({
    type: "actions",
    elements: [{ type: "button", action_id: ACTION_IDS.memoWrite, style: "primary", text: plain("Write section"), value: JSON.stringify({ m: memo.id, k: section.key } satisfies SectionRef) }],
  });
  return { text: truncate(escapeMrkdwn(reminder ? `Reminder: ${section.title} of memo #${memo.id} is due` : `Please write ${section.title} for memo #${memo.id}`), SLACK_LIMITS.messageText), blocks };
}

/** The section editor; `private_metadata` carries the revision it started from. */
export function writeModal(memo: MemoView, section: SectionView, facts: readonly Fact[], names: PeopleNames): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: "context",
      elements: [
        { type: "mrkdwn", text: truncate(`Memo #${memo.id} · ${escapeMrkdwn(memo.title)} · revision ${section.revision}${section.updatedBy ? ` by ${who(section.updatedBy, names)}` : ""}`, 3000) },
      ],
    },
    { type: "section", text: { type: "mrkdwn", text: truncate(`*${escapeMrkdwn(section.title)}*\n${escapeMrkdwn(section.prompt)}`, 3000) } },
  ];
  if (facts.length > 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`*Relevant facts* (the memo lists them with sources)\n${factLines(facts)}`, 3000) } });
  // Slack's rich-text editor, holding the stored Markdown as rich text; a section with what the editor cannot show
  // (headings, tables) opens as Markdown instead, so that saving it never drops them.
  const rich = section.text ? markdownToRichText(section.text) : undefined;
  if (!rich || rich.lossless) {
    blocks.push(
      inputBlock(
        B.text,
        section.title,
        { type: "rich_text_input", ...(rich ? { initial_value: rich.block } : {}) },
        {
          hint: `Bold, italic, lists and links from the toolbar; Markdown typed by hand works too. At most ${section.maxLength} characters.`,
        },
      ),
    );
  } else {
    blocks.push(
      inputBlock(
        B.text,
        section.title,
        {
          type: "plain_text_input",
          multiline: true,
          max_length: Math.min(section.maxLength, 3000),
          initial_value: section.text,
        },
        { hint: "This section has headings or tables, which Slack's editor cannot show, so it opens as Markdown: **bold**, _italic_, lists, [links](https://…)." },
      ),
    );
  }
  return {
    type: "modal",
    callback_id: VIEW_IDS.memoWrite,
    title: plain(truncate(section.title, 24)),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ m: memo.id, k: section.key, r: section.revision } satisfies WriteForm),
    blocks,
  };
}

/** The modal error for a conflicting save: who changed it when, and their text. */
export function conflictError(latest: { revision: number; by: string | null; at: Date; text: string }, timeZone: string): string {
  const when = formatInZone(latest.at, timeZone, "en-GB", { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short", hourCycle: "h23" });
  const theirs = latest.text.trim() ? `Their text: “${truncate(latest.text.replace(/\s+/g, " "), 1200)}”` : "They cleared the text.";
  return `${latest.by ?? "Someone"} saved revision ${latest.revision} at ${when} after you opened this. Nothing of yours was saved: copy your text, close, and open the section again to merge. ${theirs}`;
}

/** Pick a new owner. */
export function reassignModal(memo: MemoView, section: SectionView, names: PeopleNames): ModalView {
  return {
    type: "modal",
    callback_id: VIEW_IDS.memoReassign,
    title: plain("Reassign section"),
    submit: plain("Reassign"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ m: memo.id, k: section.key } satisfies SectionRef),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(`*${escapeMrkdwn(section.title)}* of memo #${memo.id}, now ${who(section.ownerId, names)}`, 3000) } },
      inputBlock(B.owner, "New owner", { type: "users_select", ...(isSlackUserId(section.ownerId) ? { initial_user: section.ownerId } : {}) }),
    ],
  };
}

/** Pick approvers. */
export function signOffModal(memo: MemoView): ModalView {
  return {
    type: "modal",
    callback_id: VIEW_IDS.memoSignOff,
    title: plain("Request sign-off"),
    submit: plain("Ask them"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ m: memo.id } satisfies MemoRef),
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(`Ask who must approve memo #${memo.id} _${escapeMrkdwn(memo.title)}_ (version ${memo.version}). Any later edit to a section resets every approval.`, 3000),
        },
      },
      inputBlock(B.approvers, "Approvers", { type: "multi_users_select", max_selected_items: 20 }),
    ],
  };
}

/** The DM asking an approver to approve. */
export function approvalRequestMessage(memo: MemoView, requestedBy: string, names: PeopleNames): SlackMessage {
  const text = `${who(requestedBy, names)} asks you to approve memo #${memo.id} _${escapeMrkdwn(memo.title)}_ (version ${memo.version}). Read it in the tracking message's thread, then approve.`;
  return {
    text: truncate(escapeMrkdwn(`Approve memo #${memo.id}: ${memo.title}`), SLACK_LIMITS.messageText),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(text, 3000) } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTION_IDS.memoApprove,
            style: "primary",
            text: plain(`Approve version ${memo.version}`),
            value: JSON.stringify({ m: memo.id, v: memo.version } satisfies ApproveRef),
          },
        ],
      },
    ],
  };
}

/**
 * The ephemeral answer when required sections are missing: with `canForce` (the memo's creator or an admin) it asks
 * whether to assemble anyway, with a button; otherwise it says who can.
 */
export function incompleteMessage(memo: MemoView, missing: string[], names: PeopleNames, canForce = true): SlackMessage {
  const titles = missing.map((k) => memo.sections.find((s) => s.key === k)?.title ?? k);
  const list = titles.map((t) => `*${escapeMrkdwn(t)}*`).join(", ");
  const text = canForce
    ? `Memo #${memo.id} is missing required sections: ${list}. Assemble it anyway? Missing sections show as placeholders.`
    : `Memo #${memo.id} is missing required sections: ${list}. Only the memo's creator (${who(memo.createdBy, names)}) or an admin can assemble it without them.`;
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: truncate(text, 3000) } }];
  if (canForce) {
    blocks.push({ type: "actions", elements: [{ type: "button", action_id: ACTION_IDS.memoAssembleAnyway, text: plain("Assemble anyway"), value: JSON.stringify({ m: memo.id } satisfies MemoRef) }] });
  }
  return { text: truncate(escapeMrkdwn(`Memo #${memo.id} is missing ${titles.join(", ")}`), SLACK_LIMITS.messageText), blocks };
}

/** `/korus memo list`: open memos with their progress. */
export function memoListMessage(memos: MemoView[], timeZone: string): SlackMessage {
  if (memos.length === 0)
    return {
      text: "No memos in progress. Start one with `/korus memo new`.",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "No memos in progress. Start one with `/korus memo new`." } }],
    };
  const lines = memos.slice(0, 30).map((m) => {
    const done = m.sections.filter((s) => s.state !== "waiting").length;
    const final = m.sections.filter((s) => s.state === "final").length;
    return `• *#${m.id}* ${escapeMrkdwn(m.title)} · ${escapeMrkdwn(m.templateTitle)} · ${done}/${m.sections.length} written, ${final} final · ${dueWords(m.dueAt, timeZone, true)} · ${m.state}`;
  });
  return { text: `${memos.length} memos`, blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(`*Memos*\n${lines.join("\n")}`, 3000) } }] };
}
