import type { Clock } from "../clock.js";
import { helpMarkdown, parseCommand } from "../commands/parse.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { statusToMarkdown } from "../status/markdown.js";
import { getStatus } from "../status/service.js";

/** What the terminal commands need. */
export interface TextCommandDeps {
  prisma: PrismaClient;
  clock: Clock;
  timeZone: string;
}

/** The answer to a command in the terminal: Markdown, and whether the command was understood. */
export interface TextAnswer {
  ok: boolean;
  output: string;
}

/**
 * Runs one `/korus ...` command (the `/korus` is optional) and answers in Markdown: the local console's twin of the
 * Slack command, over the same domain code.
 */
export async function runTextCommand(line: string, deps: TextCommandDeps): Promise<TextAnswer> {
  const text = line.trim().replace(/^\/korus\b/i, "");
  const parsed = parseCommand(text);
  switch (parsed.name) {
    case "help":
      return { ok: true, output: helpMarkdown() };
    case "invalid":
      return {
        ok: false,
        output: `${parsed.message}\n${parsed.usage ? `Usage: ${parsed.usage}\n` : `\n${helpMarkdown()}`}`,
      };
    case "status": {
      const report = await getStatus(deps, parsed.asOf);
      return { ok: true, output: statusToMarkdown(report) };
    }
  }
}
