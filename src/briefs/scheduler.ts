/**
 * The brief scheduler. A tick (croner, every few seconds) only finds work; the database decides who does it:
 *
 * 1. Plan: each schedule whose next run is due gets a brief_run row per period, inserted with ON CONFLICT DO NOTHING
 *    on (schedule_id, period_key): the instance whose insert lands holds the claim (claimed_by, heartbeat_at). A run
 *    missed by more than the grace window (no instance was up) is inserted as skipped instead.
 * 2. Take over: a run still `claimed` whose holder's heartbeat is older than the claim timeout is claimed anew.
 * 3. Build: each run this instance holds becomes outbox rows (headline, thread parts) in the same transaction that
 *    moves it to `sending`, guarded by the claim, so a brief is queued once.
 * 4. Send: the outbox (outbox.ts) posts, retries and records; any instance may send any row.
 *
 * Time comes from the injected Clock, so `korus scheduler run-once --now` and tests decide what "now" is.
 */
import { Cron } from "croner";
import pLimit from "p-limit";
import type { BriefRun, BriefSchedule, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { BriefError, buildBrief, type BriefDeps, BriefSources, PREVIEW_WINDOW_DAYS } from "./brief.js";
import { planDueRuns } from "./calendar.js";
import { briefMessages } from "./messages.js";
import { isForeignKeyViolation } from "../db/errors.js";
import { queueOwnerNotice } from "./notices.js";
import { type DrainStats, OutboxSender } from "./outbox.js";
import { ruleOf } from "./schedules.js";
import { dateInZone, describeInstant } from "../time-zone.js";
import type { MessageTransport } from "./transport.js";
import { planAlerts, type QueuedAlert } from "../alerts/planner.js";
import { TopicError } from "../topics/slug.js";

/** How often the scheduler looks for work, how long a silent claim lasts, and how late a run may still post. */
export interface SchedulerSettings {
  tickMs: number;
  claimTimeoutMs: number;
  graceMs: number;
}

/** The defaults: a tick every 20 s, claims taken over after 60 s of silence, runs posted up to 12 h late. */
export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = { tickMs: 20_000, claimTimeoutMs: 60_000, graceMs: 12 * 3_600_000 };

/** What the scheduler needs. Without a transport it plans and builds, but posts nothing. */
export interface SchedulerDeps extends BriefDeps {
  logger: Logger;
  /** Unique per process: claims name it. */
  instanceId: string;
  settings: SchedulerSettings;
  transport?: MessageTransport;
  /** Outbox messages in flight at once (default 16). */
  sendConcurrency?: number;
  /** Least time between two posts to one channel from this instance (default 1000 ms; tests of simulated days set less). */
  channelIntervalMs?: number;
}

/** Something a tick did to a run. */
export interface RunEvent {
  runId: number;
  scheduleId: number;
  period: string;
  action: "claimed" | "skipped" | "taken over" | "queued" | "failed";
  detail?: string;
}

/** "12 h", "90 min", "45 s". */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

type RunWithSchedule = BriefRun & { schedule: BriefSchedule };


/** The owner's DM and the failed state for a run that cannot be posted at all (its template is gone, say). */
async function failRun(tx: Prisma.TransactionClient, run: RunWithSchedule, detail: string, now: Date): Promise<void> {
  await tx.briefRun.updateMany({ where: { id: run.id, state: { in: ["claimed", "sending"] } }, data: { state: "failed", detail } });
  await queueOwnerNotice(
    tx,
    { runId: run.id, owner: run.schedule.ownerId },
    { kind: "brief_not_built", scheduleId: run.scheduleId, period: run.periodKey, detail },
    now,
  );
}

/** Plans, claims, builds and (through the outbox) posts scheduled briefs. One per process. */
export class BriefScheduler {
  readonly outbox: OutboxSender | undefined;
  private job: Cron | undefined;
  private ticking: Promise<RunEvent[]> | undefined;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.outbox = deps.transport
      ? new OutboxSender({
          prisma: deps.prisma,
          clock: deps.clock,
          logger: deps.logger,
          transport: deps.transport,
          instanceId: deps.instanceId,
          claimTimeoutMs: deps.settings.claimTimeoutMs,
          ...(deps.sendConcurrency ? { concurrency: deps.sendConcurrency } : {}),
          ...(deps.channelIntervalMs !== undefined ? { channelIntervalMs: deps.channelIntervalMs } : {}),
        })
      : undefined;
  }

  /** The name this instance's claims carry. */
  get instanceId(): string {
    return this.deps.instanceId;
  }

  private get prisma(): PrismaClient {
    return this.deps.prisma;
  }

  /** Ticks now (catching up on what was missed, resuming unsent messages) and then every `tickMs`. */
  start(): void {
    const seconds = Math.max(1, Math.round(this.deps.settings.tickMs / 1000));
    void this.safeTick();
    // croner only paces the ticks; what is due is decided with the injected clock.
    this.job = new Cron("* * * * * *", { interval: seconds, protect: true, unref: true }, () => this.safeTick());
  }

  /** Stops ticking and waits for the tick and the messages in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.job?.stop();
    await this.ticking?.catch(() => undefined);
    await this.outbox?.stop();
  }

  private async safeTick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.tick();
    } catch (error) {
      this.deps.logger.error("brief scheduler: tick failed (will try again next tick):", error);
    }
  }

  /** One tick: plan, take over, build, then start sending (not awaited). A tick already running is joined. */
  tick(): Promise<RunEvent[]> {
    this.ticking ??= this.tickOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** One tick, then sends until nothing is left that this instance can send (for scripts and tests). */
  async runOnce(maxIdleMs = 60_000): Promise<{ events: RunEvent[]; alerts: QueuedAlert[]; sent: DrainStats | null }> {
    const before = this.alertsQueued.length;
    const events = await this.tick();
    const alerts = this.alertsQueued.splice(before);
    const sent = this.outbox ? await this.outbox.kick(maxIdleMs) : null;
    return { events, alerts, sent };
  }

  /** The deadline alerts queued by ticks since the last runOnce took them (runOnce reports them). */
  private readonly alertsQueued: QueuedAlert[] = [];

  /** Queues the deadline alerts due now (src/alerts/planner.ts); a failure there does not stop the briefs. */
  private async planDeadlineAlerts(now: Date): Promise<void> {
    try {
      const queued = await planAlerts({ prisma: this.prisma, timeZone: this.deps.timeZone, instanceId: this.deps.instanceId, graceMs: this.deps.settings.graceMs }, now);
      for (const a of queued) this.deps.logger.info(`deadline alerts: fact #${a.factId} due ${a.dueDate}, ${a.leadDays} day(s) ahead, queued for ${a.channel}`);
      this.alertsQueued.push(...queued);
      if (this.alertsQueued.length > 10_000) this.alertsQueued.splice(0, this.alertsQueued.length - 10_000);
    } catch (error) {
      this.deps.logger.error("deadline alerts: planning failed (will try again next tick):", error);
    }
  }

  private async tickOnce(): Promise<RunEvent[]> {
    const now = this.deps.clock.now();
    const events = [...(await this.plan(now)), ...(await this.takeOver(now))];
    events.push(...(await this.buildClaimed()));
    await this.planDeadlineAlerts(now);
    if (this.outbox && !this.stopped) {
      await this.outbox.reclaimStale();
      void this.outbox.kick(this.deps.settings.tickMs).catch((error) => this.deps.logger.error("brief scheduler: sending failed:", error));
    }
    for (const e of events) {
      const line = `brief scheduler: schedule #${e.scheduleId} ${e.period}: ${e.action}${e.detail ? ` (${e.detail})` : ""}`;
      if (e.action === "failed" || e.action === "skipped") this.deps.logger.warn(line);
      else this.deps.logger.info(line);
    }
    return events;
  }

  /** Inserts a run for every due period of every due schedule; the inserts that land are this instance's claims. */
  private async plan(now: Date): Promise<RunEvent[]> {
    const { graceMs } = this.deps.settings;
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
          ? { scheduleId: schedule.id, periodKey: run.period, dueAt: run.dueAt, state: "claimed", claimedBy: this.deps.instanceId, claimedAt: now, heartbeatAt: now }
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
      .map((run) => ({
        runId: run.id,
        scheduleId: run.scheduleId,
        period: run.periodKey,
        action: run.state === "skipped" ? ("skipped" as const) : ("claimed" as const),
        ...(run.detail ? { detail: run.detail } : {}),
      }));
  }

  /** Claims runs whose holder stopped sending heartbeats (it died between claiming and queueing the brief). */
  private async takeOver(now: Date): Promise<RunEvent[]> {
    const stale = new Date(now.getTime() - this.deps.settings.claimTimeoutMs);
    const candidates = await this.prisma.briefRun.findMany({
      where: { state: "claimed", heartbeatAt: { lt: stale }, NOT: { claimedBy: this.deps.instanceId } },
      select: { id: true, scheduleId: true, periodKey: true, claimedBy: true },
      take: 1000,
    });
    const events: RunEvent[] = [];
    for (const run of candidates) {
      const { count } = await this.prisma.briefRun.updateMany({
        where: { id: run.id, state: "claimed", heartbeatAt: { lt: stale } },
        data: { claimedBy: this.deps.instanceId, claimedAt: now, heartbeatAt: now },
      });
      if (count > 0) events.push({ runId: run.id, scheduleId: run.scheduleId, period: run.periodKey, action: "taken over", detail: `from ${run.claimedBy ?? "nobody"}` });
    }
    return events;
  }

  /** Builds every run this instance holds into outbox rows, heartbeating the claims meanwhile. */
  private async buildClaimed(): Promise<RunEvent[]> {
    const mine = await this.prisma.briefRun.findMany({
      where: { state: "claimed", claimedBy: this.deps.instanceId },
      include: { schedule: true },
      orderBy: { dueAt: "asc" },
    });
    if (mine.length === 0) return [];
    const beat = setInterval(() => {
      this.prisma.briefRun
        .updateMany({ where: { state: "claimed", claimedBy: this.deps.instanceId }, data: { heartbeatAt: this.deps.clock.now() } })
        .catch((error) => this.deps.logger.warn("brief scheduler: heartbeat failed:", error));
    }, Math.max(200, Math.floor(this.deps.settings.claimTimeoutMs / 3)));
    try {
      const limit = pLimit(4);
      // One tick's briefs share what they are built from, and one "until": briefs due together read alike.
      const sources = new BriefSources(this.deps);
      const until = this.deps.clock.now();
      const events = await Promise.all(
        mine.map((run) =>
          limit(async () => {
            if (this.stopped) return null;
            const event = await this.build(run, sources, until);
            // Building is CPU work: let the outbox and the Slack listeners have the event loop between briefs.
            await new Promise((resolve) => setImmediate(resolve));
            // Start posting while the other briefs are built.
            if (event?.action === "queued") void this.outbox?.kick(this.deps.settings.tickMs).catch(() => undefined);
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
      const brief = await buildBrief(this.deps, {
        asOf: dateInZone(run.dueAt, schedule.timeZone),
        since,
        until: now,
        templateId: schedule.templateId,
        topic: schedule.topic,
        firstBrief: !previous,
      }, sources);
      messages = briefMessages(brief);
    } catch (error) {
      if (!(error instanceof BriefError) && !(error instanceof TopicError)) throw error;
      await this.prisma.$transaction((tx) => failRun(tx, run, error.message, now));
      return { ...base, action: "failed", detail: error.message };
    }
    const queued = await this.prisma.$transaction(async (tx) => {
      const held = await tx.briefRun.updateMany({
        where: { id: run.id, state: "claimed", claimedBy: this.deps.instanceId },
        data: { state: "sending", since, builtAt: now },
      });
      if (held.count === 0) return false;
      await tx.outboxMessage.createMany({
        data: messages.map((m) => ({
          runId: run.id,
          seq: m.seq,
          channel: schedule.channel,
          text: m.text,
          markdown: m.markdown,
          state: m.seq === 0 ? "pending" : "waiting",
          nextAttemptAt: now,
        })),
        skipDuplicates: true,
      });
      return true;
    });
    return queued ? { ...base, action: "queued", detail: `${messages.length} messages` } : null;
  }
}
