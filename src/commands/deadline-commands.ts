/**
 * `/korus alerts ...`, `/korus topics` and `/korus timeline ...`: their help entries and their parsing, for parse.ts.
 */
import { ALERTS_USAGE, AlertError, type AlertSpec, parseAlertsOff, parseAlertsOn } from "../alerts/spec.js";
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { parseTopic, TopicError } from "../topics/slug.js";

/** The help entries of these commands, in the order help lists them. */
export const DEADLINE_COMMANDS = [
  {
    usage: "/korus alerts on [#channel] [days 7,1] [topic:T] [at HH:MM]",
    description:
      "Post each deadline of a topic to the channel (this one unless you name one) N days before it falls due and on the day, at 09:00 in the team's time zone unless you say `at`. With its basis and source; once per deadline, channel and lead.",
    example: "/korus alerts on days 7,1",
  },
  {
    usage: "/korus alerts off [#channel] [topic:T] · /korus alerts list",
    description: "Stop a channel's alerts (whoever turned them on, or an admin); list every channel's alerts with the next ones due.",
    example: "/korus alerts list",
  },
  {
    usage: "/korus topics",
    description: "The topics (agreements) the facts belong to, with their fact counts and next deadline. Facts without one are `korus`.",
    example: "/korus topics",
  },
  {
    usage: "/korus timeline [topic] [since:YYYY-MM-DD] [until:YYYY-MM-DD] [page:N]",
    description: "The facts of a topic by date, one line each, 25 a page.",
    example: "/korus timeline korus since:2017-07-01 until:2017-08-31",
  },
] as const;

/** What one of these commands asks for. */
export type DeadlineCommand =
  | { name: "alerts-on"; spec: AlertSpec }
  | { name: "alerts-off"; channel?: string; topic: string }
  | { name: "alerts-list" }
  | { name: "topics" }
  | { name: "timeline"; topic: string; since?: IsoDate; until?: IsoDate; page: number };

type Invalid = { name: "invalid"; message: string; usage?: string };

const TIMELINE_USAGE = DEADLINE_COMMANDS[3].usage;

/** The words after `alerts`. */
export function parseAlertsCommand(args: readonly string[]): DeadlineCommand | Invalid {
  const [sub = "", ...rest] = args;
  try {
    switch (sub.toLowerCase()) {
      case "on":
        return { name: "alerts-on", spec: parseAlertsOn(rest) };
      case "off":
        return { name: "alerts-off", ...parseAlertsOff(rest) };
      case "":
      case "list":
      case "ls":
        return rest.length === 0 ? { name: "alerts-list" } : { name: "invalid", message: "`alerts list` takes nothing more.", usage: ALERTS_USAGE };
      default:
        return { name: "invalid", message: `\`alerts ${sub.slice(0, 40)}\` is not an alerts command: use on, off or list.`, usage: ALERTS_USAGE };
    }
  } catch (error) {
    if (error instanceof AlertError || error instanceof TopicError) return { name: "invalid", message: error.message, usage: ALERTS_USAGE };
    throw error;
  }
}

/** The words after `topics`. */
export function parseTopicsCommand(args: readonly string[]): DeadlineCommand | Invalid {
  return args.length === 0 ? { name: "topics" } : { name: "invalid", message: "`topics` takes nothing more.", usage: DEADLINE_COMMANDS[2].usage };
}

/** The words after `timeline`. */
export function parseTimelineCommand(args: readonly string[]): DeadlineCommand | Invalid {
  const out: { topic?: string; since?: IsoDate; until?: IsoDate; page: number } = { page: 1 };
  for (const word of args) {
    const option = /^(since|until|page|topic)[:=](.*)$/i.exec(word);
    if (option) {
      const key = option[1]!.toLowerCase();
      const value = option[2]!;
      if (key === "page") {
        if (!/^\d{1,5}$/.test(value) || Number(value) < 1) return { name: "invalid", message: `\`${word.slice(0, 40)}\`: the page is a number from 1, like \`page:2\`.`, usage: TIMELINE_USAGE };
        out.page = Number(value);
      } else if (key === "topic") {
        try {
          out.topic = parseTopic(value);
        } catch (error) {
          if (error instanceof TopicError) return { name: "invalid", message: error.message, usage: TIMELINE_USAGE };
          throw error;
        }
      } else {
        if (!isIsoDate(value)) return { name: "invalid", message: `\`${word.slice(0, 40)}\` is not a date: write it as YYYY-MM-DD, like ${key}:2017-07-01.`, usage: TIMELINE_USAGE };
        out[key as "since" | "until"] = value;
      }
      continue;
    }
    if (out.topic !== undefined) return { name: "invalid", message: `\`timeline\` takes one topic; \`${word.slice(0, 40)}\` is a second.`, usage: TIMELINE_USAGE };
    try {
      out.topic = parseTopic(word);
    } catch (error) {
      if (error instanceof TopicError) return { name: "invalid", message: error.message, usage: TIMELINE_USAGE };
      throw error;
    }
  }
  if (out.since && out.until && out.since > out.until) return { name: "invalid", message: `\`since:${out.since}\` is after \`until:${out.until}\`.`, usage: TIMELINE_USAGE };
  return { name: "timeline", topic: out.topic ?? "korus", page: out.page, ...(out.since ? { since: out.since } : {}), ...(out.until ? { until: out.until } : {}) };
}
