/**
 * Brief schedules: create, list (with the next run and the last post or problem), pause, resume, delete.
 */
import type { Clock } from "../clock.js";
import type { BriefSchedule, PrismaClient } from "../generated/prisma/client.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { BriefError, briefTemplate } from "./brief.js";
import { firstOccurrenceFrom, type HolidayRule, type Occurrence, WEEKDAY_NAMES, type Weekday, type WeeklyRule, workingDayFrom } from "./calendar.js";
import { DEFAULT_BRIEF_TEMPLATE, type ScheduleSpec } from "./schedule-spec.js";
import { BRIEF_KIND } from "./messages.js";
import { dateInZone } from "../time-zone.js";
import { KorusError } from "../errors.js";
import { peopleOf } from "../people/store.js";

/** The schedule's choices an adapter offers (its form's menus): the holiday rules and the weekdays' names. */
export { HOLIDAY_RULES, type HolidayRule, WEEKDAY_NAMES } from "./calendar.js";

/** What the schedule service needs. */
export interface ScheduleDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** Users who may change any schedule (KORUS_ADMINS). */
  admins: readonly string[];
  /** The templates, loaded and checked at start: a schedule must name a brief template. */
  templates: TemplateStore;
}

/** Why a schedule operation was refused; `field` names the part of the command at fault. */
export class ScheduleError extends KorusError<"invalid" | "not_found" | "forbidden"> {
  constructor(
    code: "invalid" | "not_found" | "forbidden",
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
  }
}

/** A schedule as people see it. */
export interface ScheduleView {
  id: number;
  channel: string;
  rule: WeeklyRule;
  templateId: string;
  topic: string;
  ownerId: string;
  /** The owner by name (src/people/names.ts). */
  ownerName: string;
  paused: boolean;
  createdAt: Date;
  /** The next run, or null while paused. */
  next: Occurrence | null;
  /** The latest brief posted. */
  lastPosted: { period: string; at: Date; ts: string | null } | null;
  /** The latest run that failed or was skipped, when it is more recent than the last post. */
  lastProblem: { period: string; state: "failed" | "skipped"; detail: string; at: Date } | null;
  /** A run being posted right now. */
  inProgress: { period: string } | null;
}

/** The weekly rule of a stored schedule. */
export function ruleOf(row: Pick<BriefSchedule, "weekday" | "time" | "timeZone" | "holidays">): WeeklyRule {
  return { weekday: row.weekday as Weekday, time: row.time, timeZone: row.timeZone, holidays: row.holidays as HolidayRule };
}

/** "Mondays at 09:00 America/New_York, moved by U.S. holidays". */
export function describeRule(rule: WeeklyRule): string {
  const holidays = { none: "", us: ", moved by U.S. holidays", kr: ", moved by Korean holidays", both: ", moved by U.S. and Korean holidays" }[rule.holidays];
  return `${WEEKDAY_NAMES[rule.weekday - 1]}s at ${rule.time} ${rule.timeZone}${holidays}`;
}

/**
 * Creates a schedule posting to `channel` (the spec's, else the given default).
 * @throws ScheduleError naming the field: no channel, or a template that is missing or not a brief.
 */
export async function createSchedule(deps: ScheduleDeps, spec: ScheduleSpec, context: { owner: string; channel?: string }): Promise<ScheduleView> {
  const channel = spec.channel ?? context.channel;
  if (!channel) throw new ScheduleError("invalid", "Say which channel the brief goes to: a channel id like C0123ABCD.", "channel");
  const templateId = spec.templateId ?? DEFAULT_BRIEF_TEMPLATE;
  if (spec.topic && spec.topic !== "korus") {
    const [facts, settings] = await Promise.all([deps.prisma.fact.count({ where: { topic: spec.topic } }), deps.prisma.topic.count({ where: { slug: spec.topic } })]);
    if (facts + settings === 0) throw new ScheduleError("invalid", `There is no topic \`${spec.topic}\`: no fact belongs to it. \`/korus topics\` lists the topics.`, "topic");
  }
  try {
    briefTemplate(deps.templates, templateId);
  } catch (error) {
    if (error instanceof BriefError) throw new ScheduleError("invalid", error.message, "template");
    throw error;
  }
  const rule: WeeklyRule = { weekday: spec.weekday, time: spec.time, timeZone: spec.timeZone, holidays: spec.holidays };
  const now = deps.clock.now();
  const next = firstOccurrenceFrom(rule, now);
  const row = await deps.prisma.briefSchedule.create({
    data: { channel, ...rule, templateId, topic: spec.topic ?? "korus", ownerId: context.owner, nextDueAt: next.dueAt, nextPeriod: next.period, createdAt: now },
  });
  return (await viewsOf(deps.prisma, [row]))[0]!;
}

/** Every schedule, oldest first. */
export async function listSchedules(deps: Pick<ScheduleDeps, "prisma">): Promise<ScheduleView[]> {
  const rows = await deps.prisma.briefSchedule.findMany({ orderBy: { id: "asc" } });
  return viewsOf(deps.prisma, rows);
}

async function viewsOf(prisma: PrismaClient, rows: BriefSchedule[]): Promise<ScheduleView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // The latest run of each state per schedule.
  const runs = await prisma.briefRun.findMany({
    where: { scheduleId: { in: ids } },
    orderBy: [{ scheduleId: "asc" }, { periodKey: "desc" }],
    distinct: ["scheduleId", "state"],
    select: { scheduleId: true, state: true, periodKey: true, postedAt: true, createdAt: true, headlineTs: true, detail: true },
  });
  const names = await peopleOf(prisma).names(rows.map((r) => r.ownerId));
  return rows.map((row) => {
    const mine = runs.filter((r) => r.scheduleId === row.id);
    const posted = mine.find((r) => r.state === "posted");
    const problem = mine.filter((r) => r.state === "failed" || r.state === "skipped").sort((a, b) => (a.periodKey < b.periodKey ? 1 : -1))[0];
    const active = mine.find((r) => r.state === "claimed" || r.state === "sending");
    return {
      id: row.id,
      channel: row.channel,
      rule: ruleOf(row),
      templateId: row.templateId,
      topic: row.topic,
      ownerId: row.ownerId,
      ownerName: names.label(row.ownerId),
      paused: row.paused,
      createdAt: row.createdAt,
      next: !row.paused && row.nextDueAt && row.nextPeriod ? nextOf(ruleOf(row), row.nextPeriod, row.nextDueAt) : null,
      lastPosted: posted ? { period: posted.periodKey, at: posted.postedAt ?? posted.createdAt, ts: posted.headlineTs } : null,
      lastProblem:
        problem && (!posted || problem.periodKey > posted.periodKey)
          ? { period: problem.periodKey, state: problem.state as "failed" | "skipped", detail: problem.detail ?? problem.state, at: problem.createdAt }
          : null,
      inProgress: active ? { period: active.periodKey } : null,
    };
  });
}

/** The stored next run, with the holidays that moved it. */
function nextOf(rule: WeeklyRule, period: string, dueAt: Date): Occurrence {
  if (dateInZone(dueAt, rule.timeZone) === period) return { period, dueAt };
  const { skipped } = workingDayFrom(period, rule.holidays);
  return { period, dueAt, ...(skipped.length ? { moved: skipped } : {}) };
}

async function mayChange(deps: ScheduleDeps, id: number, user: string, verb: string): Promise<BriefSchedule> {
  const row = await deps.prisma.briefSchedule.findUnique({ where: { id } });
  if (!row) throw new ScheduleError("not_found", `There is no schedule #${id}; \`schedule list\` shows them.`, "id");
  if (row.ownerId !== user && !deps.admins.includes(user) && !user.startsWith("cli:")) {
    throw new ScheduleError("forbidden", `Only the schedule's owner or an admin can ${verb} schedule #${id}; \`schedule list\` shows its owner.`);
  }
  return row;
}

/** Pauses a schedule (its owner, an admin, or the terminal): it posts nothing until resumed. */
export async function pauseSchedule(deps: ScheduleDeps, id: number, user: string): Promise<ScheduleView> {
  await mayChange(deps, id, user, "pause");
  const row = await deps.prisma.briefSchedule.update({ where: { id }, data: { paused: true } });
  return (await viewsOf(deps.prisma, [row]))[0]!;
}

/** Resumes a schedule from now on: the runs it missed while paused are not caught up. */
export async function resumeSchedule(deps: ScheduleDeps, id: number, user: string): Promise<ScheduleView> {
  const current = await mayChange(deps, id, user, "resume");
  const next = firstOccurrenceFrom(ruleOf(current), deps.clock.now());
  const row = await deps.prisma.briefSchedule.update({ where: { id }, data: { paused: false, nextDueAt: next.dueAt, nextPeriod: next.period } });
  return (await viewsOf(deps.prisma, [row]))[0]!;
}

/** Deletes a schedule and its history (its owner, an admin, or the terminal). */
export async function deleteSchedule(deps: ScheduleDeps, id: number, user: string): Promise<ScheduleView> {
  const current = await mayChange(deps, id, user, "delete");
  const [view] = await viewsOf(deps.prisma, [current]);
  await deps.prisma.$transaction(async (tx) => {
    // Its runs go with it (a cascade); their messages not yet sent go too (the outbox holds no key to the runs).
    const runs = await tx.briefRun.findMany({ where: { scheduleId: id }, select: { id: true } });
    await tx.outboxMessage.deleteMany({ where: { kind: BRIEF_KIND, subject: { in: runs.map((r) => r.id) } } });
    await tx.briefSchedule.delete({ where: { id } });
  });
  return view!;
}
