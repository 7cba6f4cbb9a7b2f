/** The slash command, as in manifest.yml. */
export const COMMAND = "/korus";
/** Where Slack sends commands, interactions and events (HTTP mode). */
export const SLACK_EVENTS_PATH = "/slack/events";
/** The health check. */
export const HEALTH_PATH = "/healthz";

/** callback_id of every modal the bot opens. */
export const VIEW_IDS = {
  factAdd: "fact_add",
  factEdit: "fact_edit",
  factRetract: "fact_retract",
} as const;

/** action_id of every interactive element. */
export const ACTION_IDS = {
  factMenu: "fact_menu",
  factsPage: "facts_page",
} as const;

/** block_id of each field of the fact modal; modal errors are keyed by these. */
export const FACT_BLOCKS = {
  kind: "kind",
  date: "date",
  title: "title",
  summary: "summary",
  actor: "actor",
  actorName: "actor_name",
  sourceTitle: "source_title",
  sourceUrl: "source_url",
  dueDate: "due_date",
  afterDays: "after_days",
  afterFrom: "after_from",
  reason: "reason",
} as const;

/** The action_id inside every input block (one element per block). */
export const INPUT_ACTION = "value";

/** The callback ids the bot answers; any other view submission gets the "expired" view. */
export const KNOWN_VIEW_CALLBACK_IDS: ReadonlySet<string> = new Set(Object.values(VIEW_IDS));
