/**
 * Checks the bot token with `auth.test` when the bot starts. A token Slack refuses stops the bot with one clear line
 * (exit code 2), instead of a warning on every request; a Slack that cannot be reached is retried with backoff and
 * reported, and the bot serves meanwhile.
 */
import { LogLevel, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { classifySlackError } from "./brief-transport.js";

/** auth.test errors that mean the token itself is wrong: retrying cannot help. */
const REFUSED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
  "team_disabled",
]);

/** What the first answer said. */
export type TokenVerdict =
  | { state: "verified"; team: string; user: string }
  | { state: "refused"; code: string }
  | { state: "unreachable"; reason: string };

/** A running check: its first verdict, and how to stop the retries. */
export interface TokenWatch {
  first: Promise<TokenVerdict>;
  stop(): void;
}

/** The line an operator reads when Slack refuses the token. */
export function refusedTokenMessage(code: string): string {
  return `Slack refused SLACK_BOT_TOKEN (${code}): the token is wrong, revoked or from an uninstalled app. Copy the Bot User OAuth Token (xoxb-...) again from the app's OAuth & Permissions page.`;
}

/**
 * Starts checking `token`. The first verdict resolves `first`; while Slack is unreachable the check repeats with
 * backoff (2 s doubling to 5 min) and, if Slack later refuses the token, calls `onRefused`.
 */
export function watchBotToken(options: {
  token: string;
  slackApiUrl?: string;
  logger: Logger;
  onRefused: (code: string) => void;
  /** Backoff of the first retry; tests shorten it. */
  firstRetryMs?: number;
}): TokenWatch {
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl.endsWith("/") ? options.slackApiUrl : `${options.slackApiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: LogLevel.ERROR,
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let settle: (verdict: TokenVerdict) => void = () => undefined;
  const first = new Promise<TokenVerdict>((resolve) => (settle = resolve));

  const attempt = async (delayMs: number, tries: number): Promise<void> => {
    if (stopped) return;
    try {
      const answer = await client.auth.test();
      const verdict: TokenVerdict = { state: "verified", team: answer.team ?? answer.team_id ?? "?", user: answer.user ?? answer.user_id ?? "?" };
      options.logger.info(`Slack accepted the bot token: @${verdict.user} in ${verdict.team}${tries > 1 ? ` (after ${tries} tries)` : ""}`);
      settle(verdict);
    } catch (error) {
      const failure = classifySlackError(error);
      if (REFUSED_TOKEN.has(failure.code)) {
        settle({ state: "refused", code: failure.code });
        if (tries > 1) options.onRefused(failure.code);
        return;
      }
      options.logger.warn(`Slack could not be reached to check the bot token (${failure.code}); trying again in ${Math.round(delayMs / 1000)} s`);
      settle({ state: "unreachable", reason: failure.code });
      if (stopped) return;
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, 300_000), tries + 1), delayMs);
      timer.unref();
    }
  };
  void attempt(options.firstRetryMs ?? 2000, 1);
  return {
    first,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
