/**
 * Opt-in per-file CPU figures (KORUS_TEST_CPU_LOG=path, see vitest.config.ts): appends one JSON line per test file
 * with the CPU its worker process spent on it (user + system, import of the file included) and the CPU of the
 * processes the file started and waited for (the CLI, npm), both from /proc/self/stat. Files run one at a time in a
 * worker, so the deltas are that file's. Linux only; elsewhere nothing is written.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { afterAll, expect } from "vitest";

const TICKS_PER_SECOND = 100;

/** [own CPU, waited-for children's CPU] in seconds. */
function cpuSeconds(): [number, number] {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, then stime, cutime, cstime.
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ").map(Number);
  return [(fields[11]! + fields[12]!) / TICKS_PER_SECOND, (fields[13]! + fields[14]!) / TICKS_PER_SECOND];
}

const log = process.env.KORUS_TEST_CPU_LOG;
const started = log ? cpuSeconds() : [0, 0];
const wallStarted = performance.now();

afterAll(() => {
  if (!log) return;
  const [own, children] = cpuSeconds();
  const file = expect.getState().testPath ?? "?";
  const line = { file, pid: process.pid, cpu: own - started[0]!, children: children - started[1]!, wall: (performance.now() - wallStarted) / 1000 };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
});
