/**
 * What declaring a subcommand takes (src/commands/registry.ts lists them): its words, its arguments as a zod schema
 * over the words that follow them, its help line and how Slack acknowledges it. The adapters (Slack, the console, the
 * `korus` command) are built from these declarations and supply one handler per command.
 */
import { z } from "zod";
import { isIsoDate, type IsoDate } from "../facts/dates.js";

/**
 * How Slack acknowledges a command (it must hear back within 3 s):
 * - `inline`: the answer is the ack (help).
 * - `budget`: answered in the ack when ready within the ack budget, else acked and answered through response_url.
 * - `form`: acked, then a modal opened at once with the trigger id (a trigger lasts 3 s: never queued).
 * - `queued`: acked, then done in the background queue and answered through response_url.
 */
export type AckMode = "inline" | "budget" | "form" | "queued";

/** Where a command can be typed: Slack's `/korus`, or the local console and the `korus` command. */
export type Surface = "slack" | "console";

/** One entry of the help list. */
export interface CommandHelp {
  usage: string;
  description: string;
  example: string;
}

/** What a command's arguments are read from: the words after its name, and the same text unsplit (free text, quotes). */
export interface ArgsInput {
  words: readonly string[];
  text: string;
}

/** One subcommand, declared once. */
export interface CommandSpec {
  /** Its words, like `["fact", "show"]`. The group's other word (`facts`, `memos`...) is accepted too (registry.ts). */
  path: readonly string[];
  /** Other words for it, each a whole path (`["fact", "new"]` for `fact add`). */
  also?: readonly (readonly string[])[];
  /** One line saying what it does, where its help entry is shared with others (the `korus` command's help). */
  summary?: string;
  /** The line shown under a mistake in its arguments. */
  usage: string;
  /** Its entry in the help list; absent when the entry of the command listed before it covers it too. */
  help?: CommandHelp;
  ack: AckMode;
  /** Its arguments: a schema from the words after its path to the command's fields. */
  args: z.ZodType<object, ArgsInput>;
  /** Where it can be typed (default: everywhere). */
  surfaces?: readonly Surface[];
  /** A one-word command that reads free text (a search): a verb of its group is taken only when its arguments follow. */
  freeText?: true;
  /** Where else it is done, for a surface that lacks it ("In Slack, the Write button in the memo's DM does it."). */
  elsewhere?: string;
  /** In the console and `korus`, where Slack opens a form: the same fields as flags (`note` says what it does). */
  console?: { usage: string; note?: string };
  /** When the user typed only the group's word (`memo`, `alerts`), this command is the one meant. */
  groupDefault?: true;
}

/** A mistake in a command's arguments; `usage` replaces the command's own usage line when it is more to the point. */
export class ArgsRefusal extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

export const argsInput = z.object({ words: z.array(z.string()).readonly(), text: z.string() });

/**
 * Arguments read by a grammar of their own (a schedule's words, a search's filters): `read` returns the fields or
 * throws an ArgsRefusal, which becomes the schema's issue.
 */
export function grammar<T extends object>(read: (input: ArgsInput) => T): z.ZodType<T, ArgsInput> {
  return argsInput.transform((input, ctx) => {
    try {
      return read(input);
    } catch (error) {
      if (!(error instanceof ArgsRefusal)) throw error;
      ctx.addIssue({ code: "custom", message: error.message, ...(error.usage ? { params: { usage: error.usage } } : {}) });
      return z.NEVER;
    }
  }) as unknown as z.ZodType<T, ArgsInput>;
}

/** Nothing after the command; `message` says why when there is. */
export function noArgs(message: string): z.ZodType<object, ArgsInput> {
  return grammar((input) => {
    if (input.words.length > 0) throw new ArgsRefusal(message);
    return {};
  });
}

/** A record's number, as typed: `12` or `#12`. */
export const recordNumber = z
  .string()
  .regex(/^#?\d{1,9}$/)
  .transform((word) => Number(word.replace(/^#/, "")));

/** A date written YYYY-MM-DD that is on the calendar. */
export const isoDate = z
  .string()
  .refine(isIsoDate)
  .transform((word) => word as IsoDate);

/** One record number and nothing more, as `id`; `message` says how to write it. */
export function numberArg(message: string): z.ZodType<{ id: number }, ArgsInput> {
  return grammar((input) => {
    const id = recordNumber.safeParse(input.words[0] ?? "");
    if (!id.success || input.words.length > 1) throw new ArgsRefusal(message);
    return { id: id.data };
  });
}

/** The words as they are, for a command that reads its own flags (a console form, the feed commands). */
export const rawArgs = argsInput.transform((input) => ({ words: [...input.words], text: input.text }));
