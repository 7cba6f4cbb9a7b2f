/**
 * New feed candidates as a kind of post (src/delivery/post-kind.ts): each candidate that a poll found is posted to the
 * review channels of its feed (`korus feeds add … --channel C…`) as a review card, with Save as fact, Dismiss and Not
 * relevant buttons (the chat adapter words the card: src/slack/views/candidates.ts).
 *
 * - Planning, at each tick: every candidate still waiting, found within the grace window (older ones are the queue
 *   `korus candidates list` shows, not news), gets a feed_candidate_post row per review channel, inserted with
 *   ON CONFLICT DO NOTHING: the instance whose insert lands queues its message, in the same transaction.
 * - Just before posting: a candidate decided meanwhile (saved, dismissed, its feed removed) is dropped.
 * - The card is built when it goes out, from the candidate as it is then (what it duplicates included).
 * - A failure for good is kept on the post, and whoever added the feed is told once.
 */
import { fromDbDate } from "../facts/dates.js";
import type { PlanEvent, PostKind } from "../delivery/post-kind.js";
import { queuePosts } from "../delivery/post-kind.js";
import type { PostContent } from "../delivery/transport.js";
import type { NoticeData } from "../delivery/notices.js";
import { type CandidateView, getCandidate } from "./candidates.js";

/** The kind's name in the outbox (Slack's metadata event type korus_feed_candidate). */
export const CANDIDATE_KIND = "feed_candidate";

/** A candidate a tick queued for a review channel. */
export interface CandidatePostEvent extends PlanEvent {
  action: "queued";
  postId: number;
  candidateId: number;
  channel: string;
}

/** The review card as data: the candidate as it is when the card goes out. */
export interface CandidateReview extends PostContent {
  kind: "candidate_review";
  candidate: CandidateView;
}

/** True for a review card's content. */
export function isCandidateReview(content: PostContent): content is CandidateReview {
  return content.kind === "candidate_review" && "candidate" in content;
}

/** What whoever added a feed is told when a candidate could not be posted to its review channel. */
export interface CandidateNotice {
  kind: "candidate_not_posted";
  feedId: number;
  candidateId: number;
  channel: string;
  detail: string;
}

/** The notice in plain words. */
export function candidateNoticeWords(n: CandidateNotice): string {
  return `Candidate #${n.candidateId} of feed #${n.feedId} could not be posted to its review channel ${n.channel}: ${n.detail}. Until that is fixed, \`korus candidates list\` shows the queue.`;
}

/** Reads a stored notice back as a candidate's; null for one that is not. */
export function parseCandidateNotice(value: NoticeData): CandidateNotice | null {
  const n = value as Record<string, unknown>;
  if (n.kind !== "candidate_not_posted") return null;
  if (typeof n.feedId !== "number" || typeof n.candidateId !== "number" || typeof n.channel !== "string" || typeof n.detail !== "string") return null;
  return { kind: n.kind, feedId: n.feedId, candidateId: n.candidateId, channel: n.channel, detail: n.detail };
}

/** The card's plain fallback text: the notification people see. */
function cardText(c: { title: string; sourceTitle: string; publishedOn: Date | null; topic: string }): string {
  return `New candidate for ${c.topic}: ${c.title} (${c.sourceTitle}${c.publishedOn ? `, ${fromDbDate(c.publishedOn)}` : ""})`;
}

/** The feed candidate kind. */
export function feedCandidateKind(): PostKind<CandidatePostEvent> {
  return {
    name: CANDIDATE_KIND,
    async plan(ctx, now) {
      const since = new Date(now.getTime() - ctx.settings.graceMs);
      const waiting = await ctx.prisma.feedCandidate.findMany({
        where: { state: "pending", createdAt: { gte: since }, feed: { removedAt: null, NOT: { channels: { isEmpty: true } } } },
        select: { id: true, title: true, sourceTitle: true, publishedOn: true, topic: true, feed: { select: { channels: true } } },
        orderBy: { id: "asc" },
        take: 500,
      });
      if (waiting.length === 0) return [];
      const byId = new Map(waiting.map((c) => [c.id, c]));
      const created = await ctx.prisma.$transaction(async (tx) => {
        const rows = await tx.feedCandidatePost.createManyAndReturn({
          data: waiting.flatMap((c) => c.feed.channels.map((channel) => ({ candidateId: c.id, channel, state: "queued" }))),
          skipDuplicates: true,
          select: { id: true, candidateId: true, channel: true },
        });
        await queuePosts(
          tx,
          rows.map((p) => ({ kind: CANDIDATE_KIND, subject: p.id, channel: p.channel, parts: [{ seq: 0, text: cardText(byId.get(p.candidateId)!), markdown: null }] })),
          now,
        );
        return rows;
      });
      return created.map((p) => ({
        kind: CANDIDATE_KIND,
        subject: p.id,
        action: "queued" as const,
        postId: p.id,
        candidateId: p.candidateId,
        channel: p.channel,
        line: `feed candidates: candidate #${p.candidateId} queued for review in ${p.channel}`,
        level: "info" as const,
      }));
    },
    async marker(prisma, postId) {
      const post = await prisma.feedCandidatePost.findUnique({ where: { id: postId }, select: { candidateId: true } });
      return post ? { candidate_id: post.candidateId } : null;
    },
    async stillDue(prisma, postId) {
      const post = await prisma.feedCandidatePost.findUnique({ where: { id: postId }, select: { candidate: { select: { id: true, state: true, feed: { select: { removedAt: true } } } } } });
      if (!post) return "the candidate is gone";
      if (post.candidate.feed.removedAt) return "its feed was removed";
      return post.candidate.state === "pending" ? null : `candidate #${post.candidate.id} was already decided (${post.candidate.state})`;
    },
    async content(prisma, postId) {
      const post = await prisma.feedCandidatePost.findUnique({ where: { id: postId }, select: { candidateId: true } });
      if (!post) return null;
      const review: CandidateReview = { kind: "candidate_review", candidate: await getCandidate({ prisma }, post.candidateId) };
      return review;
    },
    async dropped(tx, postId, reason) {
      await tx.feedCandidatePost.updateMany({ where: { id: postId, state: "queued" }, data: { state: "dropped", detail: reason } });
    },
    async delivered(tx, postId, ts) {
      await tx.feedCandidatePost.updateMany({ where: { id: postId }, data: { state: "posted", ts } });
    },
    async failed(tx, postId, detail) {
      const post = await tx.feedCandidatePost.update({
        where: { id: postId },
        data: { state: "failed", detail },
        select: { channel: true, candidate: { select: { id: true, feed: { select: { id: true, createdBy: true } } } } },
      });
      const notice: CandidateNotice = { kind: "candidate_not_posted", feedId: post.candidate.feed.id, candidateId: post.candidate.id, channel: post.channel, detail };
      return { owner: post.candidate.feed.createdBy, notice: { ...notice }, words: candidateNoticeWords(notice) };
    },
    async report(prisma, events) {
      const posts = await prisma.feedCandidatePost.findMany({ where: { id: { in: events.map((e) => e.postId) } }, orderBy: { id: "asc" }, include: { candidate: { select: { title: true } } } });
      return posts.map(
        (p) => `feed candidate #${p.candidateId} "${p.candidate.title}" to ${p.channel}: ${p.state === "posted" ? `posted (ts ${p.ts})` : `${p.state}${p.detail ? `: ${p.detail}` : ""}`}`,
      );
    },
  };
}
