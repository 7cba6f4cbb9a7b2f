/**
 * The outbox: every scheduled message is a row before it is a chat message, so nothing is lost across failures and
 * restarts, and each goes out once even with several instances sending. Generic over kinds of post
 * (src/delivery/post-kind.ts): the rows name their kind and subject, and the kind records what became of them.
 *
 * - A sender claims a row (pending -> sending, with its id and the time) with a compare-and-set update; a row left in
 *   `sending` longer than the claim timeout (its sender died) is put back with `checkFirst`, and whoever sends it next
 *   first looks for it in the channel by its marker, so a post that went out unrecorded is not repeated.
 * - Just before part 0 goes out its kind says whether the post still stands (a deadline that moved is dropped).
 * - 429: wait Retry-After. 5xx and network errors: back off and retry (checking first, as the post may have gone out).
 *   not_in_channel: join the channel once and retry. Anything else is permanent: the post fails, the rest of its
 *   messages are cancelled, and its owner gets one DM (when its kind names one).
 * - Messages to one channel go at most one per `channelIntervalMs` from this instance (Slack allows about one per
 *   second per channel); different channels go in parallel. A post's thread parts wait for the message before them.
 */
import type { Clock } from "../clock.js";
import type { OutboxMessage, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { OWNER_DM_SEQ, parseNoticeData, queueOwnerNotice } from "./notices.js";
import type { PostKind } from "./post-kind.js";
import { DeliveryError, type MessageMarker, type MessageTransport } from "./transport.js";

/** The seq of the DM to a post's owner when it failed. */
export { OWNER_DM_SEQ };

/** What the outbox sender needs. */
export interface OutboxDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  transport: MessageTransport;
  /** The kinds of post whose rows this sender sends (a row of a kind not listed stays queued). */
  kinds: readonly PostKind[];
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
  /**
   * The first wait after a server or network error (default 1000 ms); each further one doubles, up to 5 minutes
   * ({@link retryDelayMs}). Tests of retries set a few milliseconds.
   */
  retryBaseMs?: number;
}

/** The default first wait after a server or network error. */
export const DEFAULT_RETRY_BASE_MS = 1000;
/** The longest wait between two attempts. */
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * How long to wait before attempt `attempts + 1` after a server or network error: `baseMs` doubled for each attempt
 * made after the first, at most 5 minutes, and spread by ±25% (`random` in [0, 1)) so that senders that failed together
 * do not all come back together.
 */
export function retryDelayMs(attempts: number, baseMs: number, random: number = Math.random()): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS) * (0.75 + random * 0.5);
}

/** What one drain did. */
export interface DrainStats {
  sent: number;
  /** Messages found already posted (an earlier attempt went out unrecorded) and recorded instead of posted again. */
  found: number;
  retried: number;
  failed: number;
}

/** Why a message failed for good, in words: the transport's explanation of the code, or the code. */
export function failureWords(failure: DeliveryError): string {
  const base = failure.message;
  if (failure.kind === "transient") return `the chat service kept failing (${base}), so the bot gave up after many attempts`;
  return failure.explanation ? `${failure.explanation} (${base})` : base;
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
  /** Marker fields by "kind:subject": a post's messages share them. */
  private readonly markers = new Map<string, Readonly<Record<string, string | number>> | null>();
  private readonly kinds: ReadonlyMap<string, PostKind>;
  private readonly concurrency: number;
  private readonly channelIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly deps: OutboxDeps) {
    this.concurrency = deps.concurrency ?? 16;
    this.channelIntervalMs = deps.channelIntervalMs ?? 1000;
    this.maxAttempts = deps.maxAttempts ?? 12;
    this.retryBaseMs = deps.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.kinds = new Map(deps.kinds.map((k) => [k.name, k]));
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
         WHERE state = 'pending' AND next_attempt_at <= ${now} AND kind = ANY(${[...this.kinds.keys()]}::text[])
         ORDER BY channel, next_attempt_at, id
      ) ready
      ORDER BY next_attempt_at, id
      LIMIT 500`;
  }

  /** When the next pending row comes due here (its own time, or its channel's pacing), or null when none is pending. */
  private async nextWake(): Promise<number | null> {
    const rows = await this.deps.prisma.outboxMessage.groupBy({
      by: ["channel"],
      where: { state: "pending", kind: { in: [...this.kinds.keys()] } },
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

  /** The marker fields of a post (its kind's, cached: a post's parts share them); null when its subject is gone. */
  private async markerFields(kind: PostKind, subject: number): Promise<Readonly<Record<string, string | number>> | null> {
    const key = `${kind.name}:${subject}`;
    if (this.markers.has(key)) return this.markers.get(key)!;
    const fields = await kind.marker(this.deps.prisma, subject);
    if (this.markers.size > 5000) this.markers.clear();
    this.markers.set(key, fields);
    return fields;
  }

  /**
   * Ends a claimed row as `state` (cancelled, failed) and, for a post's own part, cancels the rest of its post (`rest`
   * says why); `then` records it for the kind in the same transaction, when the row was still ours.
   */
  private async end(row: OutboxMessage, state: "cancelled" | "failed", lastError: string, rest: string, then?: (tx: Prisma.TransactionClient) => Promise<void>): Promise<void> {
    await this.deps.prisma.$transaction(async (tx) => {
      const mine = await tx.outboxMessage.updateMany({
        where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
        data: { state, lastError, claimedBy: null, claimedAt: null },
      });
      if (mine.count === 0 || row.seq >= OWNER_DM_SEQ) return;
      await tx.outboxMessage.updateMany({
        where: { kind: row.kind, subject: row.subject, seq: { lt: OWNER_DM_SEQ }, state: { in: ["waiting", "pending"] } },
        data: { state: "cancelled", lastError: rest },
      });
      await then?.(tx);
    });
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
    const kind = this.kinds.get(row.kind)!;
    try {
      // A post that no longer stands (a deadline that moved or was retracted since it was queued): drop it rather than post it stale.
      const stale = row.seq === 0 && kind.stillDue ? await kind.stillDue(this.deps.prisma, row.subject) : null;
      if (stale) {
        logger.info(`outbox: ${row.kind} message ${row.id} dropped: ${stale}`);
        await this.end(row, "cancelled", stale, stale, (tx) => kind.dropped?.(tx, row.subject, stale, this.deps.clock.now()) ?? Promise.resolve());
        return;
      }
      const fields = await this.markerFields(kind, row.subject);
      if (!fields) {
        logger.info(`outbox: ${row.kind} message ${row.id} dropped: its ${row.kind} #${row.subject} is gone`);
        await this.end(row, "cancelled", `its ${row.kind} is gone`, `its ${row.kind} is gone`);
        return;
      }
      const marker: MessageMarker = { kind: row.kind, outboxId: row.id, part: row.seq, fields };
      const notice = parseNoticeData(row.notice);
      if (notice && !transport.canMessage(row.channel)) {
        // An owner the chat service cannot reach (a terminal user): `korus schedule list` and the like show the failure instead.
        await this.deps.prisma.outboxMessage.updateMany({
          where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
          data: { state: "cancelled", lastError: "the owner cannot be sent a direct message", claimedBy: null, claimedAt: null },
        });
        return;
      }
      if (row.checkFirst) {
        const found = await this.findPosted(row, marker);
        if (found) {
          logger.info(`outbox: message ${row.id} (${row.kind} ${row.subject}, part ${row.seq}) was already in Slack (${found}); not posting it again`);
          stats.found++;
          await this.sent(row, kind, found);
          return;
        }
      }
      const content = kind.content && row.seq < OWNER_DM_SEQ ? await kind.content(this.deps.prisma, row.subject, row.seq) : null;
      const message = {
        channel: row.channel,
        text: row.text,
        marker,
        ...(content ? { content } : {}),
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
            throw error;
          }
          throw joinError;
        });
        await this.deps.prisma.outboxMessage.update({ where: { id: row.id }, data: { joined: true } });
        ts = (await transport.post(message)).ts;
      }
      this.pace(row.channel, this.channelIntervalMs);
      stats.sent++;
      await this.sent(row, kind, ts);
    } catch (error) {
      await this.failed(row, kind, error, stats);
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

  /** Records a posted message, and releases the next part of its post, or tells its kind the post is out. */
  private async sent(row: OutboxMessage, kind: PostKind, ts: string): Promise<void> {
    const now = this.deps.clock.now();
    const post = { kind: row.kind, subject: row.subject };
    await this.deps.prisma.$transaction(async (tx) => {
      const mine = await tx.outboxMessage.updateMany({
        where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
        data: { state: "sent", ts, sentAt: now, claimedBy: null, claimedAt: null, checkFirst: false, lastError: null },
      });
      // Lost the claim (too slow): whoever took it over finds this message by its marker.
      if (mine.count === 0 || row.seq >= OWNER_DM_SEQ) return;
      if (row.seq === 0) await tx.outboxMessage.updateMany({ where: { ...post, seq: { gt: 0, lt: OWNER_DM_SEQ } }, data: { threadTs: ts } });
      const next = await tx.outboxMessage.updateMany({ where: { ...post, seq: row.seq + 1, state: "waiting" }, data: { state: "pending", nextAttemptAt: now } });
      if (next.count > 0) return;
      const later = await tx.outboxMessage.count({ where: { ...post, seq: { gt: row.seq, lt: OWNER_DM_SEQ } } });
      if (later === 0) await kind.delivered(tx, row.subject, row.seq === 0 ? ts : (row.threadTs ?? ts), now);
    });
  }

  private async failed(row: OutboxMessage, kind: PostKind, error: unknown, stats: DrainStats): Promise<void> {
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
      const backoff = retryDelayMs(row.attempts, this.retryBaseMs);
      stats.retried++;
      this.deps.logger.warn(`outbox: message ${row.id} to ${row.channel}: ${failure.code}; retrying in ${Math.round(backoff / 100) / 10} s`);
      // The post may have reached Slack before the error: look for it before posting again.
      await this.release(row, { nextAttemptAt: new Date(now + backoff), lastError: failure.code, checkFirst: true });
      return;
    }
    stats.failed++;
    await this.fail(row, kind, failure);
  }

  private async release(row: OutboxMessage, data: { nextAttemptAt: Date; lastError: string; checkFirst?: boolean; attempts?: { decrement: number } }): Promise<void> {
    await this.deps.prisma.outboxMessage.updateMany({
      where: { id: row.id, state: "sending", claimedBy: this.deps.instanceId },
      data: { ...data, state: "pending", claimedBy: null, claimedAt: null },
    });
  }

  /** A permanent failure: the message and the rest of its post stop, its kind records it, and the owner hears of it once. */
  private async fail(row: OutboxMessage, kind: PostKind, failure: DeliveryError): Promise<void> {
    const now = this.deps.clock.now();
    const code = failure.kind === "transient" ? `gave_up: ${failure.code}` : failure.code;
    this.deps.logger.warn(`outbox: message ${row.id} to ${row.channel} failed for good: ${code}`);
    await this.end(row, "failed", code, `not posted: part ${row.seq} failed (${code})`, async (tx) => {
      const tell = await kind.failed(tx, row.subject, failureWords(failure), now);
      if (tell) await queueOwnerNotice(tx, { kind: row.kind, subject: row.subject }, tell, now);
    });
  }
}
