/**
 * The words of `/korus alerts on|off|list` and their CLI twins: which channel, which days ahead, which topic, at what
 * time. One parser for Slack, the console and the CLI.
 */
import { parseChannel, parseTime, ScheduleSpecError } from "../briefs/schedule-spec.js";
import { KorusError } from "../errors.js";
import { parseTopic } from "../topics/slug.js";

/** Days ahead when none are given: a week before, the day before, and the day itself. */
export const DEFAULT_LEAD_DAYS = [7, 1] as const;
/** The farthest ahead an alert can be. */
export const MAX_LEAD_DAYS = 90;
/** The most leads one channel can have (besides the day itself). */
export const MAX_LEADS = 5;
/** The local time alerts go out when none is given. */
export const DEFAULT_ALERT_TIME = "09:00";

/** How an adapter writes a channel and a person in its words (Slack: `<#C…>` and `<@U…>`); the plain ones below. */
export interface Mentions {
  channel(id: string): string;
  person(id: string, name: string): string;
}

/** Channels and people in plain words: the terminal, logs, and the error's own message. */
export const PLAIN_MENTIONS: Mentions = { channel: (id) => `channel ${id}`, person: (_id, name) => name };

/** Why an alert command or operation was refused; `field` names the part at fault (channel, days, topic, time). */
export class AlertError extends KorusError<"invalid" | "not_found" | "forbidden"> {
  constructor(
    code: "invalid" | "not_found" | "forbidden",
    message: string | ((mentions: Mentions) => string),
    readonly field?: "channel" | "days" | "topic" | "time",
  ) {
    super(code, typeof message === "string" ? message : message(PLAIN_MENTIONS));
    this.wording = typeof message === "string" ? () => message : message;
  }

  /** The message with its channels and people written as an adapter writes them (the message itself has them plain). */
  readonly wording: (mentions: Mentions) => string;
}

/** What `alerts on` asks for. */
export interface AlertSpec {
  /** Absent in Slack means "this channel". */
  channel?: string;
  /** Days ahead, largest first, without 0 (the day itself is always alerted). */
  leadDays: number[];
  topic: string;
  time: string;
}

/** Reads "7,1" (or "7, 1", "1 7"): whole days from 1 to MAX_LEAD_DAYS; 0 is allowed and means the day itself. */
export function parseLeadDays(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) throw new AlertError("invalid", "Say how many days ahead, like `days 7,1`.", "days");
  const days = new Set<number>();
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > MAX_LEAD_DAYS) {
      throw new AlertError("invalid", `\`${part.slice(0, 20)}\` is not a number of days from 0 to ${MAX_LEAD_DAYS}: write them like \`days 7,1\`.`, "days");
    }
    if (Number(part) > 0) days.add(Number(part));
  }
  if (days.size > MAX_LEADS) throw new AlertError("invalid", `At most ${MAX_LEADS} alerts ahead per deadline (besides the day itself).`, "days");
  return [...days].sort((a, b) => b - a);
}

/** Every lead of a subscription, the day itself included: [7, 1, 0]. */
export function allLeads(leadDays: readonly number[]): number[] {
  return [...new Set([...leadDays, 0])].sort((a, b) => b - a);
}

function wrap<T>(field: "channel" | "time", fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ScheduleSpecError) throw new AlertError("invalid", error.message, field);
    throw error;
  }
}

/** The usage lines of the alert commands. */
export const ALERTS_USAGE = "/korus alerts on [#channel] [days 7,1] [topic:T] [at HH:MM] · /korus alerts off [#channel] [topic:T] · /korus alerts list";

/** Reads the words after `alerts on`. @throws AlertError naming the field at fault. */
export function parseAlertsOn(args: readonly string[]): AlertSpec {
  const spec: AlertSpec = { leadDays: [...DEFAULT_LEAD_DAYS], topic: "korus", time: DEFAULT_ALERT_TIME };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const lower = word.toLowerCase();
    if (lower === "days" || lower === "day") {
      const value: string[] = i + 1 < args.length ? [args[++i]!] : [];
      // "days 7, 1" arrives as two words.
      while (i + 1 < args.length && /^[\d,]+$/.test(args[i + 1]!)) value.push(args[++i]!);
      spec.leadDays = parseLeadDays(value.join(","));
    } else if (/^days?[:=]/.test(lower)) {
      spec.leadDays = parseLeadDays(word.slice(word.search(/[:=]/) + 1));
    } else if (lower === "at") {
      const value = args[++i];
      if (!value) throw new AlertError("invalid", "`at` needs a time, like `at 09:00`.", "time");
      spec.time = wrap("time", () => parseTime(value));
    } else if (/^at[:=]/.test(lower)) {
      spec.time = wrap("time", () => parseTime(word.slice(3)));
    } else if (lower === "topic") {
      spec.topic = parseTopic(args[++i] ?? "");
    } else if (/^topic[:=]/.test(lower)) {
      spec.topic = parseTopic(word.slice(6));
    } else {
      const channel = wrap("channel", () => parseChannel(word));
      if (!channel) throw new AlertError("invalid", `I don't know what \`${word.slice(0, 40)}\` means here: \`alerts on\` takes a #channel, \`days 7,1\`, \`topic:T\` and \`at HH:MM\`.`);
      if (spec.channel) throw new AlertError("invalid", "Name at most one channel.", "channel");
      spec.channel = channel;
    }
  }
  return spec;
}

/** Reads the words after `alerts off`: an optional #channel and topic. */
export function parseAlertsOff(args: readonly string[]): { channel?: string; topic: string } {
  let channel: string | undefined;
  let topic = "korus";
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const lower = word.toLowerCase();
    if (lower === "topic") topic = parseTopic(args[++i] ?? "");
    else if (/^topic[:=]/.test(lower)) topic = parseTopic(word.slice(6));
    else {
      const c = wrap("channel", () => parseChannel(word));
      if (!c) throw new AlertError("invalid", `I don't know what \`${word.slice(0, 40)}\` means here: \`alerts off\` takes a #channel and \`topic:T\`.`);
      channel = c;
    }
  }
  return channel ? { channel, topic } : { topic };
}
