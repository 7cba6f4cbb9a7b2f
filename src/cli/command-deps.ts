import type { Clock } from "../clock.js";
import type { TerminalServices } from "../commands/services-cli.js";

/** What every group of `korus` commands is given by src/cli/korus.ts; each group picks the parts it uses. */
export interface CommandDeps {
  /**
   * Runs `fn` with the terminal's services (src/commands/services-cli.ts), on the database opened for it (through the
   * bot that owns the data folder, or owning it for the command's length) and closed after it.
   */
  withServices: <T>(fn: (services: TerminalServices) => Promise<T>) => Promise<T>;
  /** Commander's parser for a YYYY-MM-DD option. */
  isoDate: (value: string) => string;
  clock: Clock;
  /** The team's time zone (KORUS_TZ). */
  timeZone: string;
}
