/**
 * A console form's machinery: a form's fields asked one by one in an interactive console (the default in brackets,
 * Enter keeps it, a bad answer explained and asked again, a refusal from the service asking the field at fault again),
 * or read from `--flag value` pairs when the console reads a script; and the console's splitting of a line into words.
 */
import { isIsoDate } from "../facts/dates.js";
import type { FactError } from "../facts/service.js";
import type { TextAnswer } from "./text-commands.js";

/** Asks one question on the console; null when the input ended. */
export type Ask = (question: string) => Promise<string | null>;

/** One field of a console form. */
export interface Field {
  /** The flag name (`--title`) and the key of the answer. */
  name: string;
  label: string;
  default?: string;
  optional?: boolean;
  /** An error for a bad answer, else undefined. */
  check?: (value: string) => string | undefined;
  /** Asked only when this holds of the answers so far (a deadline's kind of date, for a deadline). */
  when?: (values: Record<string, string>) => boolean;
}

class Ended extends Error {}

/** Splits a command line into words, with "double" or 'single' quotes around words with spaces. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  return words;
}

/** `--name value` pairs (a repeated flag keeps every value) and the words that are not flags. */
export function readFlags(words: string[], known: readonly string[]): { flags: Map<string, string[]>; rest: string[]; error?: string } {
  const flags = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("--")) {
      rest.push(w);
      continue;
    }
    const [name, inline] = w.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!known.includes(name)) return { flags, rest, error: `\`--${name}\` is not a field of this form; it has ${known.map((k) => `--${k}`).join(", ")}.` };
    const value = inline ?? words[++i];
    if (value === undefined) return { flags, rest, error: `\`--${name}\` needs a value.` };
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest };
}

/** Asks `field` until the answer passes its check (Enter keeps the default). */
async function askField(ask: Ask, field: Field, say: (text: string) => void, current?: string): Promise<string> {
  const fallback = current ?? field.default;
  for (;;) {
    const answer = await ask(`${field.label}${fallback ? ` [${fallback}]` : field.optional ? " (optional)" : ""}: `);
    if (answer === null) throw new Ended();
    const value = answer.trim() === "" ? (fallback ?? "") : answer.trim();
    if (value === "" && !field.optional) {
      say(`  ${field.label} is needed.`);
      continue;
    }
    const problem = value === "" ? undefined : field.check?.(value);
    if (!problem) return value;
    say(`  ${problem}`);
  }
}

/**
 * Fills a form: interactively (each field asked; when `submit` refuses with a field at fault, that field is asked
 * again) or from flags. `submit` returns the answer, or `{ field, message }` for a refusal it can name.
 */
export async function runForm(
  fields: readonly Field[],
  source: { ask?: Ask; say: (text: string) => void; words: string[] },
  submit: (values: Record<string, string>, lists: Map<string, string[]>) => Promise<TextAnswer | { field: string; message: string }>,
  usage: string,
): Promise<TextAnswer> {
  const { flags, error } = readFlags(source.words, [...fields.map((f) => f.name), "owner"]);
  if (error) return { ok: false, usage: true, output: `${error}\nUsage: ${usage}\n` };
  const interactive = source.ask !== undefined && flags.size === 0;
  const values: Record<string, string> = {};
  if (interactive) {
    try {
      for (const f of fields) values[f.name] = !f.when || f.when(values) ? await askField(source.ask!, f, source.say) : (f.default ?? "");
      for (let attempt = 0; attempt < 5; attempt++) {
        const result = await submit(values, flags);
        if ("ok" in result) return result;
        const field = fields.find((f) => f.name === result.field);
        source.say(`  ${result.message}`);
        if (!field) return { ok: false, output: `${result.message}\n` };
        values[field.name] = await askField(source.ask!, field, source.say, values[field.name]);
      }
      return { ok: false, output: "Given up after five tries; nothing was saved.\n" };
    } catch (e) {
      if (e instanceof Ended) return { ok: false, output: "\nThe input ended; nothing was saved.\n" };
      throw e;
    }
  }
  const problems: string[] = [];
  for (const f of fields) {
    const given = flags.get(f.name)?.at(-1)?.trim();
    if (f.when && !f.when(values) && given === undefined) {
      values[f.name] = f.default ?? "";
      continue;
    }
    const value = given ?? f.default ?? "";
    if (value === "" && !f.optional) problems.push(`--${f.name}: ${f.label} is needed.`);
    else if (value !== "" && f.check?.(value)) problems.push(`--${f.name}: ${f.check(value)}`);
    values[f.name] = value;
  }
  if (problems.length > 0) return { ok: false, usage: true, output: `${problems.join("\n")}\nUsage: ${usage}\n` };
  const result = await submit(values, flags);
  if ("ok" in result) return result;
  return { ok: false, usage: true, output: `--${result.field}: ${result.message}\nUsage: ${usage}\n` };
}

/** The console field a fact refusal names (`source.url` is `--source-url`), with the service's words. */
export function factFieldAtFault(error: FactError, fields: readonly Field[]): { field: string; message: string } {
  const [key, message] = Object.entries(error.fields)[0] ?? ["title", error.message];
  const field = key.startsWith("source") ? (key.includes("url") ? "source-url" : "source-title") : key.replace(/_/g, "-");
  return { field: fields.some((f) => f.name === field) ? field : "title", message: `${key}: ${message}` };
}

/** A field check: an ISO date. */
export const dateCheck = (v: string) => (isIsoDate(v) ? undefined : `"${v}" is not a date: write it as YYYY-MM-DD, like 2017-07-20.`);
/** A field check: a 24-hour time. */
export const timeCheck = (v: string) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? undefined : `"${v}" is not a time: write it as HH:MM, like 17:00.`);
