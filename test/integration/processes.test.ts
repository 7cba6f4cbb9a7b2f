import { describe, expect, it } from "vitest";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, run, startProcess, tempDataDir } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const NO_STACK = /^\s+at /m;

describe("npm start without Slack credentials: the local console", () => {
  it("reads piped commands, prints each answer, says which database it uses and how to connect Slack, and exits at end of input", async () => {
    const dataDir = tempDataDir();
    const result = await run("npm", ["start", "--silent"], {
      env: cleanEnv({ KORUS_DATA_DIR: dataDir }),
      input: "/korus status as-of 2017-07-20\nstatus as-of 2017-08-15\n/korus help\n",
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`database: embedded PostgreSQL (PGlite) in ${dataDir}`);
    expect(result.stderr).toContain("set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET");
    expect(result.stdout).toContain("# KORUS status as of 2017-07-20 (Thu) (historical view)");
    expect(result.stdout).toContain("**Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), **22 days left**");
    expect(result.stdout).toContain("# KORUS status as of 2017-08-15 (Tue)");
    expect(result.stdout).toContain("**overdue by 4 days**");
    expect(result.stdout).toContain("/korus status [topic] [public] [as-of YYYY-MM-DD]");
    expect(result.stderr).not.toMatch(NO_STACK);
  });

  it("keeps its data across restarts and stops at `exit`; a command it does not know gets help and a non-zero exit", async () => {
    const dataDir = tempDataDir();
    const env = cleanEnv({ KORUS_DATA_DIR: dataDir });
    const first = await run("npm", ["start", "--silent"], { env, input: "exit\n/korus status\n" });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("");
    const second = await run("npm", ["start", "--silent"], { env, input: "dance\n" });
    expect(second.code).toBe(1);
    expect(second.stdout).toContain("I don't know the command `dance`.");
    expect(second.stdout).toContain("**korus-bot commands**");
    const seed = await run("node", ["bin/korus.js", "db", "seed"], { env });
    expect(seed.stdout).toContain("Seed facts: 0 added, 0 updated, 14 unchanged.");
  });

  it("names its user from KORUS_USER_NAME in what it records, not cli:account; the korus command beside it says the same", async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir(), KORUS_USER_NAME: "Dana Kim" });
    const result = await run("npm", ["start", "--silent"], {
      env,
      input:
        'memo new --template special-session-prep --title "Special session prep" --as-of 2017-07-20\nmemo write 1 purpose --text "Prepare the principal."\nmemo export 1 --format md\nmemo show 1\n',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('korus-bot: what you record here is shown as "Dana Kim" (KORUS_USER_NAME).');
    expect(result.stdout).toContain("**Author:** Dana Kim  \n");
    expect(result.stdout).toContain("created by Dana Kim · ");
    expect(result.stdout).not.toMatch(/cli:/);
    // Another name for the same account later: the id (and so the permissions) stay, the name shown follows.
    const history = await run("node", ["bin/korus.js", "memo", "history", "1", "purpose"], { env: { ...env, KORUS_USER_NAME: "Dana K. Kim" } });
    expect(history.stdout).toMatch(/^- revision 1 · Dana K\. Kim · /m);
  });
});

describe("configuration errors", () => {
  it("stop with exit code 2 and one line per variable at fault, never a stack trace", async () => {
    const result = await run("npm", ["start", "--silent"], {
      env: cleanEnv({ PORT: "eighty", KORUS_TZ: "Mars/Olympus", SLACK_BOT_TOKEN: "xoxb-abc", SLACK_API_URL: "ftp://x", SLACK_BOT_USER_ID: "korus", KORUS_ADMINS: "U012AB,alice" }),
    });
    expect(result.code).toBe(2);
    const lines = result.stderr
      .split("\n")
      .filter((l) => /^\s{2}\w+: /.test(l))
      .map((l) => l.trim());
    expect(lines).toEqual([
      "SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/",
      "PORT: must be a port number",
      "KORUS_TZ: must be an IANA time zone such as America/New_York",
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN to serve Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
      // Slack's own check of its ids (src/slack/config-checks.ts, passed by src/main.ts).
      "SLACK_BOT_USER_ID: must be the bot user's member id, like U012ABCDEF (its profile: Copy member ID)",
      'KORUS_ADMINS: must be Slack user ids like U012ABCDEF, comma-separated (not "alice")',
    ]);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stdout).toBe("");
  });
});

describe("the korus command", () => {
  it("prints the status as Markdown, as it stood on a date", async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const result = await run("node", ["bin/korus.js", "status", "--as-of", "2017-08-15"], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("## Overdue");
    expect(result.stdout).toContain("due 2017-08-11 (Fri), **overdue by 4 days**");
    expect(result.stdout).toContain("1. Trade news item, July 2017: U.S. requests KORUS special session");
  });

  it("rejects a date that does not exist with exit code 2 and says how to write it", async () => {
    const result = await run("node", ["bin/korus.js", "status", "--as-of", "2017-02-29"], { env: cleanEnv({ KORUS_DATA_DIR: tempDataDir() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument '2017-02-29' is invalid. not a calendar date; write it as YYYY-MM-DD");
    expect(result.stderr).not.toMatch(NO_STACK);
  });
});

describe("korus facts from the terminal", () => {
  it("imports a file, refuses a bad one naming every line, searches and exports", async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const imported = await run("node", ["bin/korus.js", "facts", "import", "examples/korus-timeline.jsonl"], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported examples\/korus-timeline.jsonl: 40 added, 0 updated, 14 unchanged \(\d+\.\d s\)\.$/m);

    const bad = await run("node", ["bin/korus.js", "facts", "import", "-"], {
      env,
      input: '{"date":"2018-13-01","title":"x","kind":"event","actor":"US","source":"s"}\n{"date":"2018-01-01","title":"y","kind":"event","actor":"US"}\n',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('-:1: date: must be a calendar date written YYYY-MM-DD, not the text "2018-13-01"');
    expect(bad.stderr).toContain("-:2: sources: is missing: every fact needs at least one source");
    expect(bad.stderr).toContain("Nothing was imported: 2 lines have errors.");
    expect(bad.stderr).not.toMatch(NO_STACK);

    const search = await run("node", ["bin/korus.js", "facts", "search", "special", "session", "kind:event"], { env });
    expect(search.stdout).toContain("facts match special session kind:event");
    expect(search.stdout).toContain("**U.S. requests the first-ever special session of the KORUS Joint Committee**");

    const missing = await run("node", ["bin/korus.js", "facts", "import", "no-such-file.jsonl"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("korus: cannot read no-such-file.jsonl: ENOENT");

    const exported = await run("node", ["bin/korus.js", "facts", "export", "--format", "md"], { env });
    expect(exported.stdout).toContain("# KORUS facts");
  });
});

describe("korus memo from the terminal", () => {
  it("creates a memo, writes sections, refuses a stale write, assembles with the banner, and exports inert HTML", async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir(), KORUS_MEMO_BANNER: "PRE-DECISIONAL / DELIBERATIVE", KORUS_USER_NAME: "Dana Kim" });
    const korus = (args: string[], input?: string) => run("node", ["bin/korus.js", ...args], { env, input });
    const created = await korus(["memo", "new", "--template", "special-session-prep", "--title", "Special session prep", "--due", "2030-01-15"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created memo #1: Special session prep \(Special session prep memo\); sections: purpose, background/);
    const written = await korus(["memo", "write", "1", "purpose", "--file", "-"], 'Brief the principal.\n\n<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))\n');
    expect(written.stdout).toBe("Saved Purpose of memo #1: revision 1, 107 characters.\n");
    const stale = await korus(["memo", "write", "1", "purpose", "--file", "-", "--base-revision", "0"], "Mine\n");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('korus: "Purpose" was changed by Dana Kim since you opened it. Revision 1 by Dana Kim at ');
    expect(stale.stderr).toContain("Nothing was saved.");
    const refused = await korus(["memo", "assemble", "1"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("korus: Required sections not written yet: Background, U.S. position");
    const assembled = await korus(["memo", "assemble", "1", "--force"]);
    expect(assembled.code).toBe(0);
    expect(assembled.stdout.startsWith("**PRE-DECISIONAL / DELIBERATIVE**\n\n# Special session prep\n")).toBe(true);
    expect(assembled.stdout).toContain("**Author:** Dana Kim  \n");
    const html = await korus(["memo", "export", "1", "--format", "html"]);
    expect(html.stdout).toContain("<strong>PRE-DECISIONAL / DELIBERATIVE</strong>");
    expect(html.stdout).toContain("<p>Brief the principal.</p>");
    // The raw HTML is shown as text, escaped: no element, attribute or link can run.
    expect(html.stdout).not.toMatch(/<script|<img|<[^>]*\son\w+=|href="javascript:/i);
    expect(html.stdout).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const history = await korus(["memo", "history", "1", "purpose"]);
    expect(history.stdout).toMatch(/- revision 1 · Dana Kim · \d{4}-\d{2}-\d{2}T.* · 107 characters/);
    const check = await korus(["templates", "check"]);
    expect(check.stdout).toContain("3 templates ok");
  }, 120_000); // eleven korus commands, each owning the data folder for its length (no bot runs here)
});

describe("the bot with Slack credentials: HTTP mode", () => {
  it("serves signed /korus status on PORT, answers /healthz, and exits cleanly on SIGTERM", async () => {
    const fake = await new FakeSlackApi().start();
    const secret = "process-test-signing-secret";
    try {
      // What `npm start` runs: the compiled bot, one process, so signals reach the bot itself.
      const bot = await startProcess(process.execPath, ["dist/main.js"], {
        env: cleanEnv({
          KORUS_DATA_DIR: tempDataDir(),
          SLACK_BOT_TOKEN: "xoxb-process-test",
          SLACK_SIGNING_SECRET: secret,
          SLACK_API_URL: fake.apiUrl,
          PORT: "0",
        }),
        ready: /serving Slack over HTTP on port (\d+)/,
      });
      const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
      const slack = new SlackClient(baseUrl, secret, { responseUrl: fake.responseUrl("cold") });
      const ack = await slack.command("status as-of 2017-07-20");
      expect(ack.status).toBe(200);
      expect(JSON.stringify((ack.json as { blocks: unknown }).blocks)).toContain("*22 days left*");
      bot.child.kill("SIGTERM");
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain("SIGTERM: closing");
      expect(exit.stderr).not.toMatch(NO_STACK);
    } finally {
      await fake.stop();
    }
  });
});
