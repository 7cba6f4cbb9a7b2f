import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { type Logger as PinoLogger, type LoggerOptions as PinoOptions, pino } from "pino";
import type { LOG_LEVELS } from "./config.js";

export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written: one JSON object a line (production), or readable lines (a terminal). */
export type LogFormat = "json" | "pretty";

/**
 * The logging the bot does. Arguments are joined into the message; an Error among them is logged as `err` with its
 * stack, and a plain object's fields are added to the line. A Slack request's lines carry its `reqId` through a child
 * logger (`child({ reqId })`, made by the request-log middleware and kept in Bolt's context): passed along rather than
 * found through AsyncLocalStorage, whose promise hooks on Node 20 run for every promise of the process (measured:
 * about 0.1 ms of CPU per `/korus status`, a sixth of what the bot spends on one).
 */
export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  /** An operator's notice (where the data is, what port is served): written at level info whatever LOG_LEVEL says. */
  notice(...msg: unknown[]): void;
  level: LogLevel;
  /** This logger with `fields` on every line it writes (a request's `reqId`). */
  child(fields: Record<string, unknown>): Logger;
}

/** Options beyond the level and name. */
export interface LoggerOptions {
  /** Default: pretty when standard error is a terminal, else JSON. */
  format?: LogFormat;
  /** Values that must never appear in a line (tokens, the signing secret); Slack token shapes are hidden anyway. */
  secrets?: readonly (string | undefined)[];
}

/** Random bytes for request ids, drawn 4 KiB at a time rather than with a system call per request. */
let idBytes = Buffer.alloc(0);
let idOffset = 0;

/** A short random id for one Slack request (also shown to users as a failure's reference). */
export function newRequestId(): string {
  if (idOffset + 4 > idBytes.length) {
    idBytes = randomBytes(4096);
    idOffset = 0;
  }
  idOffset += 4;
  return idBytes.toString("hex", idOffset - 4, idOffset);
}

// Bot, user, app-level and refresh tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxe-..., xapp-.
const TOKEN_PATTERN = /\b(xox[a-z](?:\.[a-z]+)?|xapp)-[A-Za-z0-9-]{6,}/g;

/** Replaces Slack tokens and the given secrets in a line of text with "[redacted]". */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_PATTERN, (_, prefix: string) => `${prefix}-[redacted]`);
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  return out;
}

/**
 * pino-pretty's stream to standard error, loaded when the first line is written (it is not small, and a `korus`
 * command usually writes none).
 */
function prettyStream(): { write(line: string): void } {
  let stream: NodeJS.WritableStream | undefined;
  return {
    write: (line) => {
      if (!stream) {
        const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
        stream = pretty({ destination: 2, sync: true, colorize: Boolean(process.stderr.isTTY), translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" });
      }
      stream.write(line);
    },
  };
}

/**
 * A logger (pino) writing to standard error, or to `write` (one JSON line each; tests read them).
 * JSON lines carry `time`, `level`, `name`, `msg`, `reqId` inside a Slack request, and `err` with the stack.
 */
export function createLogger(level: LogLevel, name = "korus", write?: (line: string) => void, options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length >= 8);
  const format = write ? "json" : (options.format ?? (process.stderr.isTTY ? "pretty" : "json"));
  const base: PinoOptions = {
    name,
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // The last word on every line: no token or secret leaves the process, whatever an error carried.
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
  };
  const destination = write ? { write: (line: string) => write(line.endsWith("\n") ? line.slice(0, -1) : line) } : format === "pretty" ? prettyStream() : pino.destination({ dest: 2, sync: true });
  const out = pino(base, destination);
  // Notices are written at info even when the level is higher.
  return wrap(out, out.child({}, { level: "info" }));
}

/** Our Logger over a pino logger (and its always-at-info twin for notices). */
function wrap(out: PinoLogger, notices: PinoLogger): Logger {
  const logger: Logger = {
    get level() {
      return out.level as LogLevel;
    },
    set level(value: LogLevel) {
      out.level = value;
    },
    debug: (...msg) => emit("debug", msg),
    info: (...msg) => emit("info", msg),
    warn: (...msg) => emit("warn", msg),
    error: (...msg) => emit("error", msg),
    notice: (...msg) => emit("info", msg, notices),
    child: (fields) => lazyChild(out, () => wrap(out.child(fields), notices.child(fields))),
  };
  function emit(at: LogLevel, msg: unknown[], to = out) {
    if (!to.isLevelEnabled(at)) return;
    const words: string[] = [];
    const fields: Record<string, unknown> = {};
    for (const m of msg) {
      if (m instanceof Error) {
        if (!fields.err) fields.err = m;
        words.push(m.message);
      } else if (typeof m === "string") words.push(m);
      else if (m !== null && typeof m === "object" && !Array.isArray(m)) Object.assign(fields, m);
      else words.push(String(m));
    }
    to[at](fields, words.join(" "));
  }
  return logger;
}

/**
 * A child logger made on its first line: every Slack request gets one, and at LOG_LEVEL=warn most write nothing, while
 * making one costs two pino children (measured: about 8 µs and their garbage per `/korus status`). Until it is made,
 * its level is its parent's, as a pino child's is when it is made.
 */
function lazyChild(parent: PinoLogger, make: () => Logger): Logger {
  return new LazyChild(parent, make);
}

/** See {@link lazyChild}: a class, so that a request's logger is one small object until it writes. */
class LazyChild implements Logger {
  private made: Logger | undefined;
  constructor(
    private readonly parent: PinoLogger,
    private readonly make: () => Logger,
  ) {}
  private real(): Logger {
    this.made ??= this.make();
    return this.made;
  }
  private write(level: "debug" | "info" | "warn" | "error", msg: unknown[]): void {
    if (this.made) this.made[level](...msg);
    else if (this.parent.isLevelEnabled(level)) this.real()[level](...msg);
  }
  get level(): LogLevel {
    return this.made ? this.made.level : (this.parent.level as LogLevel);
  }
  set level(value: LogLevel) {
    this.real().level = value;
  }
  debug(...msg: unknown[]): void {
    this.write("debug", msg);
  }
  info(...msg: unknown[]): void {
    this.write("info", msg);
  }
  warn(...msg: unknown[]): void {
    this.write("warn", msg);
  }
  error(...msg: unknown[]): void {
    this.write("error", msg);
  }
  notice(...msg: unknown[]): void {
    this.real().notice(...msg);
  }
  child(fields: Record<string, unknown>): Logger {
    return this.real().child(fields);
  }
}
