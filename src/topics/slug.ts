/** Topic names: `korus`, `usmca`... lower case letters, digits and dashes, as facts store them. */
import { KorusError } from "../errors.js";

/** The topic of a fact that names none. */
export const DEFAULT_TOPIC = "korus";

/** Why a topic name was refused. */
export class TopicError extends KorusError<"invalid" | "not_found"> {
  readonly field = "topic" as const;
}

/** A topic name: lower-case letters, digits and dashes, at most 40 characters. */
export const TOPIC_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Reads a topic name (case ignored). @throws TopicError when it is not one. */
export function parseTopic(word: string): string {
  const topic = word.trim().toLowerCase();
  if (!TOPIC_NAME.test(topic)) {
    throw new TopicError("invalid", topic ? `\`${word.slice(0, 40)}\` is not a topic name: use lower-case letters, digits and dashes, like \`usmca\`.` : "Say which topic, like `topic:usmca`.");
  }
  return topic;
}
