// Self time by function name (any url) in a window.
import { readFileSync, readdirSync } from "node:fs";
const [dir, from, to] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const file = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => dir + "/" + f)[0];
const p = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const incl = new Map(); let t = p.startTime;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i]; const ms = (t - p.startTime) / 1000;
  if (ms < from || ms > to) continue;
  const seen = new Set();
  for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id); const k = `${n.callFrame.functionName || "(anon)"} ${(n.callFrame.url || "").replace(/.*\/(dist|node_modules)\//, "$1/").slice(-60)}`;
    if (seen.has(k)) continue; seen.add(k); incl.set(k, (incl.get(k) || 0) + p.timeDeltas[i] / 1000);
  }
}
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[5] || 40))) console.log(String(Math.round(v)).padStart(6), k);
