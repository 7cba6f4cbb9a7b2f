/**
 * Matching a question's words to a fact's text without a language model: a light stemmer, a small list of the
 * team's synonyms (a question says "parliament", the fact "National Assembly"), word weights by rarity (BM25-style
 * over the facts searched), and character-trigram similarity for the words neither catches ("renegotiation" and
 * "negotiations").
 */
import { actorLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { contentWords } from "./question.js";

/** A crude English stemmer: enough that "negotiations", "negotiated" and "negotiating" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  for (const [suffix, keep] of [
    ["ations", "ate"], ["ation", "ate"], ["ments", ""], ["ment", ""], ["ings", ""], ["ing", ""], ["ied", "y"], ["ies", "y"],
    ["ed", ""], ["es", ""], ["s", ""], ["ly", ""],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length) + keep;
      break;
    }
  }
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  if (/(.)\1$/.test(w) && !/[ls]$/.test(w)) w = w.slice(0, -1);
  return w;
}

/**
 * Groups of words that mean the same thing in this team's questions and facts. A question word in a group also
 * matches the group's other words, at a little less weight.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ["parliament", "legislature", "lawmakers", "assembly", "national"],
  ["approve", "ratify", "ratification", "pass", "passes", "passed", "adopt"],
  ["congress", "senate", "house"],
  ["begin", "start", "open", "launch", "enter", "force", "effect", "commence", "apply", "valid"],
  ["deficit", "imbalance", "gap", "shortfall", "balance"],
  ["meet", "meeting", "session", "talks", "round", "gather", "summit"],
  ["negotiate", "negotiation", "talks", "round", "renegotiate", "renegotiation"],
  ["amend", "amendment", "revise", "revision", "change", "update", "modify", "renegotiate"],
  ["sign", "signature", "signed", "conclude", "concluded", "ink"],
  ["car", "cars", "auto", "autos", "vehicle", "vehicles", "automobile"],
  ["truck", "trucks", "pickup", "pickups"],
  ["tariff", "tariffs", "duty", "duties", "levy"],
  ["cap", "quota", "limit", "ceiling"],
  ["steel", "aluminum", "metal", "metals"],
  ["washer", "washers", "washing", "machines", "appliances", "solar", "panels", "safeguard"],
  ["president", "trump", "moon", "leaders", "leader"],
  ["korea", "korean", "seoul", "rok", "moti"],
  ["us", "america", "american", "united", "states", "washington", "ustr", "usa"],
  ["request", "ask", "asked", "call", "called", "demand"],
  ["hearing", "consultation", "public"],
  ["delay", "defer", "deferred", "postpone", "postponed"],
  ["publish", "published", "release", "released", "text"],
  ["review", "study", "examine", "assess"],
  ["kill", "terminate", "termination", "withdraw", "scrap", "horrible"],
  ["currency", "exchange", "won", "manipulation"],
  ["model", "precedent", "template", "usmca", "nafta"],
  ["farm", "farming", "agriculture", "agricultural", "rice", "beef"],
  ["import", "imports", "export", "exports", "trade", "goods"],
  ["cabinet", "government", "decide", "decision", "formally"],
];

const SYNONYM_STEMS: Map<string, Set<string>> = (() => {
  const map = new Map<string, Set<string>>();
  for (const group of SYNONYMS) {
    const stems = group.map(stem);
    for (const s of stems) {
      const set = map.get(s) ?? new Set<string>();
      for (const other of stems) if (other !== s) set.add(other);
      map.set(s, set);
    }
  }
  return map;
})();

/** The stems of a fact's searchable text: title (twice: it weighs more), summary, actor and source title. */
function factStems(fact: Fact): { title: Set<string>; all: Map<string, number>; length: number } {
  const titleWords = contentWords(fact.title).map(stem);
  const rest = contentWords(`${fact.summary} ${actorLabel(fact.actor)} ${fact.actor} ${fact.kind} ${fact.figure?.series?.replace(/-/g, " ") ?? ""}`).map(stem);
  const all = new Map<string, number>();
  for (const w of titleWords) all.set(w, (all.get(w) ?? 0) + 2);
  for (const w of rest) all.set(w, (all.get(w) ?? 0) + 1);
  return { title: new Set(titleWords), all, length: titleWords.length * 2 + rest.length };
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of text.split(/\s+/)) {
    const w = `  ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) grams.add(w.slice(i, i + 3));
  }
  return grams;
}

/** Jaccard similarity of two texts' character trigrams (0..1). */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/** The text match of one fact to the question words: BM25-like over stems and synonyms, plus trigram similarity. */
export interface TextScorer {
  /** `coverage`: the share of the question's word weight (rarity) that the fact matched, 0..1. */
  score(fact: Fact): { score: number; matched: string[]; coverage: number };
}

/** Builds a scorer over the facts to be ranked (word rarity is counted among them). */
export function textScorer(words: readonly string[], facts: readonly Fact[]): TextScorer {
  const queryStems = [...new Set(words.map(stem))];
  const docs = new Map<number, ReturnType<typeof factStems>>();
  const df = new Map<string, number>();
  let totalLength = 0;
  for (const f of facts) {
    const d = factStems(f);
    docs.set(f.id, d);
    totalLength += d.length;
    for (const s of d.all.keys()) df.set(s, (df.get(s) ?? 0) + 1);
  }
  const n = Math.max(facts.length, 1);
  const avg = Math.max(totalLength / n, 1);
  const idf = (s: string) => Math.log(1 + (n - (df.get(s) ?? 0) + 0.5) / ((df.get(s) ?? 0) + 0.5));
  const questionText = queryStems.join(" ");
  return {
    score(fact) {
      const d = docs.get(fact.id) ?? factStems(fact);
      let score = 0;
      let covered = 0;
      let total = 0;
      const matched: string[] = [];
      for (const q of queryStems) {
        total += idf(q);
        let tf = d.all.get(q) ?? 0;
        let weight = 1;
        if (tf === 0) {
          // A synonym in the fact counts for a little less than the word itself.
          for (const syn of SYNONYM_STEMS.get(q) ?? []) tf = Math.max(tf, d.all.get(syn) ?? 0);
          weight = 0.7;
          if (tf === 0) continue;
        }
        matched.push(q);
        covered += idf(q);
        const k1 = 1.2;
        const b = 0.5;
        score += weight * idf(q) * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * d.length) / avg)));
      }
      if (questionText) score += 2 * trigramSimilarity(questionText, [...d.title].join(" "));
      return { score, matched, coverage: total === 0 ? 1 : covered / total };
    },
  };
}
