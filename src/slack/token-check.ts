/**
 * Checks the bot token with `auth.test` when the bot starts. A token Slack refuses stops the bot with one clear line
 * (exit code 2), instead of a warning on every request. A Web API that cannot be reached is said once ("Slack Web API
 * unreachable at URL: cause"), asked again with backoff (2 s doubling to 5 min) without a line per try, and its
 * recovery said once; the bot serves meanwhile (identity.ts: requests do not wait for Slack). Slack's answer is the
 * bot's identity, handed to whoever waits on `verified`.
 */
import { ErrorCode, LogLevel, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { SlackIdentity } from "./identity.js";

/** auth.test errors that mean the token itself is wrong: retrying cannot help. */
const REFUSED_TOKEN = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "team_disabled"]);

/** Slack's Web API address when SLACK_API_URL is unset (@slack/web-api's default). */
export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/** What the first answer said. */
export type TokenVerdict = { state: "verified"; identity: SlackIdentity } | { state: "refused"; code: string } | { state: "unreachable"; reason: string };

/** A running check: its first verdict, Slack's answer once it comes, and how to stop the retries. */
export interface TokenWatch {
  first: Promise<TokenVerdict>;
  /** Resolves with the bot's identity when Slack accepts the token (on the first try or a later one); may never. */
  verified: Promise<SlackIdentity>;
  stop(): void;
}

/** The line an operator reads when Slack refuses the token. */
export function refusedTokenMessage(code: string): string {
  return `Slack refused SLACK_BOT_TOKEN (${code}): the token is wrong, revoked or from an uninstalled app. Copy the Bot User OAuth Token (xoxb-...) again from the app's OAuth & Permissions page.`;
}

/**
 * Why a Web API call failed, in an operator's words: the network error at the bottom of fetch's causes (`connect
 * ECONNREFUSED 10.0.0.1:443`, `getaddrinfo ENOTFOUND slack.com`), the timeout, the HTTP status, or Slack's error code.
 */
export function slackFailureCause(error: unknown): string {
  const e = error as { code?: string; statusCode?: number; statusMessage?: string; retryAfter?: number; data?: { error?: string }; original?: unknown };
  switch (e?.code) {
    case ErrorCode.HTTPError:
      return `HTTP ${e.statusCode ?? "error"}${e.statusMessage ? ` ${e.statusMessage}` : ""}`;
    case ErrorCode.RateLimitedError:
      return `rate limited (retry after ${e.retryAfter ?? "?"} s)`;
    case ErrorCode.PlatformError:
      return `Slack error ${e.data?.error ?? "unknown_error"}`;
    case ErrorCode.RequestError:
      return networkCause(e.original);
    default:
      return networkCause(error);
  }
}

/** The innermost useful message of an error and its causes (fetch wraps the socket's error as `fetch failed`). */
function networkCause(error: unknown): string {
  let current = error as { message?: string; code?: string; name?: string; cause?: unknown; errors?: unknown[] } | undefined;
  let best = "unknown error";
  for (let depth = 0; current && depth < 8; depth++) {
    if (current.name === "TimeoutError") return "no answer before the timeout";
    if (Array.isArray(current.errors) && current.errors.length > 0) {
      // Node tries each address of a name (IPv6 and IPv4) and gives up with an AggregateError of them all.
      return [...new Set(current.errors.map((inner) => networkCause(inner)))].join("; ");
    }
    if (current.message && current.message !== "fetch failed") best = current.message;
    else if (current.code) best = current.code;
    current = current.cause as typeof current;
  }
  return best;
}

/** The base URL as the WebClient uses it (with its trailing slash). */
function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
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
  /** Per-try timeout (default 10 s). */
  timeoutMs?: number;
}): TokenWatch {
  const apiUrl = withSlash(options.slackApiUrl ?? DEFAULT_SLACK_API_URL);
  const client = new WebClient(options.token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logLevel: LogLevel.ERROR,
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let settle: (verdict: TokenVerdict) => void = () => undefined;
  const first = new Promise<TokenVerdict>((resolve) => (settle = resolve));
  let accept: (identity: SlackIdentity) => void = () => undefined;
  const verified = new Promise<SlackIdentity>((resolve) => (accept = resolve));
  let unreachableSince: number | undefined;

  const attempt = async (delayMs: number, tries: number): Promise<void> => {
    if (stopped) return;
    try {
      const answer = await client.auth.test();
      const identity: SlackIdentity = {
        botUserId: answer.user_id ?? "",
        ...(answer.bot_id ? { botId: answer.bot_id } : {}),
        ...(answer.team_id ? { teamId: answer.team_id } : {}),
        ...(answer.team ? { teamName: answer.team } : {}),
        ...(answer.user ? { userName: answer.user } : {}),
        ...(answer.url ? { workspaceUrl: answer.url } : {}),
      };
      if (unreachableSince !== undefined) {
        const seconds = Math.round((Date.now() - unreachableSince) / 1000);
        options.logger.notice(`Slack Web API reachable again at ${apiUrl} (after ${tries} tries, ${seconds} s)`);
      }
      options.logger.info(`Slack accepted the bot token: @${answer.user ?? answer.user_id ?? "?"} in ${answer.team ?? answer.team_id ?? "?"}`);
      settle({ state: "verified", identity });
      if (identity.botUserId) accept(identity);
    } catch (error) {
      const code = (error as { code?: string; data?: { error?: string } }).code === ErrorCode.PlatformError ? ((error as { data?: { error?: string } }).data?.error ?? "") : "";
      if (REFUSED_TOKEN.has(code)) {
        settle({ state: "refused", code });
        if (tries > 1) options.onRefused(code);
        return;
      }
      const cause = slackFailureCause(error);
      if (unreachableSince === undefined) {
        unreachableSince = Date.now();
        options.logger.warn(`Slack Web API unreachable at ${apiUrl}: ${cause}`);
      } else {
        options.logger.debug(`Slack Web API still unreachable at ${apiUrl} (try ${tries}): ${cause}`);
      }
      settle({ state: "unreachable", reason: cause });
      if (stopped) return;
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, 300_000), tries + 1), delayMs);
      timer.unref();
    }
  };
  void attempt(options.firstRetryMs ?? 2000, 1);
  return {
    first,
    verified,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
