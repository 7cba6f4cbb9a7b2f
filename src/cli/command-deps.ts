import type { Clock } from "../clock.js";
import type { Database } from "../db/client.js";

/** What every group of `korus` commands is given by src/cli/korus.ts; each group picks the parts it uses. */
export interface CommandDeps {
  /** Runs `fn` on the database (through the owning bot, or owning the data folder for the command's length). */
  withDatabase: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  /** Commander's parser for a YYYY-MM-DD option. */
  isoDate: (value: string) => string;
  clock: Clock;
  /** The team's time zone (KORUS_TZ). */
  timeZone: string;
}
