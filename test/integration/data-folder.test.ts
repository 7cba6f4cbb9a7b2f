/**
 * One owner of an embedded data folder: the bot holds it and serves it; `korus` commands beside it go through the
 * bot; a second bot is refused; a killed bot's lock is taken over; nothing written is lost. Real processes: the
 * compiled bot (`npm start` runs dist/main.js) and the `korus` bin, against a fake Slack Web API.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../../src/cli/local-user.js";
import { LOCK_FILE } from "../../src/db/data-folder-lock.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, run, startProcess, tempDataDir } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const SECRET = "data-folder-test-signing-secret";
const NO_STACK = /^\s+at /m;
let fake: FakeSlackApi;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});
afterAll(async () => {
  await fake.stop();
});

function botEnv(dataDir: string) {
  return cleanEnv({ KORUS_DATA_DIR: dataDir, SLACK_BOT_TOKEN: "xoxb-data-folder-test", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: "0" });
}

async function startBot(dataDir: string) {
  const bot = await startProcess(process.execPath, ["dist/main.js"], { env: botEnv(dataDir), ready: /serving Slack over HTTP on port (\d+)/ });
  const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
  let asked = 0;
  /** Sends `/korus <text>` and returns what the user would see: the ack's blocks, or what came to response_url. */
  const ask = async (text: string): Promise<string> => {
    const id = `q${++asked}-${bot.child.pid}`;
    const slack = new SlackClient(baseUrl, SECRET, { responseUrl: fake.responseUrl(id) });
    const ack = await slack.command(text);
    expect(ack.status).toBe(200);
    if (ack.json) return JSON.stringify(ack.json);
    const answer = await fake.waitFor((c) => c.method === "response_url" && c.path.endsWith(`/${id}`), 10_000);
    return JSON.stringify(answer.body);
  };
  return { ...bot, baseUrl, ask };
}

const korus = (dataDir: string, args: string[], input?: string) => run(process.execPath, ["bin/korus.js", ...args], { env: cleanEnv({ KORUS_DATA_DIR: dataDir }), input });

describe("an embedded data folder with the bot running", () => {
  it("takes `korus` writes through the bot, which sees each at once; after the bot stops, everything is still there", async () => {
    const dataDir = tempDataDir();
    const bot = await startBot(dataDir);
    try {
      const added = await korus(dataDir, ["facts", "add", "--kind", "event", "--date", "2017-07-20", "--title", "Lighthouse fact written beside the bot", "--actor", "US", "--source-title", "Test wire"]);
      expect(added.stderr).toBe("");
      expect(added.stdout).toBe("Added fact #15: 2017-07-20 Lighthouse fact written beside the bot\n");
      expect(await bot.ask("facts lighthouse")).toContain("Lighthouse fact written beside the bot");

      const file = path.join(dataDir, "..", `import-${process.pid}.jsonl`);
      writeFileSync(
        file,
        '{"date":"2017-07-21","title":"Harbor fact imported beside the bot","kind":"note","actor":"Korea","source":"Test wire"}\n' +
          '{"date":"2017-07-22","title":"Harbor fact two","kind":"note","actor":"both","source":"Test wire"}\n',
      );
      const imported = await korus(dataDir, ["facts", "import", file]);
      expect(imported.stdout).toMatch(/^Imported .*: 2 added, 0 updated, 0 unchanged/);
      expect(await bot.ask("facts harbor")).toContain("Harbor fact two");
      // The status (cached per store version) shows the new facts too.
      expect(await bot.ask("status as-of 2017-07-25")).toContain("Harbor fact two");

      const memo = await korus(dataDir, ["memo", "new", "--template", "special-session-prep", "--title", "Written beside the bot", "--due", "2030-01-15"]);
      expect(memo.stdout).toMatch(/^Created memo #1: Written beside the bot/);
      const written = await korus(dataDir, ["memo", "write", "1", "purpose", "--file", "-"], "Brief the principal before the session.\n");
      expect(written.stdout).toBe("Saved Purpose of memo #1: revision 1, 39 characters.\n");
      expect(await bot.ask("memo show 1")).toContain("*Purpose* · _unassigned_ · :pencil2: drafted · rev 1");
    } finally {
      bot.signal("SIGTERM");
    }
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(NO_STACK);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

    // With no bot running, a command owns the folder for its own length: the data is all there, ids go on.
    const exported = await korus(dataDir, ["facts", "export", "--format", "jsonl"]);
    expect(exported.stdout.split("\n").filter(Boolean)).toHaveLength(17);
    expect(exported.stdout).toContain("Lighthouse fact written beside the bot");
    const next = await korus(dataDir, ["facts", "add", "--kind", "note", "--date", "2017-07-23", "--title", "After the bot stopped", "--actor", "US", "--source-title", "Test wire"]);
    expect(next.stdout).toBe("Added fact #18: 2017-07-23 After the bot stopped\n");
    const history = await korus(dataDir, ["memo", "history", "1", "purpose"]);
    // Without KORUS_USER_NAME, the terminal's user is named by the system account's full name (or its name).
    expect(history.stdout).toContain(`revision 1 · ${localUser().name} · `);
    expect(history.stdout).not.toContain("cli:");
  });

  it("refuses a second bot on the same folder with one line naming the first one's pid", async () => {
    const dataDir = tempDataDir();
    const first = await startBot(dataDir);
    try {
      const second = await run(process.execPath, ["dist/main.js"], { env: { ...botEnv(dataDir), LOG_FORMAT: "pretty" } });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is in use by korus-bot (pid ${first.child.pid}, since `);
      expect(second.stderr).toContain("Stop that one first, or set KORUS_DATA_DIR to another folder.");
      expect(second.stderr).not.toMatch(NO_STACK);
      // The first one goes on serving.
      expect(await first.ask("status as-of 2017-07-20")).toContain("22 days left");
    } finally {
      first.signal("SIGTERM");
      await first.exited;
    }
  });

  it("takes over the lock of a bot killed with SIGKILL, and keeps every committed row", async () => {
    const dataDir = tempDataDir();
    const first = await startBot(dataDir);
    await korus(dataDir, ["facts", "add", "--kind", "note", "--date", "2017-07-20", "--title", "Committed before the kill", "--actor", "US", "--source-title", "Test wire"]);
    first.signal("SIGKILL");
    await first.exited;
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
    const second = await startBot(dataDir);
    try {
      expect(await second.ask("facts committed kill")).toContain("Committed before the kill");
    } finally {
      second.signal("SIGTERM");
      expect((await second.exited).code).toBe(0);
    }
  });
});
