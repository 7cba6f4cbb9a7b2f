/**
 * Which words of a question are used as nouns, and which as verbs, adjectives or adverbs ("sell", "original", "built"),
 * by the part-of-speech tagger of compromise (its "two" build: lexicon and tagger, no further plugins). Matching
 * (similarity.ts) lets a verb or adjective weigh little when no fact knows it: it says how the question is put, while
 * an unknown noun or name ("beef", "WTO") says the question is about something not on record. A common English word
 * used as a noun ("round" in "the next round of talks") names the subject and weighs fully.
 */
import nlp from "compromise/two";

const MODIFIER_TAGS = ["Verb", "Adjective", "Adverb"];

/** The lowercased words of `text` tagged as nouns (names and acronyms too), and those tagged as a verb, adjective or adverb and never as a noun. */
export function partsOfSpeech(text: string): { nouns: Set<string>; modifiers: Set<string> } {
  const out = new Set<string>();
  const nouns = new Set<string>();
  for (const sentence of nlp(text).json() as Array<{ terms: Array<{ normal: string; tags: string[] }> }>) {
    for (const term of sentence.terms) {
      for (const word of term.normal.toLowerCase().split(/[-\s]+/)) {
        if (!word) continue;
        if (term.tags.includes("Noun") || term.tags.includes("ProperNoun") || term.tags.includes("Acronym")) nouns.add(word);
        else if (MODIFIER_TAGS.some((tag) => term.tags.includes(tag))) out.add(word);
      }
    }
  }
  for (const word of nouns) out.delete(word);
  return { nouns, modifiers: out };
}
