/**
 * The `/korus ask` evaluation: every question of test/eval/ask.jsonl asked of the shipped example timeline, scored by
 * whether an expected fact is the first answer and whether one is among the first three. A question expecting nothing
 * scores when the answer says nothing on record answers it. `npm run eval` prints it; the bench records it.
 */
import { readFileSync } from "node:fs";
import { askQuestion, type AskAnswer } from "../../src/ask/answer.js";
import { contentWords, QUESTION_KINDS } from "../../src/ask/question.js";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseFactLines } from "../../src/facts/jsonl.js";
import { importFactLines } from "../../src/facts/store.js";

/** One question of the set. */
export interface EvalQuestion {
  question: string;
  /** The kind the question is meant to exercise, or "none" when nothing on record answers it. */
  kind: (typeof QUESTION_KINDS)[number] | "none";
  /** Titles of the facts that answer it (any one will do); empty for "none". */
  expect: string[];
  /** "held-out": written after the engine was tuned on the others, and not tuned on since. */
  set?: "held-out";
}

/** One question's result. */
export interface EvalRow extends EvalQuestion {
  answered: string[];
  first: boolean;
  top3: boolean;
  /** No content word of the question appears in an expected fact's title. */
  paraphrase: boolean;
}

/** The day the evaluation asks on: after the timeline's last fact. */
export const EVAL_NOW = "2019-06-03T15:00:00Z";

/** Reads the question set. */
export function readQuestions(url = new URL("./ask.jsonl", import.meta.url)): EvalQuestion[] {
  return readFileSync(url, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

/** Imports the example timeline into an empty database. */
export async function loadTimeline(db: Database): Promise<void> {
  const { facts, errors } = parseFactLines(readFileSync(new URL("../../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
  if (errors.length > 0) throw new Error(`example timeline: ${JSON.stringify(errors)}`);
  await importFactLines(db.prisma, facts, { actor: "eval" });
}

/** Asks every question and scores the answers. */
export async function runAskEval(db: Database, questions = readQuestions()): Promise<{ rows: EvalRow[]; first: number; top3: number; total: number }> {
  const deps = { prisma: db.prisma, clock: fixedClock(EVAL_NOW), timeZone: "America/New_York" };
  const rows: EvalRow[] = [];
  for (const q of questions) {
    const answer: AskAnswer = await askQuestion(deps, q.question);
    const answered = answer.facts.map((a) => a.fact.title);
    const hit = (titles: string[]) => (q.expect.length === 0 ? answered.length === 0 : titles.some((t) => q.expect.includes(t)));
    const words = new Set(contentWords(q.question));
    const paraphrase = q.expect.length > 0 && q.expect.every((t) => contentWords(t).every((w) => !words.has(w)));
    rows.push({ ...q, answered, first: hit(answered.slice(0, 1)), top3: hit(answered.slice(0, 3)), paraphrase });
  }
  return { rows, first: rows.filter((r) => r.first).length, top3: rows.filter((r) => r.top3).length, total: rows.length };
}
