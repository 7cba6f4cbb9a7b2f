// Import each chunk of the serve chunk's static graph, dependencies first, and time each (its own evaluation + compile).
import { readFileSync } from "node:fs";
import path from "node:path";

const entry = process.argv[2];
const seen = new Set(); const order = [];
const visit = (f) => { if (seen.has(f)) return; seen.add(f);
  const src = readFileSync(f, "utf8");
  for (const m of src.matchAll(/^import\s+(?:[^"']*?from\s+)?"(\.[^"]+)"/gm)) visit(path.resolve(path.dirname(f), m[1]));
  order.push(f); };
visit(path.resolve(entry));
const rows = [];
for (const f of order) { const t = performance.now(); await import(f); rows.push([performance.now() - t, path.basename(f), readFileSync(f).length]); }
rows.sort((a, b) => b[0] - a[0]);
for (const [ms, f, b] of rows.slice(0, 20)) console.log(String(Math.round(ms)).padStart(5), "ms", String(Math.round(b / 1024)).padStart(5), "K", f);
console.log("total", Math.round(rows.reduce((a, r) => a + r[0], 0)));
process.exit(0);
