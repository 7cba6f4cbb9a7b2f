import type { Clock } from "../clock.js";
import type { TerminalServices } from "../commands/services-cli.js";

/**
 * How the terminal reads what a person copies from the chat workspace (its channel ids and mentions), given by the
 * composition roots (src/cli/korus.ts, src/main.ts) from the chat adapter (src/slack/terminal-readers.ts), so that
 * nothing in src/cli knows the adapter's id shapes or markup.
 */
export interface ChatReaders {
  /** A channel typed (its id) or pasted (a channel mention) as its id; undefined when it is not a channel. */
  channel(typed: string): string | undefined;
  /** A conversation a post may go to, read as `channel` reads it, a direct message's id included. */
  conversation(typed: string): string | undefined;
  /** A command line with each channel mention standing as a word turned into its id; the rest as it is. */
  mentionsToIds(line: string): string;
}

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
  /** Reading channels typed or pasted from the workspace. */
  chat: ChatReaders;
}
