/**
 * Alert subscriptions: `alerts on` (create, or change the days and time of an existing one), `alerts off`, and the
 * list with what comes next for each channel.
 */
import type { Clock } from "../clock.js";
import { closedFrom } from "../facts/closing.js";
import { addDays, fromDbDate, type IsoDate, toDbDate } from "../facts/dates.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { peopleOf } from "../people/store.js";
import { dateInZone } from "../time-zone.js";
import { AlertError, type AlertSpec, allLeads } from "./spec.js";

/** What the subscription service needs. */
export interface AlertDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): alert days and times are local there. */
  timeZone: string;
  /** Users who may turn off anyone's alerts (KORUS_ADMINS). */
  admins: readonly string[];
}

/** One alert still to come. */
export interface PlannedAlert {
  factId: number;
  title: string;
  dueDate: IsoDate;
  leadDays: number;
  /** The local day it goes out. */
  on: IsoDate;
}

/** A subscription as people see it. */
export interface SubscriptionView {
  id: number;
  channel: string;
  topic: string;
  /** Days ahead, the day itself (0) included. */
  leads: number[];
  time: string;
  timeZone: string;
  ownerId: string;
  /** Whoever turned the alerts on, by name (src/people/names.ts). */
  ownerName: string;
  /** The next alerts (at most three). */
  next: PlannedAlert[];
  posted: number;
  /** The latest alert that could not be posted. */
  lastProblem: { factId: number; detail: string } | null;
}

/** Turns alerts on for a channel and topic, or changes its days and time when they are on already. */
export async function alertsOn(deps: AlertDeps, spec: AlertSpec & { channel: string }, owner: string): Promise<{ view: SubscriptionView; created: boolean }> {
  const existing = await deps.prisma.alertSubscription.findUnique({ where: { channel_topic: { channel: spec.channel, topic: spec.topic } } });
  const row = await deps.prisma.alertSubscription.upsert({
    where: { channel_topic: { channel: spec.channel, topic: spec.topic } },
    create: { channel: spec.channel, topic: spec.topic, leadDays: spec.leadDays, time: spec.time, ownerId: owner },
    update: { leadDays: spec.leadDays, time: spec.time },
  });
  return { view: (await views(deps, [row]))[0]!, created: !existing };
}

/** Turns a channel's alerts for a topic off; alerts queued but not yet posted are dropped when their turn comes. */
export async function alertsOff(deps: AlertDeps, where: { channel: string; topic: string }, user: string): Promise<SubscriptionView> {
  const row = await deps.prisma.alertSubscription.findUnique({ where: { channel_topic: where } });
  if (!row) throw new AlertError("not_found", (m) => `Alerts for topic \`${where.topic}\` are not on in ${m.channel(where.channel)}.`, "channel");
  if (row.ownerId !== user && !deps.admins.includes(user)) {
    const owner = (await peopleOf(deps.prisma).names([row.ownerId])).label(row.ownerId);
    throw new AlertError("forbidden", (m) => `Only whoever turned these alerts on (${m.person(row.ownerId, owner)}) or an admin can turn them off.`);
  }
  const view = (await views(deps, [row]))[0]!;
  await deps.prisma.alertSubscription.delete({ where: { id: row.id } });
  return view;
}

/** Every subscription, with what comes next. */
export async function listAlerts(deps: Omit<AlertDeps, "admins">): Promise<SubscriptionView[]> {
  const rows = await deps.prisma.alertSubscription.findMany({ orderBy: [{ channel: "asc" }, { topic: "asc" }] });
  return views(deps, rows);
}

type Row = { id: number; channel: string; topic: string; leadDays: number[]; time: string; ownerId: string };

async function views(deps: Omit<AlertDeps, "admins">, rows: Row[]): Promise<SubscriptionView[]> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const names = await peopleOf(deps.prisma).names(rows.map((r) => r.ownerId));
  const out: SubscriptionView[] = [];
  for (const row of rows) {
    const leads = allLeads(row.leadDays);
    const upcoming = await deps.prisma.fact.findMany({
      where: { kind: "deadline", topic: row.topic, retractedAt: null, date: { gte: toDbDate(today), lte: toDbDate(addDays(today, Math.max(...leads) + 366)) } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      take: 20,
      select: { id: true, title: true, date: true, event: true, topic: true },
    });
    const closed = await closedFrom(deps.prisma, upcoming);
    const next: PlannedAlert[] = [];
    for (const f of upcoming) {
      if ((closed.get(f.id)?.from ?? "9999-12-31") <= today) continue;
      const due = fromDbDate(f.date);
      for (const lead of leads) {
        const on = addDays(due, -lead);
        if (on >= today) next.push({ factId: f.id, title: f.title, dueDate: due, leadDays: lead, on });
      }
    }
    next.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.factId - b.factId));
    const [posted, problem] = await Promise.all([
      deps.prisma.deadlineAlert.count({ where: { channel: row.channel, state: "posted", fact: { topic: row.topic } } }),
      deps.prisma.deadlineAlert.findFirst({ where: { channel: row.channel, state: "failed", fact: { topic: row.topic } }, orderBy: { id: "desc" }, select: { factId: true, detail: true } }),
    ]);
    out.push({
      id: row.id,
      channel: row.channel,
      topic: row.topic,
      leads,
      time: row.time,
      timeZone: deps.timeZone,
      ownerId: row.ownerId,
      ownerName: names.label(row.ownerId),
      next: next.slice(0, 3),
      posted,
      lastProblem: problem ? { factId: problem.factId, detail: problem.detail ?? "failed" } : null,
    });
  }
  return out;
}
