import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerQuestion, tagsMatter, type AskAnswer } from "../../src/ask/answer.js";
import { loadTagger } from "../../src/ask/parts-of-speech.js";
import { parseQuestion } from "../../src/ask/question.js";
import type { Database } from "../../src/db/client.js";
import { readVersions, viewAsOf } from "../../src/facts/as-of.js";
import { toFact } from "../../src/facts/rows.js";
import { createTestDatabase } from "../support/test-db.js";
import { CATEGORIES, DEV_SET, DEV_SETS, EVAL_NOW, hasHeldOutSet, HELD_OUT_SET, loadTimeline, readQuestions, runAskEval, TUNING_SET, type EvalScore } from "../eval/evaluate.js";

describe("the /korus ask evaluation over the example timeline", () => {
  let db: Database;
  let tuning: EvalScore;
  let dev: EvalScore;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    await loadTimeline(db);
    tuning = await runAskEval(db, readQuestions(TUNING_SET));
    dev = await runAskEval(db, readQuestions(DEV_SET));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("has at least 120 questions, 40 of them in the dev set, covering every category in each set", () => {
    expect(tuning.total + dev.total).toBeGreaterThanOrEqual(120);
    expect(dev.total).toBeGreaterThanOrEqual(40);
    for (const score of [tuning, dev]) {
      const categories = new Set(score.rows.map((r) => r.category));
      for (const c of CATEGORIES.filter((c) => c !== "deadline")) expect(categories, c).toContain(c);
      expect(score.nothing.of).toBeGreaterThanOrEqual(5);
    }
    // Each development set reads and shares no question with tuning or any earlier set; a round's blind set (read in the
    // next) has 40 questions or more, a round's own set at least 5 for each category it covers.
    const seen = new Set(tuning.rows.map((r) => r.question.toLowerCase()));
    for (const set of DEV_SETS) {
      const questions = readQuestions(set.url);
      if (set.own) for (const c of new Set(questions.map((q) => q.category))) expect(questions.filter((q) => q.category === c).length, `${set.name}: ${c}`).toBeGreaterThanOrEqual(5);
      else expect(questions.length, set.name).toBeGreaterThanOrEqual(40);
      expect(
        questions.filter((q) => seen.has(q.question.toLowerCase())).map((q) => q.question),
        set.name,
      ).toEqual([]);
      for (const q of questions) seen.add(q.question.toLowerCase());
    }
  });

  it("keeps the tuning set's score: an expected fact first for 90%, top 3 for 95%, what they must state for 95%", () => {
    const missed = tuning.rows.filter((r) => !r.top3).map((r) => `${r.question} -> ${r.answered.join(" | ") || "(nothing)"}`);
    expect(missed.length, missed.join("\n")).toBeLessThanOrEqual(Math.floor(tuning.total * 0.05));
    expect(tuning.first / tuning.total).toBeGreaterThanOrEqual(0.9);
    expect(tuning.stated / tuning.total).toBeGreaterThanOrEqual(0.95);
  });

  // Before the tagger is loaded a question is answered untagged when its tags cannot change the answer: it must then be
  // the very answer a warm bot gives.
  it("answers a question untagged only when that gives the tagged answer", async () => {
    await loadTagger();
    const today = EVAL_NOW.slice(0, 10);
    const rows = (await db.prisma.fact.findMany({ where: { retractedAt: null, topic: "korus" }, orderBy: { id: "asc" } })).map(toFact);
    const key = (a: AskAnswer) => `${a.found} ${a.lead} ${a.facts.map((f) => f.fact.id).join(",")}`;
    let untagged = 0;
    const differ: string[] = [];
    for (const { question } of tuning.rows) {
      const q = parseQuestion(question, today, { untagged: true });
      const versions = await readVersions(db.prisma, q.asOf, { topic: "korus" }, { timeZone: "America/New_York", now: new Date(EVAL_NOW) });
      const facts = viewAsOf(rows, q.asOf, versions);
      if (tagsMatter(q, facts)) continue;
      untagged++;
      const [a, b] = [answerQuestion(q, facts), answerQuestion(parseQuestion(question, today), facts)];
      if (key(a) !== key(b)) differ.push(`${question}\n  untagged: ${key(a)}\n  tagged:   ${key(b)}`);
    }
    expect(differ, differ.join("\n")).toEqual([]);
    // Most questions need no tags (so the first after a start does not wait for the tagger).
    expect(untagged).toBeGreaterThan(tuning.total / 2);
  });

  // The blind set is someone else's and is scored, not held to a figure here; its lines must read and be new.
  it.runIf(hasHeldOutSet())("reads the blind held-out set when present: known categories, no question shared with tuning or a dev set", () => {
    const held = readQuestions(HELD_OUT_SET);
    expect(held.length).toBeGreaterThan(0);
    const seen = new Set([...tuning.rows, ...DEV_SETS.flatMap((d) => readQuestions(d.url))].map((r) => r.question.toLowerCase()));
    expect(held.filter((q) => seen.has(q.question.toLowerCase())).map((q) => q.question)).toEqual([]);
  });
});
