/**
 * The deadline intents: the next deadlines as of a day, the overdue, missed and late ones, whether one was met (its
 * recorded outcome, else the event that fulfils it), a deadline's date and state, and the days until something.
 */
import { daysBetween } from "../facts/dates.js";
import { deadlineStateLabel, dueWord, outcomeLabel } from "../facts/outcomes.js";
import { deadlineBasisLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import type { AskAnswer, DeadlineState } from "./answer.js";
import { type Context, inRange, type IntentAnswers, plural } from "./context.js";
import type { Term } from "./similarity.js";
import { LOOKUP_ANSWERS } from "./lookups.js";
import { tokenize } from "./tokens.js";

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

/**
 * The terms of a deadline listing's subject: without the words of what it lists that no deadline says ("past-due
 * items", "overdue tasks": what a list holds, not what it is about; "deadlines on beef" still asks about beef), nor
 * a verb no fact knows.
 */
function subjectTerms(ctx: Context): Term[] {
  const heads = new Set(ctx.q.tokens.filter((t) => t.head).map((t) => t.word));
  const deadlines = ctx.allDeadlines();
  // Said in a deadline's title or summary (a source's title, "Trade news item", does not say what the deadline is).
  const saysIt = (t: Term) => deadlines.some((f) => ctx.matcher.match(f, [t]).coverage >= 0.6);
  // A verb no fact knows says how the listing is asked ("list the deadlines of 2018"), not what it is about.
  const askedHow = (t: Term) => !t.name && t.modifier === true && ctx.matcher.frequency(t.key) === 0;
  return ctx.terms.filter((t) => !askedHow(t) && (t.name || !t.words.every((w) => heads.has(w)) || saysIt(t)));
}

/**
 * The deadlines of the question's subject, or all of them when it names none; when it names a span ("missed in 2017",
 * "due in 2019"), those falling due in it.
 */
function deadlinesFor(ctx: Context, list: readonly Fact[]): Fact[] {
  const inSpan = ctx.q.range ? list.filter((f) => inRange(f.date, ctx.q.range)) : list;
  const terms = subjectTerms(ctx);
  if (terms.length === 0) return [...inSpan];
  // A name no fact knows ("China") leaves nothing on this subject.
  if (ctx.unknownName && terms.includes(ctx.unknownName)) return [];
  return ctx.rank(inSpan, { terms }).map((s) => s.fact);
}

/**
 * "Any deadlines in 2018?": the deadlines falling due in the span the question names, past ones too, each with its state
 * or outcome as of the day asked; none when it names no span or nothing falls due in it.
 */
function deadlinesInSpan(ctx: Context): AskAnswer | undefined {
  const range = ctx.q.range;
  if (!range || (!range.since && !range.until)) return undefined;
  const due = deadlinesFor(ctx, ctx.allDeadlines()).sort((a, b) => a.date.localeCompare(b.date));
  if (due.length === 0) return undefined;
  const span = /^(?:since|before|after|until)\b/.test(range.label) ? range.label : `in ${range.label}`;
  const lead = `${plural(due.length, "deadline")} on record ${due.length === 1 ? "falls" : "fall"} due ${span}${onSubject(ctx)}: ${dueLine(ctx, due[0]!)}.${due.length > 1 ? ` Then ${due.length === 2 ? "one more" : `${due.length - 1} more`} (below).` : ""}`;
  return ctx.answer(
    true,
    lead,
    due.slice(0, 3).map((f) => ctx.answered(f)),
  );
}

/** A question answered yes or no ("has the US given its update yet?", "did Korea file?"). */
const YES_NO = /^(?:has|have|had|did|does|do|is|was|were|are)\b/i;

/**
 * The state first, when a yes/no question's best fact is a deadline ("has the US given its auto update yet?"): "Not on
 * record: “USTR update ...”, due 2019-11-13, past due by 2,581 days, no outcome recorded as of ..."; with an outcome,
 * the outcome ("Met 2017-08-22, 11 days late: ..."). None for other questions and facts.
 */
export function deadlineStateLead(ctx: Context, top: Fact): string | undefined {
  if (top.kind !== "deadline" || !YES_NO.test(ctx.q.text.trim())) return undefined;
  const state = ctx.deadlineState(top);
  const text = deadlineStateText(state);
  const due = `${dueWord(top)} ${top.date}`;
  if (state.outcome || state.dueKind === "effective") return `${text[0]!.toUpperCase()}${text.slice(1)}: “${top.title}”, ${due}.`;
  if (state.state === "upcoming" || state.state === "due-today") return `Not yet: “${top.title}” is ${due}, ${text} as of ${ctx.q.asOf}; no outcome recorded.`;
  return `Not on record: “${top.title}”, ${due}, ${text} as of ${ctx.q.asOf}.`;
}

/** " on this subject" when the listing names one. */
const onSubject = (ctx: Context) => (subjectTerms(ctx).length ? " on this subject" : "");

function dueLine(ctx: Context, f: Fact): string {
  const state = ctx.deadlineState(f);
  const basis = deadlineBasisLabel(state.basis);
  // A closed deadline's outcome ("met 2017-08-22, 11 days late") is fixed by the record, not counted to the day asked.
  return `“${f.title}”, ${dueWord(f)} ${f.date}${basis ? ` (${basis})` : ""}: ${deadlineStateText(state)}${state.outcome ? "" : ` as of ${ctx.q.asOf}`}`;
}

/** Words asking whether a deadline is open past its date on the day ("overdue", "outstanding", "past due"). */
const ASKS_OPEN_STATE = /\b(?:overdue|outstanding|past due|past (?:its|their|the) (?:due date|deadline)s?)\b/i;
/**
 * "Anything outstanding?": what is still owed, not yet done, whether past due or not (dictionary: outstanding, "not yet
 * paid, resolved or dealt with").
 */
const ASKS_OUTSTANDING = /\b(?:outstanding|unresolved|unfulfilled|still open|still owed)\b/i;
/** Words asking for the deadlines open on the day (upcoming or overdue). */
const ASKS_OPEN = /\bopen\b/i;
/** "Which deadlines were extended?": the outcome a list of closed deadlines is asked by. */
const ASKED_OUTCOME = /\bdeadlines?\b.*\b(met|extended|withdrawn)\b/i;

/** Words asking how deadlines closed ("missed", "slipped", "late"). */
const ASKS_OUTCOME = /\b(?:miss|missed|slip|slips|slipped|slipping|late|lapsed|behind)\b/i;

export const DEADLINE_ANSWERS: Pick<IntentAnswers, "next-deadline" | "overdue" | "deadline-state" | "deadline" | "countdown"> = {
  "next-deadline": (ctx) => {
    const q = ctx.q;
    // "Which deadlines were open on D": the overdue ones are open too, listed first.
    if (ASKS_OPEN.test(q.text)) {
      const open = [...deadlinesFor(ctx, ctx.index.overdue), ...deadlinesFor(ctx, ctx.index.upcoming).sort((a, b) => a.date.localeCompare(b.date))];
      if (open.length === 0) return ctx.nothing(`No deadline on record was open as of ${q.asOf}${onSubject(ctx)}.`, ctx.index.closed.slice(0, 2), "Closed by then");
      return ctx.answer(
        true,
        `${plural(open.length, "deadline")} open as of ${q.asOf}: ${dueLine(ctx, open[0]!)}.`,
        open.slice(0, 3).map((f) => ctx.answered(f)),
      );
    }
    let upcoming = deadlinesFor(ctx, ctx.index.upcoming);
    upcoming.sort((a, b) => a.date.localeCompare(b.date));
    if (q.range?.until && q.range.until > q.asOf) upcoming = upcoming.filter((f) => f.date <= q.range!.until!);
    if (upcoming.length === 0) {
      // A span wholly before the day asked ("anything due in 2017?"): its deadlines, with what became of them.
      const inSpan = q.range?.until && q.range.until < q.asOf ? deadlinesInSpan(ctx) : undefined;
      if (inSpan) return inSpan;
      const past = deadlinesFor(ctx, ctx.index.overdue).slice(0, 2);
      return ctx.nothing(
        `No deadline on record falls due after ${q.asOf}${q.range?.until && q.range.until > q.asOf ? ` up to ${q.range.until}` : ""}${onSubject(ctx)}.`,
        past,
        "The latest deadlines before then",
      );
    }
    const [next, ...later] = upcoming;
    const lead = `Next deadline as of ${q.asOf}: ${dueLine(ctx, next!)}.${later.length ? ` Then ${later.length === 1 ? "one more" : `${later.length} more`} (below).` : ""}`;
    return ctx.answer(
      true,
      lead,
      upcoming.slice(0, 3).map((f) => ctx.answered(f)),
    );
  },

  overdue: (ctx) => {
    const q = ctx.q;
    const past = deadlinesFor(ctx, ctx.index.overdue);
    // Recorded outcomes answer too: missed ("which deadlines were missed?"), and met late ("did we slip?").
    const outcome = (f: Fact) => ctx.index.outcomeOf(f);
    const missed = deadlinesFor(
      ctx,
      ctx.index.closed.filter((f) => outcome(f)?.outcome === "missed"),
    );
    const late = deadlinesFor(
      ctx,
      ctx.index.closed.filter((f) => outcome(f)?.outcome === "met" && outcome(f)!.daysLate > 0),
    );
    const subject = onSubject(ctx);
    // "Is anything overdue?" asks the state on the day: a deadline met late or missed is closed, not overdue, so it is
    // offered beside the answer "no", not as the answer. "Did we slip?" / "what did we miss?" ask the outcomes too.
    // "Anything outstanding?" with nothing past due: what is still open, not yet due, answers it.
    const open = ASKS_OUTSTANDING.test(q.text) && past.length === 0 ? deadlinesFor(ctx, ctx.index.upcoming).sort((a, b) => a.date.localeCompare(b.date)) : [];
    if (open.length > 0)
      return ctx.answer(
        true,
        `Nothing past due as of ${q.asOf}${subject}; ${plural(open.length, "deadline")} outstanding, not yet due: ${dueLine(ctx, open[0]!)}.`,
        open.slice(0, 3).map((f) => ctx.answered(f)),
      );
    if (ASKS_OPEN_STATE.test(q.text) && !ASKS_OUTCOME.test(q.text) && past.length === 0) {
      const closedLate = [...missed, ...late].slice(0, 2);
      const lead = `No deadline on record was overdue as of ${q.asOf}${subject}: none was past due without an outcome.`;
      return ctx.nothing(lead, closedLate.length > 0 ? closedLate : ctx.index.upcoming.slice(0, 1), closedLate.length > 0 ? "Closed by then, late or missed (not overdue)" : "The next deadline");
    }
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
    return ctx.answer(
      true,
      `${parts.join(". ")}.`,
      [...past, ...missed, ...late].slice(0, 3).map((f) => ctx.answered(f)),
    );
  },

  "deadline-state": (ctx) => {
    const q = ctx.q;
    // A verb or adverb no fact knows ("missed outright") says how the question is put, not what it is about.
    const subjectless = ctx.terms.every((t) => t.modifier && ctx.matcher.frequency(t.key) === 0);
    // "Which deadlines were extended?" with no subject of its own: the deadlines closed with that outcome by the day.
    const asked = ASKED_OUTCOME.exec(q.text)?.[1]?.toLowerCase();
    if (asked && (subjectless || ctx.terms.length === 0)) {
      const closed = ctx.index.closed.filter((f) => ctx.index.outcomeOf(f)?.outcome === asked);
      if (closed.length === 0)
        return ctx.nothing(`No deadline on record was ${asked} as of ${q.asOf}.`, ctx.index.closed.slice(0, 2), ctx.index.closed.length > 0 ? "Deadlines closed otherwise by then" : undefined);
      return ctx.answer(
        true,
        `${plural(closed.length, "deadline")} ${asked} as of ${q.asOf}: ${dueLine(ctx, closed[0]!)}.`,
        closed.slice(0, 3).map((f) => ctx.answered(f)),
      );
    }
    if (subjectless && ctx.index.closed.length > 0) {
      // "Which deadlines were met?": the outcomes on record as of the day, the latest known first.
      const closed = ctx.index.closed;
      return ctx.answer(
        true,
        `${plural(closed.length, "deadline")} closed as of ${q.asOf}: ${dueLine(ctx, closed[0]!)}.`,
        closed.slice(0, 3).map((f) => ctx.answered(f)),
      );
    }
    const deadline = ctx.rank(ctx.allDeadlines())[0]?.fact;
    if (!deadline) return undefined;
    const state = ctx.deadlineState(deadline);
    // Not due yet on the day asked: neither met nor missed.
    if (!state.outcome && (state.state === "upcoming" || state.state === "due-today")) {
      return ctx.answer(true, `Not due yet as of ${q.asOf}: “${deadline.title}” falls due ${deadline.date} (${deadlineStateText(state)}).`, [ctx.answered(deadline)]);
    }
    if (state.outcome) {
      // The record says: the closing fact names the deadline and how it closed it.
      const o = state.outcome;
      const verdict =
        o.outcome === "met"
          ? o.daysLate > 0
            ? `Met, ${plural(o.daysLate, "day")} late`
            : "Met on time"
          : o.outcome === "missed"
            ? "Missed"
            : o.outcome === "extended"
              ? `Extended to ${o.newDue}`
              : "Withdrawn";
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
    if (ranked.length === 0) return (subjectTerms(ctx).length === 0 ? deadlinesInSpan(ctx) : undefined) ?? LOOKUP_ANSWERS.when(ctx);
    const top = ranked[0]!.fact;
    return ctx.answer(
      true,
      `${dueLine(ctx, top)}.`,
      ranked
        .slice(0, 2)
        .filter((r, i) => i === 0 || r.score >= ranked[0]!.score * 0.7)
        .map((r) => ctx.answered(r.fact)),
      { statusDay: q.asOf },
    );
  },

  countdown: (ctx) => {
    const q = ctx.q;
    // "Until": what falls on or after the as-of day; "how long has it been", "how many days since": what fell before.
    const since = /\bhow long (?:has|have|had)\b|\b(?:ago|since)\b/i.test(q.text);
    const pool = ctx.visible.filter((f) => (since ? f.date <= q.asOf : f.date >= q.asOf));
    const ranked = ctx.rank(pool, { fit: (f) => (f.kind === "deadline" && !since ? 1.5 : f.kind === "event" && since ? 1 : 0) });
    if (ranked.length === 0)
      return ctx.terms.length === 0 && !since ? DEADLINE_ANSWERS["next-deadline"](ctx) : ctx.nothing(`Nothing on record on this subject falls ${since ? "on or before" : "on or after"} ${q.asOf}.`);
    const f = ranked[0]!.fact;
    const days = daysBetween(q.asOf, f.date);
    const lead =
      days >= 0
        ? `${plural(days, "day")} from ${q.asOf} to “${f.title}” (${f.kind === "deadline" ? "due " : ""}${f.date}).`
        : `${plural(-days, "day")} from “${f.title}” (${f.date}) to ${q.asOf}${f.kind === "deadline" ? `: ${deadlineStateText(ctx.deadlineState(f))}` : ""}.`;
    return ctx.answer(true, lead, [ctx.answered(f)]);
  },
};
