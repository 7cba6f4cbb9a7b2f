/**
 * Slack's Web API out of reach (a closed port, or a host that takes the connection and never answers, as an egress
 * proxy or a firewall does): signed requests are still acked and answered, because Bolt's authorize answers from the
 * bot's identity as known (configuration, or the last auth.test kept in the database) instead of calling auth.test;
 * the token check says "Slack Web API unreachable at URL: cause" once, and once when Slack is back.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { BotIdentity, tokenKey } from "../../src/slack/identity.js";
import { identityStoreOf } from "../../src/db/identity-store.js";
import { watchBotToken } from "../../src/slack/token-check.js";
import { blocksText } from "../support/block-limits.js";
import { startBot } from "../support/bot.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { capturingLogger } from "../support/logs.js";
import { createTestDatabase } from "../support/test-db.js";

// 2017-07-20 15:00 in New York.
const NOW = "2017-07-20T19:00:00Z";
const TOKEN = "xoxb-test-token";

/** A Web API base URL on a port nothing listens on. */
async function closedApiUrl(): Promise<string> {
  const fake = await new FakeSlackApi().start();
  const url = fake.apiUrl;
  await fake.stop();
  return url;
}

/** A server that accepts connections and never answers (a black hole), and its Web API base URL. */
async function silentServer(): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a signed /korus status while Slack's Web API cannot be reached", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const [what, open] of [
    ["its port is closed", async () => ({ apiUrl: await closedApiUrl(), close: async () => undefined })],
    ["it takes the connection and never answers", silentServer],
  ] as const) {
    it(`is acked with the status at once when ${what}, no identity known yet`, async () => {
      const api = await open();
      const { logger } = capturingLogger("warn", "unreachable");
      const bot = await startBot(db, { clock: fixedClock(NOW), slackApiUrl: api.apiUrl, identity: await BotIdentity.open({ token: TOKEN, logger, store: identityStoreOf(db) }) });
      try {
        const started = performance.now();
        const ack = await bot.slack.command("status");
        const ms = performance.now() - started;
        // Before: Bolt awaited auth.test, so the receiver answered 404 after 3 s and logged that ack() was not called.
        expect(ack.status).toBe(200);
        expect(ms).toBeLessThan(2500);
        expect(blocksText(ack.json as object)).toContain("Due 2017-08-11 (Fri) · *22 days left*");
        expect(bot.logs.join("\n")).not.toMatch(/acknowledged|ack\(\)|Authorization of incoming event/);
      } finally {
        await bot.stop();
        await api.close();
      }
    });
  }
});

describe("the bot's identity, kept from auth.test", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("is kept per token (by its SHA-256, never the token), read back at the next start, and used by Bolt without asking Slack", async () => {
    const { logger } = capturingLogger("warn", "identity");
    const first = await BotIdentity.open({ token: TOKEN, logger, store: identityStoreOf(db) });
    expect(first.current()).toBeUndefined();
    expect(first.describe()).toContain("not known yet");
    await first.learned({ botUserId: "UBOT", botId: "BBOT", teamId: "T0001", teamName: "Example", userName: "korus", workspaceUrl: "https://example.slack.com/" }, new Date("2026-12-07T06:00:00Z"));

    const rows = await db.prisma.slackIdentity.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenSha256).toBe(tokenKey(TOKEN));
    expect(JSON.stringify(rows)).not.toContain(TOKEN);

    const again = await BotIdentity.open({ token: TOKEN, logger, store: identityStoreOf(db) });
    expect(again.current()).toMatchObject({ source: "stored", identity: { botUserId: "UBOT", botId: "BBOT", teamId: "T0001" } });
    expect(again.describe()).toBe("@korus (UBOT, bot BBOT) in Example from the last auth.test (2026-12-07T06:00:00.000Z)");
    expect(await again.authorize()).toEqual({ botToken: TOKEN, botUserId: "UBOT", botId: "BBOT" });
    // Another token (the app reinstalled elsewhere) starts with nothing known.
    expect((await BotIdentity.open({ token: "xoxb-other-token", logger, store: identityStoreOf(db) })).current()).toBeUndefined();

    // Bolt's ignoreSelf drops the bot user's own events with the stored identity; nobody asked Slack who the bot is.
    const bot = await startBot(db, { clock: fixedClock(NOW), identity: again });
    try {
      const published = (user: string) => bot.fake.callsTo("views.publish").filter((c) => c.body.user_id === user).length;
      await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "Ev1", event: { type: "app_home_opened", user: "UBOT", channel: "D0BOT", tab: "home" } });
      await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "Ev2", event: { type: "app_home_opened", user: "U0ANA", channel: "D0ANA", tab: "home" } });
      await bot.fake.waitFor((c) => c.method === "views.publish" && c.body.user_id === "U0ANA");
      expect(published("UBOT")).toBe(0);
      expect(bot.fake.callsTo("auth.test")).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it("comes from SLACK_BOT_USER_ID first; Slack's answer replaces it, with a warning when they differ", async () => {
    const { logger, lines } = capturingLogger("warn", "identity");
    const identity = await BotIdentity.open({ token: "xoxb-configured", logger, store: identityStoreOf(db), configured: { botUserId: "UCONFIGURED" } });
    expect(identity.describe()).toBe("UCONFIGURED from SLACK_BOT_USER_ID");
    expect(await identity.authorize()).toEqual({ botToken: "xoxb-configured", botUserId: "UCONFIGURED" });
    await identity.learned({ botUserId: "UBOT", botId: "BBOT", teamId: "T0001" }, new Date());
    expect(await identity.authorize()).toEqual({ botToken: "xoxb-configured", botUserId: "UBOT", botId: "BBOT" });
    expect(lines).toEqual(["WARN SLACK_BOT_USER_ID say UCONFIGURED, but Slack says this token's bot is UBOT/BBOT: using Slack's; correct or remove the variables"]);
  });
});

describe("the token check while Slack's Web API cannot be reached", () => {
  it('says "Slack Web API unreachable at URL: cause" once over many tries, then once when it is back, and hands over the identity', async () => {
    const fake = new FakeSlackApi();
    await fake.start();
    const port = Number(new URL(fake.apiUrl).port);
    const apiUrl = fake.apiUrl;
    await fake.stop();
    const { logger, lines } = capturingLogger("info", "token-check");
    const watch = watchBotToken({ token: TOKEN, slackApiUrl: apiUrl, logger, onRefused: () => undefined, firstRetryMs: 20 });
    try {
      expect(await watch.first).toEqual({ state: "unreachable", reason: `connect ECONNREFUSED 127.0.0.1:${port}` });
      // Several more tries (20, 40, 80, 160 ms apart) before Slack comes back.
      await new Promise((resolve) => setTimeout(resolve, 400));
      await fake.start(port);
      const identity = await watch.verified;
      expect(identity).toEqual({ botUserId: "UBOT", botId: "BBOT", teamId: "T0001", teamName: "Example", userName: "korus", workspaceUrl: "https://example.slack.com/" });
      expect(fake.callsTo("auth.test")).toHaveLength(1);
      expect(lines[0]).toBe(`WARN Slack Web API unreachable at ${apiUrl}: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(lines.filter((l) => l.includes("unreachable"))).toHaveLength(1);
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(new RegExp(`^INFO Slack Web API reachable again at ${apiUrl.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\(after [5-9] tries, \\d+ s\\)$`)),
        "INFO Slack accepted the bot token: @korus in Example",
      ]);
    } finally {
      watch.stop();
      await fake.stop();
    }
  });

  it("names a timeout as the cause when Slack takes the connection and never answers", async () => {
    const api = await silentServer();
    const { logger, lines } = capturingLogger("info", "token-check");
    const watch = watchBotToken({ token: TOKEN, slackApiUrl: api.apiUrl, logger, onRefused: () => undefined, timeoutMs: 300 });
    try {
      expect(await watch.first).toEqual({ state: "unreachable", reason: "no answer before the timeout" });
      expect(lines).toEqual([`WARN Slack Web API unreachable at ${api.apiUrl}: no answer before the timeout`]);
    } finally {
      watch.stop();
      await api.close();
    }
  });
});
