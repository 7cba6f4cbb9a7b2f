/**
 * What a terminal reads of Slack: a channel's id typed or pasted (`C0123ABCD`, `<#C0123ABCD|trade>`), and the channel
 * mentions in a pasted command line. The `korus` command and the local console are handed these by their composition
 * roots (src/cli/korus.ts, src/main.ts) as src/cli/command-deps.ts's `ChatReaders`, so that src/cli knows no Slack id.
 */
import { channelMentionsToIds } from "./command-text.js";
import { SLACK_CHANNEL_ID, SLACK_CHANNEL_MENTION, SLACK_CONVERSATION_ID } from "./ids.js";

/** The id a typed channel names: a mention's id, or the word itself. */
const idOf = (typed: string) => SLACK_CHANNEL_MENTION.exec(typed.trim())?.[1] ?? typed.trim();

export const slackTerminalReaders = {
  /** A public or private channel (C…, G…), typed as its id or pasted as a mention. */
  channel(typed: string): string | undefined {
    const id = idOf(typed);
    return SLACK_CHANNEL_ID.test(id) ? id : undefined;
  },
  /** A channel as above, or a direct message (D…). */
  conversation(typed: string): string | undefined {
    const id = idOf(typed);
    return SLACK_CONVERSATION_ID.test(id) ? id : undefined;
  },
  mentionsToIds: channelMentionsToIds,
};
