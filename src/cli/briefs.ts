/**
 * The brief from the terminal: `korus brief`, `korus schedule ...`, `korus scheduler run-once`, and the same commands
 * in the local console.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { BriefError } from "../briefs/brief.js";
import { scheduleLine, schedulesToMarkdown } from "../briefs/markdown.js";
import { parseChannel, parseScheduleArgs, ScheduleSpecError } from "../briefs/schedule-spec.js";
import { ScheduleError } from "../briefs/schedules.js";
import { fixedClock, type Clock } from "../clock.js";
import type { BriefCommand } from "../commands/brief-commands.js";
import type { TerminalServices } from "../commands/services-cli.js";
import { markdownToHtml } from "../render/html.js";
import { CliFailure, cliUser } from "./facts.js";
import { checkOutputFile, writeOutputFile } from "./output-file.js";
import { readRegistryWords } from "./registry-commands.js";
import { parseTopic, TopicError } from "../topics/slug.js";
import type { CommandDeps } from "./command-deps.js";
import { printMarkdown } from "./screen.js";

/** A --topic value, or a usage error naming it. */
function parseTopicOption(value: string): string {
  try {
    return parseTopic(value);
  } catch (error) {
    if (error instanceof TopicError) throw new CliFailure(`topic: ${error.message}`, 2);
    throw error;
  }
}

/** What the brief commands need in the console: the terminal's services. */
export interface BriefCliDeps {
  terminal: TerminalServices;
}

/** A brief or schedule refusal as the terminal shows it, or undefined for an unexpected error. */
export function describeBriefError(error: unknown): string | undefined {
  if (error instanceof ScheduleSpecError) return `${error.field}: ${error.message}`;
  if (error instanceof ScheduleError) return error.field ? `${error.field}: ${error.message}` : error.message;
  if (error instanceof BriefError) return error.message;
  if (error instanceof TopicError) return `topic: ${error.message}`;
  return undefined;
}

/** Runs a brief command typed in the local console; answers in Markdown. */
export async function runBriefTextCommand(parsed: BriefCommand, deps: BriefCliDeps): Promise<{ ok: boolean; output: string }> {
  const user = cliUser();
  const briefs = deps.terminal.briefs;
  try {
    switch (parsed.name) {
      case "brief":
        return { ok: true, output: (await briefs.preview({ ...(parsed.asOf ? { asOf: parsed.asOf } : {}), ...(parsed.topic ? { topic: parsed.topic } : {}) })).markdown };
      case "schedule-create": {
        const view = await briefs.createSchedule(parsed.spec, { owner: user });
        return { ok: true, output: `Schedule created: ${scheduleLine(view)}\n` };
      }
      case "schedule-list":
        return { ok: true, output: schedulesToMarkdown(await briefs.listSchedules()) };
      case "schedule-pause":
        return { ok: true, output: `Paused: ${scheduleLine(await briefs.pauseSchedule(parsed.id, user))}\n` };
      case "schedule-resume":
        return { ok: true, output: `Resumed: ${scheduleLine(await briefs.resumeSchedule(parsed.id, user))}\n` };
      case "schedule-delete":
        return { ok: true, output: `Deleted: ${scheduleLine(await briefs.deleteSchedule(parsed.id, user))}\n` };
      case "schedule-new":
        return { ok: false, output: "Type `schedule new` alone to be asked the fields, or `schedule weekly <weekday> <HH:MM> <time zone> <channel id>`.\n" };
    }
  } catch (error) {
    const message = describeBriefError(error);
    if (message) return { ok: false, output: `${message}\n` };
    throw error;
  }
}

function idArgument(value: string): number {
  const n = value.replace(/^#/, "");
  if (!/^\d{1,9}$/.test(n)) throw new InvalidArgumentError("must be a schedule number (korus schedule list shows them).");
  return Number(n);
}

function instantOption(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError("not an ISO time; write it like 2026-01-19T14:00:00Z (or with an offset, 2026-01-19T09:00:00-05:00).");
  }
  return at;
}

/** Registers `korus brief`, `korus schedule ...` and `korus scheduler run-once`. */
export function registerBriefCommands(program: Command, deps: CommandDeps): void {
  program
    .command("brief")
    .description("print the weekly brief as it would be posted now (changes of the last 7 days)")
    .argument("[words...]", "as in Slack: a topic, as-of YYYY-MM-DD")
    .addOption(new Option("--as-of <date>", "the brief as it stood at the end of this date (YYYY-MM-DD)").argParser(deps.isoDate))
    .addOption(new Option("--format <format>", "md (Markdown) or html (a sanitized, self-contained page)").choices(["md", "html"]).default("md"))
    .option("--topic <topic>", "the topic whose facts the brief covers (default korus)")
    .option("-o, --output <file>", "write to a file instead of standard output")
    .option("--force", "replace the --output file if it exists (a symbolic link is replaced, never followed)")
    .action(async (words: string[], options: { asOf?: string; format: "md" | "html"; topic?: string; output?: string; force?: boolean }) => {
      // The registry's words (`brief usmca as-of 2017-08-15`), then the flags, which win.
      const fromWords = readRegistryWords("brief", words, "[--topic T] [--as-of YYYY-MM-DD] [--format md|html] [-o FILE]");
      options.asOf ??= fromWords.asOf;
      if (options.output) await checkOutputFile(options.output, { force: options.force });
      const topic = options.topic ? parseTopicOption(options.topic) : fromWords.topic;
      const brief = await deps.withServices((services) => services.briefs.preview({ ...(options.asOf ? { asOf: options.asOf } : {}), ...(topic ? { topic } : {}) }));
      const text = options.format === "html" ? markdownToHtml(brief.markdown, { title: `${brief.title}, ${brief.asOf}` }) : brief.markdown;
      if (options.output) await writeOutputFile(options.output, text, { force: options.force });
      else if (options.format === "md") printMarkdown(text);
      else process.stdout.write(text);
    });

  const schedule = program.command("schedule").description("weekly brief schedules: weekly, list, pause, resume, delete");
  schedule
    .command("weekly")
    .description("post the brief every week at a local time, e.g. korus schedule weekly monday 09:00 America/New_York --channel C0123ABCD")
    .argument("<weekday>", "Monday ... Sunday (or Mon ... Sun)")
    .argument("<time>", "HH:MM on a 24-hour clock")
    .argument("<timeZone>", "an IANA time zone, e.g. America/New_York or Asia/Seoul")
    .argument("[options...]", "optional: a template id and holidays:us|kr|both")
    .requiredOption("--channel <id>", "the Slack channel id (C…) to post to")
    .option("--owner <user>", "the Slack user id told about failures by DM (default: you, in the terminal)")
    .action(async (weekday: string, time: string, timeZone: string, rest: string[], options: { channel: string; owner?: string }) => {
      let spec: ReturnType<typeof parseScheduleArgs>;
      try {
        spec = parseScheduleArgs([weekday, time, timeZone, ...rest]);
        // --channel can only be a channel: any conversation's id will do, or a channel pasted from the workspace.
        spec.channel = deps.chat.conversation(options.channel) ?? parseChannel(options.channel) ?? undefined;
        if (!spec.channel) throw new ScheduleSpecError("channel", `\`${options.channel.slice(0, 40)}\` is not a channel id: write it like C0123ABCD.`);
      } catch (error) {
        if (error instanceof ScheduleSpecError) throw new CliFailure(`${error.field}: ${error.message}`, 2);
        throw error;
      }
      const view = await deps.withServices((services) => services.briefs.createSchedule(spec, { owner: options.owner ?? cliUser() }));
      printMarkdown(`Schedule created: ${scheduleLine(view)}\n`);
    });
  schedule
    .command("list")
    .description("every schedule with its next run and its last post or problem")
    .action(async () => {
      printMarkdown(schedulesToMarkdown(await deps.withServices((services) => services.briefs.listSchedules())));
    });
  for (const [verb, fn, done] of [
    ["pause", "pauseSchedule", "Paused"],
    ["resume", "resumeSchedule", "Resumed"],
    ["delete", "deleteSchedule", "Deleted"],
  ] as const) {
    schedule
      .command(verb)
      .description(`${verb} a schedule`)
      .argument("<id>", "the schedule's number", idArgument)
      .action(async (id: number) => {
        const view = await deps.withServices((services) => services.briefs[fn](id, cliUser()));
        printMarkdown(`${done}: ${scheduleLine(view)}\n`);
      });
  }

  program
    .command("scheduler")
    .description("the brief scheduler")
    .command("run-once")
    .description("do what is due at an instant (post briefs, record missed ones), print what was done, and exit")
    .addOption(new Option("--now <time>", "the instant, ISO 8601 (default: now)").argParser(instantOption))
    .action(async (options: { now?: Date }) => {
      // The given instant, moving on in real time from there so that retries can come due.
      const started = Date.now();
      const clock: Clock = options.now ? { now: () => new Date(options.now!.getTime() + (Date.now() - started)) } : deps.clock;
      await deps.withServices(async (services) => {
        // The scheduler's tick polls the due feeds and archives queued pages first (src/feeds/worker.ts), then plans
        // every kind of post; its `outbox` is undefined without a bot token.
        const scheduler = await services.briefs.scheduler(clock);
        if (!scheduler?.outbox) {
          throw new CliFailure("posting needs a Slack bot token: set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, as for the bot). `korus brief` needs none.", 2);
        }
        const { work, events, sent } = await scheduler.runOnce();
        for (const line of work) process.stdout.write(`${line}\n`);
        const at = (options.now ?? fixedClock(new Date()).now()).toISOString();
        if (events.length === 0) process.stdout.write(`Nothing was due at ${at}.\n`);
        for (const line of await scheduler.report(events)) process.stdout.write(`${line}\n`);
        if (sent) process.stdout.write(`Messages: ${sent.sent} posted, ${sent.found} found already posted, ${sent.retried} retried, ${sent.failed} failed.\n`);
      });
    });
}
