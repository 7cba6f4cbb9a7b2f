import type { MemoView } from "./service.js";
import { formatInZone } from "../time-zone.js";

function due(memo: MemoView, timeZone: string): string {
  if (!memo.dueAt) return "no due time";
  return `${formatInZone(memo.dueAt, timeZone, "en-CA", { dateStyle: "short", timeStyle: "short", hourCycle: "h23" })} (${timeZone})`;
}

/** Memos as a Markdown list, for the terminal. */
export function memoListMarkdown(memos: MemoView[], timeZone: string): string {
  if (memos.length === 0) return "No memos in progress. Start one with `korus memo new --template special-session-prep --title ...`.\n";
  const lines = ["# Memos", ""];
  for (const m of memos) {
    const written = m.sections.filter((s) => s.state !== "waiting").length;
    const final = m.sections.filter((s) => s.state === "final").length;
    lines.push(`- **#${m.id}** ${m.title} · ${m.templateTitle} · ${written}/${m.sections.length} written, ${final} final · due ${due(m, timeZone)} · ${m.state}${m.lockedAt ? " · approved" : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** One memo's sections and sign-off as Markdown. */
export function memoMarkdown(memo: MemoView, timeZone: string): string {
  const lines = [`# Memo #${memo.id}: ${memo.title}`, "", `${memo.templateTitle} · created by ${memo.createdBy} · due ${due(memo, timeZone)} · ${memo.state} · version ${memo.version}${memo.lockedAt ? " · approved" : ""}`, ""];
  for (const s of memo.sections) {
    lines.push(`- **${s.title}** (\`${s.key}\`${s.required ? "" : ", optional"}) · ${s.ownerId ?? "unassigned"} · ${s.state}${s.revision ? ` · revision ${s.revision}` : ""}`);
  }
  if (memo.approvals.length > 0) {
    lines.push("", "Sign-off:");
    for (const a of memo.approvals) lines.push(`- ${a.approver}: ${a.approvedAt && a.memoVersion === memo.version ? `approved version ${a.memoVersion}` : "pending"}`);
  }
  return `${lines.join("\n")}\n`;
}
