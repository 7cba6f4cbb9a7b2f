/**
 * `/korus figures`, `/korus chart` and `/korus ask`, after the ack. Figures and answers go only to whoever asked
 * (ephemeral `markdown` blocks); a chart is posted to the channel as a PNG file with its caption, since showing it
 * to the channel is the point of asking for one.
 */
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { FigureCommand } from "../../commands/figure-commands.js";
import { ChartError } from "../../figures/service.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { splitMarkdown } from "../../render/markdown-split.js";
import { truncate } from "../../render/mrkdwn.js";
import { markdownToMrkdwn } from "../../render/slack-mrkdwn.js";
import { SLACK_LIMITS } from "../limits.js";
import { describePostFailure, slackErrorCode } from "../slack-errors.js";
import { markdownBlock } from "../views/blocks.js";
import { noticeMessage } from "../views/facts.js";
import type { SlackMessage } from "../views/status.js";
import { runAskCommand } from "./ask.js";
import type { ListenerDeps } from "./kit.js";

/** Slack lets a response_url be used 5 times. */
const MAX_RESPONSES = 5;
/** Each markdown message stays well under Slack's 12,000 characters per message. */
const PART = 10_000;

/** The Markdown document as one or more ephemeral messages. */
function markdownMessages(markdown: string, fallback: string): SlackMessage[] {
  return splitMarkdown(markdown, PART).map((part) => ({ text: truncate(escapeMrkdwn(fallback), SLACK_LIMITS.messageText), blocks: [markdownBlock(part)] }));
}

/** Runs a figure or question command for the user who typed it, in the channel they typed it in. */
export async function runFigureCommand(deps: ListenerDeps, parsed: FigureCommand, ctx: { user: string; channel: string; client: WebClient; respond: RespondFn }): Promise<void> {
  const reply = (message: SlackMessage) => ctx.respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  switch (parsed.name) {
    case "figures": {
      const answer = await deps.services.figures.figuresAnswer(parsed);
      for (const message of markdownMessages(answer.markdown, parsed.series ? `Figures: ${parsed.series}` : "Figure series").slice(0, MAX_RESPONSES)) await reply(message);
      return;
    }
    case "ask":
      await runAskCommand(deps, parsed.question, ctx.respond);
      return;
    case "chart": {
      let chart: Awaited<ReturnType<ListenerDeps["services"]["figures"]["makeChart"]>>;
      try {
        chart = await deps.services.figures.makeChart({ ...parsed, png: true });
      } catch (error) {
        if (error instanceof ChartError) {
          await reply(noticeMessage(`:thinking_face: ${markdownToMrkdwn(error.message)}`));
          return;
        }
        throw error;
      }
      try {
        await ctx.client.files.uploadV2({
          channel_id: ctx.channel,
          file: chart.png!,
          filename: `${chart.name}.png`,
          title: truncate(chart.title, 250),
          alt_text: truncate(chart.alt, 1000),
          // Caption: Markdown built with every user text escaped, then turned into mrkdwn (which escapes again).
          initial_comment: truncate(`Chart requested by <@${ctx.user}>\n${markdownToMrkdwn(chart.captionMarkdown)}`, SLACK_LIMITS.messageText),
        });
      } catch (error) {
        const code = slackErrorCode(error);
        deps.logger.warn(`chart upload to ${ctx.channel} failed: ${code}`);
        await reply(noticeMessage(`I couldn't post the chart here: ${describePostFailure(code)}. \`npx korus chart ${chart.series.key} --out chart.png\` makes it in the terminal.`));
      }
      return;
    }
  }
}
