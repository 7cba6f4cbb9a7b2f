/** What the bench reads of its server processes from /proc: CPU time, and when a process has gone quiet. */
import { readFileSync } from "node:fs";

/** CPU time (user + system) a process has used so far, in ms (/proc/PID/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ": state is field 0, utime 11, stime 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Waits until process `pid` has used at most `maxCpuMs` of CPU in each of `windows` consecutive windows of `windowMs`
 * (the work it started with is over: the scheduler's first tick, the people refresh, the planner statistics), at most
 * `timeoutMs`; returns how long that took, in ms. A process never quiet in time is measured anyway (the wait is over).
 */
export async function quietAfterStart(pid: number, { windowMs = 250, maxCpuMs = 10, windows = 4, timeoutMs = 60_000 } = {}): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (quiet < windows && performance.now() - started < timeoutMs) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, windowMs));
    quiet = cpuMs(pid) - before <= maxCpuMs ? quiet + 1 : 0;
  }
  return performance.now() - started;
}
