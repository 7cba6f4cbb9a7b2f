/**
 * `npm run eval`: asks both question sets of the example timeline and prints their scores by category, the tuning set
 * first and the held-out set apart. `-- --verbose` shows every question with the answer's sentence; `-- --misses` only
 * the questions that missed; `-- --tuning` runs the tuning set alone (what to look at while changing src/ask).
 */
import { createTestDatabase } from "../support/test-db.js";
import { HELD_OUT_SET, loadTimeline, readQuestions, runAskEval, scoreTable, TUNING_SET, type EvalScore } from "./evaluate.js";

const verbose = process.argv.includes("--verbose");
const misses = process.argv.includes("--misses");
const tuningOnly = process.argv.includes("--tuning");

function show(score: EvalScore): void {
  for (const r of score.rows) {
    if (!verbose && (!misses || (r.first && r.stated))) continue;
    const mark = r.first ? (r.stated ? "ok  " : "say?") : r.top3 ? "top3" : "MISS";
    console.log(`${mark} [${r.category}] ${r.question}\n       ${r.lead}\n       got: ${r.answered.join(" | ") || "(nothing on record)"}`);
    if (!r.first) console.log(`  expected: ${r.expect.join(" | ") || "(nothing on record)"}`);
    if (!r.stated) console.log(`  should state: ${(r.says ?? []).join(", ")}`);
  }
}

const db = await createTestDatabase({ seed: false });
try {
  await loadTimeline(db);
  const tuning = await runAskEval(db, readQuestions(TUNING_SET));
  show(tuning);
  console.log(`\n${scoreTable("tuning set (test/eval/ask.jsonl)", tuning)}`);
  if (!tuningOnly) {
    const held = await runAskEval(db, readQuestions(HELD_OUT_SET));
    show(held);
    console.log(`\n${scoreTable("held-out set (test/eval/ask-held-out.jsonl, never tuned on)", held)}`);
  }
} finally {
  await db.close();
}
