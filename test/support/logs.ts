import { createLogger, type Logger, type LogLevel } from "../../src/logger.js";

/**
 * A real logger (pino, JSON) whose lines the test reads back as "LEVEL message" (plus the error's message when one
 * was logged), so assertions read like the log and do not depend on JSON escaping. `reqId` is kept after the level.
 */
export function capturingLogger(level: LogLevel, name: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(level, name, (json) => {
    const entry = JSON.parse(json) as { level: string; msg?: string; reqId?: string; err?: { message?: string } };
    const id = entry.reqId ? ` [${entry.reqId}]` : "";
    lines.push(`${entry.level.toUpperCase()}${id} ${entry.msg ?? ""}${entry.err?.message && !entry.msg?.includes(entry.err.message) ? ` ${entry.err.message}` : ""}`);
  });
  return { logger, lines };
}
