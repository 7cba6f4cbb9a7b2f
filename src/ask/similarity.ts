/**
 * Matching a question's words to facts without a language model. Words are stemmed (Porter2, wink-porter2-stemmer);
 * English function words are dropped (stopword's list), and so are common English words (stopwords-iso) unless the
 * store's own titles use them ("round", "second", "section", "goods" are common words but KORUS subjects); phrases of the reviewed glossary (glossary.ts) and the acronyms the
 * store itself defines ("Ministry of Trade, Industry and Energy (MOTIE)") become concepts, so "parliament" finds the
 * National Assembly. Each question term weighs by its rarity among the facts (BM25); a term no fact knows weighs fully
 * against every fact, so a question about something not on record is not answered by its common words.
 */
import { eng as coreStopwords } from "stopword";
import stopwordsIso from "stopwords-iso" with { type: "json" };
import { createHash } from "node:crypto";
import stem from "wink-porter2-stemmer";
import { actorLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { GLOSSARY } from "./glossary.js";
import { nameInitials, storeAcronyms } from "./store-names.js";
import { ORDINAL_WORDS, type Token, tokenize } from "./tokens.js";

export { stem };

const ORDINALS = new Set([...ORDINAL_WORDS, "last", "next"]);
/** Common English words (stopwords-iso), less ordinals, which tell one round or session from another. */
const STOP = new Set((stopwordsIso as unknown as { en: string[] }).en.filter((w) => !ORDINALS.has(w) && w !== "last" && w !== "next"));
/**
 * Words in every KORUS fact, which say nothing about which one: the agreement and its names ("the deal", "the new terms",
 * "the steel arrangement": 'arrangement' is the word trade law and the press use for an agreement between governments,
 * as in the Multifibre Arrangement or a voluntary restraint arrangement).
 */
const EVERYWHERE = new Set(["korus", "fta", "agreement", "deal", "pact", "treaty", "accord", "arrangement", "terms", "free", "trade", "agreement's"]);

/**
 * English auxiliary and modal verbs, a closed grammatical class: they carry tense or mood, never a subject, even where a
 * title uses one ("as it does that of Korea").
 */
const AUXILIARIES = "be is are was were been being am do does did doing done have has had having can could will would shall should may might must".split(" ");
/** English personal and possessive pronouns, a closed class: they stand for a subject, never name one ("its deadline"). */
const PRONOUNS = "i me my we us our ours you your yours he him his she her hers it its they them their theirs".split(" ");
/** English function words ("the", "with", "must"): never a subject. */
const CORE_STOP = new Set([...coreStopwords, ...AUXILIARIES, ...PRONOUNS]);

/**
 * True for a word that carries no subject: a function word, a KORUS-everywhere word, a single letter, or a common
 * English word that the store's titles do not use (`titleStems`).
 */
export function isStopWord(token: Token, titleStems?: ReadonlySet<string>): boolean {
  if (token.name && !EVERYWHERE.has(token.word)) return false;
  if (token.word.length < 2 || CORE_STOP.has(token.word) || EVERYWHERE.has(token.word)) return true;
  return (STOP.has(token.word) || STOP.has(token.stem)) && !titleStems?.has(token.stem);
}

/** A glossary or store phrase, stemmed, with the concepts it names. */
interface Phrase {
  stems: string[];
  concepts: number[];
}

function phraseIndex(entries: ReadonlyArray<{ terms: readonly string[] }>, offset: number): Map<string, Phrase[]> {
  const byFirst = new Map<string, Phrase[]>();
  entries.forEach((entry, i) => {
    for (const term of entry.terms) {
      const stems = tokenize(term).map((t) => t.stem);
      if (stems.length === 0) continue;
      const list = byFirst.get(stems[0]!) ?? [];
      const existing = list.find((p) => p.stems.join(" ") === stems.join(" "));
      if (existing) existing.concepts.push(offset + i);
      else list.push({ stems, concepts: [offset + i] });
      byFirst.set(stems[0]!, list);
    }
  });
  for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return byFirst;
}

const GLOSSARY_PHRASES = phraseIndex(GLOSSARY, 0);

/** A term of a question or fact: a concept (glossary entry or store acronym) or a word stem. */
export interface Term {
  key: string;
  /** A common English word kept because the store's titles use it ("round", "puts"): it weighs half. */
  common?: boolean;
  /** Used in the question as a verb, adjective or adverb ("sell", "original"), not as a noun or name. */
  modifier?: boolean;
  /** Written as a name in the question ("China", "EU"). */
  name?: boolean;
  /** The words of the text it stands for. */
  words: string[];
  /** The stems it also counts as (a concept's words), so a fact saying them matches. */
  stems: string[];
}

/**
 * The terms of a text: each longest glossary or store phrase as its concepts ("c:12"), the other content words as
 * stems ("s:ratifi"). Stop words are dropped unless part of a phrase ("take effect").
 */
export function termsOf(tokens: readonly Token[], extra?: Map<string, Phrase[]>, titleStems?: ReadonlySet<string>): Term[] {
  const out: Term[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let phrase: Phrase | undefined;
    for (const index of extra ? [GLOSSARY_PHRASES, extra] : [GLOSSARY_PHRASES]) {
      for (const p of index.get(t.stem) ?? []) {
        if (p.stems.every((s, k) => tokens[i + k]?.stem === s) && (!phrase || p.stems.length > phrase.stems.length)) phrase = p;
      }
    }
    // A phrase of frame words only ("deadline", "due date") says what is asked, not about what.
    if (phrase && tokens.slice(i, i + phrase.stems.length).every((x) => x.frame)) {
      i += phrase.stems.length - 1;
      continue;
    }
    if (phrase) {
      const words = tokens.slice(i, i + phrase.stems.length).map((x) => x.word);
      for (const c of phrase.concepts) out.push({ key: `c:${c}`, words, stems: phrase.stems });
      i += phrase.stems.length - 1;
      continue;
    }
    if (t.frame || isStopWord(t, titleStems)) continue;
    const common = !t.name && (STOP.has(t.word) || STOP.has(t.stem)) && !t.noun;
    out.push({ key: `s:${t.stem}`, words: [t.word], stems: [t.stem], ...(common ? { common } : {}), ...(t.name ? { name: true } : {}), ...(t.modifier && !t.name ? { modifier: true } : {}) });
  }
  return out;
}

/** A fact's terms by field: the title counts twice, then the summary, actor, kind, series, event key and sources. */
interface FactTerms {
  counts: Map<string, number>;
  title: Set<string>;
  /** Terms of the summary, actor, series and event key (not only of the sources). */
  body: Set<string>;
  length: number;
}

/** The share of its weight an unknown verb or adjective of the question keeps. */
const UNKNOWN_MODIFIER_WEIGHT = 0.25;
/** The share of its weight a known verb, adjective or adverb of the question keeps beside its nouns. */
const KNOWN_MODIFIER_WEIGHT = 0.6;

/** How much a match counts toward coverage by where it is: the title states the fact, the rest gives context. */
const PLACE_WEIGHT = { title: 1, body: 0.6, sources: 0.4 } as const;

/**
 * The concepts a phrase's own words name: "amendment negotiations" (the renegotiation) says "negotiations", one of the
 * words of the negotiations entry, so a fact saying it is about talks too.
 */
function innerConcepts(term: Term): string[] {
  if (!term.key.startsWith("c:") || term.stems.length < 2) return [];
  return term.stems.flatMap((s) => (GLOSSARY_PHRASES.get(s) ?? []).filter((p) => p.stems.length === 1).flatMap((p) => p.concepts.map((c) => `c:${c}`)));
}

function addTerms(counts: Map<string, number>, terms: readonly Term[], weight: number): void {
  for (const term of terms) {
    counts.set(term.key, (counts.get(term.key) ?? 0) + weight);
    // A concept's words count too, so a question word matches a fact that says the phrase.
    if (term.key.startsWith("c:")) for (const s of term.stems) counts.set(`s:${s}`, (counts.get(`s:${s}`) ?? 0) + weight);
    for (const c of innerConcepts(term)) if (c !== term.key) counts.set(c, (counts.get(c) ?? 0) + weight);
  }
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** "2018-06-01" as "2018-06-01 June 2018": the month a reader names a day by. */
function monthsNamed(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-\d{2}\b/g, (day, year: string, month: string) => `${day} ${MONTH_NAMES[Number(month) - 1] ?? ""} ${year}`);
}

/** The text of a fact that matching reads. */
export function factText(fact: Fact): { title: string; rest: string; sources: string } {
  return {
    // A deadline counted from a fact is named by its length as much as by its title ("the 30-day rule"), and by the
    // provision its summary cites for it ("the Art. 22.2.4 deadline").
    title: [fact.title, ...(fact.after ? [`${fact.after.days} days`] : []), ...(fact.kind === "deadline" ? provisionsCited(fact.summary) : [])].join(". "),
    // Other readings are matched too, their days as a reader names them ("started in June": a reading of 2018-06-01).
    rest: `${fact.summary}. ${actorLabel(fact.actor)}. ${fact.figure?.series?.replace(/-/g, " ") ?? ""}. ${fact.event?.replace(/-/g, " ") ?? ""}. ${fact.disputed.map((d) => monthsNamed(d.says)).join(". ")}`,
    sources: fact.sources.map((s) => s.title ?? "").join(". "),
  };
}

/** The provisions a text cites by number ("Article 22.2.4", "Art. 24.5", "Section 232"), each once. */
function provisionsCited(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(?:Article|Art\.?|Section|§)\s*\d+(?:\.\d+)*/g)].map((m) => m[0]))];
}

/** How well one fact matches a question's terms. */
export interface TextMatch {
  score: number;
  /** Question term keys the fact matched. */
  matched: string[];
  /** The share of the question's term weight the fact matched, 0..1 (terms no fact knows count against it). */
  coverage: number;
  /** True when the fact matched the question's rarest known term. */
  sharesSubject: boolean;
  /** True when that term is in the fact's title. */
  inTitle: boolean;
  /** True when any of the question's terms that most facts do not say is in the fact's title. */
  titleShared: boolean;
  /**
   * True when the fact's title or summary says every noun of the question that the facts know and most do not say, and
   * the question has no noun they do not know ("pharmaceuticals" in a summary listing a deal's outcomes).
   */
  wholeSubject?: boolean;
}

/** The store's phrases, title words and each fact's terms, for one version of the store's text. */
interface StoreTerms {
  signature: string;
  phrases: Map<string, Phrase[]>;
  /** Initials of the store's names: "JC" is "Joint Committee". */
  initials: Map<string, string>;
  titleStems: Set<string>;
  docs: Map<number, FactTerms>;
}

function factTerms(f: Fact, store: Pick<StoreTerms, "phrases" | "titleStems">): FactTerms {
  const read = (text: string) => termsOf(tokenize(text), store.phrases, store.titleStems);
  const text = factText(f);
  const counts = new Map<string, number>();
  const title = read(text.title);
  addTerms(counts, title, 2);
  const body = read(text.rest);
  addTerms(counts, body, 1);
  addTerms(counts, read(text.sources), 0.5);
  const keys = (terms: Term[]) => new Set(terms.flatMap((t) => [t.key, ...(t.key.startsWith("c:") ? t.stems.map((s) => `s:${s}`) : []), ...innerConcepts(t)]));
  const length = [...counts.values()].reduce((a, b) => a + b, 0);
  return { counts, title: keys(title), body: keys(body), length };
}

let lastStore: StoreTerms | undefined;

/** The terms of every fact, read once per version of the store's text (a hash of what matching reads). */
function storeTerms(all: readonly Fact[]): StoreTerms {
  const hash = createHash("sha1");
  for (const f of all) {
    const t = factText(f);
    hash.update(`${f.id}\u0000${t.title}\u0000${t.rest}\u0000${t.sources}\u0001`);
  }
  const signature = hash.digest("hex");
  if (lastStore?.signature === signature) return lastStore;
  const phrases = phraseIndex(storeAcronyms(all), GLOSSARY.length);
  const titleStems = new Set(all.flatMap((f) => tokenize(f.title).map((t) => t.stem)));
  const store: StoreTerms = { signature, phrases, initials: nameInitials(all, (word) => CORE_STOP.has(word)), titleStems, docs: new Map() };
  for (const f of all) store.docs.set(f.id, factTerms(f, store));
  lastStore = store;
  return store;
}

/** A matcher over the facts to be ranked: term rarity is counted among them. */
export class FactMatcher {
  private readonly docs = new Map<number, FactTerms>();
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly storePhrases: Map<string, Phrase[]>;
  private readonly initials: Map<string, string>;
  private readonly titleStems: Set<string>;
  readonly size: number;

  /**
   * @param facts the facts to rank (those visible on the as-of day): term rarity is counted among them.
   * @param all every fact of the store, whose titles and acronyms decide which words are content words; each fact's
   * terms are kept between questions until the store's text changes.
   */
  constructor(facts: readonly Fact[], all: readonly Fact[] = facts) {
    const store = storeTerms(all);
    this.storePhrases = store.phrases;
    this.initials = store.initials;
    this.titleStems = store.titleStems;
    let total = 0;
    for (const f of facts) {
      const doc = store.docs.get(f.id) ?? factTerms(f, store);
      this.docs.set(f.id, doc);
      total += doc.length;
      for (const key of doc.counts.keys()) this.df.set(key, (this.df.get(key) ?? 0) + 1);
    }
    this.size = Math.max(facts.length, 1);
    this.avgLength = Math.max(total / this.size, 1);
  }

  /** The question's terms, read with the store's phrases too. */
  terms(tokens: readonly Token[]): Term[] {
    const seen = new Set<string>();
    return termsOf(this.expandInitials(tokens), this.storePhrases, this.titleStems).filter((t) => !seen.has(t.key) && seen.add(t.key));
  }

  /** "JC" written in capitals, which no fact says, is read as the store's name of those initials ("Joint Committee"). */
  private expandInitials(tokens: readonly Token[]): Token[] {
    return tokens.flatMap((t) => {
      const name = /^[A-Z]{2,6}$/.test(t.raw) && !this.df.has(`s:${t.stem}`) && !this.storePhrases.has(t.stem) && !GLOSSARY_PHRASES.has(t.stem) ? this.initials.get(t.raw) : undefined;
      return name ? tokenize(name).map((n) => ({ ...n, name: true, ...(t.frame ? { frame: true } : {}) })) : [t];
    });
  }

  /** How many facts have the term (0: the store does not know it). */
  frequency(key: string): number {
    return this.df.get(key) ?? 0;
  }

  /** A term's weight: its rarity among the facts (BM25's idf); unknown terms weigh as the rarest. */
  weight(key: string): number {
    const n = this.size;
    const df = this.df.get(key) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Groups the question's terms: terms for the same words (a word in two glossary entries) count once. */
  private groups(terms: readonly Term[]): Term[][] {
    const byWords = new Map<string, Term[]>();
    for (const t of terms) {
      const k = t.words.join(" ");
      byWords.set(k, [...(byWords.get(k) ?? []), t]);
    }
    return [...byWords.values()];
  }

  /** Scores one fact against the question's terms. */
  match(fact: Fact, terms: readonly Term[]): TextMatch {
    const doc = this.docs.get(fact.id);
    if (!doc || terms.length === 0) return { score: 0, matched: [], coverage: terms.length === 0 ? 1 : 0, sharesSubject: false, inTitle: false, titleShared: false };
    let score = 0;
    let covered = 0;
    let total = 0;
    let rarest: { weight: number; hit: boolean; inTitle: boolean } | null = null;
    const matched: string[] = [];
    let titleShared = false;
    // Every noun of the question's subject the facts know, said in the title or summary (not only a source's title),
    // and no noun they do not know.
    let subjectGroups = 0;
    let subjectAll = true;
    for (const group of this.groups(terms)) {
      // A group's weight is its rarest known form; a word nobody knows weighs as the rarest.
      const known = group.some((t) => this.frequency(t.key) > 0);
      // A word no fact knows weighs as the rarest when it names a thing ("beef", "WTO"); used as a verb or adjective
      // ("sell", "original") it says how the question is put, and weighs little against the facts.
      const modifier = !known && group.every((t) => t.modifier);
      // A known verb says what happened to the subject the nouns name ("when were tariffs on steel imposed"): it weighs
      // less than they do, so that a title sharing the verb does not tie with one sharing the nouns.
      const knownVerb = known && group.every((t) => t.modifier);
      const verbShare = knownVerb ? KNOWN_MODIFIER_WEIGHT : 1;
      const weight = Math.max(...group.map((t) => this.weight(t.key) * (t.common ? 0.5 : 1))) * (modifier ? UNKNOWN_MODIFIER_WEIGHT : verbShare);
      total += weight;
      let best = 0;
      let bestTf = 0;
      let place = 0;
      // A one-word concept also matches its word inside a longer phrase of the fact ("negotiations" in "amendment
      // negotiations").
      const keys = group.flatMap((t) => [t.key, ...(t.key.startsWith("c:") && t.stems.length === 1 ? [`s:${t.stems[0]}`] : [])]);
      for (const key of keys) {
        const tf = doc.counts.get(key) ?? 0;
        if (tf > 0 && this.weight(key) >= best) {
          best = this.weight(key);
          bestTf = tf + (doc.title.has(key) ? 1 : 0);
        }
        if (tf > 0) place = Math.max(place, doc.title.has(key) ? PLACE_WEIGHT.title : doc.body.has(key) ? PLACE_WEIGHT.body : PLACE_WEIGHT.sources);
      }
      if (known && (!rarest || weight > rarest.weight)) rarest = { weight, hit: bestTf > 0, inTitle: place === PLACE_WEIGHT.title };
      // A word most facts say ("Korea" in a store about KORUS) shares a title with nearly every fact: it tells none apart.
      const mostFacts = known && Math.min(...keys.map((k) => this.frequency(k) || Infinity)) > this.size / 2;
      if (!known && !modifier) subjectAll = false;
      else if (known && !mostFacts && !knownVerb) {
        subjectGroups++;
        if (place < PLACE_WEIGHT.body) subjectAll = false;
      }
      if (bestTf === 0) continue;
      if (place === PLACE_WEIGHT.title && !mostFacts) titleShared = true;
      matched.push(...group.map((t) => t.key));
      covered += weight * place;
      const k1 = 1.2;
      const b = 0.5;
      score += best * verbShare * ((bestTf * (k1 + 1)) / (bestTf + k1 * (1 - b + (b * doc.length) / this.avgLength)));
    }
    return {
      score,
      matched,
      coverage: total === 0 ? 1 : covered / total,
      sharesSubject: rarest?.hit ?? false,
      inTitle: rarest?.inTitle ?? false,
      titleShared,
      wholeSubject: subjectAll && subjectGroups > 0,
    };
  }
}
