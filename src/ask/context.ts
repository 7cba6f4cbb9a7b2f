/**
 * What every intent's answer reads (src/ask/answer.ts picks the intent): the question, the facts visible on its as-of
 * day, the matcher over them, and the shared ways to rank facts by the question's subject, to answer with the best
 * matches, and to say that nothing on record answers.
 */
import { type IsoDate, isIsoDate } from "../facts/dates.js";
import { FactIndex, isVisibleOn } from "../facts/fact-index.js";
import { readingLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { formatNumber } from "../figures/markdown.js";
import { groupSeries } from "../figures/series.js";
import type { AnsweredFact, AskAnswer, DeadlineState, Disagreement } from "./answer.js";
import type { Question } from "./question.js";
import { FactMatcher, isStopWord, type Term } from "./similarity.js";
import { tokenize } from "./tokens.js";

/** A subject known to this many facts or fewer names them: an unknown word beside it does not make it a subject not on record. */
const RARE_SUBJECT = 2;
/** The least share of the question's subject a fact must match to answer it (terms no fact knows count against). */
const MIN_COVERAGE = 0.5;
/** How much less coverage a fact needs when the question's most specific known word is in its title. */
const TITLE_SUBJECT_ALLOWANCE = 0.1;
/** The intents about deadlines, where a deadline is also named by the fact it counts from. */
const DEADLINE_INTENTS: ReadonlySet<Question["intent"]> = new Set(["deadline", "next-deadline", "overdue", "deadline-state", "countdown"]);
/** The least share a fact must match when none of the question's words is in its title. */
const BODY_ONLY_COVERAGE = 0.8;
/** The least share for a fact to be offered as related when nothing answers. */
const MIN_RELATED_COVERAGE = 0.2;
/** The least share for a related fact whose title shares the question's words but not its most specific one. */
const RELATED_TITLE_COVERAGE = 0.4;
/** The intents whose "will" or "next" asks for something dated after the as-of day. */
const LOOKS_AHEAD: ReadonlySet<Question["intent"]> = new Set(["when", "what", "where", "who"]);
/** The words naming a side (or its government, by metonym): answers filtered by side read them as the side, not a subject. */
export const SIDE_WORDS: ReadonlySet<string> = new Set(["korea", "korean", "seoul", "rok", "usa", "america", "american", "washington", "ustr", "united", "states"]);
/** Words asking whether sources disagree ("do sources differ", "anything disputed", "conflicting figures"). */
export const DISPUTE =
  /\b(?:disagree|disagrees|disagreement|differ|differs|different|dispute|disputed|disputes|conflict|conflicting|contested|contradict|contradictory|inconsistent|discrepanc(?:y|ies)|more than one reading|other readings?)\b/i;
/** How many facts a listing shows. */
export const LIST_LIMIT = 6;

/** How an intent answers: undefined when it has nothing of its own (the best matches answer then). */
export type IntentAnswer = (ctx: Context) => AskAnswer | undefined;
export type IntentAnswers = Record<Question["intent"], IntentAnswer>;

type Scored = { fact: Fact; score: number; coverage: number; sharesSubject: boolean; inTitle: boolean; titleShared: boolean };

/** What every intent's answer reads: the question, the facts visible on its day, and the matcher over them. */
export class Context {
  readonly visible: Fact[];
  readonly index: FactIndex;
  readonly matcher: FactMatcher;
  readonly terms: Term[];
  readonly byId: Map<number, Fact>;
  /** A name in the question that no fact knows ("China"): the question is about something not on record. */
  readonly unknownName: Term | undefined;
  /** The question asks whether sources differ. */
  readonly asksDispute: boolean;

  constructor(
    readonly q: Question,
    readonly all: readonly Fact[],
  ) {
    this.visible = all.filter((f) => isVisibleOn(f, q.asOf));
    this.index = new FactIndex(all, q.asOf);
    this.matcher = new FactMatcher(this.visible, all);
    this.terms = this.matcher.terms(q.tokens);
    this.byId = new Map(all.map((f) => [f.id, f]));
    this.unknownName = this.terms.find((t) => t.name && this.matcher.frequency(t.key) === 0) ?? this.unknownQualifier();
    this.asksDispute = DISPUTE.test(q.text);
  }

  /**
   * A noun no fact knows that narrows what the question is about: written before a noun the record knows ("US beef
   * access", "rice exports"), or after a side's name ("U.S. cherries", "Korean shipbuilding": a country's product or
   * industry). What it narrows to is not on record, however much the rest of the question matches ("market access" in
   * general is). A word after a side's name and before a stop word ("what did Washington win on light trucks") may be a
   * verb tagged as a noun: it counts only when no other subject of the question is known to one or two facts alone.
   */
  private unknownQualifier(): Term | undefined {
    const tokens = this.q.tokens;
    const subjects = new Set(this.termsWithoutSide());
    const rareSubject = this.terms.some((t) => subjects.has(t) && !t.modifier && this.matcher.frequency(t.key) > 0 && this.matcher.frequency(t.key) <= RARE_SUBJECT);
    const known = (i: number) => {
      const t = tokens[i];
      if (!t || t.modifier || t.frame || isStopWord(t)) return false;
      const term = this.terms.find((x) => x.words.includes(t.word));
      return term !== undefined && this.matcher.frequency(term.key) > 0;
    };
    return this.terms.find((term) => {
      if (term.name || term.modifier || term.words.length !== 1 || this.matcher.frequency(term.key) > 0 || !/^[a-z]{3,}$/.test(term.words[0]!)) return false;
      const i = tokens.findIndex((t) => t.word === term.words[0] && !t.frame);
      if (i < 0) return false;
      if (known(i + 1)) return true;
      if (!SIDE_WORDS.has(tokens[i - 1]?.word ?? "")) return false;
      const next = tokens[i + 1];
      return !(next && isStopWord(next) && rareSubject);
    });
  }

  /** Terms without the side's own words, for answers filtered by side. */
  termsWithoutSide(): Term[] {
    return this.terms.filter((t) => !t.words.every((w) => SIDE_WORDS.has(w)));
  }

  /** The facts matching the question's subject, best first; with no subject words, none. */
  rank(facts: readonly Fact[], options: { terms?: Term[]; fit?: (f: Fact) => number; minCoverage?: number; related?: boolean } = {}): Scored[] {
    const terms = options.terms ?? this.terms;
    if (terms.length === 0 || (this.unknownName && !options.related && !options.terms)) return [];
    const out: Scored[] = [];
    for (const fact of facts) {
      let m = this.matcher.match(fact, terms);
      // A deadline is also named by what it counts from ("the deadline after the request"); a position by the event it
      // was taken at ("Korea's line at the first special session").
      const basis = fact.after && DEADLINE_INTENTS.has(this.q.intent) ? this.byId.get(fact.after.fromId) : this.q.intent === "position" ? this.occasionOf(fact) : undefined;
      if (basis && this.visible.includes(basis)) {
        const b = this.matcher.match(basis, terms);
        // An occasion says where a position was taken, not what it says: it weighs less than a deadline's basis.
        const share = fact.after ? 0.4 : 0.15;
        m = { ...m, score: m.score + share * b.score, coverage: Math.max(m.coverage, Math.min(1, m.coverage + 0.5 * b.coverage)), titleShared: m.titleShared || b.titleShared };
      }
      // A fact naming the question's most specific subject in its title needs a little less of the rest.
      const least = (options.minCoverage ?? MIN_COVERAGE) - (m.inTitle ? TITLE_SUBJECT_ALLOWANCE : 0);
      if (m.coverage < least || m.score <= 0) continue;
      // A fact whose title shares no word with the question (a name in passing in its summary) answers only when its
      // text covers nearly all of the question, or says the question's whole subject ("what did the US get on
      // pharmaceuticals": the summary listing the deal's outcomes names them).
      if (!m.titleShared && !options.related && m.coverage < BODY_ONLY_COVERAGE && !m.wholeSubject) continue;
      let score = m.score * (0.2 + m.coverage) + (options.fit?.(fact) ?? 0);
      const range = this.q.range;
      if (range && !this.q.asOfGiven) {
        const period = fact.figure?.period;
        if (this.q.periods.length > 0 && period) score += this.q.periods.some((p) => p.key === period) ? 3 : -1.5;
        else if (inRange(fact.date, range)) score += 2;
        else score *= 0.5;
      }
      // "Was it the 26th or the 28th of March?": a fact on one of the days named (or with a reading on one) comes first,
      // and of those the one whose readings hold every day named (the record's own dispute between them).
      const days = this.q.monthDays;
      if (days) {
        const held = days.filter((md) => [fact.date, ...fact.disputed.map((d) => d.says.slice(0, 10))].some((d) => isIsoDate(d) && onMonthDay(d, md)));
        if (held.length > 0) score += 2 + (days.length > 1 && held.length === days.length ? 1 : 0);
      }
      // "Do sources disagree on when X?", "is the date contested?": a fact whose sources give other readings first.
      if (this.asksDispute && fact.disputed.length > 0) score += 1;
      out.push({ fact, score, coverage: m.coverage, sharesSubject: m.sharesSubject, inTitle: m.inTitle, titleShared: m.titleShared });
    }
    return out.sort((a, b) => b.score - a.score || b.fact.date.localeCompare(a.fact.date) || a.fact.id - b.fact.id);
  }

  private occasions?: Map<number, Fact | undefined>;

  /**
   * The event a position or quote was taken at: an event of the same day citing one of the same sources (the record's
   * own link between them), if exactly one is.
   */
  occasionOf(fact: Fact): Fact | undefined {
    if (fact.kind !== "position" && fact.kind !== "quote") return undefined;
    this.occasions ??= new Map();
    if (!this.occasions.has(fact.id)) {
      const cited = new Set(fact.sources.map((s) => s.url ?? s.title ?? ""));
      const events = this.visible.filter((e) => e.kind === "event" && e.date === fact.date && e.sources.some((s) => cited.has(s.url ?? s.title ?? "")));
      this.occasions.set(fact.id, events.length === 1 ? events[0] : undefined);
    }
    return this.occasions.get(fact.id);
  }

  /** The first sentence of a fact's summary that says one of the question's words most facts and its title do not say. */
  sentenceNaming(fact: Fact): string | undefined {
    const keysOf = (text: string) => new Set(this.matcher.terms(tokenize(text)).flatMap((t) => [t.key, ...t.stems.map((x) => `s:${x}`)]));
    const title = keysOf(fact.title);
    const wanted = this.terms.filter(
      (t) => this.matcher.frequency(t.key) > 0 && this.matcher.frequency(t.key) <= this.matcher.size / 2 && !title.has(t.key) && !t.stems.some((x) => title.has(`s:${x}`)),
    );
    return (
      fact.summary
        // Not after an abbreviation of initials ("U.S. Trade Representative"): the sentence goes on.
        .split(/(?<=[.!?])(?<!\b(?:[A-Z]\.){2,})\s+(?=[A-Z"“>])/)
        .map((x) => x.replace(/^>\s*/, "").trim())
        .find((sentence) => {
          const keys = keysOf(sentence);
          return wanted.some((t) => keys.has(t.key) || t.stems.some((x) => keys.has(`s:${x}`)));
        })
    );
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
        // Offered when the question's most specific word is in the fact's title, or its title shares the question's words
        // and the fact matches a good part of them: one word in passing in a summary ("June" in "their June summit") is
        // not the question's subject.
        .filter((s) => (s.sharesSubject && s.inTitle) || (s.titleShared && s.coverage >= RELATED_TITLE_COVERAGE))
        .slice(0, 3)
        .map((s) => s.fact);
    return { ...this.answer(false, lead ?? `Nothing on record answers this${asOf}.`, []), related: shared.map((f) => this.answered(f)), ...(relatedLabel ? { relatedLabel } : {}) };
  }

  /** The best facts for the question's words, of the kinds that suit its intent. */
  general(fit: (f: Fact) => number = () => 0, say?: (top: Fact) => string | undefined, suits?: (f: Fact) => boolean): AskAnswer {
    let pool = this.visible;
    // "When will ...", "the next ...": what is dated after the as-of day. An amount ("how long will the tariff stay")
    // is stated by a fact already on record, so only questions asking for an event look ahead.
    const future = this.q.future && LOOKS_AHEAD.has(this.q.intent);
    if (future) pool = pool.filter((f) => f.date > this.q.asOf);
    // A question naming a span of days ("this year", "in March 2018") is answered from the facts in it; a match
    // outside it is offered as the closest on record, not as the answer.
    let outside: string | undefined;
    if (this.q.range && !this.q.asOfGiven && this.q.periods.length === 0) {
      const inSpan = pool.filter((f) => inRange(f.date, this.q.range));
      if (this.rank(inSpan).length > 0) pool = inSpan;
      else outside = this.q.range.label;
    }
    // Facts of the kinds that suit the question first; the others only when none of those matches.
    const suited = suits ? this.rank(pool.filter(suits), { fit }) : [];
    const ranked = suited.length > 0 ? suited : this.rank(pool, { fit });
    if (ranked.length === 0) return this.nothing(future ? `Nothing on record after ${this.q.asOf} answers this.` : undefined);
    if (outside)
      return this.nothing(
        `Nothing on record for ${outside} answers this.`,
        ranked.slice(0, 2).map((r) => r.fact),
        `Closest on record, outside ${outside}`,
      );
    const top = ranked[0]!;
    // Others beside the best: nearly as good, and matching nearly as much of the question.
    // When the best names the question's most specific word in its title, so must the others ("when did the amended deal
    // enter into force": not a position whose summary mentions entry into force in passing).
    const chosen = ranked.filter((r, i) => i === 0 || (r.score >= top.score * 0.6 && r.coverage >= top.coverage * 0.8 && (r.inTitle || !top.inTitle))).slice(0, 3);
    // A subject said only in the summary is quoted from it: the title alone does not show why the fact answers.
    // So is, for "who", the sentence saying the question's own words the title does not ("led by ...").
    const where = top.titleShared && this.q.intent !== "who" ? undefined : this.sentenceNaming(top.fact);
    const lead = `${say?.(top.fact) ?? `${dateWithReadings(top.fact)}: “${top.fact.title}”.`}${where ? ` Its summary: “${where}”` : ""}`;
    return this.answer(
      true,
      lead,
      chosen.map((s) => this.answered(s.fact, s.score)),
      { statusDay: statusDayOf(top.fact, this.q) },
    );
  }
}

/** A day is on a day of the month named without a year: "MM-DD", or "DD" when no month was named ("the 26th or 28th"). */
export function onMonthDay(date: IsoDate, monthDay: string): boolean {
  return monthDay.length === 2 ? date.slice(8) === monthDay : date.slice(5) === monthDay;
}

export function inRange(date: IsoDate, range: Question["range"]): boolean {
  return !!range && (range.since === undefined || date >= range.since) && (range.until === undefined || date <= range.until);
}

/** The day a fact's status button opens: the fact's own day when it is past, else the as-of day. */
export function statusDayOf(fact: Fact, q: Question): IsoDate {
  return q.asOfGiven || fact.kind === "deadline" || fact.date > q.asOf ? q.asOf : fact.date;
}

/** "2018-03-28 (sources differ: “2018-03-26, …” per MOTIE)". */
export function dateWithReadings(fact: Fact): string {
  const readings = fact.disputed.map((d) => readingLabel(d));
  return `${fact.date}${readings.length > 0 ? ` (sources differ: ${readings.join("; ")})` : ""}`;
}

export function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
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

export const fitFor = (name: keyof typeof KIND_FIT) => (f: Fact) => KIND_FIT[name]![f.kind] ?? 0;
