/** A text split into words, as question and fact matching read them (src/ask/similarity.ts). */
import stem from "wink-porter2-stemmer";

/** Ordinals written out, as titles write them ("Second round"). */
export const ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** One word of a text: as written, normalised, stemmed, and whether it was capitalised mid-sentence (a name). */
export interface Token {
  raw: string;
  word: string;
  stem: string;
  name: boolean;
  /** A word that says what kind of answer is wanted ("deadline", "when"), not what it is about: matched only in phrases. */
  frame?: boolean;
  /** In a question, the word is used as a verb, adjective or adverb (part-of-speech tagging): it says how, not what. */
  modifier?: boolean;
  /** In a question, the word is used as a noun. */
  noun?: boolean;
  /** In a listing question, a word of what is listed ("which items are due", "overdue tasks"), before any preposition. */
  head?: boolean;
}

/**
 * Splits text into words: "U.S." (or "u.s." as typed in lower case) is "usa", "Korea's" is "korea", "50,000" is "50000",
 * hyphens split. Only "US" in capitals is the country: "us" in lower case is the pronoun.
 */
export function tokenize(text: string): Token[] {
  const normalized = text
    .replace(/\bu\.s\.(a\.)?|\bu\.s\b|\busa\b/gi, " usa ")
    .replace(/\bUS\b/g, " usa ")
    .replace(/(\d),(\d{3})\b/g, "$1$2")
    // "$27.7bn" is the amount 27.7 and "bn": a currency sign and a unit written on a number are words of their own.
    .replace(/[$€£₩](?=\d)/g, " ")
    // "50k" is 50,000 as a number is written out in full ("50,000 cars"); "bn", "m", "tn" stay words of their own.
    .replace(/\b(\d{1,12})k\b/gi, (_m, n: string) => `${Number(n) * 1000}`)
    .replace(/\b(\d+(?:\.\d+)?)(bn|m|tn)\b/gi, "$1 $2")
    // "$27.6B": a capital B written on an amount is billions, as headlines and tables abbreviate it ("bn" in the glossary).
    .replace(/\b(\d+(?:\.\d+)?)B\b/g, "$1 bn")
    // "2nd", "3rd": an ordinal written in figures is the word titles write ("Second round").
    .replace(/\b([1-9]|10)(?:st|nd|rd|th)\b/gi, (_m, n: string) => ORDINAL_WORDS[Number(n) - 1]!)
    .replace(/[’']s\b/g, "")
    // "okay'd", "OK'd": the past tense written with an apostrophe; "they'd", "we'd" are a pronoun and "would" or "had".
    .replace(/\b(i|you|he|she|it|we|they|who|that|there)[’']d\b/gi, "$1")
    .replace(/(\w)[’']d\b/g, "$1ed")
    .replace(/[“”"()[\]{}:;,!?*_`|<>]/g, " ");
  const out: Token[] = [];
  let sentenceStart = true;
  for (const piece of normalized.split(/\s+/)) {
    if (!piece) continue;
    const endsSentence = /[.]$/.test(piece) && !/^(?:[A-Z]\.)+$/.test(piece);
    for (const part of piece.split(/[-–—/]/)) {
      const raw = part.replace(/^[.']+|[.']+$/g, "");
      if (!raw) continue;
      const word = raw.toLowerCase();
      const name = !sentenceStart && /^[A-Z]/.test(raw) && word !== "usa";
      out.push({ raw, word, stem: /^\d/.test(word) ? word : stem(word), name });
      sentenceStart = false;
    }
    if (endsSentence) sentenceStart = true;
  }
  return out;
}
