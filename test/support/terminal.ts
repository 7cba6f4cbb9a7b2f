import { createTerminalServices } from "../../src/commands/services-cli.js";
import type { Clock } from "../../src/clock.js";
import type { FetchSettings } from "../../src/config.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { TemplateStore } from "../../src/memos/templates/store.js";
import { cliUser } from "../../src/cli/facts.js";
import { slackTerminalReaders } from "../../src/slack/terminal-readers.js";

/**
 * What the local console is given (src/cli/text-commands.ts), as src/main.ts builds it: Slack's readers of pasted channels, the terminal's services over
 * `prisma`, beside `deps` as they are (a form's `ask` and `say`; the test's own calls use `prisma`).
 */
export function consoleDeps<T extends { prisma: PrismaClient; clock: Clock; timeZone: string; templates: TemplateStore; fetching?: FetchSettings }>(deps: T) {
  const { prisma, fetching } = deps;
  return {
    ...deps,
    chat: slackTerminalReaders,
    terminal: createTerminalServices({
      db: { prisma },
      clock: deps.clock,
      timeZone: deps.timeZone,
      templates: deps.templates,
      user: cliUser(),
      instanceId: "console:test",
      ...(fetching ? { fetching } : {}),
    }),
  };
}
