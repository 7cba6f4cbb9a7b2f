/**
 * Who holds a role, by the record's own words: "who is Korea's trade minister?" is answered by the names the store's texts
 * write beside the role ("Korea's trade minister Kim Hyun-chong", "ROK Minister for Trade Hyun Chong Kim", "Robert
 * Lighthizer, U.S. Trade Representative"), the newest mention known on the as-of day first. No list of offices or
 * people is kept: the role's words are the question's, matched through the glossary and the store's acronyms.
 */
import type { IsoDate } from "../facts/dates.js";
import { actorLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import type { Context } from "./context.js";
import type { Question } from "./question.js";
import { isStopWord, stem, type Term } from "./similarity.js";
import { type Token, tokenize } from "./tokens.js";

/** "Who is Korea's trade minister?", "who was the U.S. trade representative then": a role, asked for who holds it. */
const WHO_HOLDS = /^\s*who(?:'s| is| was| were| are)\s+(?:the\s+|a\s+)?(.+?)\s*[?.!]*\s*$/i;
/** A person's name as texts write it: two to four capitalised words, hyphenated given names and initials allowed. */
const NAME = /^((?:[A-Z][a-z]+(?:-[a-z]+)?)(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:-[a-z]+)?){1,3})/;
const NAME_BEFORE = /((?:[A-Z][a-z]+(?:-[a-z]+)?)(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:-[a-z]+)?){1,3}),\s*$/;

/** Words that begin the occasion a role is asked at, not the role ("in the talks", "during the sessions", "at the round"). */
const OCCASION = new Set(["in", "during", "at", "throughout", "when", "while", "under"]);

/** One mention of a person in a role. */
export interface RoleMention {
  name: string;
  /** The words of the text around it ("Korea's trade minister Kim Hyun-chong"). */
  text: string;
  date: IsoDate;
  fact: Fact;
}

/**
 * The role a "who is X" question asks about, if it is one: its words after the verb, time words taken out ("as of
 * 2017-07-15"), when none is a verb ("who is leading the talks").
 */
export function roleAsked(q: Question): Token[] | undefined {
  const said = roleText(q);
  if (!said || said.split(/\s+/).some((w) => /ing$/i.test(w))) return undefined;
  const at = q.tokens.findIndex((t) => t.word === "who");
  const words = q.tokens.slice(at + 1).filter((t) => !t.frame && !["is", "was", "were", "are"].includes(t.word));
  // "Korea's trade minister in the talks", "... during the special sessions": the role ends where the occasion begins
  // ("Minister for Trade" keeps its "for").
  const occasion = words.findIndex((t, i) => i > 0 && OCCASION.has(t.word));
  const role = occasion > 0 ? words.slice(0, occasion) : words;
  return role.length > 0 ? role : undefined;
}

/** The role as the question writes it, without its occasion ("Korea's trade minister" of "... in the talks"). */
export function roleText(q: Question): string | undefined {
  const m = WHO_HOLDS.exec(q.text.replace(/[’]/g, "'"));
  if (!m) return undefined;
  const said = m[1]!.split(/\s+/);
  const end = said.findIndex((w, i) => i > 0 && OCCASION.has(w.toLowerCase()));
  return (end > 0 ? said.slice(0, end) : said).join(" ");
}

/** The same person written in another order or with other hyphens ("Hyun Chong Kim", "Kim Hyun-chong"). */
function personKey(name: string): string {
  return name
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => !/^[a-z]\.$/.test(w))
    .sort()
    .join(" ");
}

/**
 * The mentions of the role in the visible facts' titles, summaries, actors and source titles, newest first (a source
 * title is dated by the source, else by the fact citing it); none when the question names no role the texts write
 * beside a name.
 */
export function roleHolders(ctx: Context, role: readonly Token[]): RoleMention[] {
  const roleTokens = role.filter((t) => !isStopWord(t) || t.word === "trade");
  const head = roleTokens.at(-1);
  if (!head) return [];
  // The role's other words, as terms (the glossary reads "ROK" as Korea and "USTR" as the trade representative).
  const required: Term[] = ctx.matcher.terms(roleTokens);
  if (required.length === 0) return [];
  const headStem = head.stem;
  const out: RoleMention[] = [];
  const seen = new Set<string>();
  for (const fact of ctx.visible) {
    const texts: Array<[string, IsoDate]> = [
      [fact.title, fact.date],
      [fact.summary, fact.date],
      [actorLabel(fact.actor), fact.date],
      ...fact.sources.map((s): [string, IsoDate] => [s.title ?? "", s.date && s.date <= ctx.q.asOf ? s.date : fact.date]),
    ];
    for (const [text, date] of texts) {
      for (const m of text.matchAll(/[A-Za-z][\w'’.-]*/g)) {
        if (
          stem(
            m[0]
              .replace(/[’']s$/, "")
              .replace(/\.$/, "")
              .toLowerCase(),
          ) !== headStem
        )
          continue;
        const end = m.index + m[0].length;
        // The role's words before its noun, and "for Trade" or "of Commerce" after it.
        // The words before it back to a comma or a bracket: "Korea's trade minister", "Robert Lighthizer, U.S. Trade
        // Representative" (the name is before the comma).
        const segment = text
          .slice(Math.max(0, m.index - 60), m.index)
          .split(/[,;:()"“”]/)
          .at(-1)!;
        const tail = /^\s+(?:for|of)\s+[A-Z][\w.&-]*/.exec(text.slice(end))?.[0] ?? "";
        const keys = (words: string) => new Set(ctx.matcher.terms(tokenize(words)).flatMap((t) => [t.key, ...t.stems.map((x) => `s:${x}`)]));
        const wanted = (k: ReadonlySet<string>) => required.some((t) => k.has(t.key) || t.stems.some((x) => k.has(`s:${x}`)));
        // The role's words before its noun, up to five, the first being one of the question's ("Korea's trade minister",
        // not "Lighthizer and Korea's trade minister").
        const leadWords = segment.trim().split(/\s+/).filter(Boolean).slice(-5);
        while (leadWords.length > 0 && !wanted(keys(leadWords[0]!))) leadWords.shift();
        // A title word right before the noun that the question does not say ("Assistant USTR" for "the USTR") is another role.
        const last = segment.trim().split(/\s+/).at(-1) ?? "";
        const lastKeys = keys(last);
        if (/^[A-Z][a-z]/.test(last) && lastKeys.size > 0 && !wanted(lastKeys)) continue;
        const window = `${leadWords.join(" ")} ${m[0]}${tail}`.trim();
        const windowKeys = keys(window);
        if (!required.every((t) => windowKeys.has(t.key) || t.stems.some((x) => windowKeys.has(`s:${x}`)))) continue;
        const after = NAME.exec(text.slice(end + tail.length).replace(/^\s+/, ""))?.[1];
        // "Robert Lighthizer, U.S. Trade Representative": a name before the role, when the role ends the text or clause.
        const closes = /^\s*(?:$|[),;.])/.test(text.slice(end + tail.length));
        const name = after ?? (closes ? NAME_BEFORE.exec(text.slice(0, m.index - segment.length))?.[1] : undefined);
        if (!name) continue;
        const key = `${personKey(name)}|${date}|${fact.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name, text: after ? `${window.trimEnd()} ${name}` : `${name}, ${window}`, date, fact });
      }
    }
  }
  return out.sort((a, b) => b.date.localeCompare(a.date) || a.fact.id - b.fact.id);
}

/** The people of the mentions, newest first, each with the other forms of their name. */
export function holdersByPerson(mentions: readonly RoleMention[]): Array<{ names: string[]; mentions: RoleMention[] }> {
  const people = new Map<string, { names: string[]; mentions: RoleMention[] }>();
  for (const m of mentions) {
    const key = personKey(m.name);
    const p = people.get(key) ?? { names: [], mentions: [] };
    if (!p.names.includes(m.name)) p.names.push(m.name);
    p.mentions.push(m);
    people.set(key, p);
  }
  return [...people.values()];
}
