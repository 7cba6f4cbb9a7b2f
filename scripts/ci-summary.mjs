#!/usr/bin/env node
// Summarises one or more vitest JSON reports (Jest-compatible) for CI: `npm test`'s and `npm run test:slow`'s.
//
//   node scripts/ci-summary.mjs [.ci/vitest-results.json] [.ci/vitest-slow-results.json ...]
//
// The LAST line printed is always exactly `N passed, N failed` (plus `, N skipped` when skipped > 0), summed over every
// report: passed = numPassedTests, failed = numFailedTests, skipped = numPendingTests + numTodoTests. A report that is
// missing or unparsable counts as one failed test (its suite did not run or did not finish).
// Any explanation (missing/unparsable file, failures outside tests) is printed on lines before it.
// Exit status: 1 if failed > 0, passed == 0, a report says success: false (e.g. a test file that failed to load,
// which vitest does not count as a failed test), or a file is missing/unparsable.
// Everything goes to stdout so the ordering of lines is deterministic.
import { readFileSync } from "node:fs";

const files = process.argv.length > 2 ? process.argv.slice(2) : [".ci/vitest-results.json"];

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
const notes = [];

/** Reads one report into the totals; a report that cannot be read is one failure. */
function add(file) {
  const broken = (reason) => {
    notes.push(reason);
    failed += 1;
    ok = false;
  };
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    if (err && err.code === "ENOENT") return broken(`${file} not found (the tests did not run or did not finish)`);
    return broken(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (report === null || typeof report !== "object" || Array.isArray(report)) return broken(`${file} is not a JSON object`);
  if (!Number.isInteger(report.numPassedTests) || !Number.isInteger(report.numFailedTests)) {
    return broken(`${file} has no numPassedTests/numFailedTests (not a vitest JSON report?)`);
  }
  const count = (key) => {
    const v = report[key];
    return Number.isInteger(v) && v >= 0 ? v : 0;
  };
  passed += count("numPassedTests");
  failed += count("numFailedTests");
  skipped += count("numPendingTests") + count("numTodoTests");

  let outside = 0;
  // Test files that failed without a failing test (import error, error in a hook at file level, ...).
  for (const suite of Array.isArray(report.testResults) ? report.testResults : []) {
    if (suite?.status !== "failed") continue;
    const failedInside = (suite.assertionResults ?? []).some((a) => a?.status === "failed");
    if (failedInside) continue;
    const msg = String(suite.message ?? "")
      .split("\n")[0]
      .slice(0, 300);
    notes.push(`test file failed outside any test: ${suite.name ?? "?"}${msg ? `: ${msg}` : ""}`);
    outside += 1;
  }
  if (report.success === false) {
    ok = false;
    if (count("numFailedTests") === 0 && outside === 0) {
      notes.push(`${file}: vitest reported success: false (e.g. an unhandled error or a snapshot failure)`);
    }
  }
}

for (const file of files) add(file);
if (passed === 0) notes.push("no test passed");
for (const n of notes) console.log(`ci-summary: ${n}`);

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 || !ok ? 1 : 0);
