import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createTestDatabase } from "../support/test-db.js";
import { loadTimeline, readQuestions, runAskEval } from "../eval/evaluate.js";

type EvalResult = Awaited<ReturnType<typeof runAskEval>>;

describe("the /korus ask evaluation set (test/eval/ask.jsonl) over the example timeline", () => {
  let db: Database;
  let result: EvalResult;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    await loadTimeline(db);
    result = await runAskEval(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("has at least 25 questions covering every question kind, unanswerable ones, and 5 in words the facts' titles do not use", async () => {
    const questions = readQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(25);
    const kinds = new Set(questions.map((q) => q.kind));
    for (const kind of ["when", "deadline", "who", "where", "how-much", "what-changed", "none"]) expect(kinds).toContain(kind);
    expect(result.total).toBe(questions.length);
    expect(result.rows.filter((r) => r.paraphrase).length).toBeGreaterThanOrEqual(5);
  });

  it("finds an expected fact first for at least 80% of the questions and in the top 3 for at least 90%", async () => {
    const { rows, first, top3, total } = result;
    const missed = rows.filter((r) => !r.top3).map((r) => `${r.question} -> ${r.answered.join(" | ") || "(nothing)"}`);
    expect({ top3Rate: top3 / total >= 0.9, missed: missed.length <= total * 0.1 ? [] : missed }).toEqual({ top3Rate: true, missed: [] });
    expect(first / total).toBeGreaterThanOrEqual(0.8);
  });
});
