/**
 * The first `/korus ask` after a start, in a fresh process (run by bench/figures-ask.ts as
 * `node --import tsx bench/ask-cold.ts QUESTION`): the example timeline in an in-process database, then the ask
 * modules imported (as src/slack/listeners/ask.ts does on the first question), the question answered cold, and again
 * warm (median of 5) once the part-of-speech tagger is loaded. Prints one JSON line: the times in ms and the RSS (MiB) before the
 * first question, after it, and once the tagger is loaded.
 */
import { readFileSync } from "node:fs";
import { fixedClock } from "../src/clock.js";
import { importFactLines } from "../src/facts/import.js";
import { parseFactLines } from "../src/facts/jsonl-read.js";
import { createTestDatabase } from "../test/support/test-db.js";

/** The eval's clock (test/eval/evaluate.ts, not imported here: it imports the ask modules this measures). */
const EVAL_NOW = "2019-06-03T15:00:00Z";

const question = process.argv[2] ?? "When did KORUS enter into force?";
const rss = () => process.memoryUsage().rss / 1024 / 1024;
const db = await createTestDatabase({ seed: false });
try {
  const { facts } = parseFactLines(readFileSync(new URL("../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
  await importFactLines(db.prisma, facts, { actor: "bench" });
  const deps = { prisma: db.prisma, clock: fixedClock(EVAL_NOW), timeZone: "America/New_York" };
  global.gc?.();
  const rssBefore = rss();
  let t = performance.now();
  const [{ askQuestion }, tagger] = await Promise.all([import("../src/ask/answer.js"), import("../src/ask/parts-of-speech.js")]);
  const importMs = performance.now() - t;
  t = performance.now();
  await askQuestion(deps, question);
  const firstMs = performance.now() - t;
  const taggedFirst = tagger.taggerLoaded();
  global.gc?.();
  const rssAfterFirst = rss();
  // The background load the first question started.
  await tagger.loadTagger();
  global.gc?.();
  const rssWithTagger = rss();
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await askQuestion(deps, question);
    warm.push(performance.now() - t);
  }
  const warmMs = warm.sort((a, b) => a - b)[2]!;
  console.log(JSON.stringify({ question, importMs, firstMs, warmMs, taggedFirst, rssBefore, rssAfterFirst, rssWithTagger }));
} finally {
  await db.close();
}
