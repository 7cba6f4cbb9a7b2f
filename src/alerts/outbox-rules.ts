/**
 * What the outbox (src/briefs/outbox.ts) does with a deadline alert's message: check the alert is still wanted just
 * before posting, record the post, and record a failure (with one DM to whoever turned the alerts on).
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { queueOwnerNotice } from "../briefs/notices.js";
import { addDays, fromDbDate } from "../facts/dates.js";
import { closedFrom } from "../facts/closing.js";

/**
 * Null while the alert still stands; else why it no longer does: its deadline was retracted, moved to another day, or
 * the channel's alerts for the deadline's topic were turned off.
 */
export async function alertStillDue(prisma: PrismaClient | Prisma.TransactionClient, alertId: number): Promise<string | null> {
  const alert = await prisma.deadlineAlert.findUnique({
    where: { id: alertId },
    select: { channel: true, dueDate: true, leadDays: true, fact: { select: { id: true, date: true, retractedAt: true, topic: true, kind: true, event: true } } },
  });
  if (!alert) return "the alert is gone";
  if (alert.fact.retractedAt) return "the deadline was retracted";
  if (alert.fact.kind !== "deadline") return "the fact is no longer a deadline";
  if (alert.fact.date.getTime() !== alert.dueDate.getTime()) return `the deadline moved from ${fromDbDate(alert.dueDate)} to ${fromDbDate(alert.fact.date)}`;
  // Closed by the alert's day (met early, extended, withdrawn): it is no longer due.
  const closing = (await closedFrom(prisma, [alert.fact])).get(alert.fact.id);
  const alertDay = addDays(fromDbDate(alert.dueDate), -alert.leadDays);
  if (closing && closing.from <= alertDay) return `the deadline was closed (${closing.outcome}, known ${closing.from}) before the alert's day ${alertDay}`;
  const subscribed = await prisma.alertSubscription.count({ where: { channel: alert.channel, topic: alert.fact.topic } });
  return subscribed > 0 ? null : "alerts were turned off for the channel";
}

/** Records the alert as posted. */
export async function alertDelivered(tx: Prisma.TransactionClient, alertId: number, ts: string, now: Date): Promise<void> {
  await tx.deadlineAlert.updateMany({ where: { id: alertId }, data: { state: "posted", ts, postedAt: now } });
}

/** Records a failed alert, and queues one notice to whoever turned the alerts on. */
export async function alertFailed(tx: Prisma.TransactionClient, alertId: number, detail: string, now: Date): Promise<void> {
  const alert = await tx.deadlineAlert.update({ where: { id: alertId }, data: { state: "failed", detail } });
  if (!alert.ownerId) return;
  await queueOwnerNotice(
    tx,
    { alertId, owner: alert.ownerId },
    { kind: "alert_not_posted", factId: alert.factId, leadDays: alert.leadDays, channel: alert.channel, detail },
    now,
  );
}
