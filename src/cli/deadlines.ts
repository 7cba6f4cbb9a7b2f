/**
 * Deadlines from the terminal: `korus alerts on|off|list`, `korus topics`, `korus timeline`,
 * `korus deadlines export --format ics`, `korus calendar rotate|url`, and the same `/korus` commands in the console.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { subscriptionLine, subscriptionsToMarkdown } from "../alerts/markdown.js";
import { AlertError, parseLeadDays } from "../alerts/spec.js";
import { parseTime, ScheduleSpecError } from "../briefs/schedule-spec.js";
import { calendarPath } from "../calendar/feed.js";
import type { DeadlineCommand } from "../commands/deadline-commands.js";
import type { TerminalServices } from "../commands/services-cli.js";
import { timelineToMarkdown, topicsToMarkdown } from "../topics/markdown.js";
import { parseTopic, TopicError } from "../topics/slug.js";
import { describeError } from "./errors.js";
import { CliFailure, cliUser } from "./facts.js";
import { checkOutputFile, writeOutputFile } from "./output-file.js";
import type { ChatReaders, CommandDeps } from "./command-deps.js";
import { printMarkdown } from "./screen.js";

/** What these commands need in the console: the terminal's services. */
export interface DeadlineCliDeps {
  terminal: TerminalServices;
}

/** Runs one of these commands typed in the local console; answers in Markdown. */
export async function runDeadlineTextCommand(parsed: DeadlineCommand, deps: DeadlineCliDeps): Promise<{ ok: boolean; output: string }> {
  const { alerts, topics } = deps.terminal;
  try {
    switch (parsed.name) {
      case "alerts-on": {
        if (!parsed.spec.channel) return { ok: false, output: "Name the channel by its id here, like `alerts on C0123ABCD days 7,1`.\n" };
        const { view, created } = await alerts.on({ ...parsed.spec, channel: parsed.spec.channel }, cliUser());
        return { ok: true, output: `${created ? "Alerts on" : "Alerts changed"}: ${subscriptionLine(view)}\n` };
      }
      case "alerts-off": {
        if (!parsed.channel) return { ok: false, output: "Name the channel by its id here, like `alerts off C0123ABCD`.\n" };
        const view = await alerts.off({ channel: parsed.channel, topic: parsed.topic }, cliUser());
        return { ok: true, output: `Alerts off: ${subscriptionLine(view)}\n` };
      }
      case "alerts-list":
        return { ok: true, output: subscriptionsToMarkdown(await alerts.list()) };
      case "topics":
        return { ok: true, output: topicsToMarkdown(await topics.list()) };
      case "timeline":
        return { ok: true, output: timelineToMarkdown(await topics.timeline(parsed)) };
    }
  } catch (error) {
    if (error instanceof AlertError || error instanceof TopicError) return { ok: false, output: `${describeError(error)!.message}\n` };
    throw error;
  }
}

/** Commander's parser for --channel: a channel's id, typed or pasted (`chat.channel`), or a usage error. */
function channelOption(chat: ChatReaders): (value: string) => string {
  return (value) => {
    const id = chat.channel(value);
    if (!id) throw new InvalidArgumentError("not a channel id: write it like C0123ABCD (Slack shows it in the channel's details).");
    return id;
  };
}

function wrapOption<T>(fn: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return fn(value);
    } catch (error) {
      if (error instanceof AlertError || error instanceof TopicError || error instanceof ScheduleSpecError) throw new InvalidArgumentError(error.message.replace(/`/g, ""));
      throw error;
    }
  };
}

/** Registers the terminal commands of this module. */
export function registerDeadlineCommands(
  program: Command,
  deps: CommandDeps & {
    /** The bot's public base URL (KORUS_PUBLIC_URL), to print the feed's full address. */
    publicUrl?: string;
  },
): void {
  const print = (answer: { ok: boolean; output: string }) => {
    if (!answer.ok) throw new CliFailure(answer.output.trim(), 1);
    printMarkdown(answer.output);
  };

  const alerts = program.command("alerts").description("deadline alerts to channels: on, off, list");
  alerts
    .command("on")
    .description("post each deadline to a channel N days before it falls due and on the day, e.g. korus alerts on --channel C0123ABCD --days 7,1")
    .requiredOption("--channel <id>", "the Slack channel id (C…)", channelOption(deps.chat))
    .addOption(new Option("--days <list>", "days ahead, comma-separated (the day itself is always alerted)").default("7,1").argParser(wrapOption(parseLeadDays)))
    .addOption(new Option("--topic <topic>", "the topic whose deadlines are alerted").default("korus").argParser(wrapOption(parseTopic)))
    .addOption(new Option("--at <HH:MM>", "the local time alerts go out, in KORUS_TZ").default("09:00").argParser(wrapOption(parseTime)))
    .action(async (options: { channel: string; days: number[] | string; topic: string; at: string }) => {
      const leadDays = typeof options.days === "string" ? parseLeadDays(options.days) : options.days;
      const { view, created } = await deps.withServices((services) => services.alerts.on({ channel: options.channel, leadDays, topic: options.topic, time: options.at }, cliUser()));
      process.stdout.write(`${created ? "Alerts on" : "Alerts changed"}: ${subscriptionLine(view)}\n`);
      for (const p of view.next) process.stdout.write(`  next: ${p.on}: ${p.leadDays === 0 ? "on the day" : `${p.leadDays} day(s) ahead`} of "${p.title}" (due ${p.dueDate})\n`);
    });
  alerts
    .command("off")
    .description("stop a channel's alerts for a topic")
    .requiredOption("--channel <id>", "the Slack channel id (C…)", channelOption(deps.chat))
    .addOption(new Option("--topic <topic>", "the topic").default("korus").argParser(wrapOption(parseTopic)))
    .action(async (options: { channel: string; topic: string }) => {
      // The terminal is the operator's: it may turn off anyone's alerts.
      const view = await deps.withServices((services) => services.alerts.off({ channel: options.channel, topic: options.topic }, cliUser()));
      process.stdout.write(`Alerts off: ${subscriptionLine(view)}\n`);
    });
  alerts
    .command("list")
    .description("every channel's alerts with the next ones due")
    .action(async () => print({ ok: true, output: subscriptionsToMarkdown(await deps.withServices((services) => services.alerts.list())) }));

  program
    .command("topics")
    .description("the topics with their fact counts and next deadline")
    .action(async () => print(await deps.withServices((terminal) => runDeadlineTextCommand({ name: "topics" }, { terminal }))));

  program
    .command("topic")
    .description("topic settings")
    .command("set")
    .description("name a topic and say when its agreement entered into force (the status's agreement line)")
    .argument("<topic>", "the topic, e.g. usmca", wrapOption(parseTopic))
    .option("--name <name>", 'the agreement\'s name, e.g. "United States-Mexico-Canada Agreement (USMCA)"')
    .option("--in-force-since <text>", "when it entered into force, as people write it (e.g. 2020, or 1 July 2020)")
    .addOption(
      new Option("--in-force-fact <id>", "the event fact that marks the entry into force (its date is shown)").argParser((v) => {
        if (!/^#?\d{1,9}$/.test(v)) throw new InvalidArgumentError("a fact number, like 12.");
        return Number(v.replace("#", ""));
      }),
    )
    .action(async (topic: string, options: { name?: string; inForceSince?: string; inForceFact?: number }) => {
      const agreement = await deps.withServices((services) =>
        services.topics.set(
          topic,
          {
            ...(options.name !== undefined ? { name: options.name } : {}),
            ...(options.inForceSince !== undefined ? { inForceSince: options.inForceSince } : {}),
            ...(options.inForceFact !== undefined ? { inForceFactId: options.inForceFact } : {}),
          },
          cliUser(),
        ),
      );
      process.stdout.write(
        `Topic ${agreement.topic}: ${agreement.name}${agreement.inForceSince ? `, in force since ${agreement.inForceSince}` : ""}${agreement.inForceFactId ? ` (fact #${agreement.inForceFactId})` : ""}\n`,
      );
    });

  program
    .command("timeline")
    .description("the facts of a topic by date, one line each, 25 a page")
    .argument("[topic]", "the topic", wrapOption(parseTopic), "korus")
    .addOption(new Option("--since <date>", "from this date (YYYY-MM-DD)").argParser(deps.isoDate))
    .addOption(new Option("--until <date>", "up to this date (YYYY-MM-DD)").argParser(deps.isoDate))
    .addOption(
      new Option("--page <n>", "the page").default(1).argParser((v) => {
        if (!/^\d{1,5}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError("a page number from 1.");
        return Number(v);
      }),
    )
    .action(async (topic: string, options: { since?: string; until?: string; page: number }) => {
      const query = { name: "timeline" as const, topic, page: options.page, ...(options.since ? { since: options.since } : {}), ...(options.until ? { until: options.until } : {}) };
      print(await deps.withServices((terminal) => runDeadlineTextCommand(query, { terminal })));
    });

  program
    .command("deadlines")
    .description("deadlines as a calendar")
    .command("export")
    .description("every upcoming and recent deadline as an iCalendar file (all-day events, sources in the description)")
    .addOption(new Option("--format <format>", "ics (iCalendar)").choices(["ics"]).default("ics"))
    .addOption(new Option("--topic <topic>", "only this topic's deadlines (default: every topic)").argParser(wrapOption(parseTopic)))
    .addOption(new Option("--since <date>", "deadlines due from this date on (default: 90 days ago)").argParser(deps.isoDate))
    .option("-o, --output <file>", "write to a file instead of standard output")
    .option("--force", "replace the --output file if it exists (a symbolic link is replaced, never followed)")
    .action(async (options: { topic?: string; since?: string; output?: string; force?: boolean }) => {
      if (options.output) await checkOutputFile(options.output, { force: options.force });
      const ics = await deps.withServices((services) => services.calendar.deadlines({ ...(options.topic ? { topic: options.topic } : {}), ...(options.since ? { since: options.since } : {}) }));
      if (options.output) await writeOutputFile(options.output, ics, { force: options.force });
      else process.stdout.write(ics);
    });

  const calendar = program.command("calendar").description("the calendar feed the bot serves: rotate its secret address");
  calendar
    .command("rotate")
    .description("make a new secret address for GET /calendar/<token>.ics (the old one stops working at once)")
    .action(async () => {
      const { token, replaced } = await deps.withServices((services) => services.calendar.rotate(cliUser()));
      const path = calendarPath(token);
      const where = deps.publicUrl ? new URL(path, deps.publicUrl).toString() : `${path} on the bot's HTTP server (set KORUS_PUBLIC_URL to print the full address)`;
      process.stdout.write(
        `The calendar feed is now at ${where}\n${replaced ? "The old address no longer works.\n" : ""}Subscribe to it in Outlook ("Subscribe from web") or Google Calendar ("From URL"); anyone with the address can read the deadlines.\n`,
      );
    });
}
