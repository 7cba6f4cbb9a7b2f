/**
 * A slash command's text as Slack sends it, made plain words for the command parser (src/commands): Slack's entities
 * decoded (it sends a typed &, < and > as &amp;, &lt; and &gt;), and a channel picked from the # menu (Slack writes
 * `<#C123ABC|name>`) turned into its id, the word the parsers of schedules and alerts take for a channel. Other
 * mentions and links Slack escaped itself stay as `<...>`.
 */

/** A channel mention standing as a word of its own; the id is group 2. */
const CHANNEL_MENTION_WORD = /(^|\s)<#([CG][A-Z0-9]{2,})(?:\|[^>\s]*)?>(?=\s|$)/g;

/** The command's text as plain words. */
export function commandText(raw: string): string {
  return channelMentionsToIds(raw.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
}

/**
 * Each channel mention standing as a word (`<#C123ABC|name>`, as Slack writes a channel picked from the # menu, or as a
 * person pastes one into the terminal) turned into its id; the rest of the text as it is.
 */
export function channelMentionsToIds(text: string): string {
  return text.replace(CHANNEL_MENTION_WORD, "$1$2");
}
