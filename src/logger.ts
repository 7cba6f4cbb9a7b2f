import type { LOG_LEVELS } from "./config.js";

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The logging the bot does: lines to standard error, below `level` dropped. */
export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  level: LogLevel;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function format(msg: unknown[]): string {
  return msg.map((m) => (m instanceof Error ? (m.stack ?? m.message) : typeof m === "string" ? m : JSON.stringify(m))).join(" ");
}

/** A logger writing `LEVEL [name] message` lines to `write` (standard error by default). */
export function createLogger(
  level: LogLevel,
  name = "korus",
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const logger: Logger = {
    level,
    debug: (...msg) => emit("debug", msg),
    info: (...msg) => emit("info", msg),
    warn: (...msg) => emit("warn", msg),
    error: (...msg) => emit("error", msg),
  };
  function emit(at: LogLevel, msg: unknown[]) {
    if (RANK[at] >= RANK[logger.level]) write(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${format(msg)}`);
  }
  return logger;
}
