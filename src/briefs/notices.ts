/**
 * What the briefs domain tells a schedule's owner, as data: the chat adapter (src/slack/views/briefs.ts) words it with
 * its own markup (mentions, channel links, emoji). The outbox stores it beside a plain-words fallback.
 */
import type { Prisma } from "../generated/prisma/client.js";

/** Why the owner is told. */
export type OwnerNotice =
  /** The brief could not be built (its template is gone or broken, say): nothing was posted. */
  | { kind: "brief_not_built"; scheduleId: number; period: string; detail: string }
  /** The brief was built but Slack refused it for good: the rest of its thread was cancelled. */
  | { kind: "brief_not_posted"; scheduleId: number; period: string; channel: string; detail: string }
  /** A deadline alert (src/alerts) that Slack refused for good. */
  | { kind: "alert_not_posted"; factId: number; leadDays: number; channel: string; detail: string };

/** The part number of the owner's message in a run (after the headline 0 and the thread 1..n). */
export const OWNER_DM_SEQ = 100;

/** The notice in plain words, without markup: the stored fallback and what a terminal shows. */
export function noticeWords(notice: OwnerNotice): string {
  if (notice.kind === "alert_not_posted") {
    const lead = notice.leadDays === 0 ? "due today" : `${notice.leadDays} day${notice.leadDays === 1 ? "" : "s"} ahead`;
    return `A deadline alert (fact #${notice.factId}, ${lead}) could not be posted to channel ${notice.channel}: ${notice.detail}.`;
  }
  const brief = `The weekly brief of schedule #${notice.scheduleId} for ${notice.period}`;
  return notice.kind === "brief_not_built"
    ? `${brief} could not be built: ${notice.detail}.`
    : `${brief} could not be posted to channel ${notice.channel}: ${notice.detail}.`;
}

/** Reads a stored notice back; null for a row that is not one (or one written by a newer version). */
export function parseNotice(value: unknown): OwnerNotice | null {
  if (value === null || typeof value !== "object") return null;
  const n = value as Record<string, unknown>;
  if (n.kind === "alert_not_posted") {
    if (typeof n.factId !== "number" || typeof n.leadDays !== "number" || typeof n.channel !== "string" || typeof n.detail !== "string") return null;
    return { kind: n.kind, factId: n.factId, leadDays: n.leadDays, channel: n.channel, detail: n.detail };
  }
  if (typeof n.scheduleId !== "number" || typeof n.period !== "string" || typeof n.detail !== "string") return null;
  if (n.kind === "brief_not_built") return { kind: n.kind, scheduleId: n.scheduleId, period: n.period, detail: n.detail };
  if (n.kind === "brief_not_posted" && typeof n.channel === "string") {
    return { kind: n.kind, scheduleId: n.scheduleId, period: n.period, channel: n.channel, detail: n.detail };
  }
  return null;
}

/**
 * Queues `notice` for the owner of run `runId` (or of deadline alert `alertId`), once per run or alert (a second
 * notice of the same one is dropped), in the caller's transaction. `owner` is who to tell; the outbox's transport says
 * whether it can reach them.
 */
export async function queueOwnerNotice(
  tx: Prisma.TransactionClient,
  run: ({ runId: number } | { alertId: number }) & { owner: string },
  notice: OwnerNotice,
  now: Date,
): Promise<void> {
  await tx.outboxMessage.createMany({
    data: [
      {
        ...("runId" in run ? { runId: run.runId } : { alertId: run.alertId }),
        seq: OWNER_DM_SEQ,
        channel: run.owner,
        text: noticeWords(notice),
        notice,
        state: "pending",
        nextAttemptAt: now,
      },
    ],
    skipDuplicates: true,
  });
}
