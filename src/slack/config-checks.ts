/**
 * What Slack adds to the check of the environment at start (src/config.ts keeps these variables as plain strings):
 * the bot's member id and the admins' ids must have the shape of Slack user ids, so that a wrong one is listed with
 * every other problem, naming its variable, before anything starts. The composition root passes it to loadConfig.
 */
import { type ConfigCheck, idList } from "../config.js";
import { SLACK_USER_ID } from "./ids.js";

export const slackConfigCheck: ConfigCheck = (env) => {
  const problems: string[] = [];
  const botUserId = env.SLACK_BOT_USER_ID;
  if (botUserId && !SLACK_USER_ID.test(botUserId)) problems.push("SLACK_BOT_USER_ID: must be the bot user's member id, like U012ABCDEF (its profile: Copy member ID)");
  const wrong = idList(env.KORUS_ADMINS).filter((id) => !SLACK_USER_ID.test(id));
  if (wrong.length > 0) problems.push(`KORUS_ADMINS: must be Slack user ids like U012ABCDEF, comma-separated (not ${wrong.map((id) => JSON.stringify(id.slice(0, 40))).join(", ")})`);
  return problems;
};
