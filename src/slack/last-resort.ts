/**
 * The last resort: process-wide `unhandledRejection` and `uncaughtException` handlers, installed while a Slack app
 * runs. No request is meant to reach them: a request's body is checked before Bolt sees it (payloads.ts), every
 * listener's error goes to the one `app.error` (error-handler.ts), and the fuzz test (test/integration/slack-fuzz.test.ts)
 * counts their log lines and expects none.
 *
 * The choice: log and keep serving, in both cases. The bot keeps its state in the database, where every change is one
 * transaction, so a failure cannot leave a half-written record behind; what lives in the process is caches that are
 * read again. Exiting would drop the acks of everyone else's requests in flight (Slack shows them "operation
 * timeout"), and `npm start` on the embedded database has no supervisor to restart it. An uncaught exception is
 * logged as such with its stack, so that the bug is found and fixed.
 */
import type { Logger } from "../logger.js";

/** What the handlers write, so that tests and operators can find it. */
export const LAST_RESORT_PREFIX = "LAST RESORT";

const loggers = new Set<Logger>();

function onRejection(reason: unknown): void {
  for (const logger of loggers) logger.error(`${LAST_RESORT_PREFIX}: unhandled promise rejection (still serving):`, reason);
}

function onException(error: Error): void {
  for (const logger of loggers) logger.error(`${LAST_RESORT_PREFIX}: uncaught exception (still serving):`, error);
}

/**
 * Installs the handlers (once per process, however many apps run) and logs to `logger` until the returned function
 * is called; the last one to leave removes them.
 */
export function installLastResort(logger: Logger): () => void {
  if (loggers.size === 0) {
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
  }
  loggers.add(logger);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    loggers.delete(logger);
    if (loggers.size === 0) {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    }
  };
}
