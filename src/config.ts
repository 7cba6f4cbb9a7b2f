import { z } from "zod";
import { isTimeZone } from "./time-zone.js";
import { KorusError } from "./errors.js";
import { type AllowList, parseAllowList } from "./net/address-policy.js";

/** Log levels the bot understands, in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** How log lines are written: JSON objects (production) or readable lines (a terminal). */
export const LOG_FORMATS = ["json", "pretty"] as const;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "12h", "90m", "45s", "1500ms" in milliseconds; undefined when not a duration. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/.exec(value.trim());
  return m ? Math.round(Number(m[1]) * DURATION_UNITS_MS[m[2]!]!) : undefined;
}

/** An optional duration variable: unset stays undefined (the scheduler's default applies). */
const optionalDuration = (min: number, minText: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const ms = parseDuration(v);
        if (ms === undefined) {
          ctx.addIssue({ code: "custom", message: "must be a duration such as 12h, 90m, 20s or 500ms" });
          return z.NEVER;
        }
        if (ms < min) {
          ctx.addIssue({ code: "custom", message: `must be at least ${minText}` });
          return z.NEVER;
        }
        return ms;
      }),
  );

/** A comma-separated list of ids (KORUS_ADMINS) as its ids, blanks dropped. */
export function idList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}

// An empty variable (as a .env file often leaves it) counts as unset.
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith("xoxb-", "must be a bot token starting with xoxb-").optional()),
    SLACK_SIGNING_SECRET: optionalString.pipe(z.string().min(8, "looks too short to be a signing secret").optional()),
    SLACK_APP_TOKEN: optionalString.pipe(z.string().startsWith("xapp-", "must be an app-level token starting with xapp-").optional()),
    // A chat adapter's ids (the bot's member id, the admins'): plain strings here; their shape is the adapter's to check
    // (ConfigCheck, src/slack/config-checks.ts).
    SLACK_BOT_USER_ID: optionalString,
    SLACK_BOT_ID: optionalString.pipe(
      z
        .string()
        .regex(/^B[A-Z0-9]{2,}$/, "must be a bot id, like B012ABCDEF")
        .optional(),
    ),
    SLACK_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" }).optional()),
    PORT: z.preprocess(
      (v) => (v === "" || v === undefined ? "3000" : v),
      z.string().regex(/^\d+$/, "must be a port number").transform(Number).pipe(z.number().int().min(0, "must be 0-65535").max(65535, "must be 0-65535")),
    ),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
        .optional(),
    ),
    KORUS_DATA_DIR: z.preprocess((v) => (v === "" || v === undefined ? "./data" : v), z.string()),
    KORUS_TZ: z.preprocess((v) => (v === "" || v === undefined ? "America/New_York" : v), z.string().refine(isTimeZone, "must be an IANA time zone such as America/New_York")),
    KORUS_ADMINS: z.preprocess((v) => (v === "" || v === undefined ? "" : v), z.string().transform(idList)),
    KORUS_MEMO_BANNER: optionalString.pipe(z.string().max(200, "must be at most 200 characters").optional()),
    KORUS_USER_NAME: optionalString.pipe(z.string().max(100, "must be at most 100 characters").optional()),
    KORUS_WATCH_TEMPLATES: z.preprocess(
      (v) => (v === "" || v === undefined ? "0" : v),
      z.enum(["0", "1", "false", "true"], { error: "must be 1 or 0" }).transform((v) => v === "1" || v === "true"),
    ),
    KORUS_PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be the bot's public base URL, like https://korus.example.org" }).optional()),
    KORUS_REMINDER_LEAD_HOURS: z.preprocess(
      (v) => (v === "" || v === undefined ? "24" : v),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, "must be a number of hours, like 24")
        .transform(Number),
    ),
    KORUS_BRIEF_GRACE: optionalDuration(0, "0s"),
    KORUS_BRIEF_TICK: optionalDuration(1000, "1s"),
    KORUS_BRIEF_CLAIM_TIMEOUT: optionalDuration(1000, "1s"),
    KORUS_CLOCK_OFFSET_MS: optionalString.pipe(
      z
        .string()
        .regex(/^-?\d+$/, "must be a whole number of milliseconds (a testing knob)")
        .transform(Number)
        .optional(),
    ),
    KORUS_FEEDS_ALLOW_HOSTS: z.preprocess(
      (v) => (v === undefined ? "" : v),
      z.string().transform((text, ctx) => {
        const allow = parseAllowList(text);
        if ("problems" in allow) {
          for (const problem of allow.problems) ctx.addIssue({ code: "custom", message: `${problem} (comma-separated host names, addresses or CIDR ranges)` });
          return z.NEVER;
        }
        return allow;
      }),
    ),
    KORUS_FEEDS_INTERVAL: optionalDuration(60_000, "1m"),
    KORUS_FEEDS_HOST_INTERVAL: optionalDuration(0, "0s"),
    KORUS_WEB_FETCH: z.preprocess(
      (v) => (v === "" || v === undefined ? "on" : v),
      z.enum(["on", "off", "1", "0", "true", "false"], { error: "must be on or off" }).transform((v) => v === "on" || v === "1" || v === "true"),
    ),
    LOG_LEVEL: z.preprocess((v) => (v === "" || v === undefined ? "info" : v), z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })),
    LOG_FORMAT: optionalString.pipe(z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(", ")}` }).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "required with SLACK_BOT_TOKEN to serve Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
    if (env.SLACK_BOT_ID && !env.SLACK_BOT_USER_ID) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_USER_ID"], message: "required with SLACK_BOT_ID (the bot user's member id, like U012ABCDEF)" });
    }
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_BOT_TOKEN"],
        message: "required to connect to Slack (the xoxb- token from OAuth & Permissions)",
      });
    }
  });

/** The bot's ids set by the operator (SLACK_BOT_USER_ID, SLACK_BOT_ID), known before Slack answers auth.test. */
export interface ConfiguredBotIdentity {
  readonly botUserId: string;
  readonly botId?: string;
}

/** Every environment variable the bot reads (.env.example lists each; a test checks it). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(envSchema.shape));

/** How the bot talks to Slack, decided by which credentials are set. */
export type SlackMode =
  | { kind: "console" }
  | { kind: "http"; botToken: string; signingSecret: string; port: number; botIdentity?: ConfiguredBotIdentity }
  | { kind: "socket"; botToken: string; appToken: string; signingSecret?: string /** Health checks only. */; port: number; botIdentity?: ConfiguredBotIdentity };

/** The validated configuration: read once from the environment in main.ts, then passed down. */
export interface Config {
  readonly slack: SlackMode;
  readonly slackApiUrl?: string;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly timeZone: string;
  readonly admins: readonly string[];
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** LOG_FORMAT; unset: readable on a terminal, JSON otherwise. */
  readonly logFormat?: (typeof LOG_FORMATS)[number];
  /** How late a missed brief may still be posted (KORUS_BRIEF_GRACE); unset: the scheduler's default, 12 h. */
  readonly briefGraceMs?: number;
  /** How often the brief scheduler looks for work (KORUS_BRIEF_TICK); unset: 20 s. */
  readonly briefTickMs?: number;
  /** How long a silent claim on a brief or message lasts before another instance takes it over; unset: 60 s. */
  readonly briefClaimTimeoutMs?: number;
  /** Testing knob (KORUS_CLOCK_OFFSET_MS): the scheduler's clock runs this far ahead of the machine's. */
  readonly clockOffsetMs?: number;
  /** A handling line heading every assembled memo and export, e.g. "PRE-DECISIONAL / DELIBERATIVE". */
  readonly memoBanner?: string;
  /** Owners of unfinished sections are reminded this many hours before the memo is due. */
  readonly memoReminderLeadHours: number;
  /** Reload the templates when a file in their folder changes (KORUS_WATCH_TEMPLATES=1; `npm run dev` sets it). */
  readonly watchTemplates: boolean;
  /** The bot's public base URL (KORUS_PUBLIC_URL), to print the calendar feed's full address. */
  readonly publicUrl?: string;
  /** How the bot fetches from the web: feeds, archived copies of cited pages, dead-link checks (src/net/, src/feeds/). */
  readonly fetching: FetchSettings;
  /** The name the console and the `korus` command show for their user (KORUS_USER_NAME); unset: the account's full name. */
  readonly userName?: string;
}

/** The web-fetching settings: the exceptions to the public-addresses-only rule, and the pacing. */
export interface FetchSettings {
  /** KORUS_FEEDS_ALLOW_HOSTS: hosts, addresses and ranges fetched from although they are not public. */
  readonly allow: AllowList;
  /** KORUS_FEEDS_INTERVAL: how often a new feed is polled (default 30 min). */
  readonly feedIntervalMs: number;
  /** KORUS_FEEDS_HOST_INTERVAL: the least time between two requests to one host (default 5 s). */
  readonly hostIntervalMs: number;
  /** KORUS_WEB_FETCH: whether the bot polls feeds and archives pages on its own (the scheduler's tick). */
  readonly background: boolean;
}

/** Raised when the environment is invalid; `problems` holds one line per variable at fault. */
export class ConfigError extends KorusError<"config_invalid"> {
  constructor(readonly problems: string[]) {
    super("config_invalid", `invalid configuration:\n${problems.join("\n")}`);
  }
}

/**
 * A check that the adapter in use adds to the environment (src/slack/config-checks.ts): the variables that carry its
 * ids stay plain strings here, and it says what is wrong with them, one `VARIABLE: problem` line each, listed with
 * every other problem.
 */
export type ConfigCheck = (env: Readonly<Record<string, string | undefined>>) => string[];

/**
 * Parses and validates the environment, with the adapters' `checks`.
 * @throws ConfigError listing every problem, one line per variable.
 */
export function loadConfig(env: Record<string, string | undefined>, checks: readonly ConfigCheck[] = []): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "environment")}: ${issue.message}`);
  problems.push(...checks.flatMap((check) => check(env)));
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  let slack: SlackMode = { kind: "console" };
  const botIdentity = e.SLACK_BOT_USER_ID ? { botIdentity: Object.freeze({ botUserId: e.SLACK_BOT_USER_ID, ...(e.SLACK_BOT_ID ? { botId: e.SLACK_BOT_ID } : {}) }) } : {};
  if (e.SLACK_BOT_TOKEN && e.SLACK_APP_TOKEN) {
    slack = { kind: "socket", botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, port: e.PORT, ...botIdentity };
  } else if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET) {
    slack = { kind: "http", botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, port: e.PORT, ...botIdentity };
  }
  return Object.freeze({
    slack: Object.freeze(slack),
    slackApiUrl: e.SLACK_API_URL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.KORUS_DATA_DIR,
    timeZone: e.KORUS_TZ,
    admins: Object.freeze([...e.KORUS_ADMINS]),
    logLevel: e.LOG_LEVEL,
    ...(e.LOG_FORMAT !== undefined ? { logFormat: e.LOG_FORMAT } : {}),
    // Set only when given, so that an unset variable leaves the scheduler's default in one place.
    ...(e.KORUS_BRIEF_GRACE !== undefined ? { briefGraceMs: e.KORUS_BRIEF_GRACE } : {}),
    ...(e.KORUS_BRIEF_TICK !== undefined ? { briefTickMs: e.KORUS_BRIEF_TICK } : {}),
    ...(e.KORUS_BRIEF_CLAIM_TIMEOUT !== undefined ? { briefClaimTimeoutMs: e.KORUS_BRIEF_CLAIM_TIMEOUT } : {}),
    ...(e.KORUS_CLOCK_OFFSET_MS !== undefined ? { clockOffsetMs: e.KORUS_CLOCK_OFFSET_MS } : {}),
    memoBanner: e.KORUS_MEMO_BANNER,
    memoReminderLeadHours: e.KORUS_REMINDER_LEAD_HOURS,
    watchTemplates: e.KORUS_WATCH_TEMPLATES,
    ...(e.KORUS_PUBLIC_URL !== undefined ? { publicUrl: e.KORUS_PUBLIC_URL } : {}),
    fetching: Object.freeze({
      allow: e.KORUS_FEEDS_ALLOW_HOSTS,
      feedIntervalMs: e.KORUS_FEEDS_INTERVAL ?? 30 * 60_000,
      hostIntervalMs: e.KORUS_FEEDS_HOST_INTERVAL ?? 5_000,
      background: e.KORUS_WEB_FETCH,
    }),
    ...(e.KORUS_USER_NAME !== undefined ? { userName: e.KORUS_USER_NAME } : {}),
  });
}

/** The values that must never be written to a log: Slack tokens, the signing secret, the database password. */
export function secretsOf(config: Config): string[] {
  const secrets: string[] = [];
  if (config.slack.kind !== "console") {
    secrets.push(config.slack.botToken);
    if (config.slack.kind === "http") secrets.push(config.slack.signingSecret);
    if (config.slack.kind === "socket") {
      secrets.push(config.slack.appToken);
      if (config.slack.signingSecret) secrets.push(config.slack.signingSecret);
    }
  }
  if (config.databaseUrl) {
    const password = new URL(config.databaseUrl).password;
    if (password) secrets.push(decodeURIComponent(password));
  }
  return secrets;
}
