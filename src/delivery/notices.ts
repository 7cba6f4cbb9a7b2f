/**
 * Notices to an owner (whoever made a schedule or turned alerts on) when their post could not go out. A kind says what
 * to tell, as data (`NoticeData`, its own `kind` field naming the notice) and in plain words; the chat adapter words
 * the data with its markup (src/slack/notice-wording.ts) and falls back to the plain words for a notice it does not know.
 */
import type { Prisma } from "../generated/prisma/client.js";

/** The part number of the owner's message of a post (after the post 0 and its thread 1..n). */
export const OWNER_DM_SEQ = 100;

/** What an owner is told, as data: `kind` names the notice ("brief_not_posted"), the rest is the kind's. */
export type NoticeData = { readonly kind: string } & Readonly<Record<string, string | number>>;

/** Whom to tell what: an owner's id (a Slack user, or cli:<name> whom the transport cannot reach), the notice, its plain words. */
export interface OwnerNotice {
  owner: string;
  notice: NoticeData;
  words: string;
}

/** Reads a stored notice back; null for a row that is not one. */
export function parseNoticeData(value: unknown): NoticeData | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (typeof (value as { kind?: unknown }).kind !== "string") return null;
  if (!entries.every(([, v]) => typeof v === "string" || typeof v === "number")) return null;
  return value as NoticeData;
}

/**
 * Queues `tell` for the owner of post (kind, subject), once per post (a second notice of the same post is dropped),
 * in the caller's transaction. The outbox's transport says whether it can reach the owner.
 */
export async function queueOwnerNotice(tx: Prisma.TransactionClient, post: { kind: string; subject: number }, tell: OwnerNotice, now: Date): Promise<void> {
  await tx.outboxMessage.createMany({
    data: [{ kind: post.kind, subject: post.subject, seq: OWNER_DM_SEQ, channel: tell.owner, text: tell.words, notice: tell.notice, state: "pending", nextAttemptAt: now }],
    skipDuplicates: true,
  });
}
