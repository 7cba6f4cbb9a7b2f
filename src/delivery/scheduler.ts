/**
 * The delivery scheduler: at every tick it starts the tick's other work (feeds polled, pages archived: not awaited, as
 * a host's turn can take minutes, and never doubled), asks every kind of post what is due (src/delivery/post-kind.ts),
 * takes over messages whose sender died, and starts the outbox sending. One per process; what is due is decided with the injected clock, so a test or `korus scheduler run-once`
 * can say when "now" is.
 */
import { Cron } from "croner";
import type { Clock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { type DrainStats, OutboxSender } from "./outbox.js";
import type { PlanContext, PlanEvent, PostKind, SchedulerSettings } from "./post-kind.js";
import type { MessageTransport } from "./transport.js";

export type { SchedulerSettings };

/** The defaults: a tick every 20 s, claims taken over after 60 s of silence, posts sent up to 12 h late. */
export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = { tickMs: 20_000, claimTimeoutMs: 60_000, graceMs: 12 * 3_600_000 };

/** "12 h", "90 min", "45 s". */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** What the scheduler needs. Without a transport it plans and queues, but posts nothing. */
export interface DeliverySchedulerDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Unique per process: claims name it. */
  instanceId: string;
  settings: SchedulerSettings;
  /** The kinds of post, planned in this order at each tick. */
  kinds: readonly PostKind[];
  transport?: MessageTransport;
  /** Outbox messages in flight at once (default 16). */
  sendConcurrency?: number;
  /** Least time between two posts to one channel from this instance (default 1000 ms; tests of simulated days set less). */
  channelIntervalMs?: number;
  /** The outbox's first wait after a server or network error (default 1000 ms, doubling; tests of retries set less). */
  retryBaseMs?: number;
  /**
   * Other work at each tick (feeds polled, cited pages archived: src/feeds/worker.ts), started beside the planning
   * (run-once waits for it first); lines for run-once. A failure is logged.
   */
  tickWork?: (now: Date) => Promise<string[]>;
}

/** What one run-once did: the tick's other work, what the kinds planned, and what the outbox sent. */
export interface RunOnceResult {
  work: string[];
  events: PlanEvent[];
  sent: DrainStats | null;
}

/** Plans every kind of post and (through the outbox) sends them. One per process. */
export class DeliveryScheduler {
  readonly outbox: OutboxSender | undefined;
  private job: Cron | undefined;
  private ticking: Promise<PlanEvent[]> | undefined;
  private working: Promise<string[]> | undefined;
  private stopped = false;

  constructor(private readonly deps: DeliverySchedulerDeps) {
    this.outbox = deps.transport
      ? new OutboxSender({
          prisma: deps.prisma,
          clock: deps.clock,
          logger: deps.logger,
          transport: deps.transport,
          kinds: deps.kinds,
          instanceId: deps.instanceId,
          claimTimeoutMs: deps.settings.claimTimeoutMs,
          ...(deps.sendConcurrency ? { concurrency: deps.sendConcurrency } : {}),
          ...(deps.channelIntervalMs !== undefined ? { channelIntervalMs: deps.channelIntervalMs } : {}),
          ...(deps.retryBaseMs !== undefined ? { retryBaseMs: deps.retryBaseMs } : {}),
        })
      : undefined;
  }

  /** The name this instance's claims carry. */
  get instanceId(): string {
    return this.deps.instanceId;
  }

  /** The kinds of post this scheduler plans and sends. */
  get kinds(): readonly PostKind[] {
    return this.deps.kinds;
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
    await this.working;
    await this.outbox?.stop();
  }

  private async safeTick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.tick();
    } catch (error) {
      this.deps.logger.error("scheduler: tick failed (will try again next tick):", error);
    }
  }

  /** One tick: start the other work, plan every kind, then start sending (not awaited). A tick already running is joined. */
  tick(): Promise<PlanEvent[]> {
    return this.join(true);
  }

  private join(withWork: boolean): Promise<PlanEvent[]> {
    this.ticking ??= this.tickOnce(withWork).finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** The tick's other work, unless it is running still (then that run); its lines. */
  private work(): Promise<string[]> {
    const { tickWork, logger } = this.deps;
    if (!tickWork || this.stopped) return Promise.resolve([]);
    this.working ??= tickWork(this.deps.clock.now())
      .catch((error: unknown) => {
        logger.error("scheduler: the tick's other work failed (will try again next tick):", error);
        return [];
      })
      .finally(() => {
        this.working = undefined;
      });
    return this.working;
  }

  /** The other work, then one tick, then sends until nothing is left that this instance can send (for scripts and tests). */
  async runOnce(maxIdleMs = 60_000): Promise<RunOnceResult> {
    const work = await this.work();
    const events = await this.join(false);
    const sent = this.outbox ? await this.outbox.kick(maxIdleMs) : null;
    return { work, events, sent };
  }

  /** What became of the posts a run-once planned, in words, kind by kind (after its sending). */
  async report(events: readonly PlanEvent[]): Promise<string[]> {
    const lines: string[] = [];
    for (const kind of this.deps.kinds) {
      const mine = events.filter((e) => e.kind === kind.name);
      if (mine.length > 0 && kind.report) lines.push(...(await kind.report(this.deps.prisma, mine)));
    }
    return lines;
  }

  private async tickOnce(withWork: boolean): Promise<PlanEvent[]> {
    const { logger } = this.deps;
    if (withWork) void this.work();
    const now = this.deps.clock.now();
    const context: PlanContext = {
      prisma: this.deps.prisma,
      clock: this.deps.clock,
      logger,
      instanceId: this.deps.instanceId,
      settings: this.deps.settings,
      stopping: () => this.stopped,
      kick: () => void this.outbox?.kick(this.deps.settings.tickMs).catch(() => undefined),
    };
    const events: PlanEvent[] = [];
    for (const kind of this.deps.kinds) {
      if (this.stopped) break;
      try {
        const planned = await kind.plan(context, now);
        for (const e of planned) logger[e.level](e.line);
        events.push(...planned);
      } catch (error) {
        // One kind's trouble does not stop the others.
        logger.error(`scheduler: planning ${kind.name} posts failed (will try again next tick):`, error);
      }
    }
    if (this.outbox && !this.stopped) {
      await this.outbox.reclaimStale();
      void this.outbox.kick(this.deps.settings.tickMs).catch((error) => logger.error("scheduler: sending failed:", error));
    }
    return events;
  }
}
