/**
 * The intents answered by finding facts: the days between two, what changed in a span, a side's position, a fact's
 * sources, and the fact that says when, who or where (the best matches of the kinds that suit the question).
 */
import { addDays, daysBetween } from "../facts/dates.js";
import { actorLabel, readingLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { positionAnswer } from "./positions.js";
import { holdersByPerson, roleAsked, roleHolders, roleText } from "./roles.js";
import { type Context, dateWithReadings, DISPUTE, fitFor, inRange, type IntentAnswers, LIST_LIMIT, onMonthDay, plural } from "./context.js";

/** The place a fact names: "in Seoul", "in New York", "Washington". */
function placeOf(fact: Fact): string | null {
  const months = /^(?:January|February|March|April|May|June|July|August|September|October|November|December)$/;
  for (const text of [fact.title, fact.summary]) {
    for (const m of text.matchAll(/\bin ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)*)/g)) if (!months.test(m[1]!.split(" ")[0]!)) return m[1]!;
  }
  return null;
}

/** The other days a fact's day is read as: its disputed readings that name a day, and other reports of the same event. */
function otherDays(ctx: Context, fact: Fact): Array<{ date: string; by: string }> {
  const out = new Map<string, string>();
  for (const d of fact.disputed) {
    const day = /^\d{4}-\d{2}-\d{2}/.exec(d.says)?.[0];
    if (day && day !== fact.date && !out.has(day)) out.set(day, readingLabel(d));
  }
  for (const o of ctx.index.sameEvent(fact)) if (o.date !== fact.date && !out.has(o.date)) out.set(o.date, `“${o.title}”`);
  return [...out].map(([date, by]) => ({ date, by }));
}

/**
 * The best of a span end's matches, or, when it is one side's report of an event and the report both sides are recorded
 * as making matches the end's words nearly as well, that one: a span counts from the event itself, and the answer gives
 * the side's other date beside it ("by the other date on record"). Words naming the side's report keep it.
 */
function jointReport(ctx: Context, ranked: ReadonlyArray<{ fact: Fact; score: number }>): Fact | undefined {
  const best = ranked[0];
  if (!best || best.fact.actor === "both") return best?.fact;
  const same = new Set(ctx.index.sameEvent(best.fact).map((f) => f.id));
  return ranked.find((r) => same.has(r.fact.id) && r.fact.actor === "both" && r.score >= best.score * 0.8)?.fact ?? best.fact;
}

const ORDINAL_WORDS: ReadonlySet<string> = new Set(["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last", "next"]);

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** "03-28" as "March 28". */
function monthDayLabel(monthDay: string): string {
  return monthDay.length === 2 ? `day ${Number(monthDay)} of a month` : `${MONTHS[Number(monthDay.slice(0, 2)) - 1]} ${Number(monthDay.slice(3))}`;
}

export const LOOKUP_ANSWERS: Pick<IntentAnswers, "span" | "state" | "what-changed" | "position" | "sources" | "who" | "where" | "when" | "what"> = {
  span: (ctx) => {
    const q = ctx.q;
    let a: Fact | undefined;
    let b: Fact | undefined;
    if (q.parts) {
      const termsA = ctx.matcher.terms(q.parts[0]);
      // "from signing the revised deal to its entry into force": "its" is the first part's subject, which the fit
      // below and the first match after the first end pick ("its" adds no words of its own: they would match the first end).
      const termsB = ctx.matcher.terms(q.parts[1]);
      // Day spans run between things that happened: events first. The two ends are about one subject ("after they
      // were signed"): of the facts matching one end, those sharing the other end's words come first.
      const kindFit = (f: Fact) => (f.kind === "event" ? 1 : f.kind === "deadline" ? -2 : 0);
      // An ordinal says which one of a series, not what: "the first special session" shares no subject with "their first
      // summit".
      const subjectOf = (terms: typeof termsA) => terms.filter((t) => !t.words.every((w) => ORDINAL_WORDS.has(w)));
      const fitWith = (other: typeof termsA) => (f: Fact) => kindFit(f) + ctx.matcher.match(f, subjectOf(other)).coverage;
      // An end naming its own days ("the 2007 signing") is a fact of those days, when one matches.
      const within = (i: 0 | 1, facts: readonly Fact[]) => {
        const span = q.partSpans?.[i];
        const inSpan = span ? facts.filter((f) => inRange(f.date, { ...span, label: "" })) : [];
        return inSpan.length > 0 ? inSpan : facts;
      };
      a = jointReport(ctx, ctx.rank(within(0, ctx.visible), { terms: termsA, minCoverage: 0.4, fit: fitWith(termsB) }));
      // A span counts from what happened: a quote or position taken at an event ("from Lighthizer's letter": a line of it)
      // counts from that event (the request the letter made), the record's own link (src/ask/context.ts, occasionOf).
      if (a) a = ctx.occasionOf(a) ?? a;
      // A fact naming the end's own subject in its title comes before one that names it only in its summary, however well
      // the latter shares the other end's words ("from the signing to entry into force": not the signing of the
      // implementing act, whose summary mentions entry into force).
      const rankedB = ctx.rank(
        within(
          1,
          ctx.visible.filter((f) => f.id !== a?.id),
        ),
        { terms: termsB, minCoverage: 0.4, fit: fitWith(termsA) },
      );
      const bs = [...rankedB.filter((s) => s.inTitle), ...rankedB.filter((s) => !s.inTitle)];
      // Of the facts matching the second end nearly as well as the best, the first on or after the first end: "from
      // signing in 2007 to entering into force" runs to 2012's entry into force, not a later one.
      // A fact naming the end's subject only in its summary ("announced together with Korea's exemption") is not near a
      // best one naming it in its title.
      const near = bs
        .filter((s) => a && s.fact.date >= a.date && s.fact.kind === bs[0]!.fact.kind && s.score >= bs[0]!.score * 0.6 && (s.inTitle || !bs[0]!.inTitle))
        .sort((x, y) => x.fact.date.localeCompare(y.fact.date));
      // A fact of the first end's own occasion (the same day, citing one of its sources: "the letter" and the request it
      // made) is that end again, not the other one, when another is near.
      const cited = new Set(a?.sources.map((x) => x.url ?? x.title ?? "") ?? []);
      const sameOccasion = (f: Fact) => f.date === a?.date && f.sources.some((x) => cited.has(x.url ?? x.title ?? ""));
      const bBest = near.find((s) => !sameOccasion(s.fact)) ?? near[0] ?? bs[0];
      b = bBest ? jointReport(ctx, [bBest, ...bs.filter((x) => x !== bBest)]) : undefined;
      if (b?.id === a?.id) b = bBest?.fact;
    } else {
      const ranked = ctx.rank(ctx.visible);
      [a, b] = [ranked[0]?.fact, ranked[1]?.fact];
    }
    if (!a || !b)
      return ctx.nothing(
        a || b ? `Only one of the two is on record: “${(a ?? b)!.title}” (${(a ?? b)!.date}).` : undefined,
        [a ?? b].filter((f): f is Fact => !!f),
      );
    const [first, second] = a.date <= b.date ? [a, b] : [b, a];
    const days = daysBetween(first.date, second.date);
    // A day that sources differ on, or that another report of the same event gives, counts by its other readings too.
    const others = [
      ...otherDays(ctx, first).map((o) => `${plural(daysBetween(o.date, second.date), "day")} from ${o.date} (${o.by})`),
      ...otherDays(ctx, second).map((o) => `${plural(daysBetween(first.date, o.date), "day")} to ${o.date} (${o.by})`),
    ];
    const lead = `${plural(days, "day")} from “${first.title}” (${first.date}) to “${second.title}” (${second.date}).${others.length > 0 ? ` By the other date on record: ${others.join("; ")}.` : ""}`;
    return ctx.answer(true, lead, [ctx.answered(first), ctx.answered(second)], { statusDay: second.date <= q.asOf ? second.date : q.asOf });
  },

  // Where things stood on a day: the newest events on record by then, on the question's subject when it names one.
  state: (ctx) => {
    const q = ctx.q;
    // On a subject, a deadline's state counts as a step too ("where did the 30-day requirement stand").
    // "the last event before 2018": the span's end, when it names one before the as-of day, is the day asked about.
    const day = q.range?.until && q.range.until < q.asOf ? q.range.until : q.asOf;
    // On a subject, a side's stated position is a step too ("had Korea agreed to amend KORUS?": what Korea said by then).
    const steps: ReadonlySet<Fact["kind"]> = new Set(ctx.terms.length > 0 ? ["event", "deadline", "position", "quote"] : ["event"]);
    const events = ctx.visible.filter((f) => steps.has(f.kind) && f.date <= day);
    const pool = ctx.terms.length > 0 ? ctx.rank(events, { minCoverage: 0.34 }).map((s) => s.fact) : events;
    const newest = [...pool].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
    const top = newest[0];
    if (!top) return ctx.nothing(`No step on record${ctx.terms.length > 0 ? " on this subject" : ""} by ${day}.`);
    const lead = `As of ${day}, the latest step on record${ctx.terms.length > 0 ? " on this subject" : ""}: “${top.title}” (${dateWithReadings(top)}).`;
    return ctx.answer(
      true,
      lead,
      newest.slice(0, 3).map((f) => ctx.answered(f)),
      { statusDay: q.asOf },
    );
  },

  "what-changed": (ctx) => {
    const q = ctx.q;
    // "in the month before the deal was signed": the span hangs on the event its words name best.
    if (q.anchor && !q.range) {
      const { days, after, label } = q.anchor;
      const anchor = ctx.rank(
        ctx.visible.filter((f) => f.kind === "event"),
        { terms: ctx.matcher.terms(q.anchor.tokens), minCoverage: 0.4 },
      )[0]?.fact;
      if (!anchor) return ctx.nothing(`No event on record matches the one the span (${label} it) counts from.`);
      const [since, until] = after ? [addDays(anchor.date, 1), addDays(anchor.date, days)] : [addDays(anchor.date, -days), addDays(anchor.date, -1)];
      q.range = { since, until, label: `${label} “${anchor.title}” (${anchor.date}): ${since} to ${until}` };
    }
    // "What happened on March 28?": a day named without a year is that day in any year on record, not the last 30 days.
    const onDays = !q.range && q.monthDays ? q.monthDays : undefined;
    const range = q.range ?? (onDays ? { label: `${onDays.map(monthDayLabel).join(" or ")}, any year` } : { since: addDays(q.asOf, -30), until: q.asOf, label: `the 30 days to ${q.asOf}` });
    q.range ??= range;
    let inSpan = ctx.visible.filter((f) => (onDays ? onDays.some((md) => onMonthDay(f.date, md)) : inRange(f.date, range)) && f.date <= q.asOf);
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
    // A figure is dated by the end of its period (a year's deficit on 31 December), not by when anything happened in the
    // span: what happened comes first, the figures after it.
    const fig = (f: Fact) => (f.kind === "figure" ? 1 : 0);
    inSpan.sort((x, y) => t(y) - t(x) || fig(x) - fig(y) || y.date.localeCompare(x.date) || y.id - x.id);
    const asOf = q.asOfGiven ? ` (as of ${q.asOf})` : "";
    // "for Mar 2018", "for the week to …", but "since 2019", "before …", "until …" stand alone.
    const span = /^(?:since|before|until) /.test(range.label) ? range.label : `for ${range.label}`;
    if (inSpan.length === 0) {
      // "What's new on steel?" with nothing in the span: the newest on the subject before it is offered, said to be older.
      const before = ctx.terms.length > 0 && range.since ? ctx.visible.filter((f) => f.date < range.since! && f.kind !== "figure") : [];
      const latest = ctx
        .rank(before)
        .slice(0, 5)
        .map((r) => r.fact)
        .sort((a, b) => b.date.localeCompare(a.date))
        .slice(0, 2);
      return ctx.nothing(`Nothing on record ${span}${asOf}.`, latest, latest.length > 0 ? `The latest on this subject, before ${range.since}` : undefined);
    }
    const shown = inSpan.slice(0, LIST_LIMIT);
    const lead = `${plural(inSpan.length, "fact")} on record ${span}${asOf}${inSpan.length > shown.length ? `; the newest ${shown.length}` : ""}, newest first.`;
    return ctx.answer(
      true,
      lead,
      shown.map((f) => ctx.answered(f)),
      { more: inSpan.length - shown.length },
    );
  },

  position: (ctx) => positionAnswer(ctx),

  // "Do sources disagree on when X happened?" leads with whether they do: the fact's day per its sources, then the other
  // readings and the other reports' days.
  sources: (ctx) =>
    ctx.general(fitFor("sources"), (top) => {
      const names = top.sources.map((s) => s.title ?? s.url ?? "").filter(Boolean);
      const cited = names.length === 0 ? "no source" : names.join("; ");
      if (DISPUTE.test(ctx.q.text)) {
        const others = [
          ...top.disputed.map((d) => readingLabel(d)),
          ...ctx.index
            .sameEvent(top)
            .filter((o) => o.date !== top.date && !top.disputed.some((d) => d.says.startsWith(o.date)))
            .map((o) => `${o.date} by “${o.title}”`),
        ];
        return others.length > 0
          ? `Sources differ on “${top.title}”: ${top.date} per ${cited}; other readings: ${others.join("; ")}.`
          : `No other reading of “${top.title}” is on record: ${top.date} per ${cited}.`;
      }
      return `“${top.title}” (${top.date}) cites ${cited}.${top.disputed.length ? ` Other readings: ${top.disputed.map((d) => readingLabel(d)).join("; ")}.` : ""}`;
    }),

  // "Who is Korea's trade minister?": the names the record writes beside the role, newest first (src/ask/roles.ts).
  // Otherwise a deadline says what must happen, not who did something: it answers "who" only when nothing else can.
  who: (ctx) => {
    const role = roleAsked(ctx.q);
    const people = role ? holdersByPerson(roleHolders(ctx, role)) : [];
    const first = people[0];
    if (first) {
      const newest = first.mentions[0]!;
      const others = people.slice(1).map((p) => `${p.names[0]} (${p.mentions[0]!.date}: “${p.mentions[0]!.text}”)`);
      const names = first.names.length > 1 ? `${first.names[0]} (also written ${first.names.slice(1).join(", ")})` : first.names[0]!;
      const lead = `${names}, by the record's newest mention as of ${ctx.q.asOf}: “${newest.text}” (${newest.date}).${others.length > 0 ? ` Also named: ${others.join("; ")}.` : ""}`;
      const facts = [...new Map(people.flatMap((p) => p.mentions).map((m) => [m.fact.id, m.fact])).values()].slice(0, 3);
      return ctx.answer(
        true,
        lead,
        facts.map((f) => ctx.answered(f)),
        { statusDay: ctx.q.asOf },
      );
    }
    // A role the record speaks of (every word of it known) but names no one in: said first, then the nearest facts.
    const unnamed = role && ctx.matcher.terms(role).every((t) => ctx.matcher.frequency(t.key) > 0) ? roleText(ctx.q) : undefined;
    return ctx.general(
      fitFor("who"),
      (top) => `${unnamed ? `The record does not name the ${unnamed.replace(/^the\s+/i, "")}. Nearest on record: ` : ""}${actorLabel(top.actor)}: “${top.title}” (${dateWithReadings(top)}).`,
      (f) => f.kind !== "deadline",
    );
  },

  // "Where" asks a place: the facts on the subject that name one answer it first; the others only when none does.
  where: (ctx) =>
    ctx.general(
      fitFor("where"),
      (top) => {
        const place = placeOf(top);
        return place ? `${place}: “${top.title}” (${top.date}).` : `“${top.title}” (${top.date}); the record names no place.`;
      },
      (f) => placeOf(f) !== null,
    ),

  // "When did the steel quota start?": a measure starts on the day it takes effect, a date the record keeps as an
  // effective-date deadline; the event that announced it comes after that.
  when: (ctx) => {
    const starts = /\b(?:start|starts|started|begin|begins|began|begun)\b/i.test(ctx.q.text);
    const byKind = fitFor("when");
    return ctx.general(starts ? (f) => byKind(f) + (f.kind === "deadline" && f.dueKind === "effective" ? 1.2 : 0) : byKind);
  },

  what: (ctx) => ctx.general(fitFor("what")),
};
