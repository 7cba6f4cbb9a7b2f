/** The slash command, as in manifest.yml. */
export const COMMAND = "/korus";
/** Where Slack sends commands, interactions and events (HTTP mode). */
export const SLACK_EVENTS_PATH = "/slack/events";
/** The health check. */
export const HEALTH_PATH = "/healthz";

/** callback_id of every modal the bot opens. */
export const VIEW_IDS = {} as const;

/** The callback ids the bot answers; any other view submission gets the "expired" view. */
export const KNOWN_VIEW_CALLBACK_IDS: ReadonlySet<string> = new Set(Object.values(VIEW_IDS));
