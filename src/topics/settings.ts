/**
 * Topic settings: a topic's name and what marks its entry into force, which the status's agreement line reads.
 * `korus topics set` changes them.
 */
import { fromDbDate, type IsoDate } from "../facts/dates.js";
import { normalizeNewlines, textProblem } from "../text-guard.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Agreement } from "../status/status.js";
import { DEFAULT_TOPIC, TopicError } from "./slug.js";

/**
 * The agreement line of a topic's status from its settings: its name (else the topic itself), and, for a status whose
 * facts mark no milestone (signed, approved, in force: the status then says where the agreement stood from those,
 * src/topics/standing.ts), its entry into force from the marked event fact (when it is live, known and dated by
 * `asOf`), else the settings' text ("2012") once its year has ended by `asOf`: a view as of 2011 does not say "in force
 * since 2012".
 */
export async function agreementOf(prisma: PrismaClient, topic: string, asOf: IsoDate): Promise<Agreement> {
  const row = await prisma.topic.findUnique({
    where: { slug: topic },
    select: { name: true, inForceSince: true, inForceFact: { select: { date: true, retractedAt: true, visibleFrom: true } } },
  });
  const fact = row?.inForceFact;
  const marked = fact && !fact.retractedAt && fromDbDate(fact.date) <= asOf && fromDbDate(fact.visibleFrom) <= asOf ? fromDbDate(fact.date) : null;
  const text = row?.inForceSince ?? null;
  const year = text ? /\b(1[89]\d\d|20\d\d)\b/.exec(text)?.[1] : undefined;
  const textHolds = text !== null && (year === undefined || year < asOf.slice(0, 4));
  return { topic, name: row?.name ?? topic, standing: marked ? `in force since ${marked}` : textHolds ? `in force since ${text}` : null, basis: [] };
}

/** Sets a topic's name and entry into force (a fact id of an event of the topic, or text such as "2012"). */
export async function setTopic(
  prisma: PrismaClient,
  topic: string,
  settings: { name?: string; inForceSince?: string | null; inForceFactId?: number | null },
  by: string,
): Promise<{ topic: string; name: string; inForceSince: string | null; inForceFactId: number | null }> {
  if (settings.name !== undefined && !settings.name.trim()) throw new TopicError("invalid", "The name must not be empty.");
  for (const [label, value] of [
    ["name", settings.name],
    ["in force since", settings.inForceSince],
  ] as const) {
    const problem = value ? textProblem(normalizeNewlines(value)) : null;
    if (problem) throw new TopicError("invalid", `The ${label} ${problem}.`);
  }
  if (settings.inForceFactId) {
    const fact = await prisma.fact.findUnique({ where: { id: settings.inForceFactId }, select: { kind: true, topic: true, retractedAt: true } });
    if (!fact) throw new TopicError("not_found", `There is no fact #${settings.inForceFactId}.`);
    if (fact.kind !== "event" || fact.topic !== topic || fact.retractedAt) {
      throw new TopicError("invalid", `Fact #${settings.inForceFactId} cannot mark the entry into force of \`${topic}\`: it must be a live event of that topic.`);
    }
  }
  const data = {
    ...(settings.name !== undefined ? { name: settings.name.trim() } : {}),
    ...(settings.inForceSince !== undefined ? { inForceSince: settings.inForceSince?.trim() || null } : {}),
    ...(settings.inForceFactId !== undefined ? { inForceFactId: settings.inForceFactId } : {}),
  };
  const row = await prisma.$transaction(async (tx) => {
    const saved = await tx.topic.upsert({
      where: { slug: topic },
      create: { slug: topic, name: settings.name?.trim() || topic, updatedBy: by, ...data },
      update: { ...data, updatedBy: by },
      include: { inForceFact: { select: { date: true } } },
    });
    // Statuses are cached per fact-store version, in every instance: the agreement line is part of them.
    await tx.$executeRaw`UPDATE fact_store_version SET version = version + 1 WHERE id = 1`;
    return saved;
  });
  return {
    topic,
    name: row.name,
    inForceSince: row.inForceFact ? fromDbDate(row.inForceFact.date) : row.inForceSince,
    inForceFactId: row.inForceFactId,
  };
}

/**
 * Refuses a topic nobody has set up and no fact belongs to (a typo: `/korus status pubilc`), with the way to the list.
 * `visible`: how many facts of the topic the caller already found (0 makes it look further).
 */
export async function assertTopicKnown(prisma: PrismaClient, topic: string, visible: number): Promise<void> {
  if (visible > 0 || topic === DEFAULT_TOPIC) return;
  if (await prisma.topic.findUnique({ where: { slug: topic }, select: { slug: true } })) return;
  if ((await prisma.fact.count({ where: { topic } })) === 0) {
    throw new TopicError("not_found", `There is no topic \`${topic}\`: no fact belongs to it. \`/korus topics\` lists the topics.`);
  }
}
