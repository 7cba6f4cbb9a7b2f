/** `npm run eval`: asks the evaluation questions of the example timeline and prints the score. */
import { createTestDatabase } from "../support/test-db.js";
import { loadTimeline, runAskEval } from "./evaluate.js";

const verbose = process.argv.includes("--verbose");
const db = await createTestDatabase({ seed: false });
try {
  await loadTimeline(db);
  const { rows, first, top3, total } = await runAskEval(db);
  for (const r of rows) {
    if (!verbose && r.first) continue;
    const mark = r.first ? "ok  " : r.top3 ? "top3" : "MISS";
    console.log(`${mark} [${r.kind}] ${r.question}\n       got: ${r.answered.join(" | ") || "(nothing on record)"}${r.first ? "" : `\n  expected: ${r.expect.join(" | ") || "(nothing on record)"}`}`);
  }
  const pct = (n: number) => `${Math.round((n / total) * 100)}%`;
  console.log(`\nask evaluation: ${total} questions (${rows.filter((r) => r.paraphrase).length} in words their expected facts' titles do not use)`);
  console.log(`  expected fact first: ${first}/${total} (${pct(first)})`);
  console.log(`  expected fact in top 3: ${top3}/${total} (${pct(top3)})`);
  const held = rows.filter((r) => r.set === "held-out");
  if (held.length > 0) {
    console.log(`  of which held out (written after tuning, not tuned on): first ${held.filter((r) => r.first).length}/${held.length}, top 3 ${held.filter((r) => r.top3).length}/${held.length}`);
  }
} finally {
  await db.close();
}
