/**
 * One owner of an embedded data folder: the bot holds it and serves it; `korus` commands beside it go through the
 * bot; a second bot is refused; a killed bot's lock is taken over; nothing written is lost. Real processes: the
 * compiled bot (`npm start` runs dist/main.js) and the `korus` bin, against a fake Slack Web API.
 */
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, type Stats, statSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../../src/cli/local-user.js";
import { LOCK_FILE, type OwnerInfo, processStat } from "../../src/db/data-folder-lock.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { canRunAsNobody, canUnshare, cleanEnv, onHost, PROJECT_ROOT, run, runAsNobody, startProcess, tempDataDir } from "../support/processes.js";
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

/** Starts the bot on `dataDir`; `wrap` runs it under another command (another hostname, a parent that never reaps). */
async function startBot(dataDir: string, wrap: string[] = []) {
  const [command, ...args] = [...wrap, process.execPath, "dist/main.js"];
  const bot = await startProcess(command!, args, { env: botEnv(dataDir), ready: /serving Slack over HTTP on port (\d+)/ });
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
const owner = (dataDir: string) => JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), "utf8")) as OwnerInfo;
const addNote = (dataDir: string, title: string) => korus(dataDir, ["facts", "add", "--kind", "note", "--date", "2017-07-20", "--title", title, "--actor", "US", "--source-title", "Test wire"]);

describe("an embedded data folder with the bot running", () => {
  it("takes `korus` writes through the bot, which sees each at once; after the bot stops, everything is still there", async () => {
    const dataDir = tempDataDir();
    const bot = await startBot(dataDir);
    try {
      const added = await korus(dataDir, [
        "facts",
        "add",
        "--kind",
        "event",
        "--date",
        "2017-07-20",
        "--title",
        "Lighthouse fact written beside the bot",
        "--actor",
        "US",
        "--source-title",
        "Test wire",
      ]);
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

  it("answers `korus status` beside it over its answers socket, as the command itself would, and refuses whatever else comes there", async () => {
    const dataDir = tempDataDir();
    const bot = await startBot(dataDir);
    const socket = path.join(dataDir, ".s.KORUS.ans");
    /** One raw exchange with the answers socket: what an attacker (another program of this user) gets. */
    const raw = (data: string | Buffer) =>
      new Promise<string>((resolve) => {
        const c = net.connect(socket, () => c.end(data));
        let got = "";
        c.on("data", (d) => (got += d));
        c.on("close", () => resolve(got));
        c.on("error", () => resolve(got));
      });
    let answered: { today: string; past: string };
    try {
      expect((statSync(socket).mode & 0o777).toString(8)).toBe("600");
      const today = await korus(dataDir, ["status"]);
      expect(today.stderr).toBe("");
      expect(today.stdout).toMatch(/^# KORUS status as of \d{4}-\d{2}-\d{2} \(\w{3}\)\n/);
      // A write through the bot shows in the next status at once (known today: a fact added now is news today).
      await addNote(dataDir, "Beacon note written beside the bot");
      const after = await korus(dataDir, ["status"]);
      expect(today.stdout).not.toContain("Beacon note");
      expect(after.stdout).toContain("Beacon note written beside the bot");
      const past = await korus(dataDir, ["status", "--as-of=2017-07-25"]);
      expect(past.stdout).toContain("# KORUS status as of 2017-07-25 (Tue) (historical view)");
      answered = { today: after.stdout, past: past.stdout };
      // What the bot declines, the command does itself, with its own words and exit code.
      const unknown = await korus(dataDir, ["status", "--topic", "nope"]);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/^korus: .*nope/);
      const badDate = await korus(dataDir, ["status", "--as-of", "2017-02-29"]);
      expect(badDate.code).not.toBe(0);
      expect(badDate.stderr).toContain("not a calendar date");

      // Junk, oversized, forged or unknown requests: declined or cut off, nothing logged as a failure, the bot answers on.
      expect(JSON.parse(await raw("not json\n"))).toEqual({ ok: false, reason: "not JSON" });
      expect(JSON.parse(await raw('{"v":1,"command":"status","asOf":null,"topic":"../etc","timeZone":"America/New_York"}\n')).ok).toBe(false);
      expect(JSON.parse(await raw('{"v":1,"command":"memo","asOf":null,"topic":"korus","timeZone":"America/New_York"}\n')).ok).toBe(false);
      expect(JSON.parse(await raw('{"v":1,"command":"status","asOf":null,"topic":"korus","timeZone":"Asia/Seoul"}\n'))).toEqual({
        ok: false,
        reason: "KORUS_TZ differs (the bot's is America/New_York)",
      });
      expect(await raw(Buffer.alloc(10_000, "x"))).toBe("");
      expect((await korus(dataDir, ["status"])).stdout).toBe(after.stdout);
      expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      bot.signal("SIGTERM");
    }
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(/"level":"(error|fatal)"/);
    expect(existsSync(socket)).toBe(false);
    // Without the bot the command reads the folder itself: the same Markdown.
    expect((await korus(dataDir, ["status", "--as-of", "2017-07-25"])).stdout).toBe(answered.past);
    expect((await korus(dataDir, ["status"])).stdout).toBe(answered.today);
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

describe("a restart in a new container (another hostname) or after a kill that left a zombie", () => {
  it.skipIf(!canUnshare("--uts"))(
    "refuses a second bot under another hostname while the first answers, and takes over once it was killed with SIGKILL",
    async () => {
      const dataDir = tempDataDir();
      const first = await startBot(dataDir, onHost("container-a"));
      expect(owner(dataDir)).toMatchObject({ host: "container-a", pid: first.child.pid });
      expect((await addNote(dataDir, "Written before docker kill")).code).toBe(0);
      try {
        const [unshare, ...args] = [...onHost("container-b"), process.execPath, "dist/main.js"];
        const second = await run(unshare!, args, { env: { ...botEnv(dataDir), LOG_FORMAT: "pretty" } });
        expect(second.code).toBe(1);
        expect(second.stderr).toContain(`is in use by korus-bot (pid ${first.child.pid} on container-a, since `);
        expect(second.stderr).not.toMatch(NO_STACK);
      } finally {
        first.signal("SIGKILL");
        await first.exited;
      }
      expect(owner(dataDir).host).toBe("container-a");
      const third = await startBot(dataDir, onHost("container-b"));
      try {
        expect(owner(dataDir)).toMatchObject({ host: "container-b", pid: third.child.pid });
        expect(await third.ask("facts docker kill")).toContain("Written before docker kill");
        // A `korus` command from either host goes through it.
        expect((await addNote(dataDir, "Written after the restart")).stdout).toMatch(/^Added fact #\d+: 2017-07-20 Written after the restart/);
      } finally {
        third.signal("SIGTERM");
        expect((await third.exited).code).toBe(0);
      }
    },
    120_000,
  );

  it("takes over the lock of a bot killed while its parent does not reap it (a zombie)", async () => {
    const dataDir = tempDataDir();
    // The shell starts the bot, then becomes `sleep`, which never reaps it: killed, the bot stays a zombie.
    const first = await startBot(dataDir, ["sh", "-c", '"$@" & exec sleep 300', "sh"]);
    let second: Awaited<ReturnType<typeof startBot>> | undefined;
    try {
      const bot = owner(dataDir).pid;
      expect(bot).not.toBe(first.child.pid);
      process.kill(bot, "SIGKILL");
      for (let i = 0; i < 100 && processStat(bot)?.state !== "Z"; i++) await new Promise((r) => setTimeout(r, 50));
      expect(processStat(bot)?.state).toBe("Z");
      second = await startBot(dataDir);
      expect(owner(dataDir).pid).toBe(second.child.pid);
      expect(await second.ask("status as-of 2017-07-20")).toContain("22 days left");
      second.signal("SIGTERM");
      expect((await second.exited).code).toBe(0);
      second = undefined;
    } finally {
      first.signal("SIGKILL");
      second?.signal("SIGKILL");
    }
  }, 120_000);
});

/** Every entry under `dir` (sockets aside: their mode is the listener's business), with its stat. */
function tree(dir: string): Array<{ file: string; stat: Stats }> {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    const stat = lstatSync(file);
    if (stat.isSocket()) return [];
    return [{ file, stat }, ...(stat.isDirectory() ? tree(file) : [])];
  });
}

const mode = (stat: { mode: number }) => (stat.mode & 0o777).toString(8);

/** The folder's own mode, and the distinct modes of the folders and files in it. */
function modes(dir: string) {
  const entries = tree(dir);
  const distinct = (dirs: boolean) => [...new Set(entries.filter((e) => e.stat.isDirectory() === dirs).map((e) => mode(e.stat)))].sort();
  return { folder: mode(statSync(dir)), folders: distinct(true), files: distinct(false) };
}

/** Leaves the folder as an older version did: folders 0755, files 0666. */
function loosen(dir: string): void {
  chmodSync(dir, 0o755);
  for (const { file, stat } of tree(dir)) chmodSync(file, stat.isDirectory() ? 0o755 : 0o666);
}

describe("a data folder other local users can reach", () => {
  it.skipIf(!canRunAsNobody())(
    "is made 0700 with files 0600 before the database opens, whatever it was; `nobody` can neither read nor write it",
    async () => {
      // As `mkdir data` or a Docker volume leave it, holding files as an older version left them (0666).
      const dataDir = tempDataDir();
      chmodSync(dataDir, 0o755);
      expect((await addNote(dataDir, "Made in a 0755 folder")).code).toBe(0);
      expect(modes(dataDir)).toEqual({ folder: "700", folders: ["700"], files: ["600"] });
      loosen(dataDir);
      expect(modes(dataDir).files).toContain("666");
      const bot = await startBot(dataDir);
      try {
        expect(modes(dataDir)).toEqual({ folder: "700", folders: ["700"], files: ["600"] });
        const attack = runAsNobody(`ls ${dataDir}; cat ${dataDir}/PG_VERSION; echo "default_transaction_read_only = on" >> ${dataDir}/postgresql.auto.conf`);
        expect(attack.status).not.toBe(0);
        expect(attack.output.match(/Permission denied/g)).toHaveLength(3);
        // What the bot writes from now on is private too, and the bot still takes writes.
        expect((await addNote(dataDir, "Written after nobody tried")).code).toBe(0);
        expect(modes(dataDir)).toEqual({ folder: "700", folders: ["700"], files: ["600"] });
      } finally {
        bot.signal("SIGTERM");
        expect((await bot.exited).code).toBe(0);
      }
    },
    120_000,
  );

  it.skipIf(!canRunAsNobody())(
    "is refused with one line saying why and what to run, when this user cannot make it private",
    async () => {
      const dataDir = tempDataDir();
      chmodSync(dataDir, 0o777);
      // The check runs the checkout's own bin/korus.js as `nobody`: a checkout in a private folder (as `mktemp -d`
      // makes) cannot be read by that user, which would fail below with a module error that says nothing of the cause.
      const readable = runAsNobody(`test -r ${path.join(PROJECT_ROOT, "bin/korus.js")} && test -r ${path.join(PROJECT_ROOT, "dist")}`);
      expect(readable.status, `the checkout ${PROJECT_ROOT} is not readable by uid 65534 (nobody): make its folders readable (chmod 755) to run this test`).toBe(0);
      const result = runAsNobody(`${process.execPath} ${path.join(PROJECT_ROOT, "bin/korus.js")} status`, cleanEnv({ KORUS_DATA_DIR: dataDir }));
      expect(result.status).toBe(1);
      expect(result.output.trim().split("\n")).toEqual([
        `korus: ${dataDir} is open to other users (mode 0777) and belongs to uid 0, so this user (uid 65534) cannot make it private (EPERM): run \`chmod 700 ${dataDir}\` as its owner, or set KORUS_DATA_DIR to a folder of your own`,
      ]);
      expect(statSync(dataDir).mode & 0o777).toBe(0o777);
    },
    60_000,
  );
});

/** A free port on loopback, for a bot whose port must be known before it says it serves. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A `korus` command holding the folder (as a long import does) until its standard input ends. */
const HOLD = `
  const { openDatabase } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/db/client.ts"))});
  const db = await openDatabase({ dataDir: process.argv[1], role: "cli", command: "korus facts import bulletins.jsonl" });
  console.log("holding");
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await db.close();
    process.exit(0);
  });
`;

describe("a bot started while a `korus` command owns the folder", () => {
  it("answers a signed /korus status with 200 and 'busy with an import' while it waits, never 503, then serves normally", async () => {
    const dataDir = tempDataDir();
    expect((await korus(dataDir, ["status"])).code).toBe(0);
    const holder = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", HOLD, dataDir], { cwd: PROJECT_ROOT, stdio: ["pipe", "pipe", "inherit"] });
    const held = new Promise<void>((resolve) => holder.stdout!.on("data", (d) => String(d).includes("holding") && resolve()));
    const holderExit = new Promise((resolve) => holder.once("exit", resolve));
    let bot: Awaited<ReturnType<typeof startProcess>> | undefined;
    try {
      await held;
      const port = await freePort();
      bot = await startProcess(process.execPath, ["dist/main.js"], {
        env: { ...botEnv(dataDir), PORT: String(port), LOG_FORMAT: "pretty" },
        ready: /is in use by `korus facts import bulletins\.jsonl` \(pid \d+, since [^)]+\); waiting for it/,
      });
      const base = `http://127.0.0.1:${port}`;
      const slack = new SlackClient(base, SECRET, { responseUrl: fake.responseUrl(`busy-${port}`) });
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const busy = await slack.command("status");
        expect(performance.now() - started).toBeLessThan(2500);
        expect(busy.status).toBe(200);
        expect(busy.json).toMatchObject({ response_type: "ephemeral" });
        expect((busy.json as { text: string }).text).toMatch(
          /^:hourglass_flowing_sand: korus-bot is busy with an import \(`korus facts import bulletins\.jsonl`, started just now\) and will answer again in a moment\./,
        );
      }
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const readyz = await fetch(`${base}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toEqual({ ok: false, database: "starting", waiting_for: "korus facts import bulletins.jsonl" });

      // The import ends: the bot takes the folder and serves.
      holder.stdin!.end();
      await holderExit;
      const running = bot;
      for (let i = 0; i < 600 && !/serving Slack over HTTP/.test(running.output()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(running.output()).toMatch(/serving Slack over HTTP/);
      const answer = await slack.command("status as-of 2017-07-20");
      expect(answer.status).toBe(200);
      const shown = JSON.stringify(answer.json ?? (await fake.waitFor((c) => c.method === "response_url" && c.path.endsWith(`/busy-${port}`), 10_000)).body);
      expect(shown).toContain("22 days left");
      bot.signal("SIGTERM");
      expect((await bot.exited).code).toBe(0);
      bot = undefined;
    } finally {
      holder.kill("SIGKILL");
      bot?.signal("SIGKILL");
    }
  }, 120_000);
});
