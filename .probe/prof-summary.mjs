// Summarise a .cpuprofile: self time by package/file, and a time-ordered coarse timeline (100 ms buckets by package).
import { readFileSync, readdirSync } from "node:fs";
const dir = process.argv[2];
const file = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => dir + "/" + f)[0];
const p = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const key = (n) => {
  const u = n.callFrame.url || "";
  if (!u) return n.callFrame.functionName || "(native)";
  const m = u.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (u.includes("/dist/")) return "dist:" + u.split("/dist/")[1].replace(/-[A-Z0-9]{8}\.js/, "");
  if (u.startsWith("node:")) return "node-internal";
  return u.split("/").slice(-2).join("/");
};
const self = new Map();
const dts = p.timeDeltas; let t = p.startTime; const buckets = new Map();
for (let i = 0; i < p.samples.length; i++) {
  t += dts[i];
  const n = byId.get(p.samples[i]); const k = key(n);
  self.set(k, (self.get(k) || 0) + dts[i] / 1000);
  const b = Math.floor((t - p.startTime) / 1e5);
  if (!buckets.has(b)) buckets.set(b, new Map());
  const bm = buckets.get(b); bm.set(k, (bm.get(k) || 0) + dts[i] / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log("total ms", Math.round(total));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] || 25))) console.log(String(Math.round(v)).padStart(6), k);
if (process.argv[4]) for (const [b, m] of [...buckets].sort((a, b) => a[0] - b[0])) console.log(`${b * 100}ms`.padStart(7), [...m].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k}:${Math.round(v)}`).join("  "));
