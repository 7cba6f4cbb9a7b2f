#!/usr/bin/env node
// Summarises vitest's JSON reporter output (Jest-compatible) for CI.
//
//   node scripts/ci-summary.mjs [.ci/vitest-results.json]
//
// The LAST line printed is always exactly `N passed, N failed` (plus `, N skipped` when skipped > 0),
// where passed = numPassedTests, failed = numFailedTests, skipped = numPendingTests + numTodoTests.
// Any explanation (missing/unparsable file, failures outside tests) is printed on lines before it.
// Exit status: 1 if failed > 0, passed == 0, the report says success: false (e.g. a test file that
// failed to load, which vitest does not count as a failed test), or the file is missing/unparsable.
// Everything goes to stdout so the ordering of lines is deterministic.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? ".ci/vitest-results.json";

function fail(reason) {
  console.log(`ci-summary: ${reason}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (err) {
  if (err && err.code === "ENOENT") fail(`${file} not found (the tests did not run or did not finish)`);
  fail(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
}
if (report === null || typeof report !== "object" || Array.isArray(report)) fail(`${file} is not a JSON object`);

const count = (key) => {
  const v = report[key];
  return Number.isInteger(v) && v >= 0 ? v : 0;
};
if (!Number.isInteger(report.numPassedTests) || !Number.isInteger(report.numFailedTests)) {
  fail(`${file} has no numPassedTests/numFailedTests (not a vitest JSON report?)`);
}

const passed = count("numPassedTests");
const failed = count("numFailedTests");
const skipped = count("numPendingTests") + count("numTodoTests");

const notes = [];
// Test files that failed without a failing test (import error, error in a hook at file level, ...).
for (const suite of Array.isArray(report.testResults) ? report.testResults : []) {
  if (suite?.status !== "failed") continue;
  const failedInside = (suite.assertionResults ?? []).some((a) => a?.status === "failed");
  if (failedInside) continue;
  const msg = String(suite.message ?? "").split("\n")[0].slice(0, 300);
  notes.push(`test file failed outside any test: ${suite.name ?? "?"}${msg ? `: ${msg}` : ""}`);
}
if (report.success === false && failed === 0 && notes.length === 0) {
  notes.push("vitest reported success: false (e.g. an unhandled error or a snapshot failure)");
}
if (passed === 0) notes.push("no test passed");
for (const n of notes) console.log(`ci-summary: ${n}`);

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 || report.success === false ? 1 : 0);
