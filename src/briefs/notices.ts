/**
 * What the briefs domain tells a schedule's owner, as data: the chat adapter (src/slack/notice-wording.ts) words it
 * with its own markup (mentions, channel links, emoji). The outbox stores it beside a plain-words fallback.
 */
import type { NoticeData } from "../delivery/notices.js";

/** Why the owner is told. */
export type BriefNotice =
  /** The brief could not be built (its template is gone or broken, say): nothing was posted. */
  | { kind: "brief_not_built"; scheduleId: number; period: string; detail: string }
  /** The brief was built but the chat service refused it for good: the rest of its thread was cancelled. */
  | { kind: "brief_not_posted"; scheduleId: number; period: string; channel: string; detail: string };

/** The notice in plain words, without markup: the stored fallback and what a terminal shows. */
export function briefNoticeWords(notice: BriefNotice): string {
  const brief = `The weekly brief of schedule #${notice.scheduleId} for ${notice.period}`;
  return notice.kind === "brief_not_built" ? `${brief} could not be built: ${notice.detail}.` : `${brief} could not be posted to channel ${notice.channel}: ${notice.detail}.`;
}

/** The notice as the outbox stores it: data and plain words. */
export function briefNotice(notice: BriefNotice): { notice: NoticeData; words: string } {
  return { notice, words: briefNoticeWords(notice) };
}

/** Reads a stored notice back as a brief's; null for one that is not (another kind's, or one written by a newer version). */
export function parseBriefNotice(value: NoticeData): BriefNotice | null {
  const n = value as Record<string, unknown>;
  if (typeof n.scheduleId !== "number" || typeof n.period !== "string" || typeof n.detail !== "string") return null;
  if (n.kind === "brief_not_built") return { kind: n.kind, scheduleId: n.scheduleId, period: n.period, detail: n.detail };
  if (n.kind === "brief_not_posted" && typeof n.channel === "string") {
    return { kind: n.kind, scheduleId: n.scheduleId, period: n.period, channel: n.channel, detail: n.detail };
  }
  return null;
}
