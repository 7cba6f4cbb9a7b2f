import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { sinceStart } from "../runtime.js";
import { type Database, openDatabase } from "./client.js";
import type { OwnerInfo, OwnerRole } from "./data-folder-lock.js";
import { migrate } from "./migrate.js";
import { seedIfEmpty } from "./seed.js";
import { counted } from "../render/count.js";

/** Who is opening the database: the bot owns an embedded data folder, a `korus` command goes through it. */
export interface OpenAs {
  role: OwnerRole;
  /** What this process does, for whoever must wait for it ("korus facts import"). */
  command: string;
  /** Told when this process has to wait for the data folder, and why. */
  onWait?: (message: string, holder: OwnerInfo) => void;
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
    onDebug: (m) => logger.debug(m),
  });
  logger.debug(`startup: database open at ${sinceStart()} ms`);
  // The bot that owns the data folder migrated and seeded it when it started.
  if (db.kind === "pglite-socket") return db;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info(`applied migrations: ${applied.join(", ")}`);
    logger.debug(`startup: migrations checked at ${sinceStart()} ms`);
    const seeded = await seedIfEmpty(db);
    if (seeded) logger.info(`seeded ${counted(seeded.added, "fact")} from the source article`);
    logger.debug(`startup: seed checked at ${sinceStart()} ms`);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
