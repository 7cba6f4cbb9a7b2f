/**
 * `npx tsx bench/slow-connections.ts [--connections=5000] [--seconds=30] [--body-every=5] [--bot=dist/main.js]`: the bot under thousands
 * of slow connections, opened by another process, beside a baseline of the same bot with none, in one run.
 *
 * The bot runs as `npm start` runs it (256 MB heap cap, embedded database in a new data folder). The attacker keeps
 * `--connections` connections open without a signature: most send headers a byte a second and never finish them,
 * one in five (`--body-every`; 0 for none) sends complete headers (a fresh timestamp and a signature that will not
 * verify) for a 4 MB body, 1 MB of it at once, then a byte a second. A closed connection
 * is opened again at once. Meanwhile a health check on a connection of its own every 100 ms, and the bot's resident
 * memory and open sockets every 250 ms. `--bot` points at another build (main's dist/main.js, for a figure before).
 * Prints one JSON object: the baseline and the attack side by side.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { cleanEnv, tempDataDir } from "../test/support/processes.js";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CONNECTIONS = Number(arg("connections", "5000"));
const SECONDS = Number(arg("seconds", "30"));
const BOT = arg("bot", "dist/main.js");
/** One connection in this many sends a body rather than headers (0: none). */
const BODY_EVERY = Number(arg("body-every", "5"));
const ROOT = new URL("../", import.meta.url).pathname;

/** The attacker, in a process of its own: keeps `n` slow connections open against `port`. */
const ATTACKER = `
const net = require("node:net");
const [port, n, bodyEvery] = [Number(process.argv[1]), Number(process.argv[2]), Number(process.argv[3])];
let open = 0, opened = 0, closedByServer = 0, errors = 0, stopping = false;
function one(i) {
  if (stopping) return;
  const body = bodyEvery > 0 && i % bodyEvery === 0;
  const s = net.connect(port, "127.0.0.1");
  let timer;
  let connected = false;
  s.on("connect", () => {
    connected = true;
    open++; opened++;
    if (body) {
      // A signature that will not verify, with a timestamp of now: the body must be read before it can be refused.
      const ts = Math.floor(Date.now() / 1000);
      s.write("POST /slack/events HTTP/1.1\\r\\nHost: bot\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nX-Slack-Request-Timestamp: " + ts + "\\r\\nX-Slack-Signature: v0=" + "0".repeat(64) + "\\r\\nContent-Length: 4000000\\r\\n\\r\\n");
      s.write("a".repeat(1024 * 1024));
    } else {
      s.write("POST /slack/events HTTP/1.1\\r\\nHost: bot\\r\\nX-Slow: ");
    }
    timer = setInterval(() => s.write("a"), 1000);
  });
  s.on("error", () => { errors++; });
  s.on("close", () => {
    clearInterval(timer);
    if (connected) { open--; closedByServer++; }
    setTimeout(() => one(i), 20);
  });
}
let started = 0;
// Opened 200 at a time, as fast as the machine takes them.
const ramp = setInterval(() => { for (let k = 0; k < 200 && started < n; k++) one(started++); if (started >= n) clearInterval(ramp); }, 10);
setInterval(() => process.send({ open, opened, closedByServer, errors }), 500);
process.on("message", (m) => { if (m === "stop") { stopping = true; process.exit(0); } });
`;

interface Sample {
  rssMiB: number;
  sockets: number;
}

function sample(pid: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++;
    } catch {
      // Closed meanwhile.
    }
  }
  return { rssMiB: rssKiB / 1024, sockets };
}

/** One health check on a new connection: its time in ms, or null when it failed or took over 5 s. */
function healthz(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const s = net.connect(port, "127.0.0.1");
    let text = "";
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok ? performance.now() - started : null);
    };
    const timer = setTimeout(() => done(false), 5000);
    s.on("connect", () => s.write("GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n"));
    s.on("data", (d) => {
      text += d;
      if (text.includes('{"ok":true}')) done(true);
    });
    s.on("error", () => done(false));
    s.on("close", () => done(text.includes('{"ok":true}')));
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const round = (n: number) => Math.round(n * 10) / 10;

/** Health checks and samples for `seconds`. */
async function measure(port: number, pid: number, seconds: number) {
  const times: number[] = [];
  let failed = 0;
  const samples: Sample[] = [];
  const end = Date.now() + seconds * 1000;
  const sampler = setInterval(() => samples.push(sample(pid)), 250);
  while (Date.now() < end) {
    const t = await healthz(port);
    if (t === null) failed++;
    else times.push(t);
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(sampler);
  return {
    healthChecks: times.length + failed,
    healthFailed: failed,
    healthP50Ms: round(percentile(times, 50)),
    healthP99Ms: round(percentile(times, 99)),
    healthMaxMs: round(Math.max(...times)),
    rssMaxMiB: round(Math.max(...samples.map((s) => s.rssMiB))),
    rssLastMiB: round(samples.at(-1)?.rssMiB ?? NaN),
    botSocketsMax: Math.max(...samples.map((s) => s.sockets)),
  };
}

async function main() {
  const fake = await new FakeSlackApi().start();
  const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir(), SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: "bench-secret", SLACK_API_URL: fake.apiUrl, PORT: "0" });
  const bot = spawn(process.execPath, ["--max-semi-space-size=4", "--max-old-space-size=256", BOT], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    const look = (d: Buffer) => {
      log += d;
      const m = /serving Slack over HTTP on port (\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    };
    bot.stdout!.on("data", look);
    bot.stderr!.on("data", look);
    bot.once("exit", (code) => reject(new Error(`the bot exited (${code}) before serving:\n${log}`)));
  });
  let attacker: ChildProcess | undefined;
  try {
    // Settled: the first status warmed up, the scheduler started.
    await new Promise((r) => setTimeout(r, 3000));
    const baseline = await measure(port, bot.pid!, Math.min(10, SECONDS));
    attacker = spawn(process.execPath, ["-e", ATTACKER, String(port), String(CONNECTIONS), String(BODY_EVERY)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let attack: Record<string, number> = {};
    attacker.on("message", (m) => (attack = m as Record<string, number>));
    // Until the attacker has opened them all once.
    for (let i = 0; i < 100 && (attack.opened ?? 0) < CONNECTIONS; i++) await new Promise((r) => setTimeout(r, 100));
    const under = await measure(port, bot.pid!, SECONDS);
    const exited = bot.exitCode !== null || bot.signalCode !== null;
    console.log(
      JSON.stringify(
        {
          bot: BOT,
          heapCapMiB: 256,
          connections: CONNECTIONS,
          seconds: SECONDS,
          baseline,
          underAttack: { ...under, attackerOpenNow: attack.open, attackerConnectionsOpened: attack.opened, closedByBot: attack.closedByServer },
          botStillRunning: !exited,
          botLogTail: log
            .split("\n")
            .filter((l) => /heap|cap reached|error/i.test(l))
            .slice(-3),
        },
        null,
        2,
      ),
    );
  } finally {
    attacker?.send("stop");
    attacker?.kill("SIGKILL");
    bot.kill("SIGTERM");
    await new Promise((r) => bot.once("exit", r));
    await fake.stop();
  }
}

await main();
