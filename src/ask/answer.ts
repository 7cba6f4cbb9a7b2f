/**
 * `/korus ask`: a question in plain words answered from the structure of the fact store, without a language model.
 * The question's intent (question.ts) picks the answer: the next or overdue deadlines as of a day, what changed in a
 * span, a figure with its series and other readings, a peak or a change between periods, the days until a fact or
 * between two, a side's position, a fact's sources, or the fact that says when, who or where. An answer that needs two
 * facts computes from both and cites both. When nothing on record answers, the answer says so first; the closest facts
 * are offered only when they share the question's subject.
 */
import type { Clock } from "../clock.js";
import type { IsoDate } from "../facts/dates.js";
import type { DeadlineState as FactDeadlineState } from "../facts/outcomes.js";
import type { DeadlineBasis } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { toFact } from "../facts/rows.js";
import { readVersions, viewAsOf } from "../facts/as-of.js";
import type { FigureSeries, SeriesPoint } from "../figures/series.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { dateInZone } from "../time-zone.js";
import { Context, DISPUTE, fitFor, type IntentAnswers } from "./context.js";
import { DEADLINE_ANSWERS, deadlineStateLead } from "./deadlines.js";
import { disputedFigures, FIGURE_ANSWERS, LATEST, seriesFor } from "./figures.js";
import { LOOKUP_ANSWERS } from "./lookups.js";
import { loadTagger, taggerLoaded } from "./parts-of-speech.js";
import { parseQuestion, type Question } from "./question.js";

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

/** The answer of each intent (src/ask/deadlines.ts, figures.ts, lookups.ts); one that finds nothing falls back to the best matches. */
const INTENT_ANSWERS: IntentAnswers = {
  ...DEADLINE_ANSWERS,
  ...FIGURE_ANSWERS,
  ...LOOKUP_ANSWERS,
  // "Has the US given its update yet?": a deadline's state says yes or no first.
  what: (ctx) => ctx.general(fitFor("what"), (top) => deadlineStateLead(ctx, top)),
};

/** Reads and answers a question from the fact store. */
export async function askQuestion(deps: AskDeps, text: string): Promise<AskAnswer> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  let question = parseQuestion(text, today);
  const [rows, versions] = await Promise.all([
    deps.prisma.fact.findMany({ where: { retractedAt: null, topic: "korus" }, orderBy: { id: "asc" } }),
    readVersions(deps.prisma, question.asOf, { topic: "korus" }, { timeZone: deps.timeZone, now: deps.clock.now() }),
  ]);
  // The facts as they read on the day asked about (src/facts/as-of.ts): no source published later is cited.
  const facts = viewAsOf(rows.map(toFact), question.asOf, versions);
  // Before the tagger is loaded (the first questions after a start), a question whose answer its tags cannot change is
  // answered at once; one they can change waits for it and is read again.
  if (!question.tagged && tagsMatter(question, facts)) {
    await loadTagger();
    question = parseQuestion(text, today);
  }
  const answer = answerQuestion(question, facts);
  warmTaggerLater();
  return answer;
}

/** How long after the first question the tagger starts loading: its lexicon is built on the main thread, after the answer is sent. */
const TAGGER_WARM_DELAY_MS = 1_000;
let warmScheduled = false;

/** Loads the tagger in the background a moment after the first question, so that a later one does not wait for it. */
function warmTaggerLater(): void {
  if (warmScheduled || taggerLoaded()) return;
  warmScheduled = true;
  setTimeout(() => void loadTagger().catch(() => undefined), TAGGER_WARM_DELAY_MS).unref();
}

/**
 * True when an untagged question's answer could change with its words' parts of speech: a word no visible fact knows
 * (a noun weighs fully, a verb or adjective little), a common English word kept because titles use it (it weighs fully
 * as a noun), or a span whose other words decide between a listing and a subject.
 */
export function tagsMatter(question: Question, facts: readonly Fact[]): boolean {
  if (question.needsTags) return true;
  const ctx = new Context(question, facts);
  if (ctx.terms.some((t) => t.common || (!t.name && ctx.matcher.frequency(t.key) === 0))) return true;
  // A known verb weighs less than the nouns (similarity.ts): the tags matter when reading any one word as a verb
  // changes the answer. (Answering may fill in a question's span: each reading answers a copy.)
  const plain = answerKey(answerQuestion({ ...question }, facts));
  const words = [...new Set(question.tokens.filter((t) => !t.name && !t.frame).map((t) => t.word))];
  return words.some((word) => {
    const asVerb: Question = { ...question, tokens: question.tokens.map((t) => (t.word === word ? { ...t, modifier: true } : t)) };
    return answerKey(answerQuestion(asVerb, facts)) !== plain;
  });
}

/** What tells two answers apart: found, the sentence, and the facts in order. */
function answerKey(a: AskAnswer): string {
  return `${a.found} ${a.lead} ${a.facts.map((f) => f.fact.id).join(",")}`;
}

/** Answers a read question from the facts (all of the topic's; those not known on the as-of day are not used). */
export function answerQuestion(question: Question, all: readonly Fact[]): AskAnswer {
  const ctx = new Context(question, all);
  return rerouted(ctx) ?? INTENT_ANSWERS[question.intent](ctx) ?? ctx.general();
}

/** "What happened with X", "what went on with X", "anything happen on X". */
const HAPPENED = /\bwhat(?:'s| has| had)? happened\b|\bwhat (?:went|was going|is going|has been going) on\b|\banything (?:happen|happened|going on)\b/i;
/** Words asking for what is recent ("what's new", "the latest", "any updates"). */
const RECENT = /\b(?:new|news|latest|recent|recently|lately|changed|changes|updates?|since)\b/i;

/**
 * A question whose words ask one thing but whose subject asks another: "what did we know about the 2016 deficit" names a
 * period of a figure series (an amount); "what changed between A and B" with no series in it lists the facts of the span.
 */
function rerouted(ctx: Context): AskAnswer | undefined {
  const q = ctx.q;
  if (q.intent === "what" && q.periods.length > 0 && seriesFor(ctx)) return INTENT_ANSWERS["how-much"](ctx);
  // "What happened with the washer safeguard?": with a subject and no span, "what happened" asks about the subject, not
  // about the last 30 days (words of recency, "what's new on steel", still ask those).
  if (q.intent === "what-changed" && !q.range && !q.monthDays && !q.anchor && HAPPENED.test(q.text) && !RECENT.test(q.text) && ctx.terms.length > 0) return INTENT_ANSWERS.what(ctx);
  // "What did we see in Q3 2017?": a span and no subject the store knows asks what happened in it.
  if (q.intent === "what" && q.range && ctx.terms.length === 0) return INTENT_ANSWERS["what-changed"](ctx);
  if ((q.intent === "change" || q.intent === "peak") && !seriesFor(ctx) && q.range) return INTENT_ANSWERS["what-changed"](ctx);
  // "Anything disputed about the deficit figures?": the periods whose sources differ, with every reading.
  if ((q.intent === "what" || q.intent === "sources") && q.periods.length === 0 && DISPUTE.test(q.text)) {
    const disputed = disputedFigures(ctx);
    if (disputed) return disputed;
  }
  // "Do our sources agree on the 2016 deficit?" asks for the readings of a figure: the figure with its other readings.
  if (q.intent === "sources" && q.periods.length > 0 && /\b(?:agree|agrees|differ|differs|disagree|disagrees|conflict|match)\b/i.test(q.text) && seriesFor(ctx)) return INTENT_ANSWERS["how-much"](ctx);
  // "The latest deficit figure as of D" names a series: its latest period known that day, not a list of news.
  if ((q.intent === "what-changed" || q.intent === "state" || q.intent === "what") && LATEST.test(q.text) && seriesFor(ctx)) return INTENT_ANSWERS["how-much"](ctx);
  // "As of 2018-03-01, what was the latest on the talks?": the newest steps on the subject by then, however long before
  // (the state on the day), not only those of the last 30 days.
  if (q.intent === "what-changed" && !q.range && !q.monthDays && !q.anchor && LATEST.test(q.text) && ctx.terms.length > 0) return INTENT_ANSWERS.state(ctx);
  return undefined;
}
