/**
 * An import through the running bot never holds it: `korus facts import` of a one-day bulletin (thousands of alike
 * lines, the file that once froze the bot for a minute) runs as a process on the bot's owner socket while signed
 * `/korus status` requests and `/healthz` keep being answered. A correctness test with a generous bound (the bot once
 * took 68 s to answer); the latency itself is the bench's (`npm run bench -- --only=imports`).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, PROJECT_ROOT, startProcess, tempDataDir } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const SECRET = "import-beside-bot-signing-secret";
const NO_STACK = /^\s+at /m;
/** Far above Slack's 3 s, far below the 68 s the bot once waited: a stall, not a slow machine. */
const GENEROUS_MS = 10_000;
const LINES = 3000;
let fake: FakeSlackApi;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});
afterAll(async () => {
  await fake.stop();
});

describe("korus facts import through the running bot", () => {
  it("keeps answering signed /korus status and /healthz while a one-day bulletin of 3,000 alike lines is imported through its socket", async () => {
    const dataDir = tempDataDir();
    const bot = await startProcess(process.execPath, ["dist/main.js"], {
      env: cleanEnv({ KORUS_DATA_DIR: dataDir, SLACK_BOT_TOKEN: "xoxb-import-test", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: "0" }),
      ready: /serving Slack over HTTP on port (\d+)/,
    });
    const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
    try {
      const file = path.join(dataDir, "..", `bulletin-${process.pid}.jsonl`);
      const title = (i: number) => `Harbor bulletin: steel tariff quota update, item ${i}`;
      writeFileSync(
        file,
        `${Array.from({ length: LINES }, (_, i) => JSON.stringify({ date: "2017-07-21", title: title(i + 1), kind: "note", actor: "US", source: { title: "Harbor wire" } })).join("\n")}\n`,
      );
      let asked = 0;
      const slack = (id: string) => new SlackClient(baseUrl, SECRET, { responseUrl: fake.responseUrl(id) });
      /** What the user sees for `/korus <text>`: the ack's message, or what came to response_url after an empty ack. */
      const answer = async (text: string) => {
        const id = `q${++asked}`;
        const started = performance.now();
        const ack = await slack(id).command(text);
        const ackMs = performance.now() - started;
        const body = ack.json ?? (await fake.waitFor((c) => c.method === "response_url" && c.path.endsWith(`/${id}`), GENEROUS_MS)).body;
        return { status: ack.status, ackMs, text: JSON.stringify(body) };
      };

      const cli = spawn(process.execPath, ["bin/korus.js", "facts", "import", file], { cwd: PROJECT_ROOT, env: cleanEnv({ KORUS_DATA_DIR: dataDir }), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      cli.stdout.on("data", (d) => (stdout += d));
      cli.stderr.on("data", (d) => (stderr += d));
      let running = true;
      const exited = new Promise<number | null>((resolve) =>
        cli.on("close", (code) => {
          running = false;
          resolve(code);
        }),
      );

      const answers: Array<Promise<{ status: number; ackMs: number; text: string }>> = [];
      const health: Array<Promise<{ status: number; ms: number }>> = [];
      while (running) {
        answers.push(answer("status"));
        const t = performance.now();
        health.push(fetch(`${baseUrl}/healthz`).then(async (r) => ({ status: r.status, ms: (await r.arrayBuffer(), performance.now() - t) })));
        await new Promise((r) => setTimeout(r, 200));
      }
      const code = await exited;
      expect(stderr).not.toMatch(NO_STACK);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Imported .*: ${LINES.toLocaleString("en-US")} added, 0 updated, 0 unchanged`));
      // The likely-duplicate check ran on the bulletin: every line after the first was found alike an earlier one.
      expect(stderr).toContain(`: ${(LINES - 1).toLocaleString("en-US")} likely duplicates were imported.`);
      expect(stderr).toContain(`:2: warning: likely duplicate: “${title(2)}” (2017-07-21) looks like line 1 (2017-07-21, “${title(1)}”)`);

      const during = await Promise.all(answers);
      const healthz = await Promise.all(health);
      // The import lasted long enough for the requests to mean something, and every one was answered in time.
      expect(during.length).toBeGreaterThanOrEqual(10);
      for (const a of during) {
        expect(a.status).toBe(200);
        expect(a.ackMs).toBeLessThan(GENEROUS_MS);
        expect(a.text).toContain("KORUS");
      }
      for (const h of healthz) {
        expect(h.status).toBe(200);
        expect(h.ms).toBeLessThan(GENEROUS_MS);
      }
      // Once the import is in, the bot's status shows it.
      expect((await answer("status as-of 2017-07-25")).text).toContain("Harbor bulletin: steel tariff quota update");
    } finally {
      bot.signal("SIGTERM");
    }
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(NO_STACK);
  });
});
