/**
 * Deadline alerts as a kind of post (src/delivery/post-kind.ts): planned at each tick (planner.ts), checked to still
 * stand just before posting (a deadline that moved, closed or was retracted is dropped), recorded as posted, and a
 * failure recorded with one DM to whoever turned the alerts on.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { NoticeData } from "../delivery/notices.js";
import type { PlanEvent, PostKind } from "../delivery/post-kind.js";
import { addDays, fromDbDate } from "../facts/dates.js";
import { closedFrom } from "../facts/closing.js";
import { leadLabel } from "./markdown.js";
import { ALERT_KIND, planAlerts, type QueuedAlert } from "./planner.js";

export { ALERT_KIND };

/** An alert a tick queued. */
export interface AlertEvent extends PlanEvent, QueuedAlert {
  action: "queued";
}

/** What the owner of a subscription is told when an alert could not be posted. */
export interface AlertNotice {
  kind: "alert_not_posted";
  factId: number;
  leadDays: number;
  channel: string;
  detail: string;
}

/** The notice in plain words (the stored fallback). */
export function alertNoticeWords(notice: AlertNotice): string {
  const lead = notice.leadDays === 0 ? "due today" : `${notice.leadDays} day${notice.leadDays === 1 ? "" : "s"} ahead`;
  return `A deadline alert (fact #${notice.factId}, ${lead}) could not be posted to channel ${notice.channel}: ${notice.detail}.`;
}

/** Reads a stored notice back as an alert's; null for one that is not. */
export function parseAlertNotice(value: NoticeData): AlertNotice | null {
  const n = value as Record<string, unknown>;
  if (n.kind !== "alert_not_posted") return null;
  if (typeof n.factId !== "number" || typeof n.leadDays !== "number" || typeof n.channel !== "string" || typeof n.detail !== "string") return null;
  return { kind: n.kind, factId: n.factId, leadDays: n.leadDays, channel: n.channel, detail: n.detail };
}

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

/** The deadline alert kind, for the team's time zone. */
export function deadlineAlertKind(deps: { timeZone: string }): PostKind<AlertEvent> {
  return {
    name: ALERT_KIND,
    async plan(ctx, now) {
      const queued = await planAlerts({ prisma: ctx.prisma, timeZone: deps.timeZone, instanceId: ctx.instanceId, graceMs: ctx.settings.graceMs }, now);
      return queued.map((a) => ({
        kind: ALERT_KIND,
        subject: a.alertId,
        ...a,
        action: "queued" as const,
        line: `deadline alerts: fact #${a.factId} due ${a.dueDate}, ${a.leadDays} day(s) ahead, queued for ${a.channel}`,
        level: "info" as const,
      }));
    },
    marker: async (_prisma, alertId) => ({ alert_id: alertId }),
    stillDue: alertStillDue,
    async dropped(tx, alertId, reason) {
      await tx.deadlineAlert.updateMany({ where: { id: alertId, state: "queued" }, data: { state: "dropped", detail: reason } });
    },
    async delivered(tx, alertId, ts, now) {
      await tx.deadlineAlert.updateMany({ where: { id: alertId }, data: { state: "posted", ts, postedAt: now } });
    },
    async failed(tx, alertId, detail) {
      const alert = await tx.deadlineAlert.update({ where: { id: alertId }, data: { state: "failed", detail } });
      if (!alert.ownerId) return null;
      const notice: AlertNotice = { kind: "alert_not_posted", factId: alert.factId, leadDays: alert.leadDays, channel: alert.channel, detail };
      return { owner: alert.ownerId, notice: { ...notice }, words: alertNoticeWords(notice) };
    },
    async report(prisma, events) {
      const rows = await prisma.deadlineAlert.findMany({
        where: { id: { in: events.map((a) => a.alertId) } },
        orderBy: { id: "asc" },
        include: { fact: { select: { title: true } } },
      });
      return rows.map((a) => {
        const lead = a.leadDays === 0 ? "due today" : `${leadLabel(a.leadDays)}`;
        const detail = a.state === "posted" ? `posted (ts ${a.ts})` : `${a.state}${a.detail ? `: ${a.detail}` : ""}`;
        return `deadline alert: fact #${a.factId} "${a.fact.title}" due ${a.dueDate.toISOString().slice(0, 10)}, ${lead}, to ${a.channel}: ${detail}`;
      });
    },
  };
}
