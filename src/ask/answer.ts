/**
 * `/korus ask`: a question in plain words answered with the best one to three facts on record, their dates and sources,
 * without a language model. Deadlines come with their basis and days left; amounts with their figure series; figures
 * the sources disagree on say so; a question nothing answers is told so plainly.
 */
import type { Clock } from "../clock.js";
import { addDays, daysBetween, type IsoDate } from "../facts/dates.js";
import { isVisibleOn } from "../facts/fact-index.js";
import type { DeadlineBasis } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { toFact } from "../facts/store.js";
import { loadSeries, type FigureSeries, type SeriesPoint } from "../figures/series.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { dateInZone } from "../time-zone.js";
import { parseQuestion, type Question } from "./question.js";
import { textScorer } from "./similarity.js";

/** What answering needs. */
export interface AskDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone: "today" and "last week" are counted there. */
  timeZone: string;
}

/** One fact in an answer, with why it was chosen. */
export interface AnsweredFact {
  fact: Fact;
  score: number;
  /** Question words (stems) the fact matched. */
  matched: string[];
  /** For a deadline: days left from the as-of day (negative: overdue) and what it counts from. */
  deadline?: { daysLeft: number; basis: DeadlineBasis | null };
}

/** A figure period the sources disagree on. */
export interface Disagreement {
  series: string;
  point: SeriesPoint;
}

/** The answer to a question. */
export interface AskAnswer {
  question: Question;
  /** The best facts, best first (empty when nothing on record answers). */
  facts: AnsweredFact[];
  /** For "how much": the series of the best figure, as known on the as-of day, within the asked range if any. */
  series?: FigureSeries;
  /** Figure periods among the answer where sources give different values. */
  differ: Disagreement[];
  /** Facts in range beyond the ones shown (what-changed lists). */
  more: number;
  /** Words to search for with `/korus facts`, for the "nothing on record" answer and the "see also" line. */
  searchText: string;
}

/** Stores larger than this are narrowed by full-text search before ranking; smaller ones are ranked whole. */
export const RANK_WHOLE_STORE_UP_TO = 5000;
/** The least text score a fact needs to answer a question that has words to match. */
const MIN_TEXT_SCORE = 1.2;
/** The least share of the question's word weight a fact must match: a fact sharing only common words answers nothing. */
const MIN_COVERAGE = 0.45;

/** Answers a question from the fact store. */
export async function askQuestion(deps: AskDeps, text: string, options: { rankWholeStoreUpTo?: number } = {}): Promise<AskAnswer> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const question = parseQuestion(text, today);
  const candidates = await candidateFacts(deps.prisma, question, options.rankWholeStoreUpTo ?? RANK_WHOLE_STORE_UP_TO);
  const ranked = rank(question, candidates);
  // A figure series answers as one: its other periods give way to the facts after them (the series line lists them).
  const seriesSeen = new Set<string>();
  for (let i = 0; i < ranked.length; i++) {
    const key = ranked[i]!.fact.figure?.series;
    const period = ranked[i]!.fact.figure?.period;
    if (!key) continue;
    if (seriesSeen.has(key) && !(question.period && period === question.period.key)) ranked.splice(i--, 1);
    else seriesSeen.add(key);
  }
  const listing = question.kind === "what-changed" || (question.words.length === 0 && question.range !== undefined);
  const top = ranked[0];
  const chosen = top ? ranked.filter((r, i) => i === 0 || (listing ? true : r.score >= top.score * 0.6)).slice(0, 3) : [];
  const more = listing ? Math.max(0, ranked.length - chosen.length) : 0;

  const byId = new Map(candidates.map((f) => [f.id, f]));
  for (const answer of chosen) {
    if (answer.fact.kind === "deadline") answer.deadline = await deadlineInfo(deps.prisma, answer.fact, question.asOf, byId);
  }
  let series: FigureSeries | undefined;
  const differ: Disagreement[] = [];
  const figureKeys = [...new Set(chosen.map((a) => a.fact.figure?.series).filter((s): s is string => typeof s === "string"))];
  for (const key of figureKeys) {
    const [loaded] = await loadSeries(deps.prisma, { series: key, asOf: question.asOf });
    if (!loaded) continue;
    if (!series && question.kind === "how-much") series = loaded;
    for (const answer of chosen) {
      const point = loaded.points.find((p) => p.period.key === answer.fact.figure?.period && answer.fact.figure?.series === key);
      if (point?.disputed && !differ.some((d) => d.point === point)) differ.push({ series: key, point });
    }
  }
  const searchText = question.words.slice(0, 6).join(" ");
  return { question, facts: chosen, ...(series ? { series } : {}), differ, more, searchText };
}

async function candidateFacts(prisma: PrismaClient, question: Question, wholeStoreLimit: number): Promise<Fact[]> {
  const base = { retractedAt: null, topic: "korus" } satisfies Prisma.FactWhereInput;
  const count = await prisma.fact.count({ where: base });
  let rows;
  if (count <= wholeStoreLimit) {
    rows = await prisma.fact.findMany({ where: base });
  } else {
    // Large store: the facts full-text search finds for any of the words, those in the asked range, and those of the
    // kind the question wants; then ranked here like a small store.
    const ids = new Set<number>();
    if (question.words.length > 0) {
      const terms = question.words.join(" or ");
      const found = await prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
        SELECT id FROM fact WHERE retracted_at IS NULL AND topic = 'korus' AND search @@ websearch_to_tsquery('english', ${terms})
        ORDER BY ts_rank_cd(search, websearch_to_tsquery('english', ${terms})) DESC, date DESC LIMIT 300`);
      for (const r of found) ids.add(r.id);
    }
    const extra: Prisma.FactWhereInput[] = [];
    if (question.range) extra.push({ date: { gte: new Date(`${question.range.since ?? "1900-01-01"}T00:00:00Z`), lte: new Date(`${question.range.until ?? "2999-12-31"}T00:00:00Z`) } });
    if (question.kind === "deadline") extra.push({ kind: "deadline" });
    if (question.kind === "how-much") extra.push({ kind: "figure", series: { not: null } });
    for (const where of extra) {
      for (const r of await prisma.fact.findMany({ where: { AND: [base, where] }, select: { id: true }, orderBy: { date: "desc" }, take: 200 })) ids.add(r.id);
    }
    rows = await prisma.fact.findMany({ where: { id: { in: [...ids] } } });
  }
  return rows.map(toFact).filter((f) => isVisibleOn(f, question.asOf));
}

const KIND_FIT: Record<Question["kind"], Partial<Record<Fact["kind"], number>>> = {
  deadline: { deadline: 2.5, event: 0.2 },
  when: { event: 0.8, deadline: 0.6, note: 0.2 },
  who: { position: 0.8, quote: 0.8, event: 0.6 },
  where: { event: 1 },
  "how-much": { figure: 2.5 },
  "what-changed": { event: 0.8, note: 0.5, figure: 0.5, position: 0.4 },
  what: { event: 0.3, position: 0.3, note: 0.2 },
};

function inRange(date: IsoDate, range: Question["range"]): boolean {
  return !!range && (range.since === undefined || date >= range.since) && (range.until === undefined || date <= range.until);
}

/** Ranks facts for the question, best first, dropping those that do not answer it. */
export function rank(question: Question, facts: readonly Fact[]): AnsweredFact[] {
  const listing = question.kind === "what-changed" || (question.words.length === 0 && question.range !== undefined);
  if (listing) {
    // "What changed since March?": the facts in the range, newest first (words, if any, only narrow it).
    const range = question.range ?? { since: addDays(question.asOf, -30), until: question.asOf, label: "the last 30 days" };
    question.range ??= range;
    const scorer = textScorer(question.words, facts);
    return facts
      .filter((f) => inRange(f.date, range) && f.date <= question.asOf && f.kind !== "deadline")
      .map((f) => ({ fact: f, ...scorer.score(f) }))
      .filter((a) => question.words.length === 0 || a.score >= MIN_TEXT_SCORE)
      .sort((a, b) => b.fact.date.localeCompare(a.fact.date) || (KIND_FIT["what-changed"][b.fact.kind] ?? 0) - (KIND_FIT["what-changed"][a.fact.kind] ?? 0) || b.fact.id - a.fact.id);
  }
  const scorer = textScorer(question.words, facts);
  const byId = new Map(facts.map((f) => [f.id, f]));
  const out: AnsweredFact[] = [];
  for (const fact of facts) {
    let { score: text, matched, coverage } = scorer.score(fact);
    // A deadline is also named by what it counts from ("the deadline after the U.S. request").
    const basis = fact.after ? byId.get(fact.after.fromId) : undefined;
    if (basis) {
      const b = scorer.score(basis);
      text += 0.5 * b.score;
      coverage = Math.min(1, coverage + 0.5 * b.coverage);
      matched = [...new Set([...matched, ...b.matched])];
    }
    if (text < MIN_TEXT_SCORE || coverage < MIN_COVERAGE) continue;
    let score = text + (KIND_FIT[question.kind][fact.kind] ?? 0);
    if (question.kind === "how-much" && fact.figure?.value != null) score += 1;
    if (question.range) {
      const figurePeriod = fact.figure?.period;
      if (question.period && figurePeriod) score += figurePeriod === question.period.key ? 3 : -1.5;
      else if (inRange(fact.date, question.range)) score += 1.5;
      else score *= 0.5;
    }
    out.push({ fact, score, matched });
  }
  return out.sort((a, b) => b.score - a.score || b.fact.date.localeCompare(a.fact.date) || a.fact.id - b.fact.id);
}

async function deadlineInfo(prisma: PrismaClient, fact: Fact, asOf: IsoDate, known: Map<number, Fact>): Promise<NonNullable<AnsweredFact["deadline"]>> {
  let basis: DeadlineBasis | null = null;
  if (fact.after) {
    let from = known.get(fact.after.fromId);
    if (!from) {
      const row = await prisma.fact.findUnique({ where: { id: fact.after.fromId } });
      from = row ? toFact(row) : undefined;
    }
    if (from) basis = { days: fact.after.days, from: { date: from.date, title: from.title } };
  }
  return { daysLeft: daysBetween(asOf, fact.date), basis };
}
