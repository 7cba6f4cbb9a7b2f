/**
 * The review queue: candidates (feed items that matched) waiting for a person, who saves each as a fact, dismisses it,
 * or marks it not relevant to its topic (the feed's keywords caught it wrongly; `feeds list` counts those per feed).
 * Plain data in and out, so that the terminal, the console and a Slack adapter call the same functions: the Save as
 * fact button opens the new-fact form with {@link candidateDraft}'s values, and its submission ends in
 * {@link markCandidateAccepted}; `korus candidates accept` does both at once through {@link acceptCandidate}.
 */
import type { FeedCandidate, Feed } from "../generated/prisma/client.js";
import { addFact, type DuplicateCheck, type FactsDeps } from "../facts/service.js";
import { fromDbDate, type IsoDate, isIsoDate } from "../facts/dates.js";
import { FACT_KINDS, type Fact, type FactKind, type FactSource } from "../facts/model.js";
import { FACT_LIMITS } from "../facts/jsonl.js";
import type { PeopleDirectory } from "../people/names.js";
import { peopleOf } from "../people/store.js";
import { escapeMarkdown } from "../render/escape.js";
import { dateInZone } from "../time-zone.js";
import { type CandidateDuplicate, candidateDuplicates } from "./duplicates.js";
import { type FeedDeps, FeedError } from "./deps.js";
import type { CandidateState } from "./feeds.js";

/** A candidate as people see it, with what it duplicates. */
export interface CandidateView {
  id: number;
  feedId: number;
  feedTitle: string | null;
  topic: string;
  title: string;
  url: string | null;
  summary: string;
  publishedOn: IsoDate | null;
  sourceTitle: string;
  matched: string[];
  state: CandidateState;
  factId: number | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  duplicates: CandidateDuplicate[];
}

/** The new-fact form's initial values for a candidate: what a person reviews before saving it as a fact. */
export interface FactDraft {
  kind: FactKind;
  /** The item's day; null when the feed gave none (the form asks). */
  date: IsoDate | null;
  /** The day the team could know it: the day it was published (never after today). */
  known: IsoDate | null;
  title: string;
  /** Markdown: the item's summary, escaped (a feed's text is never markup). */
  summary: string;
  /** The feed's actor ("US" for the Federal Register); "" when the feed names none (the form asks). */
  actor: string;
  topic: string;
  sources: FactSource[];
  /** What the candidate duplicates, for the form to say. */
  duplicates: CandidateDuplicate[];
}

/** How long an acceptance may hold a candidate ("accepting") before another person may decide it. */
const ACCEPT_HOLD_MS = 2 * 60_000;

type Row = FeedCandidate & { feed: Pick<Feed, "title" | "actor" | "topic"> };

function view(row: Row, duplicates: CandidateDuplicate[] = []): CandidateView {
  return {
    id: row.id,
    feedId: row.feedId,
    feedTitle: row.feed.title,
    topic: row.topic,
    title: row.title,
    url: row.url,
    summary: row.summary,
    publishedOn: row.publishedOn ? fromDbDate(row.publishedOn) : null,
    sourceTitle: row.sourceTitle,
    matched: row.matched,
    state: row.state === "accepting" ? "pending" : (row.state as CandidateState),
    factId: row.factId,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    createdAt: row.createdAt,
    duplicates,
  };
}

const withFeed = { feed: { select: { title: true, actor: true, topic: true } } } as const;

/** The candidates waiting (or in another state), newest item first, with what each duplicates. */
export async function listCandidates(
  deps: Pick<FeedDeps, "prisma" | "clock">,
  options: { state?: CandidateState | "all"; topic?: string; feedId?: number; limit?: number; offset?: number } = {},
): Promise<{ candidates: CandidateView[]; total: number }> {
  const state = options.state ?? "pending";
  const staleHold = new Date(deps.clock.now().getTime() - ACCEPT_HOLD_MS);
  const where = {
    ...(state === "all" ? {} : state === "pending" ? { OR: [{ state: "pending" }, { state: "accepting", decidedAt: { lt: staleHold } }] } : { state }),
    ...(options.topic ? { topic: options.topic } : {}),
    ...(options.feedId ? { feedId: options.feedId } : {}),
  };
  const [rows, total] = await Promise.all([
    deps.prisma.feedCandidate.findMany({
      where,
      include: withFeed,
      orderBy: [{ publishedOn: { sort: "desc", nulls: "last" } }, { id: "desc" }],
      take: Math.min(Math.max(options.limit ?? 20, 1), 200),
      skip: Math.max(options.offset ?? 0, 0),
    }),
    deps.prisma.feedCandidate.count({ where }),
  ]);
  const duplicates = await candidateDuplicates(
    deps.prisma,
    rows.filter((r) => r.state === "pending" || r.state === "accepting").map((r) => r.id),
  );
  return { candidates: rows.map((r) => view(r, duplicates.get(r.id))), total };
}

async function load(deps: Pick<FeedDeps, "prisma">, id: number): Promise<Row> {
  const row = await deps.prisma.feedCandidate.findUnique({ where: { id }, include: withFeed });
  if (!row) throw new FeedError("not_found", `There is no candidate #${id} (korus candidates list shows them).`);
  return row;
}

/** One candidate with what it duplicates. */
export async function getCandidate(deps: Pick<FeedDeps, "prisma">, id: number): Promise<CandidateView> {
  const row = await load(deps, id);
  return view(row, (await candidateDuplicates(deps.prisma, [id])).get(id));
}

/** Who decides: the id permissions and the record keep, and (optionally) where their names are read. */
type Decider = Pick<FeedDeps, "prisma" | "timeZone"> & { people?: PeopleDirectory };

/** Why candidate `id` cannot be decided again, naming the person who did by name (plain text). */
async function decidedAlready(deps: Decider, id: number): Promise<FeedError> {
  const row = await load(deps, id);
  const who = row.decidedBy ? (await (deps.people ?? peopleOf(deps.prisma)).names([row.decidedBy])).label(row.decidedBy) : null;
  const how =
    row.state === "accepted" ? `saved as fact #${row.factId}` : row.state === "irrelevant" ? "marked not relevant to this topic" : row.state === "accepting" ? "being saved as a fact" : "dismissed";
  return new FeedError("conflict", `Candidate #${row.id} was already ${how}${who ? ` by ${who}` : ""}${row.decidedAt ? ` on ${dateInZone(row.decidedAt, deps.timeZone)}` : ""}.`);
}

/** `text` cut at a word boundary to `max` characters, with an ellipsis when cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(" ");
  return `${(space > max * 0.6 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** The new-fact form's initial values for candidate `id` (the Save as fact button; `candidates accept`). */
export async function candidateDraft(deps: Pick<FeedDeps, "prisma" | "clock" | "timeZone">, id: number): Promise<FactDraft> {
  const row = await load(deps, id);
  const duplicates = (await candidateDuplicates(deps.prisma, [id])).get(id) ?? [];
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const day = row.publishedOn ? fromDbDate(row.publishedOn) : null;
  const title = cut(row.title, FACT_LIMITS.title);
  const source: FactSource = {
    title: cut(`${row.sourceTitle}: ${row.title}`, FACT_LIMITS.sourceTitle),
    ...(row.url ? { url: row.url } : {}),
    ...(day ? { date: day } : {}),
  };
  return {
    kind: "event",
    date: day,
    known: day ? (day > today ? today : day) : null,
    title,
    summary: cut(escapeMarkdown(row.summary), FACT_LIMITS.summary),
    actor: row.feed.actor ?? "",
    topic: row.topic,
    sources: [source],
    duplicates,
  };
}

/** What a person may change when accepting from the terminal. */
export interface AcceptChanges {
  kind?: string;
  actor?: string;
  date?: string;
  title?: string;
}

/**
 * Records that candidate `id` became fact `factId` (the Slack form's submission calls it after saving the fact).
 * @throws FeedError conflict when someone else decided it meanwhile.
 */
export async function markCandidateAccepted(deps: Pick<FeedDeps, "prisma" | "clock"> & Decider, id: number, factId: number, user: string): Promise<CandidateView> {
  const { count } = await deps.prisma.feedCandidate.updateMany({
    where: { id, OR: [{ state: "pending" }, { state: "accepting", decidedBy: user }] },
    data: { state: "accepted", factId, decidedBy: user, decidedAt: deps.clock.now() },
  });
  if (count === 0) throw await decidedAlready(deps, id);
  return view(await load(deps, id));
}

/**
 * Saves candidate `id` as a fact through the facts service (validation, the likely-duplicate check unless
 * `check.allowDuplicate`, the audit row), from its draft with `changes`; then marks it accepted. The candidate is held
 * while the fact is saved, so that two people accepting it at once make one fact; if saving fails it is left waiting.
 * @throws FeedError (not_found, conflict: decided already, invalid: a field the draft lacks); FactError from the facts
 * service (invalid, duplicate).
 */
export async function acceptCandidate(
  deps: Pick<FeedDeps, "prisma" | "clock" | "timeZone"> & Pick<FactsDeps, "admins"> & Decider,
  id: number,
  user: string,
  changes: AcceptChanges = {},
  check: DuplicateCheck = {},
): Promise<{ fact: Fact; candidate: CandidateView }> {
  const draft = await candidateDraft(deps, id);
  const kind = changes.kind ?? draft.kind;
  if (!(FACT_KINDS as readonly string[]).includes(kind)) throw new FeedError("invalid", `must be one of ${FACT_KINDS.join(", ")}, not \`${kind.slice(0, 30)}\``, "kind");
  const date = changes.date ?? draft.date;
  if (!date) throw new FeedError("invalid", "the item gives no date: say which day it happened (--date YYYY-MM-DD)", "date");
  if (!isIsoDate(date)) throw new FeedError("invalid", `\`${date.slice(0, 30)}\` is not a date written YYYY-MM-DD`, "date");
  const actor = changes.actor ?? draft.actor;
  if (!actor.trim()) throw new FeedError("invalid", "the feed names no actor: say whose act it is (--actor US, Korea, both or a name)", "actor");
  const now = deps.clock.now();
  const held = await deps.prisma.feedCandidate.updateMany({
    where: { id, OR: [{ state: "pending" }, { state: "accepting", decidedAt: { lt: new Date(now.getTime() - ACCEPT_HOLD_MS) } }] },
    data: { state: "accepting", decidedBy: user, decidedAt: now },
  });
  if (held.count === 0) throw await decidedAlready(deps, id);
  const today = dateInZone(now, deps.timeZone);
  const known = draft.known ?? (date > today ? today : date);
  let fact: Fact;
  try {
    fact = await addFact(
      { prisma: deps.prisma, admins: deps.admins, today: () => today },
      { kind, date, known: known > today ? today : known, title: changes.title ?? draft.title, summary: draft.summary, actor, topic: draft.topic, sources: draft.sources },
      user,
      check,
    );
  } catch (error) {
    await deps.prisma.feedCandidate.updateMany({ where: { id, state: "accepting", decidedBy: user }, data: { state: "pending", decidedBy: null, decidedAt: null } });
    throw error;
  }
  return { fact, candidate: await markCandidateAccepted(deps, id, fact.id, user) };
}

/**
 * Dismisses candidate `id` (`irrelevant`: not relevant to its topic, which `feeds list` counts per feed so that its
 * keywords can be tuned). @throws FeedError not_found, conflict (decided already).
 */
export async function dismissCandidate(deps: Pick<FeedDeps, "prisma" | "clock"> & Decider, id: number, user: string, how: "dismissed" | "irrelevant" = "dismissed"): Promise<CandidateView> {
  const now = deps.clock.now();
  const { count } = await deps.prisma.feedCandidate.updateMany({
    where: { id, OR: [{ state: "pending" }, { state: "accepting", decidedAt: { lt: new Date(now.getTime() - ACCEPT_HOLD_MS) } }] },
    data: { state: how, decidedBy: user, decidedAt: now },
  });
  if (count === 0) throw await decidedAlready(deps, id);
  return view(await load(deps, id));
}

/** How many candidates wait, per topic (the Home tab's count, `feeds list`'s footer). */
export async function pendingCounts(deps: Pick<FeedDeps, "prisma">): Promise<Record<string, number>> {
  const groups = await deps.prisma.feedCandidate.groupBy({ by: ["topic"], where: { state: { in: ["pending", "accepting"] } }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.topic, g._count._all]));
}
