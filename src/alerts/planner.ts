/**
 * Deadline alerts, planned at each scheduler tick from the facts as they are now, so a deadline that moves is alerted
 * on its new date and a retracted one not at all, with nothing to re-plan:
 *
 * 1. For each subscription and lead, the local days whose alert time (`time` in the team's time zone) has passed
 *    within the grace window give due dates: today + lead (and yesterday + lead, when yesterday's time is still within
 *    the window, for an instance that was down).
 * 2. The deadlines of the subscription's topic due on those dates (known by then, not retracted) become deadline_alert
 *    rows, inserted with ON CONFLICT DO NOTHING on (fact, channel, lead, due date): the inserts that land are this
 *    instance's, and their outbox messages are written in the same transaction. However many instances tick, each
 *    alert is queued once.
 * 3. The delivery machine's outbox (src/delivery/outbox.ts) posts them, and drops one whose deadline moved or was
 *    retracted meanwhile (alert-kind.ts says so).
 */
import { addDays, fromDbDate, type IsoDate, toDbDate } from "../facts/dates.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { toFact } from "../facts/rows.js";
import { closedFrom } from "../facts/closing.js";
import { dateInZone, zonedInstant } from "../time-zone.js";
import { queuePosts } from "../delivery/post-kind.js";
import { alertMessage } from "./message.js";
import { allLeads } from "./spec.js";

/** The kind's name in the outbox (and Slack's metadata event type korus_deadline_alert): alert-kind.ts registers it. */
export const ALERT_KIND = "deadline_alert";

/** What planning needs. */
export interface AlertPlannerDeps {
  prisma: PrismaClient;
  /** The team's time zone (KORUS_TZ). */
  timeZone: string;
  instanceId: string;
  /** How late an alert may still go out (the scheduler's grace window). */
  graceMs: number;
}

/** An alert this tick queued. */
export interface QueuedAlert {
  alertId: number;
  factId: number;
  channel: string;
  leadDays: number;
  dueDate: IsoDate;
}

/**
 * Queues the alerts due at `now` that no instance has queued yet.
 * @returns the alerts this call queued.
 */
export async function planAlerts(deps: AlertPlannerDeps, now: Date): Promise<QueuedAlert[]> {
  const subscriptions = await deps.prisma.alertSubscription.findMany();
  if (subscriptions.length === 0) return [];
  const today = dateInZone(now, deps.timeZone);
  const days = [addDays(today, -1), today];
  // (topic, due date) -> the subscriptions and leads that want deadlines due then.
  const wanted = new Map<string, Array<{ channel: string; lead: number; on: IsoDate; ownerId: string }>>();
  for (const s of subscriptions) {
    for (const on of days) {
      const at = zonedInstant(on, s.time, deps.timeZone).getTime();
      if (at > now.getTime() || now.getTime() - at > deps.graceMs) continue;
      for (const lead of allLeads(s.leadDays)) {
        const key = `${s.topic}|${addDays(on, lead)}`;
        const list = wanted.get(key) ?? [];
        list.push({ channel: s.channel, lead, on, ownerId: s.ownerId });
        wanted.set(key, list);
      }
    }
  }
  if (wanted.size === 0) return [];
  const dueDates = [...new Set([...wanted.keys()].map((k) => k.slice(k.indexOf("|") + 1)))];
  const topics = [...new Set(subscriptions.map((s) => s.topic))];
  const deadlines = await deps.prisma.fact.findMany({
    where: { kind: "deadline", retractedAt: null, topic: { in: topics }, date: { in: dueDates.map(toDbDate) } },
    orderBy: { id: "asc" },
  });
  const candidates: Array<{ factId: number; channel: string; leadDays: number; dueDate: Date; state: string; claimedBy: string; ownerId: string }> = [];
  const closed = await closedFrom(deps.prisma, deadlines);
  for (const row of deadlines) {
    const due = fromDbDate(row.date);
    for (const w of wanted.get(`${row.topic}|${due}`) ?? []) {
      // Historical data: an alert never tells what the team could not know on the day it goes out.
      if (row.known && fromDbDate(row.known) > w.on) continue;
      // A deadline closed by then (met early, extended, withdrawn) is not announced as due.
      const closing = closed.get(row.id);
      if (closing && closing.from <= w.on) continue;
      candidates.push({ factId: row.id, channel: w.channel, leadDays: w.lead, dueDate: row.date, state: "queued", claimedBy: deps.instanceId, ownerId: w.ownerId });
    }
  }
  if (candidates.length === 0) return [];
  const facts = new Map(deadlines.map((r) => [r.id, r]));
  const bases = await deps.prisma.fact.findMany({
    where: { id: { in: deadlines.map((r) => r.afterFactId).filter((id): id is number => id !== null) } },
    select: { id: true, date: true, title: true },
  });
  const baseOf = new Map(bases.map((b) => [b.id, { date: fromDbDate(b.date), title: b.title }]));
  return deps.prisma.$transaction(async (tx) => {
    const created = await tx.deadlineAlert.createManyAndReturn({
      data: candidates,
      skipDuplicates: true,
      select: { id: true, factId: true, channel: true, leadDays: true, dueDate: true },
    });
    if (created.length === 0) return [];
    await queuePosts(
      tx,
      created.map((a) => {
        const row = facts.get(a.factId)!;
        const fact = toFact(row);
        const basis = fact.after ? { days: fact.after.days, from: baseOf.get(fact.after.fromId)! } : null;
        const message = alertMessage({ fact, leadDays: a.leadDays, basis: basis?.from ? basis : null });
        return { kind: ALERT_KIND, subject: a.id, channel: a.channel, parts: [{ seq: 0, text: message.text, markdown: message.markdown }] };
      }),
      now,
    );
    return created.map((a) => ({ alertId: a.id, factId: a.factId, channel: a.channel, leadDays: a.leadDays, dueDate: fromDbDate(a.dueDate) }));
  });
}
