/**
 * `/korus ask`: a question in plain words answered from the structure of the fact store, without a language model.
 * The question's intent (question.ts) picks the answer: the next or overdue deadlines as of a day, what changed in a
 * span, a figure with its series and other readings, a peak or a change between periods, the days until a fact or
 * between two, a side's position, a fact's sources, or the fact that says when, who or where. An answer that needs two
 * facts computes from both and cites both. When nothing on record answers, the answer says so first; the closest facts
 * are offered only when they share the question's subject.
 */
import type { Clock } from "../clock.js";
import { addDays, daysBetween, type IsoDate } from "../facts/dates.js";
import { FactIndex, isVisibleOn } from "../facts/fact-index.js";
import { type DeadlineState as FactDeadlineState, deadlineStateLabel, dueWord, outcomeLabel } from "../facts/outcomes.js";
import { actorLabel, type DeadlineBasis, deadlineBasisLabel, readingLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { toFact } from "../facts/rows.js";
import { readVersions, viewAsOf } from "../facts/as-of.js";
import { formatNumber, formatValue } from "../figures/markdown.js";
import { groupSeries, type FigureSeries, type SeriesPoint } from "../figures/series.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { dateInZone } from "../time-zone.js";
import { parseQuestion, type Question } from "./question.js";
import { FactMatcher, type Term, tokenize, type Token } from "./similarity.js";

/** What answering needs. */
export interface AskDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone: "today" and "last week" are counted there. */
  timeZone: string;
}

/**
 * A deadline's state on the as-of day, as `/korus status` computes it (src/facts/outcomes.ts): upcoming, due that day,
 * overdue (an open obligation past its date), past (an effective date), or closed with its outcome (met, missed,
 * extended, withdrawn) when a fact known by then closes it; with what it counts from.
 */
export interface DeadlineState extends FactDeadlineState {
  basis: DeadlineBasis | null;
}

/** One fact in an answer. */
export interface AnsweredFact {
  fact: Fact;
  score: number;
  deadline?: DeadlineState;
  /** The other visible facts that report the same event (same event key). */
  sameEvent: Fact[];
}

/** A figure period the sources disagree on. */
export interface Disagreement {
  series: string;
  point: SeriesPoint;
}

/** The answer to a question. */
export interface AskAnswer {
  question: Question;
  /** False when nothing on record answers: the answer says so first. */
  found: boolean;
  /** The answer sentence, plain text (each output escapes it). */
  lead: string;
  /** The facts that answer it, best first, each cited. */
  facts: AnsweredFact[];
  /** When nothing answers: facts that share the question's subject, offered as the closest on record. */
  related: AnsweredFact[];
  /** What the related facts are, when not the closest on record ("the latest deadlines on record"). */
  relatedLabel?: string;
  /** The figure series the answer reads, as known on the as-of day. */
  series?: FigureSeries;
  differ: Disagreement[];
  /** Facts in the span beyond those listed (what-changed). */
  more: number;
  /** Words for `/korus facts` (the search to try). */
  searchText: string;
  /** The day the answer is about, for "status as of that day". */
  statusDay: IsoDate;
}

/** The least share of the question's subject a fact must match to answer it (terms no fact knows count against). */
const MIN_COVERAGE = 0.5;
/** How much less coverage a fact needs when the question's most specific known word is in its title. */
const TITLE_SUBJECT_ALLOWANCE = 0.1;
/** The intents about deadlines, where a deadline is also named by the fact it counts from. */
const DEADLINE_INTENTS: ReadonlySet<Question["intent"]> = new Set(["deadline", "next-deadline", "overdue", "deadline-state", "countdown"]);
/** The least share for a fact to be offered as related when nothing answers. */
const MIN_RELATED_COVERAGE = 0.2;
/** How many facts a listing shows. */
const LIST_LIMIT = 6;

/** Reads and answers a question from the fact store. */
export async function askQuestion(deps: AskDeps, text: string): Promise<AskAnswer> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const question = parseQuestion(text, today);
  const [rows, versions] = await Promise.all([
    deps.prisma.fact.findMany({ where: { retractedAt: null, topic: "korus" }, orderBy: { id: "asc" } }),
    readVersions(deps.prisma, question.asOf, { topic: "korus" }, { timeZone: deps.timeZone, now: deps.clock.now() }),
  ]);
  // The facts as they read on the day asked about (src/facts/as-of.ts): no source published later is cited.
  return answerQuestion(question, viewAsOf(rows.map(toFact), question.asOf, versions));
}

/** Answers a read question from the facts (all of the topic's; those not known on the as-of day are not used). */
export function answerQuestion(question: Question, all: readonly Fact[]): AskAnswer {
  const ctx = new Context(question, all);
  const answer = INTENT_ANSWERS[question.intent](ctx) ?? ctx.general();
  return answer;
}

type Scored = { fact: Fact; score: number; coverage: number; sharesSubject: boolean; inTitle: boolean };

/** What every intent's answer reads: the question, the facts visible on its day, and the matcher over them. */
class Context {
  readonly visible: Fact[];
  readonly index: FactIndex;
  readonly matcher: FactMatcher;
  readonly terms: Term[];
  readonly byId: Map<number, Fact>;
  /** A name in the question that no fact knows ("China"): the question is about something not on record. */
  readonly unknownName: Term | undefined;

  constructor(
    readonly q: Question,
    readonly all: readonly Fact[],
  ) {
    this.visible = all.filter((f) => isVisibleOn(f, q.asOf));
    this.index = new FactIndex(all, q.asOf);
    this.matcher = new FactMatcher(this.visible, all);
    this.terms = this.matcher.terms(q.tokens);
    this.byId = new Map(all.map((f) => [f.id, f]));
    this.unknownName = this.terms.find((t) => t.name && this.matcher.frequency(t.key) === 0);
  }

  /** Terms without the side's own words, for answers filtered by side. */
  termsWithoutSide(): Term[] {
    const side = new Set(["korea", "korean", "seoul", "rok", "usa", "america", "american", "washington", "ustr", "united", "states"]);
    return this.terms.filter((t) => !t.words.every((w) => side.has(w)));
  }

  /** The facts matching the question's subject, best first; with no subject words, none. */
  rank(facts: readonly Fact[], options: { terms?: Term[]; fit?: (f: Fact) => number; minCoverage?: number; related?: boolean } = {}): Scored[] {
    const terms = options.terms ?? this.terms;
    if (terms.length === 0 || (this.unknownName && !options.related && !options.terms)) return [];
    const out: Scored[] = [];
    for (const fact of facts) {
      let m = this.matcher.match(fact, terms);
      // A deadline is also named by what it counts from ("the deadline after the request").
      const basis = fact.after && DEADLINE_INTENTS.has(this.q.intent) ? this.byId.get(fact.after.fromId) : undefined;
      if (basis && this.visible.includes(basis)) {
        const b = this.matcher.match(basis, terms);
        m = { ...m, score: m.score + 0.4 * b.score, coverage: Math.max(m.coverage, Math.min(1, m.coverage + 0.5 * b.coverage)) };
      }
      // A fact naming the question's most specific subject in its title needs a little less of the rest.
      const least = (options.minCoverage ?? MIN_COVERAGE) - (m.inTitle ? TITLE_SUBJECT_ALLOWANCE : 0);
      if (m.coverage < least || m.score <= 0) continue;
      let score = m.score * (0.5 + m.coverage) + (options.fit?.(fact) ?? 0);
      const range = this.q.range;
      if (range && !this.q.asOfGiven) {
        const period = fact.figure?.period;
        if (this.q.periods.length > 0 && period) score += this.q.periods.some((p) => p.key === period) ? 3 : -1.5;
        else if (inRange(fact.date, range)) score += 2;
        else score *= 0.5;
      }
      out.push({ fact, score, coverage: m.coverage, sharesSubject: m.sharesSubject, inTitle: m.inTitle });
    }
    return out.sort((a, b) => b.score - a.score || b.fact.date.localeCompare(a.fact.date) || a.fact.id - b.fact.id);
  }

  answered(fact: Fact, score = 0): AnsweredFact {
    const a: AnsweredFact = { fact, score, sameEvent: this.index.sameEvent(fact) };
    if (fact.kind === "deadline") a.deadline = this.deadlineState(fact);
    return a;
  }

  deadlineState(fact: Fact): DeadlineState {
    return { ...this.index.stateOf(fact), basis: this.index.basisOf(fact) };
  }

  /** Every deadline visible on the as-of day: open, past and closed. */
  allDeadlines(): Fact[] {
    return [...this.index.overdue, ...this.index.upcoming, ...this.index.closed, ...this.index.passed];
  }

  /** An answer; `statusDay` defaults to the as-of day. */
  answer(found: boolean, lead: string, facts: AnsweredFact[], extra: Partial<AskAnswer> = {}): AskAnswer {
    const words = this.terms.flatMap((t) => t.words);
    return {
      question: this.q,
      found,
      lead,
      facts,
      related: [],
      differ: disagreements(facts),
      more: 0,
      searchText: [...new Set(words)].slice(0, 6).join(" "),
      statusDay: this.q.asOf,
      ...extra,
    };
  }

  /** "Nothing on record answers this", with the facts that share the subject, if any. */
  nothing(lead?: string, related?: Fact[], relatedLabel?: string): AskAnswer {
    const asOf = this.q.asOfGiven ? ` as of ${this.q.asOf}` : "";
    const shared =
      related ??
      this.rank(this.visible, { minCoverage: MIN_RELATED_COVERAGE, related: true })
        .filter((s) => s.sharesSubject)
        .slice(0, 3)
        .map((s) => s.fact);
    return { ...this.answer(false, lead ?? `Nothing on record answers this${asOf}.`, []), related: shared.map((f) => this.answered(f)), ...(relatedLabel ? { relatedLabel } : {}) };
  }

  /** The best facts for the question's words, of the kinds that suit its intent. */
  general(fit: (f: Fact) => number = () => 0, say?: (top: Fact) => string): AskAnswer {
    let pool = this.visible;
    if (this.q.future) pool = pool.filter((f) => f.date > this.q.asOf);
    if (this.q.range && !this.q.asOfGiven && this.q.periods.length === 0) {
      const inSpan = pool.filter((f) => inRange(f.date, this.q.range));
      if (this.rank(inSpan).length > 0) pool = inSpan;
    }
    const ranked = this.rank(pool, { fit });
    if (ranked.length === 0) return this.nothing(this.q.future ? `Nothing on record after ${this.q.asOf} answers this.` : undefined);
    const top = ranked[0]!;
    // Others beside the best: nearly as good, and matching nearly as much of the question.
    const chosen = ranked.filter((r, i) => i === 0 || (r.score >= top.score * 0.6 && r.coverage >= top.coverage * 0.8)).slice(0, 3);
    const lead = say ? say(top.fact) : `${dateWithReadings(top.fact)}: “${top.fact.title}”.`;
    return this.answer(true, lead, chosen.map((s) => this.answered(s.fact, s.score)), { statusDay: statusDayOf(top.fact, this.q) });
  }
}

function inRange(date: IsoDate, range: Question["range"]): boolean {
  return !!range && (range.since === undefined || date >= range.since) && (range.until === undefined || date <= range.until);
}

/** The day a fact's status button opens: the fact's own day when it is past, else the as-of day. */
function statusDayOf(fact: Fact, q: Question): IsoDate {
  return q.asOfGiven || fact.kind === "deadline" || fact.date > q.asOf ? q.asOf : fact.date;
}

/** "2018-03-28 (sources differ: “2018-03-26, …” per MOTIE)". */
function dateWithReadings(fact: Fact): string {
  const readings = fact.disputed.map((d) => readingLabel(d));
  return `${fact.date}${readings.length > 0 ? ` (sources differ: ${readings.join("; ")})` : ""}`;
}

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * "22 days left", "due that day", "past due by 21 days, no outcome recorded" (as status counts it), "takes effect in
 * 10 days", or the outcome: "met 2017-08-22, 11 days late".
 */
export function deadlineStateText(state: DeadlineState): string {
  if (state.outcome) return deadlineStateLabel(state);
  const effective = state.dueKind === "effective";
  if (state.state === "due-today") return effective ? "takes effect that day" : "due that day";
  if (state.state === "upcoming") return `${plural(state.daysLeft, "day")} left${effective ? " until it takes effect" : ""}`;
  if (effective) return deadlineStateLabel(state);
  return `past due by ${plural(-state.daysLeft, "day")}, no outcome recorded`;
}

function disagreements(facts: readonly AnsweredFact[]): Disagreement[] {
  const figures = facts.map((a) => a.fact).filter((f) => f.figure?.series && f.figure.period && f.figure.value !== null);
  const out: Disagreement[] = [];
  const seen = new Set<string>();
  for (const f of figures) {
    const key = `${f.figure!.series}|${f.figure!.period}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const same = [f, ...facts.map((a) => a.fact), ...facts.flatMap((a) => a.sameEvent)].filter((o) => o.figure?.series === f.figure!.series && o.figure?.period === f.figure!.period);
    const [series] = groupSeries([...new Map(same.map((o) => [o.id, o])).values()]);
    const point = series?.points[0];
    if (point?.disputed) out.push({ series: series!.key, point });
  }
  return out;
}

const KIND_FIT: Record<string, Partial<Record<Fact["kind"], number>>> = {
  when: { event: 1, deadline: 0.4, note: 0.2 },
  // A deadline says what must happen, not who did something.
  who: { event: 0.6, position: 0.8, quote: 0.8, deadline: -1 },
  where: { event: 1 },
  what: { event: 0.4, position: 0.3, note: 0.2, figure: 0.2 },
  sources: {},
  "how-much": { figure: 2 },
};

const fitFor = (name: keyof typeof KIND_FIT) => (f: Fact) => KIND_FIT[name]![f.kind] ?? 0;

/** The place a fact names: "in Seoul", "in New York", "Washington". */
function placeOf(fact: Fact): string | null {
  const months = /^(?:January|February|March|April|May|June|July|August|September|October|November|December)$/;
  for (const text of [fact.title, fact.summary]) {
    for (const m of text.matchAll(/\bin ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)*)/g)) if (!months.test(m[1]!.split(" ")[0]!)) return m[1]!;
  }
  return null;
}

/** The deadlines of the question's subject, or all of them when it names none. */
function deadlinesFor(ctx: Context, list: readonly Fact[]): Fact[] {
  if (ctx.terms.length === 0) return [...list];
  const ranked = ctx.rank(list);
  return ranked.map((s) => s.fact);
}

function dueLine(ctx: Context, f: Fact): string {
  const state = ctx.deadlineState(f);
  const basis = deadlineBasisLabel(state.basis);
  return `“${f.title}”, ${dueWord(f)} ${f.date}${basis ? ` (${basis})` : ""}: ${deadlineStateText(state)} as of ${ctx.q.asOf}`;
}

/** The figure series named by the question's subject, as known on the as-of day. */
function seriesFor(ctx: Context): { series: FigureSeries; name: string } | undefined {
  const figures = ctx.visible.filter((f) => f.figure?.series && f.figure.value !== null && f.figure.period);
  const ranked = ctx.rank(figures, { minCoverage: 0.34 });
  const key = ranked[0]?.fact.figure?.series;
  if (!key) return undefined;
  const series = groupSeries(figures.filter((f) => f.figure!.series === key))[0];
  if (!series) return undefined;
  const title = series.points.at(-1)!.readings[0]!.fact.title;
  return { series, name: title.split(/:\s*[$€£₩]?-?\d/)[0]!.trim() || key };
}

function pointText(p: SeriesPoint): string {
  const values = [...new Set(p.readings.map((r) => formatValue(r.value, r.unit)))];
  return values.length > 1 ? `${values.join(" or ")} (sources differ)` : values[0]!;
}

function seriesCoverage(series: FigureSeries): string {
  const [first, last] = [series.points[0]!.period.label, series.points.at(-1)!.period.label];
  return first === last ? first : `${first} to ${last}`;
}

/** The point of a period: the same period, else the one period within it ("2018" finds "Jan-Jun 2018"). */
function pointOf(series: FigureSeries, period: { key: string; start: string; end: string }): SeriesPoint | undefined {
  const same = series.points.find((p) => p.period.key === period.key);
  if (same) return same;
  const within = series.points.filter((p) => p.period.start >= period.start && p.period.end <= period.end);
  return within.length === 1 ? within[0] : undefined;
}

const INTENT_ANSWERS: Record<Question["intent"], (ctx: Context) => AskAnswer | undefined> = {
  "next-deadline": (ctx) => {
    const q = ctx.q;
    let upcoming = deadlinesFor(ctx, ctx.index.upcoming);
    upcoming.sort((a, b) => a.date.localeCompare(b.date));
    if (q.range?.until && q.range.until > q.asOf) upcoming = upcoming.filter((f) => f.date <= q.range!.until!);
    if (upcoming.length === 0) {
      const past = deadlinesFor(ctx, ctx.index.overdue).slice(0, 2);
      return ctx.nothing(`No deadline on record falls due after ${q.asOf}${q.range?.until && q.range.until > q.asOf ? ` up to ${q.range.until}` : ""}${ctx.terms.length ? " on this subject" : ""}.`, past, "The latest deadlines before then");
    }
    const [next, ...later] = upcoming;
    const lead = `Next deadline as of ${q.asOf}: ${dueLine(ctx, next!)}.${later.length ? ` Then ${later.length === 1 ? "one more" : `${later.length} more`} (below).` : ""}`;
    return ctx.answer(true, lead, upcoming.slice(0, 3).map((f) => ctx.answered(f)));
  },

  overdue: (ctx) => {
    const q = ctx.q;
    const past = deadlinesFor(ctx, ctx.index.overdue);
    // Recorded outcomes answer too: missed ("which deadlines were missed?"), and met late ("did we slip?").
    const outcome = (f: Fact) => ctx.index.outcomeOf(f);
    const missed = deadlinesFor(ctx, ctx.index.closed.filter((f) => outcome(f)?.outcome === "missed"));
    const late = deadlinesFor(ctx, ctx.index.closed.filter((f) => outcome(f)?.outcome === "met" && outcome(f)!.daysLate > 0));
    const subject = ctx.terms.length ? " on this subject" : "";
    if (past.length === 0 && missed.length === 0 && late.length === 0) {
      const closed = deadlinesFor(ctx, ctx.index.closed).slice(0, 2);
      const lead = `No deadline on record was overdue, missed or met late as of ${q.asOf}${subject}.`;
      return ctx.nothing(lead, closed.length > 0 ? closed : ctx.index.upcoming.slice(0, 1), closed.length > 0 ? "Deadlines met by then" : "The next deadline");
    }
    const parts: string[] = [];
    if (past.length > 0) parts.push(`${plural(past.length, "deadline")} past due as of ${q.asOf} with no outcome recorded: ${dueLine(ctx, past[0]!)}`);
    else parts.push(`No deadline was past due with no outcome recorded as of ${q.asOf}`);
    if (missed.length > 0) parts.push(`${plural(missed.length, "deadline")} recorded as missed: ${dueLine(ctx, missed[0]!)}`);
    if (late.length > 0) parts.push(`${plural(late.length, "deadline")} met late: ${dueLine(ctx, late[0]!)}`);
    return ctx.answer(true, `${parts.join(". ")}.`, [...past, ...missed, ...late].slice(0, 3).map((f) => ctx.answered(f)));
  },

  "deadline-state": (ctx) => {
    const q = ctx.q;
    if (ctx.terms.length === 0 && ctx.index.closed.length > 0) {
      // "Which deadlines were met?": the outcomes on record as of the day, the latest known first.
      const closed = ctx.index.closed;
      return ctx.answer(true, `${plural(closed.length, "deadline")} closed as of ${q.asOf}: ${dueLine(ctx, closed[0]!)}.`, closed.slice(0, 3).map((f) => ctx.answered(f)));
    }
    const deadline = ctx.rank(ctx.allDeadlines())[0]?.fact;
    if (!deadline) return undefined;
    const state = ctx.deadlineState(deadline);
    if (state.outcome) {
      // The record says: the closing fact names the deadline and how it closed it.
      const o = state.outcome;
      const verdict =
        o.outcome === "met" ? (o.daysLate > 0 ? `Met, ${plural(o.daysLate, "day")} late` : "Met on time") : o.outcome === "missed" ? "Missed" : o.outcome === "extended" ? `Extended to ${o.newDue}` : "Withdrawn";
      const gap = daysBetween(deadline.date, o.by.date);
      const when = gap > 0 ? `${plural(gap, "day")} after the due date` : gap === 0 ? "on the due date" : `${plural(-gap, "day")} before the due date`;
      const lead = `${verdict}, by the record: “${deadline.title}” fell due ${deadline.date}; “${o.by.title}” is dated ${o.by.date}, ${when}, and records it as ${outcomeLabel(o)}.`;
      return ctx.answer(true, lead, [ctx.answered(deadline), ctx.answered(o.by)], { statusDay: q.asOfGiven ? q.asOf : o.by.visibleFrom > q.asOf ? q.asOf : o.by.visibleFrom });
    }
    // The event that fulfils it: the best match for the deadline's own words, dated after what it counts from.
    const from = deadline.after ? ctx.byId.get(deadline.after.fromId) : undefined;
    const after = from?.date ?? deadline.visibleFrom;
    const terms = ctx.matcher.terms(tokenize(deadline.title).filter((t) => !/^\d/.test(t.word) && !["must", "within", "due", "days", "request"].includes(t.word)));
    const events = ctx.visible.filter((f) => f.kind === "event" && f.id !== from?.id && f.date >= after && f.date <= q.asOf);
    const done = ctx.rank(events, { terms, minCoverage: 0.3 }).sort((a, b) => b.coverage - a.coverage || a.fact.date.localeCompare(b.fact.date))[0]?.fact;
    if (!done) {
      const lead = `“${deadline.title}” fell due ${deadline.date}; no later event on record shows it done. As of ${q.asOf}: ${deadlineStateText(state)}.`;
      return ctx.answer(true, lead, [ctx.answered(deadline)]);
    }
    const gap = daysBetween(deadline.date, done.date);
    const when = gap > 0 ? `${plural(gap, "day")} after the due date` : gap === 0 ? "on the due date" : `${plural(-gap, "day")} before the due date`;
    const lead = `${gap > 0 ? "Not on time" : "In time"} by the record: “${deadline.title}” fell due ${deadline.date}; “${done.title}” is dated ${done.date}, ${when}. No outcome (met, missed, extended) is recorded for the deadline itself.`;
    return ctx.answer(true, lead, [ctx.answered(deadline), ctx.answered(done)], { statusDay: done.date });
  },

  deadline: (ctx) => {
    const q = ctx.q;
    const ranked = ctx.rank(ctx.allDeadlines());
    if (ranked.length === 0) return INTENT_ANSWERS.when(ctx);
    const top = ranked[0]!.fact;
    return ctx.answer(true, `${dueLine(ctx, top)}.`, ranked.slice(0, 2).filter((r, i) => i === 0 || r.score >= ranked[0]!.score * 0.7).map((r) => ctx.answered(r.fact)), { statusDay: q.asOf });
  },

  countdown: (ctx) => {
    const q = ctx.q;
    // "Until": what falls on or after the as-of day.
    const ranked = ctx.rank(ctx.visible.filter((f) => f.date >= q.asOf), { fit: (f) => (f.kind === "deadline" ? 1.5 : 0) });
    if (ranked.length === 0) return ctx.terms.length === 0 ? INTENT_ANSWERS["next-deadline"](ctx) : ctx.nothing(`Nothing on record on this subject falls on or after ${q.asOf}.`);
    const f = ranked[0]!.fact;
    const days = daysBetween(q.asOf, f.date);
    const lead =
      days >= 0
        ? `${plural(days, "day")} from ${q.asOf} to “${f.title}” (${f.kind === "deadline" ? "due " : ""}${f.date}).`
        : `“${f.title}” (${f.date}) was ${plural(-days, "day")} before ${q.asOf}${f.kind === "deadline" ? `: ${deadlineStateText(ctx.deadlineState(f))}` : ""}.`;
    return ctx.answer(true, lead, [ctx.answered(f)]);
  },

  span: (ctx) => {
    const q = ctx.q;
    let a: Fact | undefined;
    let b: Fact | undefined;
    if (q.parts) {
      const termsA = ctx.matcher.terms(q.parts[0]);
      let termsB = ctx.matcher.terms(q.parts[1]);
      // "from signing the revised deal to its entry into force": "its" is the first part's subject.
      if (q.parts[1].some((t) => ["its", "it", "their", "that", "this"].includes(t.word))) termsB = [...termsB, ...termsA.filter((t) => !termsB.some((x) => x.key === t.key))];
      // Day spans run between things that happened: events first.
      const fit = (f: Fact) => (f.kind === "event" ? 1 : f.kind === "deadline" ? -2 : 0);
      a = ctx.rank(ctx.visible, { terms: termsA, minCoverage: 0.4, fit })[0]?.fact;
      const bs = ctx.rank(ctx.visible.filter((f) => f.id !== a?.id), { terms: termsB, minCoverage: 0.4, fit });
      b = (bs.find((s) => a && s.fact.date >= a.date && s.score >= bs[0]!.score * 0.6) ?? bs[0])?.fact;
    } else {
      const ranked = ctx.rank(ctx.visible);
      [a, b] = [ranked[0]?.fact, ranked[1]?.fact];
    }
    if (!a || !b) return ctx.nothing(a || b ? `Only one of the two is on record: “${(a ?? b)!.title}” (${(a ?? b)!.date}).` : undefined, [a ?? b].filter((f): f is Fact => !!f));
    const [first, second] = a.date <= b.date ? [a, b] : [b, a];
    const days = daysBetween(first.date, second.date);
    const lead = `${plural(days, "day")} from “${first.title}” (${first.date}) to “${second.title}” (${second.date}).`;
    return ctx.answer(true, lead, [ctx.answered(first), ctx.answered(second)], { statusDay: second.date <= q.asOf ? second.date : q.asOf });
  },

  "what-changed": (ctx) => {
    const q = ctx.q;
    const range = q.range ?? { since: addDays(q.asOf, -30), until: q.asOf, label: `the 30 days to ${q.asOf}` };
    q.range ??= range;
    let inSpan = ctx.visible.filter((f) => inRange(f.date, range) && f.date <= q.asOf);
    // With words ("news on steel in March"), the facts about them: those naming them in the title first.
    const titled = new Set<number>();
    if (ctx.terms.length > 0) {
      const matching = new Set<number>();
      for (const s of ctx.rank(inSpan, { minCoverage: 0.34 })) {
        matching.add(s.fact.id);
        if (s.inTitle) titled.add(s.fact.id);
      }
      inSpan = inSpan.filter((f) => matching.has(f.id));
    }
    const t = (f: Fact) => (titled.has(f.id) ? 1 : 0);
    inSpan.sort((x, y) => t(y) - t(x) || y.date.localeCompare(x.date) || (x.kind === "figure" ? 1 : 0) - (y.kind === "figure" ? 1 : 0) || y.id - x.id);
    const asOf = q.asOfGiven ? ` (as of ${q.asOf})` : "";
    if (inSpan.length === 0) return ctx.nothing(`Nothing on record for ${range.label}${asOf}.`, []);
    const shown = inSpan.slice(0, LIST_LIMIT);
    const lead = `${plural(inSpan.length, "fact")} on record for ${range.label}${asOf}${inSpan.length > shown.length ? `; the newest ${shown.length}` : ""}, newest first.`;
    return ctx.answer(true, lead, shown.map((f) => ctx.answered(f)), { more: inSpan.length - shown.length });
  },

  peak: (ctx) => {
    const found = seriesFor(ctx);
    if (!found) return undefined;
    const { series, name } = found;
    const value = (p: SeriesPoint) => (ctx.q.extreme === "min" ? Math.min : Math.max)(...p.readings.map((r) => r.value));
    const best = series.points.reduce((x, y) => ((ctx.q.extreme === "min" ? value(y) < value(x) : value(y) > value(x)) ? y : x));
    const word = ctx.q.extreme === "min" ? "lowest" : "highest";
    const lead = `${name}: ${word} in ${best.period.label}, ${pointText(best)}, of ${plural(series.points.length, "period")} on record (${seriesCoverage(series)}).`;
    return ctx.answer(true, lead, best.readings.map((r) => ctx.answered(r.fact)), { series });
  },

  change: (ctx) => {
    const found = seriesFor(ctx);
    if (!found) return undefined;
    const { series, name } = found;
    const points = ctx.q.periods.map((p) => pointOf(series, p));
    const [from, to] = [points[0], points[points.length - 1]];
    if (!from || !to || from === to) {
      const missing = ctx.q.periods.filter((_p, i) => !points[i]).map((p) => p.label);
      return ctx.nothing(`${name}: no figure on record for ${missing.join(" or ") || "both periods"}; the series covers ${seriesCoverage(series)}.`, []);
    }
    const deltas = [...new Set(from.readings.flatMap((a) => to.readings.map((b) => Math.round((b.value - a.value) * 1000) / 1000)))];
    const verb = (d: number) => (d > 0 ? `rose by ${formatValue(d, to.unit)}` : d < 0 ? `fell by ${formatValue(-d, to.unit)}` : "did not change");
    const pct = from.readings.length === 1 && to.readings.length === 1 && from.value !== 0 ? ` (${deltas[0]! > 0 ? "+" : ""}${formatNumber(Math.round((deltas[0]! / from.value) * 1000) / 10)}%)` : "";
    const lead =
      `${name}: from ${from.period.label} (${pointText(from)}) to ${to.period.label} (${pointText(to)}) it ${verb(deltas[0]!)}${pct}` +
      `${deltas.length > 1 ? `, or ${deltas.slice(1).map((d) => verb(d).replace(/^(rose|fell) by /, "")).join(" or ")} by the other reading` : ""}.`;
    return ctx.answer(true, lead, [...to.readings, ...from.readings].map((r) => ctx.answered(r.fact)), { series });
  },

  "how-much": (ctx) => {
    const q = ctx.q;
    const found = seriesFor(ctx);
    if (found && q.periods.length > 0) {
      const wanted = q.periods[q.periods.length - 1]!;
      const point = pointOf(found.series, wanted);
      if (!point) return ctx.nothing(`${found.name}: no figure on record for ${wanted.label}; the series covers ${seriesCoverage(found.series)}.`, []);
      const lead = `${found.name}, ${point.period.label}: ${pointText(point)}.`;
      return ctx.answer(true, lead, point.readings.map((r) => ctx.answered(r.fact)), { series: found.series });
    }
    const general = ctx.general(fitFor("how-much"), (top) => {
      const v = top.figure?.value != null && top.figure.unit ? `${formatValue(top.figure.value, top.figure.unit)}${top.figure.period ? ` for ${top.figure.period}` : ""}: ` : "";
      return `${v}“${top.title}” (${top.date}).`;
    });
    const key = general.facts[0]?.fact.figure?.series;
    if (key) general.series = groupSeries(ctx.visible.filter((f) => f.figure?.series === key))[0];
    return general;
  },

  position: (ctx) => {
    const q = ctx.q;
    const positions = ctx.visible.filter((f) => (f.kind === "position" || f.kind === "quote") && (!q.side || f.actor === q.side || f.actor === "both"));
    const terms = ctx.termsWithoutSide();
    const ranked = terms.length > 0 ? ctx.rank(positions, { terms, minCoverage: 0.34 }).map((s) => s.fact) : [...positions].sort((a, b) => b.date.localeCompare(a.date));
    const who = q.side ? actorLabel(q.side) : "either side";
    if (ranked.length === 0) return ctx.nothing(`No position of ${who}${terms.length ? " on this subject" : ""} is on record as of ${q.asOf}.`);
    const top = ranked[0]!;
    const lead = `${actorLabel(top.actor)}'s position on record (as of ${q.asOf}): “${top.title}” (${top.date}).`;
    return ctx.answer(true, lead, ranked.slice(0, 3).map((f) => ctx.answered(f)), { statusDay: q.asOf });
  },

  sources: (ctx) =>
    ctx.general(fitFor("sources"), (top) => {
      const names = top.sources.map((s) => s.title ?? s.url ?? "").filter(Boolean);
      return `“${top.title}” (${top.date}) cites ${names.length === 0 ? "no source" : names.join("; ")}.${top.disputed.length ? ` Other readings: ${top.disputed.map((d) => readingLabel(d)).join("; ")}.` : ""}`;
    }),

  who: (ctx) => ctx.general(fitFor("who"), (top) => `${actorLabel(top.actor)}: “${top.title}” (${dateWithReadings(top)}).`),

  where: (ctx) =>
    ctx.general(fitFor("where"), (top) => {
      const place = placeOf(top);
      return place ? `${place}: “${top.title}” (${top.date}).` : `“${top.title}” (${top.date}); the record names no place.`;
    }),

  when: (ctx) => ctx.general(fitFor("when")),

  what: (ctx) => ctx.general(fitFor("what")),
};

export type { Token };
