import type { FetchSettings } from "../../src/config.js";
import type { Clock } from "../../src/clock.js";
import { systemClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { capturingLogger } from "./logs.js";
import { createSlackHttpServer, type SlackHttpServer } from "../../src/slack/app.js";
import { createSlackServices } from "../../src/commands/services-slack.js";
import { FakeSlackApi } from "./fake-slack-api.js";
import { SlackClient } from "./signed-request.js";
import { shippedTemplates } from "./templates.js";
import type { TemplateStore } from "../../src/memos/templates/store.js";
import type { BotIdentity } from "../../src/slack/identity.js";
import type { HttpLimits } from "../../src/http-guard.js";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

/** A running bot: the real Bolt app on the real HTTP receiver (ephemeral port), talking to a fake Slack API. */
export interface RunningBot {
  baseUrl: string;
  slack: SlackClient;
  fake: FakeSlackApi;
  server: SlackHttpServer;
  /** Log lines the bot wrote (warnings and errors). */
  logs: string[];
  stop(): Promise<void>;
}

/** Starts the bot on `db`. The caller owns the database and closes it. */
export async function startBot(
  db: Database,
  options: {
    clock?: Clock;
    timeZone?: string;
    admins?: string[];
    secret?: string;
    ackBudgetMs?: number;
    templates?: TemplateStore;
    memoBanner?: string;
    /** The bot's identity for Bolt's authorize (default: none known). */
    identity?: BotIdentity;
    /** Where the bot finds Slack's Web API, instead of the fake (e.g. a closed port). */
    slackApiUrl?: string;
    /** The web-fetching settings (`/korus feeds add`). */
    fetching?: FetchSettings;
    /** Bounds of the HTTP server smaller than the bot's, to reach them quickly. */
    limits?: Partial<HttpLimits>;
  } = {},
): Promise<RunningBot> {
  const fake = await new FakeSlackApi().start();
  const { logger, lines: logs } = capturingLogger("warn", "test-bot");
  const secret = options.secret ?? TEST_SIGNING_SECRET;
  const settings = {
    clock: options.clock ?? systemClock,
    logger,
    timeZone: options.timeZone ?? "America/New_York",
    admins: options.admins ?? [],
    templates: options.templates ?? (await shippedTemplates()),
    ...(options.memoBanner ? { memoBanner: options.memoBanner } : {}),
  };
  // As src/serve.ts does: the services built once over the database, handed to the Slack adapter.
  const services = createSlackServices({ db, ...settings, ...(options.fetching ? { fetching: options.fetching } : {}) });
  const server = createSlackHttpServer(
    { ...settings, services, ackBudgetMs: options.ackBudgetMs },
    { botToken: "xoxb-test-token", signingSecret: secret, slackApiUrl: options.slackApiUrl ?? fake.apiUrl, ...(options.identity ? { identity: options.identity } : {}) },
  );
  const port = await server.listen(0, "127.0.0.1", options.limits);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    // Signed by the bot's clock: the receiver refuses a timestamp more than 5 minutes from it either way.
    slack: new SlackClient(baseUrl, secret, { responseUrl: fake.responseUrl(), now: () => (options.clock ?? systemClock).now().getTime() }),
    fake,
    server,
    logs,
    stop: async () => {
      await server.close();
      await fake.stop();
    },
  };
}
