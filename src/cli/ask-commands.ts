/** The commands a `/korus ask` answer offers, as typed in a terminal (`npx korus ask ...`). */
import type { AskCommands } from "../ask/markdown.js";

export const TERMINAL_ASK_COMMANDS: AskCommands = {
  fact: (id) => `npx korus facts history ${id}`,
  search: (words) => `npx korus facts search ${words}`,
  status: (day) => `npx korus status --as-of ${day}`,
  timeline: (since, until) => `npx korus timeline --since ${since} --until ${until}`,
  figures: (series) => `npx korus figures ${series}`,
};
