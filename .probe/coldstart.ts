// Timeline of a cold start: spawn dist/main.js on a new data folder with LOG_LEVEL=debug; poll a signed /korus status.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { SlackClient } from "../test/support/signed-request.js";
const SECRET = "bench-secret";
const fake = await new FakeSlackApi().start();
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "korus-cold-")), "data");
const port = 40000 + Math.floor(Math.random() * 10000);
const t0 = performance.now();
const extra = process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.PROF] : [];
const child = spawn(process.execPath, [...extra, "--max-semi-space-size=4", "--max-old-space-size=256", "dist/main.js"], {
  env: { ...process.env, SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port), KORUS_DATA_DIR: dataDir, LOG_LEVEL: "debug", LOG_FORMAT: "json" },
  stdio: ["ignore", "pipe", "pipe"],
});
const out = (d: Buffer) => { for (const l of String(d).split("\n")) if (l.trim()) console.log(`${Math.round(performance.now() - t0)}ms  ${l.slice(0, 160)}`); };
child.stdout!.on("data", out); child.stderr!.on("data", out);
const client = new SlackClient(`http://127.0.0.1:${port}`, SECRET, { responseUrl: fake.responseUrl("cold") });
for (;;) {
  try {
    const res = await client.command("status");
    if (res.status === 200) {
      if (!JSON.stringify(res.json ?? "").includes("KORUS status")) await fake.waitForResponse(10_000);
      break;
    }
  } catch {}
  await new Promise((r) => setTimeout(r, 10));
}
console.log(`ANSWERED at ${Math.round(performance.now() - t0)} ms`);
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await fake.stop();
