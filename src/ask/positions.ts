/**
 * A side's position (src/ask/lookups.ts answers the other lookups): the positions and quotes on record on the subject,
 * of the side or speaker the question names, as of its day.
 */
import { actorLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import type { AskAnswer } from "./answer.js";
import { type Context, SIDE_WORDS } from "./context.js";
import { GLOSSARY } from "./glossary.js";
import type { Term } from "./similarity.js";
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
  const ranked =
    terms.length > 0 ? ctx.rank(positions, { terms, minCoverage: 0.34, fit: byCourse }).map((s) => s.fact) : [...newest].sort((a, b) => byCourse(b) - byCourse(a) || b.date.localeCompare(a.date));
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
  const lead = `${possessive(actorLabel(top.actor))} position on record (as of ${q.asOf}): “${top.title}” (${top.date}).`;
  return ctx.answer(
    true,
    lead,
    ranked.slice(0, 3).map((f) => ctx.answered(f)),
    { statusDay: q.asOf },
  );
}
