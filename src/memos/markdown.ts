import type { MemoView } from "./read.js";
import type { PeopleNames } from "../people/names.js";
import { escapeMarkdown } from "../render/escape.js";
import { formatInZone } from "../time-zone.js";
import { counted } from "../render/count.js";

/** "due 2017-08-11 17:00 (America/New_York)", or "no due time" for a memo without one. */
function due(memo: MemoView, timeZone: string): string {
  if (!memo.dueAt) return "no due time";
  return `due ${formatInZone(memo.dueAt, timeZone, "en-CA", { dateStyle: "short", timeStyle: "short", hourCycle: "h23" })} (${timeZone})`;
}

/** Memos as a Markdown list, for the terminal. */
export function memoListMarkdown(memos: MemoView[], timeZone: string): string {
  if (memos.length === 0) return "No memos in progress. Start one with `korus memo new --template special-session-prep --title ...`.\n";
  const lines = ["# Memos", ""];
  for (const m of memos) {
    const written = m.sections.filter((s) => s.state !== "waiting").length;
    const final = m.sections.filter((s) => s.state === "final").length;
    lines.push(
      `- **#${m.id}** ${escapeMarkdown(m.title)} · ${escapeMarkdown(m.templateTitle)} · ${written}/${m.sections.length} written, ${final} final · ${due(m, timeZone)} · ${m.state}${m.lockedAt ? " · approved" : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** One memo's sections and sign-off as Markdown, people by name (`names`: src/memos/service.ts memoNames). */
export function memoMarkdown(memo: MemoView, timeZone: string, names: PeopleNames): string {
  const who = (id: string) => escapeMarkdown(names.label(id));
  const lines = [
    `# Memo #${memo.id}: ${escapeMarkdown(memo.title)}`,
    "",
    `${escapeMarkdown(memo.templateTitle)} · created by ${who(memo.createdBy)} · ${due(memo, timeZone)} · ${memo.state} · version ${memo.version}${memo.lockedAt ? " · approved" : ""}`,
    "",
  ];
  for (const s of memo.sections) {
    lines.push(
      `- **${escapeMarkdown(s.title)}** (\`${s.key}\`${s.required ? "" : ", optional"}) · ${s.ownerId ? who(s.ownerId) : "unassigned"} · ${s.state}${s.revision ? ` · revision ${s.revision}` : ""}`,
    );
  }
  if (memo.approvals.length > 0) {
    lines.push("", "Sign-off:");
    for (const a of memo.approvals) lines.push(`- ${who(a.approver)}: ${a.approvedAt && a.memoVersion === memo.version ? `approved version ${a.memoVersion}` : "pending"}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A section's revisions as Markdown: who wrote each when, and with `full` its text. */
export function sectionHistoryMarkdown(
  memoId: number,
  section: { title: string },
  revisions: ReadonlyArray<{ revision: number; authorName: string; at: Date; text: string }>,
  options: { full?: boolean } = {},
): string {
  const lines = [`# ${section.title}, memo #${memoId}`, ""];
  for (const r of revisions) {
    lines.push(`- revision ${r.revision} · ${escapeMarkdown(r.authorName)} · ${r.at.toISOString()} · ${counted(r.text.length, "character")}`);
    if (options.full) lines.push("", r.text.replace(/^/gm, "    "), "");
  }
  if (revisions.length === 0) lines.push("No revisions yet.");
  return `${lines.join("\n")}\n`;
}
