/**
 * `/korus alerts ...`, `/korus topics` and `/korus timeline ...`: their declarations for the registry
 * (src/commands/registry.ts).
 */
import { ALERTS_USAGE, AlertError, type AlertSpec, parseAlertsOff, parseAlertsOn } from "../alerts/spec.js";
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { parseTopic, TopicError } from "../topics/slug.js";
import { ArgsRefusal, type CommandSpec, grammar, noArgs } from "./spec.js";

/** What one of these commands asks for. */
export type DeadlineCommand =
  | { name: "alerts-on"; spec: AlertSpec }
  | { name: "alerts-off"; channel?: string; topic: string }
  | { name: "alerts-list" }
  | { name: "topics" }
  | { name: "timeline"; topic: string; since?: IsoDate; until?: IsoDate; page: number };

const TIMELINE_USAGE = "/korus timeline [topic] [since:YYYY-MM-DD] [until:YYYY-MM-DD] [page:N]";
const ALERTS_OFF_USAGE = "/korus alerts off [#channel] [topic:T] · /korus alerts list";

/** An alerts grammar of src/alerts/spec.ts, its errors as refusals. */
function alertWords<T extends object>(read: (words: readonly string[]) => T) {
  return grammar((input) => {
    try {
      return read(input.words);
    } catch (error) {
      if (error instanceof AlertError || error instanceof TopicError) throw new ArgsRefusal(error.message, ALERTS_USAGE);
      throw error;
    }
  });
}

/** The deadline commands, in the order help lists them. */
export const DEADLINE_COMMANDS = {
  "alerts-on": {
    path: ["alerts", "on"],
    usage: ALERTS_USAGE,
    help: {
      usage: "/korus alerts on [#channel] [days 7,1] [topic:T] [at HH:MM]",
      description:
        "Post each deadline of a topic to the channel (this one unless you name one) N days before it falls due and on the day, at 09:00 in the team's time zone unless you say `at`. With its basis and source; once per deadline, channel and lead.",
      example: "/korus alerts on days 7,1",
    },
    ack: "queued",
    args: alertWords((words) => ({ spec: parseAlertsOn(words) })),
  },
  "alerts-off": {
    path: ["alerts", "off"],
    summary: "stop a channel's deadline alerts",
    usage: ALERTS_USAGE,
    help: {
      usage: ALERTS_OFF_USAGE,
      description: "Stop a channel's alerts (whoever turned them on, or an admin); list every channel's alerts with the next ones due.",
      example: "/korus alerts list",
    },
    ack: "queued",
    args: alertWords((words) => parseAlertsOff(words)),
  },
  "alerts-list": {
    path: ["alerts", "list"],
    summary: "every channel's alerts with the next ones due",
    also: [["alerts", "ls"]],
    usage: ALERTS_USAGE,
    ack: "queued",
    args: noArgs("`alerts list` takes nothing more."),
    groupDefault: true,
  },
  topics: {
    path: ["topics"],
    usage: "/korus topics",
    help: {
      usage: "/korus topics",
      description: "The topics (agreements) the facts belong to, with their fact counts and next deadline. Facts without one are `korus`.",
      example: "/korus topics",
    },
    ack: "queued",
    args: noArgs("`topics` takes nothing more."),
  },
  timeline: {
    path: ["timeline"],
    usage: TIMELINE_USAGE,
    help: {
      usage: TIMELINE_USAGE,
      description: "The facts of a topic by date, one line each, 25 a page.",
      example: "/korus timeline korus since:2017-07-01 until:2017-08-31",
    },
    ack: "queued",
    args: grammar((input) => {
      const parsed = parseTimelineCommand(input.words);
      if (parsed.name === "invalid") throw new ArgsRefusal(parsed.message, parsed.usage);
      const { name: _name, ...fields } = parsed as Extract<DeadlineCommand, { name: "timeline" }>;
      return fields;
    }),
  },
} as const satisfies Record<string, CommandSpec>;

type Invalid = { name: "invalid"; message: string; usage?: string };

/** The words after `timeline`. */
function parseTimelineCommand(args: readonly string[]): Extract<DeadlineCommand, { name: "timeline" }> | Invalid {
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
