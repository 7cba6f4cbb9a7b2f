import { isIsoDate, type IsoDate } from "./dates.js";
import { FACT_KINDS, type FactKind, normalizeActor } from "./model.js";
import { KorusError } from "../errors.js";

/** A parsed fact search: free words plus filters. */
export interface FactQuery {
  /** Words for full-text search (PostgreSQL websearch syntax: "quoted phrases", -excluded, or). */
  words: string;
  kind?: FactKind;
  since?: IsoDate;
  until?: IsoDate;
  /** Canonical actor ("US", "Korea", "both") or part of a name. */
  actor?: string;
  /** Only this topic's facts (every topic when absent). */
  topic?: string;
}

/** A search text that cannot be read: `message` names the filter at fault. */
export class FactQueryError extends KorusError<"fact_query_invalid"> {
  constructor(message: string) {
    super("fact_query_invalid", message);
  }
}

const FILTERS = ["kind", "since", "until", "actor", "topic"] as const;

/**
 * Parses `special session kind:deadline since:2017-07-01 until:2017-12-31 actor:korea`. Filter values may be quoted
 * (`actor:"Yeo Han-koo"`). Unknown filters and bad values throw FactQueryError naming them.
 */
export function parseFactQuery(text: string): FactQuery {
  const query: FactQuery = { words: "" };
  const words: string[] = [];
  // Tokens: key:"quoted value", key:value, "quoted phrase", or a bare word.
  const tokens = text.match(/\S+:"[^"]*"?|"[^"]*"?|\S+/g) ?? [];
  for (const token of tokens) {
    const filter = /^([a-z_-]+):(.*)$/i.exec(token);
    if (!filter || /^https?$/i.test(filter[1]!)) {
      words.push(token);
      continue;
    }
    const key = filter[1]!.toLowerCase();
    const value = filter[2]!.replace(/^"|"$/g, "").trim();
    if (!(FILTERS as readonly string[]).includes(key)) {
      throw new FactQueryError(`unknown filter \`${key}:\`; the filters are ${FILTERS.map((f) => `\`${f}:\``).join(", ")}`);
    }
    if (value === "") throw new FactQueryError(`\`${key}:\` needs a value, like \`${example(key)}\``);
    switch (key) {
      case "kind": {
        const kind = value.toLowerCase();
        if (!(FACT_KINDS as readonly string[]).includes(kind)) {
          throw new FactQueryError(`\`kind:${value}\` is not a kind; use one of ${FACT_KINDS.join(", ")}`);
        }
        query.kind = kind as FactKind;
        break;
      }
      case "since":
      case "until":
        if (!isIsoDate(value)) throw new FactQueryError(`\`${key}:${value}\` is not a date; write it as YYYY-MM-DD`);
        query[key] = value;
        break;
      case "actor":
        query.actor = normalizeActor(value);
        break;
      case "topic":
        if (!/^[a-z0-9][a-z0-9-]{0,39}$/i.test(value)) throw new FactQueryError(`\`topic:${value.slice(0, 40)}\` is not a topic name; \`/korus topics\` lists them`);
        query.topic = value.toLowerCase();
        break;
    }
  }
  if (query.since && query.until && query.since > query.until) {
    throw new FactQueryError(`\`since:${query.since}\` is after \`until:${query.until}\``);
  }
  query.words = words.join(" ").trim();
  return query;
}

function example(key: string): string {
  return { kind: "kind:deadline", since: "since:2017-07-01", until: "until:2017-12-31", actor: "actor:korea", topic: "topic:usmca" }[key] ?? key;
}

/** The query written back as text, to echo to the user. */
export function formatFactQuery(query: FactQuery): string {
  const parts = [query.words];
  if (query.kind) parts.push(`kind:${query.kind}`);
  if (query.since) parts.push(`since:${query.since}`);
  if (query.until) parts.push(`until:${query.until}`);
  if (query.actor) parts.push(/\s/.test(query.actor) ? `actor:"${query.actor}"` : `actor:${query.actor}`);
  if (query.topic) parts.push(`topic:${query.topic}`);
  return parts.filter(Boolean).join(" ");
}
