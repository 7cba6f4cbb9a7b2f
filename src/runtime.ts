import { existsSync } from "node:fs";
import { type Config, type ConfigCheck, ConfigError, loadConfig } from "./config.js";
import type { Logger } from "./logger.js";

/** Milliseconds since the process started, for the startup's debug lines. */
export function sinceStart(): number {
  return Math.round(performance.now());
}

/** Exit code for a bad configuration or bad command-line usage. */
export const EXIT_USAGE = 2;

/**
 * Reads `.env` from the working directory into process.env, if there is one. Variables already set (even to an
 * empty string) win over the file, as with any dotenv loader.
 * @returns the file read, or undefined.
 */
export function loadDotEnv(file = ".env"): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    process.loadEnvFile(file);
    return file;
  } catch (error) {
    process.stderr.write(`korus: cannot read ${file}: ${(error as Error).message}\n`);
    process.exit(EXIT_USAGE);
  }
}

/**
 * Reads the configuration (with the adapters' `checks`), or prints one line per problem and exits with code 2 (never a
 * stack trace).
 */
export function loadConfigOrExit(env: Record<string, string | undefined>, checks: readonly ConfigCheck[] = []): Config {
  try {
    return loadConfig(env, checks);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`korus: the environment is not valid:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.stderr.write("korus: see .env.example and the README for every variable.\n");
      process.exit(EXIT_USAGE);
    }
    throw error;
  }
}

/**
 * Runs `cleanup` once on SIGINT or SIGTERM, then exits. PGlite left open keeps the process alive, so every exit path
 * must close the database.
 */
export function closeOnSignals(cleanup: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    // A second signal (a supervisor may repeat it) must not kill the process mid-close.
    if (closing) return;
    closing = true;
    logger.info(`${signal}: closing`);
    // A close that hangs must not keep the process forever.
    setTimeout(() => {
      logger.error("closing took over 20 s; exiting anyway");
      process.exit(1);
    }, 20_000).unref();
    cleanup()
      .catch((error) => logger.error("error while closing:", error))
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
