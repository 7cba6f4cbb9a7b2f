/**
 * Weekly briefs as a kind of post (src/delivery/post-kind.ts). At each tick the database decides who does the work:
 *
 * 1. Plan: each schedule whose next run is due gets a brief_run row per period, inserted with ON CONFLICT DO NOTHING
 *    on (schedule_id, period_key): the instance whose insert lands holds the claim (claimed_by, heartbeat_at). A run
 *    missed by more than the grace window (no instance was up) is inserted as skipped instead.
 * 2. Take over: a run still `claimed` whose holder's heartbeat is older than the claim timeout is claimed anew.
 * 3. Build: each run this instance holds becomes outbox rows (headline, thread parts) in the same transaction that
 *    moves it to `sending`, guarded by the claim, so a brief is queued once.
 * 4. Send: the delivery machine's outbox (src/delivery/outbox.ts) posts, retries and records; any instance may send
 *    any row, and tells this kind when a brief is out or failed for good.
 */
import pLimit from "p-limit";
import type { BriefRun, BriefSchedule, Prisma, PrismaClient } from "../generated/prisma/client.js";
import { BriefError, buildBrief, type BriefDeps, BriefSources, PREVIEW_WINDOW_DAYS } from "./brief.js";
import { planDueRuns } from "./calendar.js";
import { BRIEF_KIND, briefMessages } from "./messages.js";

export { BRIEF_KIND };
import { isForeignKeyViolation } from "../db/errors.js";
import { briefNotice, type BriefNotice } from "./notices.js";
import { queueOwnerNotice } from "../delivery/notices.js";
import { type PlanContext, type PlanEvent, type PostKind, queuePosts } from "../delivery/post-kind.js";
import { formatDuration } from "../delivery/scheduler.js";
import { ruleOf } from "./schedules.js";
import { dateInZone, describeInstant } from "../time-zone.js";
import { TopicError } from "../topics/slug.js";

/** Something a tick did to a run. */
export interface RunEvent extends PlanEvent {
  runId: number;
  scheduleId: number;
  period: string;
  action: "claimed" | "skipped" | "taken over" | "queued" | "failed";
}

/** True for an event of the brief kind. */
export function isRunEvent(e: PlanEvent): e is RunEvent {
  return e.kind === BRIEF_KIND;
}

type RunWithSchedule = BriefRun & { schedule: BriefSchedule };

/** A run event with its log line. */
function runEvent(run: { runId: number; scheduleId: number; period: string }, action: RunEvent["action"], detail?: string | null): RunEvent {
  return {
    kind: BRIEF_KIND,
    subject: run.runId,
    ...run,
    action,
    ...(detail ? { detail } : {}),
    line: `brief scheduler: schedule #${run.scheduleId} ${run.period}: ${action}${detail ? ` (${detail})` : ""}`,
    level: action === "failed" || action === "skipped" ? "warn" : "info",
  };
}

/** Tells the owner of a run, once, in the caller's transaction. */
async function tellOwner(tx: Prisma.TransactionClient, runId: number, owner: string, notice: BriefNotice, now: Date): Promise<void> {
  await queueOwnerNotice(tx, { kind: BRIEF_KIND, subject: runId }, { owner, ...briefNotice(notice) }, now);
}

/** The owner's DM and the failed state for a run that cannot be posted at all (its template is gone, say). */
async function failRun(tx: Prisma.TransactionClient, run: RunWithSchedule, detail: string, now: Date): Promise<void> {
  await tx.briefRun.updateMany({ where: { id: run.id, state: { in: ["claimed", "sending"] } }, data: { state: "failed", detail } });
  await tellOwner(tx, run.id, run.schedule.ownerId, { kind: "brief_not_built", scheduleId: run.scheduleId, period: run.periodKey, detail }, now);
}

/** The brief kind: plans, claims and builds scheduled briefs; the delivery machine posts them. */
export function briefKind(deps: BriefDeps): PostKind<RunEvent> {
  return {
    name: BRIEF_KIND,
    plan: (ctx, now) => new BriefPlanner(deps, ctx).tick(now),
    async marker(prisma, runId) {
      const run = await prisma.briefRun.findUnique({ where: { id: runId }, select: { scheduleId: true, periodKey: true } });
      return run ? { run_id: runId, schedule_id: run.scheduleId, period: run.periodKey } : null;
    },
    async delivered(tx, runId, ts, now) {
      await tx.briefRun.updateMany({ where: { id: runId, state: "sending" }, data: { state: "posted", postedAt: now, headlineTs: ts } });
    },
    async failed(tx, runId, detail) {
      const run = await tx.briefRun.findUnique({ where: { id: runId }, include: { schedule: { select: { ownerId: true, channel: true } } } });
      if (!run) return null;
      await tx.briefRun.updateMany({ where: { id: runId, state: "sending" }, data: { state: "failed", detail } });
      const notice: BriefNotice = { kind: "brief_not_posted", scheduleId: run.scheduleId, period: run.periodKey, channel: run.schedule.channel, detail };
      return { owner: run.schedule.ownerId, ...briefNotice(notice) };
    },
    report: (prisma, events) => reportRuns(prisma, events),
  };
}

/** What became of the runs a run-once planned, one line each. */
async function reportRuns(prisma: PrismaClient, events: readonly RunEvent[]): Promise<string[]> {
  const runs = await prisma.briefRun.findMany({
    where: { id: { in: [...new Set(events.map((e) => e.runId))] } },
    orderBy: [{ scheduleId: "asc" }, { periodKey: "asc" }],
    include: { schedule: { select: { channel: true } } },
  });
  const messages = await prisma.outboxMessage.findMany({
    where: { kind: BRIEF_KIND, subject: { in: runs.map((r) => r.id) }, seq: { lt: 100 } },
    select: { subject: true, seq: true, state: true, lastError: true },
  });
  return runs.map((run) => {
    const parts = messages.filter((m) => m.subject === run.id);
    const posted = parts.filter((m) => m.state === "sent").length;
    const detail =
      run.state === "posted"
        ? `posted to ${run.schedule.channel} (headline ${run.headlineTs}, ${posted - 1} thread message${posted === 2 ? "" : "s"})`
        : run.state === "sending"
          ? `${posted} of ${parts.length} messages posted so far; the rest are queued (${
              parts
                .map((m) => m.lastError)
                .filter(Boolean)
                .join(", ") || "waiting"
            })`
          : `${run.state}${run.detail ? `: ${run.detail}` : ""}`;
    return `schedule #${run.scheduleId} ${run.periodKey}: ${detail}`;
  });
}

/** One tick's planning of briefs: plan, take over, build. */
class BriefPlanner {
  constructor(
    private readonly deps: BriefDeps,
    private readonly ctx: PlanContext,
  ) {}

  private get prisma(): PrismaClient {
    return this.ctx.prisma;
  }

  async tick(now: Date): Promise<RunEvent[]> {
    const events = [...(await this.plan(now)), ...(await this.takeOver(now))];
    events.push(...(await this.buildClaimed()));
    return events;
  }

  /** Inserts a run for every due period of every due schedule; the inserts that land are this instance's claims. */
  private async plan(now: Date): Promise<RunEvent[]> {
    const { graceMs } = this.ctx.settings;
    const due = await this.prisma.briefSchedule.findMany({
      where: { paused: false, nextDueAt: { lte: now } },
      orderBy: [{ nextDueAt: "asc" }, { id: "asc" }],
      take: 5000,
    });
    if (due.length === 0) return [];
    const planned = due.map((schedule) => {
      const rule = ruleOf(schedule);
      const { runs, next } = planDueRuns(rule, { period: schedule.nextPeriod!, dueAt: schedule.nextDueAt! }, now, graceMs);
      const data = runs.map((run) =>
        run.action === "post"
          ? { scheduleId: schedule.id, periodKey: run.period, dueAt: run.dueAt, state: "claimed", claimedBy: this.ctx.instanceId, claimedAt: now, heartbeatAt: now }
          : {
              scheduleId: schedule.id,
              periodKey: run.period,
              dueAt: run.dueAt,
              state: "skipped",
              detail: `missed: due ${describeInstant(run.dueAt, rule.timeZone)}, but no instance was running until ${describeInstant(now, rule.timeZone)}, past the ${formatDuration(graceMs)} grace window`,
            },
      );
      return { schedule, data, next };
    });
    const select = { id: true, scheduleId: true, periodKey: true, state: true, detail: true } as const;
    let created: Array<{ id: number; scheduleId: number; periodKey: string; state: string; detail: string | null }>;
    try {
      // One statement for the whole tick: many briefs are often due at the same instant.
      created = await this.prisma.briefRun.createManyAndReturn({ data: planned.flatMap((p) => p.data), skipDuplicates: true, select });
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      // A schedule was deleted since we read it: insert schedule by schedule, leaving that one out.
      created = [];
      for (const p of planned) {
        try {
          created.push(...(await this.prisma.briefRun.createManyAndReturn({ data: p.data, skipDuplicates: true, select })));
        } catch (inner) {
          if (!isForeignKeyViolation(inner)) throw inner;
        }
      }
    }
    // Move each schedule on to its next run, unless another instance (or a resume) already moved it.
    await this.prisma.$executeRaw`
      UPDATE brief_schedule AS s
         SET next_due_at = v.due, next_period = v.period, updated_at = ${now}
        FROM unnest(${planned.map((p) => p.schedule.id)}::int[], ${planned.map((p) => p.schedule.nextDueAt!.toISOString())}::timestamptz[],
                    ${planned.map((p) => p.next.dueAt.toISOString())}::timestamptz[], ${planned.map((p) => p.next.period)}::text[]) AS v(id, was, due, period)
       WHERE s.id = v.id AND s.next_due_at = v.was`;
    return created
      .sort((a, b) => a.scheduleId - b.scheduleId || (a.periodKey < b.periodKey ? -1 : 1))
      .map((run) => runEvent({ runId: run.id, scheduleId: run.scheduleId, period: run.periodKey }, run.state === "skipped" ? "skipped" : "claimed", run.detail));
  }

  /** Claims runs whose holder stopped sending heartbeats (it died between claiming and queueing the brief). */
  private async takeOver(now: Date): Promise<RunEvent[]> {
    const stale = new Date(now.getTime() - this.ctx.settings.claimTimeoutMs);
    const candidates = await this.prisma.briefRun.findMany({
      where: { state: "claimed", heartbeatAt: { lt: stale }, NOT: { claimedBy: this.ctx.instanceId } },
      select: { id: true, scheduleId: true, periodKey: true, claimedBy: true },
      take: 1000,
    });
    const events: RunEvent[] = [];
    for (const run of candidates) {
      const { count } = await this.prisma.briefRun.updateMany({
        where: { id: run.id, state: "claimed", heartbeatAt: { lt: stale } },
        data: { claimedBy: this.ctx.instanceId, claimedAt: now, heartbeatAt: now },
      });
      if (count > 0) events.push(runEvent({ runId: run.id, scheduleId: run.scheduleId, period: run.periodKey }, "taken over", `from ${run.claimedBy ?? "nobody"}`));
    }
    return events;
  }

  /** Builds every run this instance holds into outbox rows, heartbeating the claims meanwhile. */
  private async buildClaimed(): Promise<RunEvent[]> {
    const mine = await this.prisma.briefRun.findMany({
      where: { state: "claimed", claimedBy: this.ctx.instanceId },
      include: { schedule: true },
      orderBy: { dueAt: "asc" },
    });
    if (mine.length === 0) return [];
    const beat = setInterval(
      () => {
        this.prisma.briefRun
          .updateMany({ where: { state: "claimed", claimedBy: this.ctx.instanceId }, data: { heartbeatAt: this.ctx.clock.now() } })
          .catch((error) => this.ctx.logger.warn("brief scheduler: heartbeat failed:", error));
      },
      Math.max(200, Math.floor(this.ctx.settings.claimTimeoutMs / 3)),
    );
    try {
      const limit = pLimit(4);
      // One tick's briefs share what they are built from, and one "until": briefs due together read alike.
      const sources = new BriefSources(this.deps);
      const until = this.ctx.clock.now();
      const events = await Promise.all(
        mine.map((run) =>
          limit(async () => {
            if (this.ctx.stopping()) return null;
            const event = await this.build(run, sources, until);
            // Building is CPU work: let the outbox and the Slack listeners have the event loop between briefs.
            await new Promise((resolve) => setImmediate(resolve));
            // Start posting while the other briefs are built.
            if (event?.action === "queued") this.ctx.kick();
            return event;
          }),
        ),
      );
      return events.filter((e): e is RunEvent => e !== null);
    } finally {
      clearInterval(beat);
    }
  }

  private async build(run: RunWithSchedule, sources: BriefSources, now: Date): Promise<RunEvent | null> {
    const { schedule } = run;
    const previous = await this.prisma.briefRun.findFirst({
      where: { scheduleId: schedule.id, state: "posted", periodKey: { lt: run.periodKey } },
      orderBy: { periodKey: "desc" },
      select: { builtAt: true },
    });
    const since = previous?.builtAt ?? new Date(now.getTime() - PREVIEW_WINDOW_DAYS * 86_400_000);
    const base = { runId: run.id, scheduleId: schedule.id, period: run.periodKey };
    let messages: ReturnType<typeof briefMessages>;
    try {
      const brief = await buildBrief(
        this.deps,
        {
          asOf: dateInZone(run.dueAt, schedule.timeZone),
          since,
          until: now,
          templateId: schedule.templateId,
          topic: schedule.topic,
          firstBrief: !previous,
        },
        sources,
      );
      messages = briefMessages(brief);
    } catch (error) {
      if (!(error instanceof BriefError) && !(error instanceof TopicError)) throw error;
      await this.prisma.$transaction((tx) => failRun(tx, run, error.message, now));
      return runEvent(base, "failed", error.message);
    }
    const queued = await this.prisma.$transaction(async (tx) => {
      const held = await tx.briefRun.updateMany({
        where: { id: run.id, state: "claimed", claimedBy: this.ctx.instanceId },
        data: { state: "sending", since, builtAt: now },
      });
      if (held.count === 0) return false;
      await queuePosts(tx, [{ kind: BRIEF_KIND, subject: run.id, channel: schedule.channel, parts: messages }], now);
      return true;
    });
    return queued ? runEvent(base, "queued", `${messages.length} messages`) : null;
  }
}
