/**
 * A kind of scheduled post (a weekly brief, a deadline alert, ...), as the delivery machine (src/delivery/) sees it:
 * what is due (planning, at each tick), whether a queued post still stands just before it goes out, the fields that
 * mark its messages, and what to record when it was delivered or failed for good (with whom to tell).
 *
 * A kind writes its posts as outbox rows with {@link queuePosts}: part 0 goes to the channel, parts 1..n follow in its
 * thread, one after the other. The machine does the rest (claims, pacing, retries, catch-up, exactly-once) the same
 * for every kind. Adding a kind is one file implementing this interface and one line in src/scheduled-posts.ts.
 */
import type { Clock } from "../clock.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { OwnerNotice } from "./notices.js";
import type { PostContent } from "./transport.js";

/** How often the scheduler looks for work, how long a silent claim lasts, and how late a post may still go out. */
export interface SchedulerSettings {
  tickMs: number;
  claimTimeoutMs: number;
  graceMs: number;
}

/** What a kind's planning gets from the scheduler. */
export interface PlanContext {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Who this instance is, in claims: unique per process. */
  instanceId: string;
  settings: SchedulerSettings;
  /** True once the scheduler is stopping: long planning should stop early. */
  stopping(): boolean;
  /** Asks the sender to start on what was queued so far (for a kind that queues while it goes on planning). */
  kick(): void;
}

/** Something a tick's planning did, for the log and `korus scheduler run-once`; a kind adds its own fields (a run's schedule). */
export interface PlanEvent {
  /** The kind's name. */
  kind: string;
  /** The kind's row (a brief run, a deadline alert). */
  subject: number;
  /** "queued", "claimed", "skipped", "failed", ... */
  action: string;
  detail?: string;
  /** The log line; `warn` for what someone should look at. */
  line: string;
  level: "info" | "warn";
}

/** One message of a post: part 0 in the channel, 1..n in its thread. Plain words and Markdown: the chat adapter words them. */
export interface PostPart {
  seq: number;
  /** The notification and fallback text, plain (the transport escapes it). */
  text: string;
  /** Standard Markdown for the body, or null for a plain message. */
  markdown: string | null;
}

/** A kind of post. `E` is the kind's own event type. */
export interface PostKind<E extends PlanEvent = PlanEvent> {
  /** Stored in outbox_message.kind; marks its messages (Slack: metadata event type `korus_<name>`). */
  readonly name: string;
  /** Queues what is due at `now` that no instance has queued yet. Called at every tick; a failure is logged and retried next tick. */
  plan(ctx: PlanContext, now: Date): Promise<E[]>;
  /** The fields that mark a message of `subject` (beside its outbox id and part); null when the subject is gone (its messages are cancelled). */
  marker(prisma: PrismaClient, subject: number): Promise<Record<string, string | number> | null>;
  /** Asked just before part 0 goes out: null while the post still stands, else why not (it is dropped, and `dropped` records it). */
  stillDue?(prisma: PrismaClient, subject: number): Promise<string | null>;
  /**
   * Content for the chat adapter to word (a review card with its buttons), built just before each message goes out
   * from the subject as it is then; null or absent: the stored text and Markdown alone.
   */
  content?(prisma: PrismaClient, subject: number, seq: number): Promise<PostContent | null>;
  /** Records a post dropped before it went out. */
  dropped?(tx: Prisma.TransactionClient, subject: number, reason: string, now: Date): Promise<void>;
  /** Records a post all of whose parts went out; `ts` is part 0's (Slack: the message in the channel). */
  delivered(tx: Prisma.TransactionClient, subject: number, ts: string, now: Date): Promise<void>;
  /** Records a post that failed for good (`detail` in words; its other parts were cancelled), and says whom to tell, or null. */
  failed(tx: Prisma.TransactionClient, subject: number, detail: string, now: Date): Promise<OwnerNotice | null>;
  /** What became of the posts a run-once planned, as lines to print (after sending). */
  report?(prisma: PrismaClient, events: readonly E[]): Promise<string[]>;
}

/** A post to queue: whose it is, where it goes, and its parts. */
export interface QueuedPost {
  kind: string;
  subject: number;
  channel: string;
  parts: readonly PostPart[];
}

/**
 * Writes posts as outbox rows in the caller's transaction (one statement for all): part 0 ready to go, the thread
 * waiting for it. A part already queued is left as it is: (kind, subject, seq) is unique, so a post is queued once.
 */
export async function queuePosts(tx: Prisma.TransactionClient, posts: readonly QueuedPost[], now: Date): Promise<void> {
  if (posts.length === 0) return;
  await tx.outboxMessage.createMany({
    data: posts.flatMap((post) =>
      post.parts.map((p) => ({
        kind: post.kind,
        subject: post.subject,
        seq: p.seq,
        channel: post.channel,
        text: p.text,
        markdown: p.markdown,
        state: p.seq === 0 ? "pending" : "waiting",
        nextAttemptAt: now,
      })),
    ),
    skipDuplicates: true,
  });
}
