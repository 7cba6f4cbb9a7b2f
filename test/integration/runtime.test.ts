/**
 * Running the compiled bot as an operator would: the token check at start, logs (JSON, request ids, no secrets),
 * .env, and the health checks in Socket Mode. Real processes against a fake Slack Web API (and, for Socket Mode, a
 * fake Socket Mode WebSocket server), all on loopback.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, PROJECT_ROOT, run, startProcess, tempDataDir } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const SECRET = "runtime-test-signing-secret-42";
const TOKEN = "xoxb-1111-2222-runtimeTESTtoken";
const NO_STACK = /^\s+at /m;
let fake: FakeSlackApi;

beforeEach(async () => {
  fake = await new FakeSlackApi().start();
});
afterEach(async () => {
  await fake.stop();
});

const botEnv = (extra: Record<string, string> = {}) =>
  cleanEnv({ KORUS_DATA_DIR: tempDataDir(), SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: "0", ...extra });

/** The JSON log lines a process wrote to standard error. */
function jsonLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("the bot token, checked at start", () => {
  it("stops the bot with one line and exit code 2 when Slack refuses it", async () => {
    fake.on("auth.test", () => ({ ok: false, error: "invalid_auth" }));
    const result = await run(process.execPath, ["dist/main.js"], { env: botEnv({ LOG_FORMAT: "pretty" }) });
    expect(result.code).toBe(2);
    const lines = result.stderr.split("\n").filter((l) => l.includes("Slack refused"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Slack refused SLACK_BOT_TOKEN (invalid_auth): the token is wrong, revoked or from an uninstalled app.");
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it("serves anyway when Slack cannot be reached, says so once, and keeps asking", async () => {
    fake.failNext("auth.test", { status: 503 }, 1);
    const bot = await startProcess(process.execPath, ["dist/main.js"], { env: botEnv(), ready: /serving Slack over HTTP on port (\d+)/ });
    try {
      expect((await fetch(`http://127.0.0.1:${bot.match[1]}/healthz`)).status).toBe(200);
      // The retry (2 s later) succeeds.
      await fake.waitFor((c) => c.method === "auth.test", 10_000);
      await expect.poll(() => bot.output(), { timeout: 10_000 }).toContain("Slack accepted the bot token: @korus in Example");
      const lines = jsonLines(bot.output());
      expect(lines.find((l) => String(l.msg).includes("unreachable"))).toMatchObject({ level: "warn", msg: `Slack Web API unreachable at ${fake.apiUrl}: HTTP 503 Service Unavailable` });
      expect(lines.find((l) => String(l.msg).includes("reachable again"))?.msg).toMatch(/^Slack Web API reachable again at \S+ \(after 2 tries, \d+ s\)$/);
    } finally {
      bot.signal("SIGTERM");
      await bot.exited;
    }
  });

  it("acks and answers /korus status while the Web API's port is closed, says so once, and keeps the identity Slack gives when it is back", async () => {
    const apiUrl = fake.apiUrl;
    const port = Number(new URL(apiUrl).port);
    await fake.stop();
    const dataDir = tempDataDir();
    const env = botEnv({ KORUS_DATA_DIR: dataDir, SLACK_API_URL: apiUrl, KORUS_TZ: "America/New_York" });
    const bot = await startProcess(process.execPath, ["dist/main.js"], { env, ready: /serving Slack over HTTP on port (\d+)/ });
    try {
      const slack = new SlackClient(`http://127.0.0.1:${bot.match[1]}`, SECRET, { responseUrl: "http://127.0.0.1:9/unreachable" });
      const started = performance.now();
      const ack = await slack.command("status as-of 2017-07-20");
      expect(ack.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2500);
      expect(JSON.stringify(ack.json)).toContain("22 days left");
      await fake.start(port);
      await expect.poll(() => bot.output(), { timeout: 15_000 }).toContain("Slack accepted the bot token");
      const lines = jsonLines(bot.output()).map((l) => String(l.msg));
      expect(lines.filter((l) => l.startsWith("Slack Web API unreachable at"))).toEqual([`Slack Web API unreachable at ${apiUrl}: connect ECONNREFUSED 127.0.0.1:${port}`]);
      expect(lines.filter((l) => l.startsWith("Slack Web API reachable again at"))).toHaveLength(1);
      expect(lines).toContain("bot identity: not known yet (Slack has not answered auth.test for this token); requests are authorized with the token alone");
      expect(bot.output()).not.toMatch(/acknowledged|ack\(\)/);
    } finally {
      bot.signal("SIGTERM");
      expect((await bot.exited).code).toBe(0);
    }
    // The next start, with Slack out of reach again, knows the bot from the auth.test kept in the database.
    await fake.stop();
    const again = await startProcess(process.execPath, ["dist/main.js"], { env, ready: /serving Slack over HTTP on port (\d+)/ });
    try {
      await expect.poll(() => again.output(), { timeout: 10_000 }).toMatch(/bot identity: @korus \(UBOT, bot BBOT\) in Example from the last auth.test \(\d{4}-/);
      const ack = await new SlackClient(`http://127.0.0.1:${again.match[1]}`, SECRET).command("status as-of 2017-07-20");
      expect(ack.status).toBe(200);
    } finally {
      again.signal("SIGTERM");
      await again.exited;
      await fake.start();
    }
  });
});

describe("korus manifest", () => {
  it("prints the Socket Mode manifest, the HTTP one with the host filled in, and refuses a host Slack cannot use", async () => {
    const socket = await run(process.execPath, ["bin/korus.js", "manifest", "--socket-mode"], { env: cleanEnv() });
    expect(socket.code).toBe(0);
    expect(socket.stdout).toContain("socket_mode_enabled: true");
    expect(socket.stdout).toContain("connections:write");
    expect(socket.stdout).not.toMatch(/YOUR-HOST|request_url/);
    const http = await run(process.execPath, ["bin/korus.js", "manifest", "--host", "korus.example.org"], { env: cleanEnv() });
    expect(http.code).toBe(0);
    expect(http.stdout.match(/https:\/\/korus\.example\.org\/slack\/events/g)).toHaveLength(4);
    const bad = await run(process.execPath, ["bin/korus.js", "manifest", "--host", "http://korus.example.org"], { env: cleanEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Slack sends requests only to https:// addresses");
  });
});

describe("logs", () => {
  it("are JSON lines off a terminal; every Slack request gets a request id; no token or secret appears, even at debug", async () => {
    // A status the bot cannot build: its failure reference must be the request's id.
    const bot = await startProcess(process.execPath, ["dist/main.js"], { env: botEnv({ LOG_LEVEL: "debug" }), ready: /serving Slack over HTTP on port (\d+)/ });
    const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
    try {
      const slack = new SlackClient(baseUrl, SECRET, { responseUrl: fake.responseUrl("logs") });
      expect((await slack.command("status")).status).toBe(200);
      expect((await slack.command("facts special session")).status).toBe(200);
      await fake.waitForResponse(10_000);
      expect((await slack.command("status", {}, { signature: "v0=forged" })).status).toBe(401);
      await expect.poll(() => jsonLines(bot.output()).filter((l) => l.msg === "slack request").length, { timeout: 5000 }).toBe(2);
    } finally {
      bot.signal("SIGTERM");
    }
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    const lines = jsonLines(exit.stderr);
    // Every line on standard error is a JSON object (nothing else is written there).
    expect(
      exit.stderr
        .trim()
        .split("\n")
        .every((l) => l.startsWith("{")),
    ).toBe(true);
    const requests = lines.filter((l) => l.msg === "slack request");
    expect(requests.map((l) => l.slack)).toEqual([
      { type: "slash_command", command: "/korus", user: "U0ANALYST", team: "T0001" },
      { type: "slash_command", command: "/korus", user: "U0ANALYST", team: "T0001" },
    ]);
    for (const r of requests) expect(r.reqId).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(requests.map((r) => r.reqId)).size).toBe(2);
    const rejected = lines.find((l) => String(l.msg).startsWith("rejected a request"));
    expect(rejected?.reqId).toMatch(/^[0-9a-f]{8}$/);
    for (const secret of [TOKEN, SECRET, TOKEN.slice(5)]) expect(exit.stderr).not.toContain(secret);
    expect(lines.some((l) => l.level === "debug")).toBe(true);
  });
});

describe(".env", () => {
  it("is read from the working directory, and variables already set win over it", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "korus-dotenv-"));
    writeFileSync(path.join(folder, ".env"), `KORUS_TZ=Mars/Olympus\nKORUS_DATA_DIR=${path.join(folder, "data")}\n`);
    const main = path.join(PROJECT_ROOT, "dist/main.js");
    const env = cleanEnv();
    delete env.KORUS_TZ;
    delete env.KORUS_DATA_DIR;
    const bad = await run(process.execPath, [main], { env, cwd: folder });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("KORUS_TZ: must be an IANA time zone such as America/New_York");
    const good = await run(process.execPath, [main], { env: { ...env, KORUS_TZ: "Asia/Seoul" }, cwd: folder, input: "status as-of 2017-07-20\n" });
    expect(good.code).toBe(0);
    expect(good.stderr).toContain(`database: embedded PostgreSQL (PGlite) in ${path.join(folder, "data")}`);
    expect(good.stdout).toContain("# KORUS status as of 2017-07-20 (Thu) (historical view)");
  });
});

describe("Socket Mode", () => {
  it("connects over Slack's WebSocket and answers /healthz and /readyz on PORT", async () => {
    const sockets = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => sockets.once("listening", r));
    sockets.on("connection", (ws) => ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0KORUS" } })));
    fake.on("apps.connections.open", () => ({ ok: true, url: `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/link` }));
    const bot = await startProcess(process.execPath, ["dist/main.js"], {
      env: botEnv({ SLACK_APP_TOKEN: "xapp-1-A0KORUS-socket-test", SLACK_SIGNING_SECRET: "" }),
      ready: /Socket Mode; health checks on port (\d+)/,
    });
    try {
      const base = `http://127.0.0.1:${bot.match[1]}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: true, database: "reachable" });
      expect((await fetch(`${base}/slack/events`, { method: "POST" })).status).toBe(404);
      expect(sockets.clients.size).toBe(1);
    } finally {
      bot.signal("SIGTERM");
      const exit = await bot.exited;
      sockets.close();
      expect(exit.code).toBe(0);
      expect(exit.stderr).not.toContain("xapp-1-A0KORUS-socket-test");
    }
  });
});
