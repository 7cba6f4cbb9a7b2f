import type { FactLine } from "../src/facts/jsonl.js";
import { addDays } from "../src/facts/dates.js";

const WORDS = [
  "tariff",
  "steel",
  "autos",
  "safeguard",
  "quota",
  "deficit",
  "negotiation",
  "round",
  "session",
  "committee",
  "agriculture",
  "beef",
  "rice",
  "pharmaceutical",
  "currency",
  "investment",
  "dispute",
  "panel",
  "review",
  "amendment",
  "ratification",
  "assembly",
  "congress",
  "ministry",
  "trade",
  "representative",
  "export",
  "import",
  "market",
  "access",
  "rules",
  "origin",
  "textiles",
  "services",
  "digital",
  "customs",
  "labor",
  "environment",
  "semiconductor",
  "battery",
  "subsidy",
  "solar",
];
const KINDS = ["event", "deadline", "figure", "position", "quote", "note"] as const;
const ACTORS = ["US", "Korea", "both", "Robert Lighthizer", "Yeo Han-koo", "MOTIE", "USTR"];

/** A deterministic pseudo-random generator (mulberry32), so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct synthetic facts between 2007 and 2026, as validated lines. */
export function syntheticFacts(count: number, seed = 42): FactLine[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const lines: FactLine[] = [];
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: 6 }, () => pick(WORDS));
    const kind = pick(KINDS);
    lines.push({
      date: addDays("2007-01-01", Math.floor(random() * 7300)),
      title: `${words.slice(0, 4).join(" ")} #${i}`,
      summary: `The ${words.join(" ")} item ${i}. ${pick(WORDS)} and ${pick(WORDS)} remain open.`,
      kind,
      actor: pick(ACTORS),
      sources: [{ title: `Synthetic source ${i % 500}`, url: `https://example.org/source/${i % 500}` }],
      disputed: [],
      confidence: "confirmed",
      topic: "korus",
    });
  }
  return lines;
}

/** The same facts as JSON Lines text. */
export function syntheticJsonl(count: number, seed = 42): string {
  return `${syntheticFacts(count, seed)
    .map((l) => JSON.stringify(l))
    .join("\n")}\n`;
}

/** The creator and owner of the bench memos, and the user who submits their sections. */
export const BENCH_USER = "U0BENCH";
/** The sections of the special-session-prep template, which the bench memos use. */
export const BENCH_SECTIONS = ["purpose", "background", "us_position", "korean_position", "market_access", "risks", "talking_points", "next_steps"] as const;
