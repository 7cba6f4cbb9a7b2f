/**
 * `npm run eval`: asks the question sets of the example timeline and prints their scores by category: the tuning set
 * (ask.jsonl), the development sets (ask-dev.jsonl, ask-dev-2.jsonl to ask-dev-8.jsonl: each once held out, now
 * looked at; ask-dev-9.jsonl, round 9's own questions) and, when present, the blind held-out set (ask-held-out.jsonl); when it is absent it says so. `-- --verbose`
 * shows every question with the answer's sentence; `-- --misses` only the
 * questions that missed; `-- --tuning` runs the tuning set alone (what to look at while changing src/ask).
 */
import { createTestDatabase } from "../support/test-db.js";
import { DEV_SETS, hasHeldOutSet, HELD_OUT_SET, loadTimeline, readQuestions, runAskEval, scoreTable, TUNING_SET, type EvalScore } from "./evaluate.js";

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
  const tables: string[] = [];
  const sets: Array<[string, URL]> = [["tuning set (test/eval/ask.jsonl)", TUNING_SET]];
  if (!tuningOnly) sets.push(...DEV_SETS.map((d): [string, URL] => [d.name, d.url]));
  for (const [name, url] of sets) {
    const score = await runAskEval(db, readQuestions(url));
    show(score);
    tables.push(scoreTable(name, score));
  }
  if (!tuningOnly) {
    if (hasHeldOutSet()) {
      const held = await runAskEval(db, readQuestions(HELD_OUT_SET));
      show(held);
      tables.push(scoreTable("held-out set (test/eval/ask-held-out.jsonl, blind, never tuned on)", held));
    } else
      tables.push(
        "held-out set not present: test/eval/ask-held-out.jsonl is written blind by someone else and put there after the work on src/ask; the sets above are tuning and development figures, not a measure",
      );
  }
  console.log(`\n${tables.join("\n\n")}`);
} finally {
  await db.close();
}
