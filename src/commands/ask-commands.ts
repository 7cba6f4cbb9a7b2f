/**
 * The commands an ask answer offers, as typed after `/korus`: in Slack and in the local console, which takes the same
 * slash commands (src/cli/ask-commands.ts words them for the `korus` command instead).
 */
import type { AskCommands } from "../ask/markdown.js";

export const SLASH_ASK_COMMANDS: AskCommands = {
  fact: (id) => `/korus fact show ${id}`,
  search: (words) => `/korus facts ${words}`,
  status: (day) => `/korus status as-of ${day}`,
  timeline: (since, until) => `/korus timeline since:${since} until:${until}`,
  figures: (series) => `/korus figures ${series}`,
};
