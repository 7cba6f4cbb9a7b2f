import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { slackConfigCheck } from "../../src/slack/config-checks.js";

/** The problems the bot's start lists (src/main.ts passes Slack's check of its ids). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, [slackConfigCheck]);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("defaults to the local console on the embedded database", () => {
    expect(loadConfig({})).toEqual({
      slack: { kind: "console" },
      slackApiUrl: undefined,
      databaseUrl: undefined,
      dataDir: "./data",
      timeZone: "America/New_York",
      admins: [],
      logLevel: "info",
      memoBanner: undefined,
      memoReminderLeadHours: 24,
      watchTemplates: false,
      fetching: { allow: expect.objectContaining({ text: "" }), feedIntervalMs: 30 * 60_000, hostIntervalMs: 5_000, background: true },
    });
  });

  it("reads the feed settings: the allow list, the intervals, background fetching", () => {
    const config = loadConfig({ KORUS_FEEDS_ALLOW_HOSTS: "127.0.0.1, 10.0.0.0/8, intranet.example.org", KORUS_FEEDS_INTERVAL: "15m", KORUS_FEEDS_HOST_INTERVAL: "2s", KORUS_WEB_FETCH: "off" });
    expect(config.fetching).toMatchObject({ feedIntervalMs: 15 * 60_000, hostIntervalMs: 2_000, background: false });
    expect([...config.fetching.allow.hosts]).toEqual(["intranet.example.org"]);
    expect(config.fetching.allow.ranges).toHaveLength(2);
    expect(problems({ KORUS_FEEDS_ALLOW_HOSTS: "127.0.0.1, 10.0.0.0/33, not a host", KORUS_FEEDS_INTERVAL: "10s", KORUS_WEB_FETCH: "maybe" })).toEqual([
      "KORUS_FEEDS_ALLOW_HOSTS: `10.0.0.0/33` is not a CIDR range such as 10.0.0.0/8 (comma-separated host names, addresses or CIDR ranges)",
      "KORUS_FEEDS_ALLOW_HOSTS: `not a host` is not a host name, an address or a CIDR range (comma-separated host names, addresses or CIDR ranges)",
      "KORUS_FEEDS_INTERVAL: must be at least 1m",
      "KORUS_WEB_FETCH: must be on or off",
    ]);
  });

  it("serves HTTP with a bot token and signing secret, Socket Mode with an app token as well", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-123", PORT: "8080" }).slack).toEqual({
      kind: "http",
      botToken: "xoxb-1",
      signingSecret: "secret-123",
      port: 8080,
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack).toMatchObject({ kind: "socket", appToken: "xapp-1" });
  });

  it("treats empty variables as unset and reads admins as a list", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "", PORT: "", KORUS_ADMINS: "U012AB, W0CD34 ,", KORUS_TZ: "Asia/Seoul" });
    expect(config.slack.kind).toBe("console");
    expect(config.admins).toEqual(["U012AB", "W0CD34"]);
    expect(config.timeZone).toBe("Asia/Seoul");
  });

  it("names every variable at fault, one line each", () => {
    expect(problems({ PORT: "99999", DATABASE_URL: "mysql://x", KORUS_ADMINS: "U012AB, alice,bob", LOG_LEVEL: "loud", SLACK_APP_TOKEN: "xoxb-wrong", SLACK_BOT_USER_ID: "korus" })).toEqual([
      "SLACK_APP_TOKEN: must be an app-level token starting with xapp-",
      "PORT: must be 0-65535",
      "DATABASE_URL: must be a postgresql:// URL (leave it unset for the embedded database)",
      "LOG_LEVEL: must be one of debug, info, warn, error",
      // Slack's check of its own ids comes after the environment's own problems.
      "SLACK_BOT_USER_ID: must be the bot user's member id, like U012ABCDEF (its profile: Copy member ID)",
      'KORUS_ADMINS: must be Slack user ids like U012ABCDEF, comma-separated (not "alice", "bob")',
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: "secret-123" })).toEqual(["SLACK_BOT_TOKEN: required to connect to Slack (the xoxb- token from OAuth & Permissions)"]);
  });

  it("watches the templates only when KORUS_WATCH_TEMPLATES says so", () => {
    expect(loadConfig({ KORUS_WATCH_TEMPLATES: "1" }).watchTemplates).toBe(true);
    expect(loadConfig({ KORUS_WATCH_TEMPLATES: "0" }).watchTemplates).toBe(false);
    expect(() => loadConfig({ KORUS_WATCH_TEMPLATES: "yes" })).toThrow(/KORUS_WATCH_TEMPLATES: must be 1 or 0/);
  });

  it("reads the bot's identity from SLACK_BOT_USER_ID and SLACK_BOT_ID, and refuses ids of the wrong shape", () => {
    const http = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-secret" };
    expect(loadConfig({ ...http, SLACK_BOT_USER_ID: "U0BOT", SLACK_BOT_ID: "B0BOT" }).slack).toMatchObject({ kind: "http", botIdentity: { botUserId: "U0BOT", botId: "B0BOT" } });
    expect(loadConfig({ ...http, SLACK_BOT_USER_ID: "", SLACK_BOT_ID: "" }).slack).not.toHaveProperty("botIdentity");
    expect(problems({ ...http, SLACK_BOT_USER_ID: "korus" })).toEqual(["SLACK_BOT_USER_ID: must be the bot user's member id, like U012ABCDEF (its profile: Copy member ID)"]);
    expect(problems({ ...http, SLACK_BOT_ID: "B0BOT" })).toEqual(["SLACK_BOT_USER_ID: required with SLACK_BOT_ID (the bot user's member id, like U012ABCDEF)"]);
  });

  it("keeps a chat adapter's ids as plain strings: their shape is the adapter's check, given by the composition root", () => {
    expect(loadConfig({ KORUS_ADMINS: "alice, U012AB" }).admins).toEqual(["alice", "U012AB"]);
    expect(() => loadConfig({ KORUS_ADMINS: "alice, U012AB" }, [slackConfigCheck])).toThrow(ConfigError);
    expect(problems({ KORUS_ADMINS: "U012AB, W0CD34", SLACK_BOT_USER_ID: "U0BOT" })).toEqual([]);
    // Slack's check alone, when nothing else is wrong, still stops the start.
    expect(problems({ SLACK_BOT_USER_ID: "B0BOT" })).toEqual(["SLACK_BOT_USER_ID: must be the bot user's member id, like U012ABCDEF (its profile: Copy member ID)"]);
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
