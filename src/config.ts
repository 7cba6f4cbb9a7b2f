import { z } from "zod";

/** Log levels the bot understands, in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// An empty variable (as a .env file often leaves it) counts as unset.
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalString.pipe(
      z.string().startsWith("xoxb-", "must be a bot token starting with xoxb-").optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString.pipe(z.string().min(8, "looks too short to be a signing secret").optional()),
    SLACK_APP_TOKEN: optionalString.pipe(
      z.string().startsWith("xapp-", "must be an app-level token starting with xapp-").optional(),
    ),
    SLACK_API_URL: optionalString.pipe(
      z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" }).optional(),
    ),
    PORT: z.preprocess(
      (v) => (v === "" || v === undefined ? "3000" : v),
      z.string().regex(/^\d+$/, "must be a port number").transform(Number).pipe(
        z.number().int().min(0, "must be 0-65535").max(65535, "must be 0-65535"),
      ),
    ),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
        .optional(),
    ),
    KORUS_DATA_DIR: z.preprocess((v) => (v === "" || v === undefined ? "./data" : v), z.string()),
    KORUS_TZ: z.preprocess(
      (v) => (v === "" || v === undefined ? "America/New_York" : v),
      z.string().refine(isTimeZone, "must be an IANA time zone such as America/New_York"),
    ),
    KORUS_ADMINS: z.preprocess(
      (v) => (v === "" || v === undefined ? "" : v),
      z
        .string()
        .transform((s) => s.split(",").map((id) => id.trim()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, "must be Slack user ids like U012ABCDEF, comma-separated"))),
    ),
    KORUS_MEMO_BANNER: optionalString.pipe(z.string().max(200, "must be at most 200 characters").optional()),
    KORUS_REMINDER_LEAD_HOURS: z.preprocess(
      (v) => (v === "" || v === undefined ? "24" : v),
      z.string().regex(/^\d+(\.\d+)?$/, "must be a number of hours, like 24").transform(Number),
    ),
    LOG_LEVEL: z.preprocess(
      (v) => (v === "" || v === undefined ? "info" : v),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "required with SLACK_BOT_TOKEN to serve Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_BOT_TOKEN"],
        message: "required to connect to Slack (the xoxb- token from OAuth & Permissions)",
      });
    }
  });

/** How the bot talks to Slack, decided by which credentials are set. */
export type SlackMode =
  | { kind: "console" }
  | { kind: "http"; botToken: string; signingSecret: string; port: number }
  | { kind: "socket"; botToken: string; appToken: string; signingSecret?: string };

/** The validated configuration: read once from the environment in main.ts, then passed down. */
export interface Config {
  readonly slack: SlackMode;
  readonly slackApiUrl?: string;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly timeZone: string;
  readonly admins: readonly string[];
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** A handling line heading every assembled memo and export, e.g. "PRE-DECISIONAL / DELIBERATIVE". */
  readonly memoBanner?: string;
  /** Owners of unfinished sections are reminded this many hours before the memo is due. */
  readonly memoReminderLeadHours: number;
}

/** Raised when the environment is invalid; `problems` holds one line per variable at fault. */
export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join("\n")}`);
  }
}

/**
 * Parses and validates the environment.
 * @throws ConfigError listing every problem, one line per variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "environment")}: ${issue.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  let slack: SlackMode = { kind: "console" };
  if (e.SLACK_BOT_TOKEN && e.SLACK_APP_TOKEN) {
    slack = { kind: "socket", botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET };
  } else if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET) {
    slack = { kind: "http", botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, port: e.PORT };
  }
  return Object.freeze({
    slack: Object.freeze(slack),
    slackApiUrl: e.SLACK_API_URL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.KORUS_DATA_DIR,
    timeZone: e.KORUS_TZ,
    admins: Object.freeze([...e.KORUS_ADMINS]),
    logLevel: e.LOG_LEVEL,
    memoBanner: e.KORUS_MEMO_BANNER,
    memoReminderLeadHours: e.KORUS_REMINDER_LEAD_HOURS,
  });
}
