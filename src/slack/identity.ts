/**
 * Who the bot is in Slack, known without asking Slack. Bolt's App, given only a token, calls `auth.test` to learn the
 * bot's user and bot ids before it runs any listener (and caches the promise: a Web API that cannot be reached at start
 * leaves every request unacked, answered 404 by the receiver after 3 s, for as long as the retries last). korus-bot
 * gives Bolt an `authorize` function instead, which answers at once from what is known: the ids in the configuration
 * (SLACK_BOT_USER_ID, SLACK_BOT_ID), else the last successful `auth.test` kept in the database, replaced by each new
 * answer from Slack (token-check.ts asks at every start).
 */
import { createHash } from "node:crypto";
import type { AuthorizeResult } from "@slack/bolt";
import type { IdentityStore } from "../commands/services-slack.js";
import type { Logger } from "../logger.js";

/** The bot's identity in its workspace, as `auth.test` gives it. */
export interface SlackIdentity {
  /** The bot user's member id (U...): Bolt's ignoreSelf drops events from it. */
  botUserId: string;
  /** The bot's id (B...): Bolt's ignoreSelf drops the bot's own bot_message events. */
  botId?: string;
  teamId?: string;
  teamName?: string;
  /** The bot user's handle (korus). */
  userName?: string;
  /** https://example.slack.com/ */
  workspaceUrl?: string;
}

/** The ids an operator may set, so that the bot knows itself before Slack has ever answered. */
export interface ConfiguredIdentity {
  botUserId: string;
  botId?: string;
}

/** Where the identity in use came from. */
export type IdentitySource = "configuration" | "stored" | "auth.test";

/** The key of a token's row: its SHA-256, so that the database never holds the token. */
export function tokenKey(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What one identity looks like in a log line: @korus (UBOT, bot BBOT) in Example. */
function describeIdentity(identity: SlackIdentity): string {
  const ids = [identity.botUserId, identity.botId ? `bot ${identity.botId}` : undefined].filter(Boolean).join(", ");
  const who = identity.userName ? `@${identity.userName} (${ids})` : ids;
  return identity.teamName || identity.teamId ? `${who} in ${identity.teamName ?? identity.teamId}` : who;
}

/**
 * The bot's identity as known now, and Bolt's `authorize` answering from it. Never calls Slack: `learned` is told what
 * `auth.test` said, keeps it for this token in the database and uses it from then on.
 */
export class BotIdentity {
  private known?: { identity: SlackIdentity; source: IdentitySource; checkedAt?: Date };

  private constructor(
    private readonly token: string,
    private readonly logger: Logger,
    private readonly store?: IdentityStore,
    private readonly configured?: ConfiguredIdentity,
  ) {
    if (configured) this.known = { identity: { ...configured }, source: "configuration" };
  }

  /**
   * The identity for `token`: the configured ids if set, else the last successful auth.test kept in `store` for this
   * token, else none yet (requests are still authorized, with the token alone).
   */
  static async open(options: { token: string; logger: Logger; store?: IdentityStore; configured?: ConfiguredIdentity }): Promise<BotIdentity> {
    const identity = new BotIdentity(options.token, options.logger, options.store, options.configured);
    if (!options.configured && options.store) {
      const row = await options.store.find(tokenKey(options.token));
      if (row) {
        identity.known = {
          identity: {
            botUserId: row.botUserId,
            teamId: row.teamId,
            ...(row.botId ? { botId: row.botId } : {}),
            ...(row.teamName ? { teamName: row.teamName } : {}),
            ...(row.userName ? { userName: row.userName } : {}),
            ...(row.workspaceUrl ? { workspaceUrl: row.workspaceUrl } : {}),
          },
          source: "stored",
          checkedAt: row.checkedAt,
        };
      }
    }
    return identity;
  }

  /** An identity that knows nothing yet and keeps nothing (tests, and an app built without one). */
  static unknown(token: string, logger: Logger): BotIdentity {
    return new BotIdentity(token, logger);
  }

  /** The identity in use, if any, and where it came from. */
  current(): { identity: SlackIdentity; source: IdentitySource; checkedAt?: Date } | undefined {
    return this.known;
  }

  /** One line for the log: which identity requests are authorized with, and from where. */
  describe(): string {
    const known = this.known;
    if (!known) return "not known yet (Slack has not answered auth.test for this token); requests are authorized with the token alone";
    const from = known.source === "configuration" ? "from SLACK_BOT_USER_ID" : known.source === "stored" ? `from the last auth.test (${known.checkedAt?.toISOString() ?? "?"})` : "from auth.test";
    return `${describeIdentity(known.identity)} ${from}`;
  }

  /** Slack answered auth.test: the identity in use from now on, kept for this token (a failure to keep it is logged). */
  async learned(identity: SlackIdentity, at: Date): Promise<void> {
    const configured = this.configured;
    if (configured && (configured.botUserId !== identity.botUserId || (configured.botId !== undefined && identity.botId !== undefined && configured.botId !== identity.botId))) {
      this.logger.warn(
        `SLACK_BOT_USER_ID${configured.botId !== undefined ? "/SLACK_BOT_ID" : ""} say ${[configured.botUserId, configured.botId].filter(Boolean).join("/")}, but Slack says this token's bot is ${[identity.botUserId, identity.botId].filter(Boolean).join("/")}: using Slack's; correct or remove the variables`,
      );
    }
    this.known = { identity, source: "auth.test", checkedAt: at };
    if (!this.store) return;
    const row = {
      teamId: identity.teamId ?? "",
      teamName: identity.teamName ?? null,
      botUserId: identity.botUserId,
      botId: identity.botId ?? null,
      userName: identity.userName ?? null,
      workspaceUrl: identity.workspaceUrl ?? null,
      checkedAt: at,
    };
    try {
      await this.store.keep(tokenKey(this.token), row);
    } catch (error) {
      this.logger.warn(`could not keep the bot's Slack identity in the database (requests after a restart without Slack will lack it): ${(error as Error).message}`);
    }
  }

  /**
   * Bolt's `authorize`: the token and the identity as known now, at once. Bolt takes the team and user of each request
   * from its body.
   */
  readonly authorize = async (): Promise<AuthorizeResult> => {
    const identity = this.known?.identity;
    return {
      botToken: this.token,
      ...(identity ? { botUserId: identity.botUserId } : {}),
      ...(identity?.botId ? { botId: identity.botId } : {}),
    };
  };
}
