/**
 * A vitest reporter that prints the slowest test files after the run (beside the default reporter), so the file that
 * makes `npm test` slow is named every time.
 */
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 8;

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files = testModules
      .map((m) => ({ file: relative(process.cwd(), m.moduleId), ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    if (files.length === 0) return;
    const lines = files.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.file}`);
    process.stdout.write(`\nSlowest test files (time in tests and hooks):\n${lines.join("\n")}\n`);
  }
}
