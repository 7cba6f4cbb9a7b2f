/**
 * The message shortcut "Save as KORUS fact": opens the new-fact form filled in from the message (its text, first line,
 * permalink, links and day). The form is the `/korus fact add` form, so its submission goes through the same
 * handler, validation and rules.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { draftFromMessage } from "../message-draft.js";
import { dateInZone } from "../../time-zone.js";
import { factModal } from "../views/fact-modal.js";
import { type ListenerDeps, openFormSoon } from "./kit.js";

/** A message's permalink from Slack, or the archive link Slack itself would give when the call fails. */
async function permalinkOf(client: AllMiddlewareArgs["client"], body: MessageShortcut): Promise<string | undefined> {
  try {
    const answer = await client.chat.getPermalink({ channel: body.channel.id, message_ts: body.message.ts });
    if (typeof answer.permalink === "string" && /^https:\/\//.test(answer.permalink)) return answer.permalink;
  } catch {
    // Below: the archive link works for members of the channel.
  }
  const domain = (body.team as { domain?: string } | null)?.domain;
  return domain && /^[a-z0-9-]+$/i.test(domain) ? `https://${domain}.slack.com/archives/${body.channel.id}/p${body.message.ts.replace(".", "")}` : undefined;
}

/** Handles the shortcut: ack, then the filled-in form within the trigger's 3 s. */
export function makeSaveAsFactHandler(deps: Pick<ListenerDeps, "services" | "timeZone" | "ackBudgetMs">) {
  return async ({ ack, shortcut, client }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const build = (async () => {
      const [recent, permalink] = await Promise.all([deps.services.facts.recentFacts(), permalinkOf(client, shortcut)]);
      const seconds = Number(shortcut.message.ts.split(".")[0]);
      const draft = draftFromMessage({
        text: typeof shortcut.message.text === "string" ? shortcut.message.text : "",
        date: dateInZone(new Date(seconds * 1000), deps.timeZone),
        ...(permalink ? { permalink } : {}),
        ...(typeof shortcut.channel.name === "string" ? { channelName: shortcut.channel.name } : {}),
      });
      return factModal({ recent, meta: { channel: shortcut.channel.id }, draft });
    })();
    await openFormSoon(deps, client, shortcut.trigger_id, "new fact", build);
  };
}
