/**
 * A side's position (src/ask/lookups.ts answers the other lookups): the positions and quotes on record on the subject,
 * of the side or speaker the question names, as of its day.
 */
import { actorLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import type { AskAnswer } from "./answer.js";
import { type Context, SIDE_WORDS } from "./context.js";
import { GLOSSARY } from "./glossary.js";
import { isStopWord, type Term } from "./similarity.js";
import { tokenize } from "./tokens.js";

/** "Korea's", "Korean officials'". */
function possessive(name: string): string {
  return /s$/.test(name) ? `${name}'` : `${name}'s`;
}

/** A term of a glossary entry naming the agreement's own course (glossary.ts, `course`). */
function isCourse(term: Term): boolean {
  const m = /^c:(\d+)$/.exec(term.key);
  return m !== null && GLOSSARY[Number(m[1])]?.course === true;
}

/** The side an actor belongs to: "US", "Korea" or "both" as stored, else the side its words name ("U.S. Trade Representative"). */
function sideOfActor(actor: string): "US" | "Korea" | "both" | undefined {
  if (actor === "US" || actor === "Korea" || actor === "both") return actor;
  const words = new Set(tokenize(actor).map((t) => t.word));
  const us = ["usa", "american", "washington"].some((w) => words.has(w)) || /\bUnited States\b/i.test(actor);
  const korea = ["korea", "korean", "seoul", "rok"].some((w) => words.has(w));
  return us && !korea ? "US" : korea && !us ? "Korea" : undefined;
}

/** The words the store writes as names mid-sentence ("Kim", "Lighthizer", "Moon"), lowercased; read once per fact list. */
const storeNames = new WeakMap<readonly Fact[], Set<string>>();
function namesOf(all: readonly Fact[]): Set<string> {
  let names = storeNames.get(all);
  if (!names) {
    names = new Set(all.flatMap((f) => [...tokenize(f.title), ...tokenize(f.summary)].filter((t) => t.name).map((t) => t.word)));
    storeNames.set(all, names);
  }
  return names;
}

/**
 * The speaker a position question names when no statement on record is from them ("what did Navarro say about the
 * deficit": a name no fact knows, or one the record names but never as the actor, title or words of a position or
 * quote). A side ("Seoul") and a glossary concept (Congress, USTR, the President: offices and bodies) are read by the
 * ranking as before; a verb or adjective is not a speaker.
 */
function unknownSpeaker(ctx: Context, statements: readonly Fact[]): string | undefined {
  const words = ctx.q.speaker;
  if (!words) return undefined;
  const plain = ctx.matcher.terms(words).filter((t) => t.key.startsWith("s:") && !t.modifier && !t.words.every((w) => SIDE_WORDS.has(w)));
  if (plain.length === 0) return undefined;
  const names = namesOf(ctx.all);
  const named = (text: string, t: Term) => ctx.matcher.terms(tokenize(text)).some((x) => x.key === t.key || x.stems.includes(t.stems[0]!));
  // In a summary, a name counts as the speaker when a verb of saying follows it ("Secretary Smith told reporters",
  // "Minister Kim ... did propose") or an attribution dash precedes it ("— Yeo Han-koo"), not when it is named in passing
  // ("as directed by Presidents Trump and Moon").
  const speaks = (summary: string, word: string) =>
    new RegExp(
      `(?:—\\s*(?:[\\w.'-]+\\s+){0,3}${word}\\b|\\b${word}\\b(?:\\W+\\w+){0,12}?\\W+(?:says?|said|told|tells|stated?|states|propos\\w*|suggest\\w*|argu\\w*|insist\\w*|wrote|writes|call(?:s|ed)? for|warn\\w*|add(?:s|ed)))`,
      "i",
    ).test(summary);
  const said = (t: Term) => statements.some((f) => named(`${actorLabel(f.actor)}. ${f.title}`, t) || (/^[a-z]+$/.test(t.words[0]!) && speaks(f.summary, t.words[0]!)));
  // One of the speaker's words on a statement ("Minister Kim" for "Kim Hyun-chong") is enough to read them as its speaker.
  if (plain.some(said)) return undefined;
  return plain.some((t) => ctx.matcher.frequency(t.key) === 0 || names.has(t.words[0]!)) ? words.map((w) => w.raw).join(" ") : undefined;
}

/**
 * How much a side's own stated position outranks a quote of its officials when the side is asked: a little, so that a
 * statement naming the question's subject still comes first.
 */
const OWN_POSITION_FIT = 0.3;
/** Words of an occasion a position was taken before: "going into the special session", "ahead of the meeting". */
const BEFORE_OCCASION = /\b(?:going into|heading into|ahead of|before|in the run-up to|leading up to|prior to)\s+(.+?)\s*\??$/i;
/** Both sides asked: "the US and Korea each", "Seoul and Washington", "each side", "both sides". */
function bothSidesAsked(text: string): boolean {
  const words = new Set(tokenize(text).map((t) => t.word));
  const korea = ["korea", "korean", "seoul", "rok"].some((w) => words.has(w));
  const us = ["usa", "america", "american", "washington", "ustr"].some((w) => words.has(w));
  return (korea && us) || /\b(?:each side|both sides|the two sides|each party|both parties|the parties)\b/i.test(text);
}

/**
 * The occasion a question asks positions before ("going into the special session"): the day of the event its words
 * name, the latest of those that match nearly as well (the session itself, not the request that called it: what was
 * said before it is what was said going into it), and its terms.
 */
function occasionOf(ctx: Context): { day: string; keys: Set<string> } | undefined {
  const m = BEFORE_OCCASION.exec(ctx.q.text);
  if (!m) return undefined;
  const terms = ctx.matcher.terms(tokenize(m[1]!).filter((t) => !isStopWord(t) && !SIDE_WORDS.has(t.word)));
  if (terms.length === 0) return undefined;
  const ranked = ctx.rank(
    ctx.visible.filter((f) => f.kind === "event"),
    { terms },
  );
  const top = ranked[0];
  if (!top) return undefined;
  const day = ranked.filter((r) => r.score >= top.score * 0.8 && r.inTitle).reduce((d, r) => (r.fact.date > d ? r.fact.date : d), top.fact.date);
  return { day, keys: new Set(terms.map((t) => t.key)) };
}

/**
 * A side's or a speaker's position: the positions and quotes on the subject, of the side named; nothing on record when the
 * speaker named has no statement on record.
 */
export function positionAnswer(ctx: Context): AskAnswer {
  const q = ctx.q;
  // A quote's actor is a person or office ("Robert Lighthizer, U.S. Trade Representative"): its side is the one it names.
  const positions = ctx.visible.filter((f) => (f.kind === "position" || f.kind === "quote") && (!q.side || [q.side, "both"].includes(sideOfActor(f.actor) ?? "")));
  const all = ctx.termsWithoutSide();
  // A speaker no fact knows ("what did the EU say"): nothing on record.
  if (ctx.unknownName) return ctx.nothing();
  // A person the record has no statement from ("what did Navarro say about the deficit"): nothing on record, whatever
  // others said on the subject (offered apart, said to be others').
  const speaker = unknownSpeaker(
    ctx,
    ctx.visible.filter((f) => f.kind === "position" || f.kind === "quote"),
  );
  if (speaker) {
    const speakerKeys = new Set(ctx.matcher.terms(q.speaker!).map((t) => t.key));
    // The subject's words, less those most facts say ("KORUS" itself): they name no subject to offer others' words on.
    const subject = all.filter((t) => !speakerKeys.has(t.key) && !isCourse(t) && ctx.matcher.frequency(t.key) <= ctx.matcher.size / 2);
    const others =
      subject.length > 0
        ? ctx
            .rank(positions, { terms: subject, minCoverage: 0.34 })
            .slice(0, 3)
            .map((s) => s.fact)
        : [];
    return ctx.nothing(`No statement by “${speaker}” is on record as of ${q.asOf}.`, others, `Said by others on this subject (not by “${speaker}”)`);
  }
  const newest = [...positions].sort((a, b) => b.date.localeCompare(a.date));
  // Words naming the agreement's own course ("the renegotiation", "the review", "changing KORUS") rank a side's
  // positions, all of which are stances in it, without excluding those that do not repeat them; other words must match.
  const course = all.filter(isCourse);
  const terms = all.filter((t) => !isCourse(t));
  const byCourse = (f: Fact) => (course.length > 0 ? 0.5 * ctx.matcher.match(f, course).score : 0);
  // Asked of a side, not a person ("Washington's goal"), the side's own stated positions come before its officials' quotes.
  const sideAsked = !q.speaker || q.speaker.every((t) => SIDE_WORDS.has(t.word));
  const ownFit = (f: Fact) => byCourse(f) + (sideAsked && f.kind === "position" && ["US", "Korea", "both"].includes(f.actor) ? OWN_POSITION_FIT : 0);
  // "Going into the special session", "ahead of the meeting": what the sides had said before that occasion (whose words
  // then name when, not what about).
  const occasion = occasionOf(ctx);
  const pool = occasion ? positions.filter((f) => f.date < occasion.day) : positions;
  const subject = occasion ? terms.filter((t) => !occasion.keys.has(t.key)) : terms;
  const ranked =
    subject.length > 0 ? ctx.rank(pool, { terms: subject, minCoverage: 0.34, fit: ownFit }).map((s) => s.fact) : [...pool].sort((a, b) => ownFit(b) - ownFit(a) || b.date.localeCompare(a.date));
  // Both sides asked ("where do the US and Korea each stand"): each side's best first, both in the lead.
  let sides: Fact[] = [];
  if (bothSidesAsked(q.text) && ranked.length > 1) {
    sides = ["US", "Korea"].map((side) => ranked.find((f) => sideOfActor(f.actor) === side)).filter((f): f is Fact => f !== undefined);
    ranked.splice(0, ranked.length, ...sides, ...ranked.filter((f) => !sides.includes(f)));
  }
  const who = q.side === "US" ? "the United States" : q.side ? actorLabel(q.side) : undefined;
  if (ranked.length === 0) {
    const lead = `No position${who ? ` of ${who}` : ""}${terms.length ? " on this subject" : ""} is on record as of ${q.asOf}.`;
    // What the record holds on the subject that is not a stated position (a measure, a figure) is offered first: "the
    // US position on pickup tariffs" has no position, but the 25 percent light-truck tariff is on record.
    const onSubject =
      terms.length > 0
        ? ctx
            .rank(ctx.visible.filter((f) => f.kind !== "position" && f.kind !== "quote"))
            .slice(0, 2)
            .map((s) => s.fact)
        : [];
    if (onSubject.length > 0) {
      const top = onSubject[0]!;
      return ctx.nothing(`${lead} The record has “${top.title}” (${top.date}) on this subject, which is not a stated position.`, onSubject, "On record on this subject (not a stated position)");
    }
    // The side's positions on other subjects are offered, said to be so: they do not answer the question.
    return q.side && newest.length > 0 ? ctx.nothing(lead, newest.slice(0, 3), `Positions of ${who} on record (none names this subject)`) : ctx.nothing(lead);
  }
  const top = ranked[0]!;
  const said = (f: Fact) => `“${f.title}” (${f.date})`;
  const lead =
    sides.length === 2
      ? `Positions on record (as of ${q.asOf}${occasion ? `, before ${occasion.day}` : ""}): the United States, ${said(sides[0]!)}; Korea, ${said(sides[1]!)}.`
      : `${possessive(actorLabel(top.actor))} position on record (as of ${q.asOf}): ${said(top)}.`;
  return ctx.answer(
    true,
    lead,
    ranked.slice(0, 3).map((f) => ctx.answered(f)),
    { statusDay: q.asOf },
  );
}
