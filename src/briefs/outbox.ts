/**
 * The outbox: every brief message is a row before it is a Slack message, so nothing is lost across failures and
 * restarts, and each goes out once even with several instances sending.
 *
 * - A sender claims a row (pending -> sending, with its id and the time) with a compare-and-set update; a row left in
 *   `sending` longer than the claim timeout (its sender died) is put back with `checkFirst`, and whoever sends it next
 *   first looks for it in the channel by its marker, so a post that went out unrecorded is not repeated.
 * - 429: wait Retry-After. 5xx and network errors: back off and retry (checking first, as the post may have gone out).
 *   not_in_channel: join the channel once and retry. Anything else is permanent: the run fails, the rest of its
 *   messages are cancelled, and the schedule's owner gets one DM.
 * - Messages to one channel go at most one per `channelIntervalMs` from this instance (Slack allows about one per
 *   second per channel); different channels go in parallel. A brief's thread parts wait for the message before them.
 */
import type { Clock } from "../clock.js";
import type { OutboxMessage, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { OWNER_DM_SEQ, parseNotice, queueOwnerNotice } from "./notices.js";
import { alertDelivered, alertFailed, alertStillDue } from "../alerts/outbox-rules.js";
import { DeliveryError, type MessageMarker, type MessageTransport } from "./transport.js";

/** The seq of the DM to a schedule's owner when its brief failed. */
export { OWNER_DM_SEQ };

/** What the outbox sender needs. */
export interface OutboxDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  transport: MessageTransport;
  /** Who this sender is, in claims: unique per process. */
  instanceId: string;
  /** A row in `sending` for longer than this is taken over. Must exceed the transport's request timeout. */
  claimTimeoutMs: number;
  /** Messages in flight at once, each to a different channel (default 16). */
  concurrency?: number;
  /** Least time between two posts to one channel from this instance (default 1000 ms: Slack's ~1 message/s/channel). */
  channelIntervalMs?: number;
  /** Server and network errors tolerated per message before it fails for good (default 12, about an hour of backoff). */
  maxAttempts?: number;
}

/** What one drain did. */
export interface DrainStats {
  sent: number;
  /** Messages found already posted (an earlier attempt went out unrecorded) and recorded instead of posted again. */
  found: number;
  retried: number;
  failed: number;
}

/** Slack error codes in words, for the owner's DM and `schedule list`. */
export function explainDeliveryError(code: string): string {
  const known: Record<string, string> = {
    channel_not_found: "the channel does not exist, or it is private and the bot is not in it (invite it with /invite)",
    is_archived: "the channel is archived",
    not_in_channel: "the bot is not in the channel and could not join it (for a private channel, invite it with /invite)",
    invalid_auth: "the bot's Slack token is not valid (reinstall the app and update SLACK_BOT_TOKEN)",
    not_authed: "no Slack token was sent (set SLACK_BOT_TOKEN)",
    token_revoked: "the bot's Slack token was revoked (reinstall the app)",
    account_inactive: "the bot's Slack account is deactivated (reinstall the app)",
    missing_scope: "the app lacks a permission it needs (reinstall it from manifest.yml)",
    restricted_action: "the workspace does not let the bot post there",
    msg_too_long: "Slack refused the message as too long",
    invalid_blocks: "Slack refused the message's blocks",
    channel_not_joinable: "the channel cannot be joined",
  };
  const base = code.replace(/^gave_up: /, "");
  const words = known[base];
  if (code.startsWith("gave_up: ")) return `Slack kept failing (${base}), so the bot gave up after many attempts`;
  return words ? `${words} (${code})` : code;
}

/** The marker of a brief row, as the transport attaches it. */
function markerOf(row: OutboxMessage & { runId: number }, run: { scheduleId: number; periodKey: string }): MessageMarker {
  return { outboxId: row.id, runId: row.runId, scheduleId: run.scheduleId, period: run.periodKey, part: row.seq };
}


/** Sends outbox rows. One per process; `kick()` starts a drain unless one is running. */
export class OutboxSender {
  private draining: Promise<DrainStats> | undefined;
  /** How long the running drain waits for messages due later; a kick asking for longer extends it. */
  private maxIdleMs = 0;
  private stopping = false;
  private wakeOnStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.wakeOnStop = resolve;
  });
  /** Per channel: not before this time (ms), from our own pacing and Slack's Retry-After. */
  private readonly notBefore = new Map<string, number>();
  private readonly runs = new Map<number, { scheduleId: number; periodKey: string; ownerId: string; channel: string }>();
  private readonly concurrency: number;
  private readonly channelIntervalMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly deps: OutboxDeps) {
    this.concurrency = deps.concurrency ?? 16;
    this.channelIntervalMs = deps.channelIntervalMs ?? 1000;
    this.maxAttempts = deps.maxAttempts ?? 12;
  }

  /**
   * Sends what is ready, and keeps going while messages come due within `maxIdleMs` (retries, the next part of a
   * thread). A drain already running is joined rather than doubled.
   */
  kick(maxIdleMs = 15_000): Promise<DrainStats> {
    if (this.stopping) return Promise.resolve({ sent: 0, found: 0, retried: 0, failed: 0 });
    this.maxIdleMs = Math.max(this.draining ? this.maxIdleMs : 0, maxIdleMs);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Stops taking new rows and waits for the messages in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeOnStop();
    await this.draining?.catch(() => undefined);
  }

  /** Waits `ms`, or less when the sender stops. */
  private sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, ms));
      }),
      this.stopped,
    ]).finally(() => clearTimeout(timer));
  }

  /** Puts rows whose sender vanished (in `sending` past the claim timeout) back, to be checked before posting. */
  async reclaimStale(): Promise<number> {
    const now = this.deps.clock.now();
    const { count } = await this.deps.prisma.outboxMessage.updateMany({
      where: { state: "sending", claimedAt: { lt: new Date(now.getTime() - this.deps.claimTimeoutMs) } },
      data: { state: "pending", checkFirst: true, claimedBy: null, claimedAt: null, nextAttemptAt: now },
    });
    if (count > 0) this.deps.logger.warn(`outbox: took over ${count} message(s) whose sender stopped answering; checking Slack before posting them`);
    return count;
  }

  private async drain(): Promise<DrainStats> {
    const stats: DrainStats = { sent: 0, found: 0, retried: 0, failed: 0 };
    const inFlight = new Map<string, Promise<void>>();
    while (!this.stopping) {
      const now = this.deps.clock.now().getTime();
      if (inFlight.size < this.concurrency) {
        for (const candidate of await this.readyRows(new Date(now))) {
          if (inFlight.size >= this.concurrency) break;
          if (inFlight.has(candidate.channel) || (this.notBefore.get(candidate.channel) ?? 0) > now) continue;
          const row = await this.claim(candidate.id);
          if (!row) continue;
          inFlight.set(
            row.channel,
            this.deliver(row, stats)
              .catch((error) => this.deps.logger.error(`outbox: message ${row.id} failed unexpectedly:`, error))
              .finally(() => inFlight.delete(row.channel)),
          );
        }
      }
      if (inFlight.size > 0) {
        // Wake when a message settles, or when a paced channel opens (at most a second later).
        const opens = [...this.notBefore.values()].filter((t) => t > now);
        await Promise.race([...inFlight.values(), this.sleep(Math.min(1000, opens.length ? Math.min(...opens) - now : 1000))]);
        continue;
      }
      const wake = await this.nextWake();
      if (wake === null || wake - now > this.maxIdleMs) break;
      await this.sleep(Math.max(wake - now, 10));
    }
    await Promise.all(inFlight.values());
    return stats;
  }

  /** The oldest ready row of each channel. */
  private readyRows(now: Date): Promise<Array<{ id: number; channel: string }>> {
    return this.deps.prisma.$queryRaw<Array<{ id: number; channel: string }>>`
      SELECT id, channel FROM (
        SELECT DISTINCT ON (channel) id, channel, next_attempt_at
          FROM outbox_message
         WHERE state = 'pending' AND next_attempt_at <= ${now}
         ORDER BY channel, next_attempt_at, id
      ) ready
      ORDER BY next_attempt_at, id
      LIMIT 500`;
  }

  /** When the next pending row comes due here (its own time, or its channel's pacing), or null when none is pending. */
  private async nextWake(): Promise<number | null> {
    const rows = await this.deps.prisma.outboxMessage.groupBy({
      by: ["channel"],
      where: { state: "pending" },
      _min: { nextAttemptAt: true },
    });
    let wake: number | null = null;
    for (const row of rows) {
      const at = Math.max(row._min.nextAttemptAt?.getTime() ?? 0, this.notBefore.get(row.channel) ?? 0);
      wake = wake === null ? at : Math.min(wake, at);
    }
    return wake;
  }

  private async claim(id: number): Promise<OutboxMessage | undefined> {
    const now = this.deps.clock.now();
    const [row] = await this.deps.prisma.outboxMessage.updateManyAndReturn({
      where: { id, state: "pending", nextAttemptAt: { lte: now } },
      data: { state: "sending", claimedBy: this.deps.instanceId, claimedAt: now, attempts: { increment: 1 } },
    });
    return row;
  }

  private async runOf(runId: number) {
    let run = this.runs.get(runId);
    if (!run) {
      const row = await this.deps.prisma.briefRun.findUniqueOrThrow({
        where: { id: runId },
        select: { scheduleId: true, periodKey: true, schedule: { select: { ownerId: true, channel: true } } },
      });
      run = { scheduleId: row.scheduleId, periodKey: row.periodKey, ownerId: row.schedule.ownerId, channel: row.schedule.channel };
      if (this.runs.size > 5000) this.runs.clear();
      this.runs.set(runId, run);
    }
    return run;
  }

  private pace(channel: string, ms: number): void {
    const until = this.deps.clock.now().getTime() + ms;
    if ((this.notBefore.get(channel) ?? 0) < until) this.notBefore.set(channel, until);
    if (this.notBefore.size > 10_000) {
      const now = this.deps.clock.now().getTime();
      for (const [key, at] of this.notBefore) if (at <= now) this.notBefore.delete(key);
    }
  }

  private async deliver(row: OutboxMessage, stats: DrainStats): Promise<void> {
    const { transport, logger } = this.deps;
    try {
      let marker: MessageMarker;
      if (row.alertId !== null) {
        // A deadline that moved or was retracted since the alert was queued: drop it rather than post a stale date.
        const stale = row.seq === 0 ? await alertStillDue(this.deps.prisma, row.alertId) : null;
        if (stale) {
          logger.info(`outbox: alert message ${row.id} dropped: ${stale}`);
          await this.deps.prisma.$transaction(async (tx) => {
            const mine = await tx.outboxMessage.updateMany({
              where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
              data: { state: "cancelled", lastError: stale, claimedBy: null, claimedAt: null },
            });
            if (mine.count > 0) await tx.deadlineAlert.updateMany({ where: { id: row.alertId!, state: "queued" }, data: { state: "dropped", detail: stale } });
          });
          return;
        }
        marker = { outboxId: row.id, alertId: row.alertId, part: row.seq };
      } else {
        marker = markerOf(row as OutboxMessage & { runId: number }, await this.runOf(row.runId!));
      }
      const notice = parseNotice(row.notice);
      if (notice && !transport.canMessage(row.channel)) {
        // An owner the chat service cannot reach (a terminal user): `korus schedule list` shows the failure instead.
        await this.deps.prisma.outboxMessage.updateMany({
          where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
          data: { state: "cancelled", lastError: "the owner cannot be sent a direct message", claimedBy: null, claimedAt: null },
        });
        return;
      }
      if (row.checkFirst) {
        const found = await this.findPosted(row, marker);
        if (found) {
          logger.info(`outbox: message ${row.id} (${row.alertId !== null ? `alert ${row.alertId}` : `run ${row.runId}`}, part ${row.seq}) was already in Slack (${found}); not posting it again`);
          stats.found++;
          await this.sent(row, found);
          return;
        }
      }
      const message = {
        channel: row.channel,
        text: row.text,
        marker,
        ...(row.threadTs ? { threadTs: row.threadTs } : {}),
        ...(row.markdown !== null ? { markdown: row.markdown } : {}),
        ...(notice ? { notice } : {}),
      };
      let ts: string;
      try {
        ts = (await transport.post(message)).ts;
      } catch (error) {
        if (!(error instanceof DeliveryError && error.kind === "not_in_channel" && !row.joined)) throw error;
        logger.info(`outbox: not in channel ${row.channel}; joining it`);
        await transport.join(row.channel).catch((joinError: unknown) => {
          // A private channel, say: what the owner needs to hear is that the bot is not in it.
          if (joinError instanceof DeliveryError && joinError.kind === "permanent") {
            logger.warn(`outbox: could not join ${row.channel}: ${joinError.code}`);
            throw new DeliveryError("permanent", "not_in_channel");
          }
          throw joinError;
        });
        await this.deps.prisma.outboxMessage.update({ where: { id: row.id }, data: { joined: true } });
        ts = (await transport.post(message)).ts;
      }
      this.pace(row.channel, this.channelIntervalMs);
      stats.sent++;
      await this.sent(row, ts);
    } catch (error) {
      await this.failed(row, error, stats);
    }
  }

  /** Looks for an earlier attempt in Slack. A lookup Slack refuses for good (say, a missing scope) posts anyway. */
  private async findPosted(row: OutboxMessage, marker: MessageMarker): Promise<string | null> {
    try {
      // Slack timestamps follow Slack's clock; the row's creation time is the database's, so allow a margin.
      const since = new Date(row.createdAt.getTime() - 10 * 60_000);
      return await this.deps.transport.find(row.channel, marker, { since, ...(row.threadTs ? { threadTs: row.threadTs } : {}) });
    } catch (error) {
      if (error instanceof DeliveryError && error.kind === "permanent") {
        this.deps.logger.warn(`outbox: cannot check whether message ${row.id} already went out (${error.code}); posting it`);
        return null;
      }
      throw error;
    }
  }

  /** Records a posted message, and releases the next part of its brief, or marks the brief posted. */
  private async sent(row: OutboxMessage, ts: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.prisma.$transaction(async (tx) => {
      const mine = await tx.outboxMessage.updateMany({
        where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
        data: { state: "sent", ts, sentAt: now, claimedBy: null, claimedAt: null, checkFirst: false, lastError: null },
      });
      // Lost the claim (too slow): whoever took it over finds this message by its marker.
      if (mine.count === 0 || row.seq >= OWNER_DM_SEQ) return;
      if (row.alertId !== null) {
        await alertDelivered(tx, row.alertId, ts, now);
        return;
      }
      if (row.runId === null) return;
      if (row.seq === 0) {
        await tx.briefRun.updateMany({ where: { id: row.runId }, data: { headlineTs: ts } });
        await tx.outboxMessage.updateMany({ where: { runId: row.runId, seq: { gt: 0, lt: OWNER_DM_SEQ } }, data: { threadTs: ts } });
      }
      const next = await tx.outboxMessage.updateMany({
        where: { runId: row.runId, seq: row.seq + 1, state: "waiting" },
        data: { state: "pending", nextAttemptAt: now },
      });
      if (next.count > 0) return;
      const later = await tx.outboxMessage.count({ where: { runId: row.runId, seq: { gt: row.seq, lt: OWNER_DM_SEQ } } });
      if (later === 0) await tx.briefRun.updateMany({ where: { id: row.runId, state: "sending" }, data: { state: "posted", postedAt: now } });
    });
  }

  private async failed(row: OutboxMessage, error: unknown, stats: DrainStats): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const failure = error instanceof DeliveryError ? error : new DeliveryError("transient", (error as Error)?.message ?? String(error));
    if (!(error instanceof DeliveryError)) this.deps.logger.warn(`outbox: message ${row.id}: unexpected error, will retry:`, error);
    if (failure.kind === "rate_limited") {
      const wait = failure.retryAfterMs ?? 1000;
      this.pace(row.channel, wait);
      stats.retried++;
      // A rate limit is not the message's fault: it does not count as an attempt.
      await this.release(row, { nextAttemptAt: new Date(now + wait), lastError: failure.code, attempts: { decrement: 1 } });
      return;
    }
    if (failure.kind === "transient" && row.attempts < this.maxAttempts) {
      const backoff = Math.min(1000 * 2 ** (row.attempts - 1), 5 * 60_000) * (0.75 + Math.random() * 0.5);
      stats.retried++;
      this.deps.logger.warn(`outbox: message ${row.id} to ${row.channel}: ${failure.code}; retrying in ${Math.round(backoff / 100) / 10} s`);
      // The post may have reached Slack before the error: look for it before posting again.
      await this.release(row, { nextAttemptAt: new Date(now + backoff), lastError: failure.code, checkFirst: true });
      return;
    }
    stats.failed++;
    await this.fail(row, failure.kind === "transient" ? `gave_up: ${failure.code}` : failure.code);
  }

  private async release(
    row: OutboxMessage,
    data: { nextAttemptAt: Date; lastError: string; checkFirst?: boolean; attempts?: { decrement: number } },
  ): Promise<void> {
    await this.deps.prisma.outboxMessage.updateMany({
      where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
      data: { ...data, state: "pending", claimedBy: null, claimedAt: null },
    });
  }

  /** A permanent failure: the message and the rest of its brief stop, the run fails, the owner hears of it once. */
  private async fail(row: OutboxMessage, code: string): Promise<void> {
    const now = this.deps.clock.now();
    this.deps.logger.warn(`outbox: message ${row.id} to ${row.channel} failed for good: ${code}`);
    if (row.alertId !== null || row.runId === null) {
      await this.deps.prisma.$transaction(async (tx) => {
        const mine = await tx.outboxMessage.updateMany({
          where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
          data: { state: "failed", lastError: code, claimedBy: null, claimedAt: null },
        });
        if (mine.count > 0 && row.seq < OWNER_DM_SEQ && row.alertId !== null) await alertFailed(tx, row.alertId, explainDeliveryError(code), now);
      });
      return;
    }
    const runId: number = row.runId;
    const run = await this.runOf(runId);
    await this.deps.prisma.$transaction(async (tx) => {
      const mine = await tx.outboxMessage.updateMany({
        where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
        data: { state: "failed", lastError: code, claimedBy: null, claimedAt: null },
      });
      if (mine.count === 0 || row.seq >= OWNER_DM_SEQ) return;
      await tx.outboxMessage.updateMany({
        where: { runId: runId, seq: { lt: OWNER_DM_SEQ }, state: { in: ["waiting", "pending"] } },
        data: { state: "cancelled", lastError: `not posted: part ${row.seq} failed (${code})` },
      });
      const detail = explainDeliveryError(code);
      await tx.briefRun.updateMany({ where: { id: runId, state: "sending" }, data: { state: "failed", detail } });
      await queueOwnerNotice(
        tx,
        { runId: runId, owner: run.ownerId },
        { kind: "brief_not_posted", scheduleId: run.scheduleId, period: run.periodKey, channel: run.channel, detail },
        now,
      );
    });
  }
}
