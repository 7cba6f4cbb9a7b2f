/**
 * Which words of a question are used as nouns, and which as verbs, adjectives or adverbs ("sell", "original", "built"),
 * by the part-of-speech tagger of compromise (its "two" build: lexicon and tagger, no further plugins). Matching
 * (similarity.ts) lets a verb or adjective weigh little when no fact knows it: it says how the question is put, while
 * an unknown noun or name ("beef", "WTO") says the question is about something not on record. A common English word
 * used as a noun ("round" in "the next round of talks") names the subject and weighs fully.
 *
 * The tagger is loaded on demand, not with the bot: building its lexicon takes 0.7-0.9 s on an idle core (3 s under
 * load) and holds about 15 MB of heap (40 MB of RSS). A question whose answer the tags cannot change is answered
 * without it (src/ask/answer.ts decides); one they can change waits for it; after the first question it is loaded in
 * the background, so the next question that needs it does not wait.
 */
type Tagger = typeof import("compromise/two")["default"];

const MODIFIER_TAGS = ["Verb", "Adjective", "Adverb"];

let tagger: Tagger | undefined;
let loading: Promise<void> | undefined;

/** Loads the tagger once (later calls share the first load), and tags one sentence: its first use builds more. */
export function loadTagger(): Promise<void> {
  loading ??= import("compromise/two").then((m) => {
    m.default("When did the first round of talks take place?").json();
    tagger = m.default;
  });
  return loading;
}

/** True once the tagger is loaded. */
export function taggerLoaded(): boolean {
  return tagger !== undefined;
}

/**
 * The lowercased words of `text` tagged as nouns (names and acronyms too), and those tagged as a verb, adjective or
 * adverb and never as a noun; undefined while the tagger is not loaded.
 */
export function partsOfSpeech(text: string): { nouns: Set<string>; modifiers: Set<string> } | undefined {
  if (!tagger) return undefined;
  const out = new Set<string>();
  const nouns = new Set<string>();
  // "US" is read by the tagger as the pronoun "us", which makes the next word a verb ("tariff on US beef": "we beef"):
  // it is given the country's name to tag.
  const country = text.replace(/\bU\.S\.(?:A\.)?|\bUSA?\b/g, "America");
  for (const sentence of tagger(country).json() as Array<{ terms: Array<{ normal: string; tags: string[] }> }>) {
    sentence.terms.forEach((term, i) => {
      // A word after an ordinal is the noun it counts ("second round", which the tagger can read as "to round").
      const counted = sentence.terms[i - 1]?.tags.includes("Ordinal") === true;
      for (const word of term.normal.toLowerCase().split(/[-\s]+/)) {
        if (!word) continue;
        if (counted || term.tags.includes("Noun") || term.tags.includes("ProperNoun") || term.tags.includes("Acronym")) nouns.add(word);
        else if (MODIFIER_TAGS.some((tag) => term.tags.includes(tag))) out.add(word);
      }
    });
  }
  for (const word of nouns) out.delete(word);
  return { nouns, modifiers: out };
}
