/**
 * `/korus figures`, `/korus chart` and `/korus ask`: their declarations for the registry (src/commands/registry.ts).
 */
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { PeriodError, parsePeriod } from "../figures/period.js";
import { ArgsRefusal, type CommandSpec, grammar } from "./spec.js";

/** What a figure or question command asks for. */
export type FigureCommand = { name: "figures"; series?: string; asOf?: IsoDate } | { name: "chart"; series: string; since?: IsoDate; until?: IsoDate } | { name: "ask"; question: string };

type Invalid = { name: "invalid"; message: string; usage?: string };

const FIGURES_USAGE = "/korus figures [series] [as-of YYYY-MM-DD]";
const CHART_USAGE = "/korus chart <series> [since:PERIOD] [until:PERIOD]";
const ASK_USAGE = "/korus ask <question>";

/** A grammar below, its refusal as the schema's issue and its fields as the command's. */
function fieldsOf<N extends FigureCommand["name"]>(name: N, parsed: FigureCommand | Invalid): Omit<Extract<FigureCommand, { name: N }>, "name"> {
  if (parsed.name === "invalid") throw new ArgsRefusal(parsed.message, parsed.usage);
  if (parsed.name !== name) throw new Error(`the ${name} grammar read a ${parsed.name}`);
  const { name: _name, ...fields } = parsed as Extract<FigureCommand, { name: N }>;
  return fields;
}

/** The words after `figures`. */
function parseFiguresCommand(args: readonly string[]): FigureCommand | Invalid {
  const usage = FIGURES_USAGE;
  let series: string | undefined;
  let asOf: IsoDate | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const lower = arg.toLowerCase();
    if (lower === "as-of" || lower === "--as-of" || lower.startsWith("as-of=") || lower.startsWith("as-of:") || lower.startsWith("--as-of=")) {
      const value = /[=:]/.test(lower) ? arg.slice(arg.search(/[=:]/) + 1) : args[++i];
      if (!value || !isIsoDate(value)) return { name: "invalid", message: "`as-of` needs a date written YYYY-MM-DD, like `as-of 2018-04-15`.", usage };
      asOf = value;
    } else if (series === undefined) {
      series = lower;
    } else {
      return { name: "invalid", message: `\`figures\` takes one series; \`${arg.slice(0, 40)}\` is one too many.`, usage };
    }
  }
  return { name: "figures", ...(series ? { series } : {}), ...(asOf ? { asOf } : {}) };
}

/** A `since:`/`until:` bound: a date, or a period ("2014", "2018-Q1") whose start (since) or end (until) counts. */
export function parseBound(value: string, which: "since" | "until"): IsoDate {
  if (isIsoDate(value)) return value;
  const period = parsePeriod(value);
  return which === "since" ? period.start : period.end;
}

/** The words after `chart`. */
function parseChartCommand(args: readonly string[]): FigureCommand | Invalid {
  const usage = CHART_USAGE;
  let series: string | undefined;
  const bounds: { since?: IsoDate; until?: IsoDate } = {};
  for (const arg of args) {
    const filter = /^(since|until):(.*)$/i.exec(arg);
    if (filter) {
      const which = filter[1]!.toLowerCase() as "since" | "until";
      try {
        bounds[which] = parseBound(filter[2]!, which);
      } catch (error) {
        if (error instanceof PeriodError) return { name: "invalid", message: `\`${which}:\` needs a date YYYY-MM-DD or a period: ${error.message}`, usage };
        throw error;
      }
    } else if (series === undefined) {
      series = arg.toLowerCase();
    } else {
      return { name: "invalid", message: `\`chart\` takes one series; \`${arg.slice(0, 40)}\` is one too many.`, usage };
    }
  }
  if (!series) return { name: "invalid", message: "`chart` needs a series, like `chart us-goods-deficit-korea`; `/korus figures` lists them.", usage };
  if (bounds.since && bounds.until && bounds.since > bounds.until) return { name: "invalid", message: "`since:` is after `until:`.", usage };
  return { name: "chart", series, ...bounds };
}

/** The text after `ask`. */
function parseAskCommand(rest: string): FigureCommand | Invalid {
  const question = rest
    .trim()
    .replace(/^["“]|["”]$/g, "")
    .trim();
  if (!question) return { name: "invalid", message: "`ask` needs a question, like `ask when must the special session be held?`", usage: ASK_USAGE };
  return { name: "ask", question };
}

/** The figure and question commands, in the order help lists them. */
export const FIGURE_COMMANDS = {
  figures: {
    path: ["figures"],
    usage: FIGURES_USAGE,
    help: {
      usage: FIGURES_USAGE,
      description:
        "The figure series with their latest value, the change from the previous period and the sources; with a series, every period (part years marked, differing sources shown side by side).",
      example: "/korus figures us-goods-deficit-korea",
    },
    ack: "queued",
    args: grammar((input) => fieldsOf("figures", parseFiguresCommand(input.words))),
  },
  chart: {
    path: ["chart"],
    usage: CHART_USAGE,
    help: {
      usage: CHART_USAGE,
      description: "Post a bar chart of a series to the channel (a PNG), with its title, unit, periods and sources; values the sources disagree on are marked.",
      example: "/korus chart us-goods-deficit-korea since:2014",
    },
    ack: "queued",
    args: grammar((input) => fieldsOf("chart", parseChartCommand(input.words))),
  },
  ask: {
    path: ["ask"],
    usage: ASK_USAGE,
    help: {
      usage: ASK_USAGE,
      description: "Ask in plain words (when, deadline, who, where, how much, what changed); the answer is the best 1-3 facts with their dates and sources, or says that nothing on record answers.",
      example: "/korus ask when must the special session be held?",
    },
    ack: "queued",
    args: grammar((input) => fieldsOf("ask", parseAskCommand(input.text))),
  },
} as const satisfies Record<string, CommandSpec>;
