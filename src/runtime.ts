import { existsSync } from "node:fs";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import type { OwnerRole } from "./db/data-folder-lock.js";
import { migrate } from "./db/migrate.js";
import { seedIfEmpty } from "./db/seed.js";
import type { Logger } from "./logger.js";

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

/** Reads the configuration, or prints one line per problem and exits with code 2 (never a stack trace). */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`korus: the environment is not valid:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.stderr.write("korus: see .env.example and the README for every variable.\n");
      process.exit(EXIT_USAGE);
    }
    throw error;
  }
}

/** Who is opening the database: the bot owns an embedded data folder, a `korus` command goes through it. */
export interface OpenAs {
  role: OwnerRole;
  /** What this process does, for whoever must wait for it ("korus facts import"). */
  command: string;
  /** Told when this process has to wait for the data folder, and why. */
  onWait?: (message: string) => void;
}

/**
 * Opens the database, applies pending migrations, and seeds a database that never held a fact (unless it is reached
 * through the bot that owns it, which did both when it started).
 */
export async function openReadyDatabase(config: Config, logger: Logger, as: OpenAs): Promise<Database> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    role: as.role,
    command: as.command,
    onWait: as.onWait ?? ((m) => logger.warn(m)),
    onNotice: (m) => logger.warn(m),
  });
  // The bot that owns the data folder migrated and seeded it when it started.
  if (db.kind === "pglite-socket") return db;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info(`applied migrations: ${applied.join(", ")}`);
    const seeded = await seedIfEmpty(db);
    if (seeded) logger.info(`seeded ${seeded.added} facts from the source article`);
    return db;
  } catch (error) {
    await db.close();
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
