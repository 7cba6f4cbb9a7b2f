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
  /** "Mark met by…": a deadline's outcome (met, missed, extended, withdrawn) and the fact that closes it. */
  factClose: "fact_close",
  memoNew: "memo_new",
  memoWrite: "memo_write",
  memoReassign: "memo_reassign",
  memoSignOff: "memo_signoff",
  scheduleNew: "schedule_new",
} as const;

/** callback_id of every shortcut, as in manifest.yml. */
export const SHORTCUT_IDS = {
  /** The message shortcut "Save as KORUS fact". */
  saveAsFact: "save_as_fact",
} as const;

/** action_id of every interactive element. */
export const ACTION_IDS = {
  factMenu: "fact_menu",
  factsPage: "facts_page",
  /** The template menu of the new-memo form (dispatches, to show that template's sections). */
  memoTemplate: "memo_template",
  /** A section's menu on the tracking message: write, mark final, reassign, history. */
  memoSection: "memo_section",
  /** The "Write section" button in an owner's DM and on the Home tab. */
  memoWrite: "memo_write",
  memoAssemble: "memo_assemble",
  memoAssembleAnyway: "memo_assemble_anyway",
  memoSignOff: "memo_signoff",
  memoCancel: "memo_cancel",
  memoApprove: "memo_approve",
  /** Under an assembled memo: the Word file in the thread, the canvas, the changes since the last assembly. */
  memoExportDocx: "memo_export_docx",
  memoCanvas: "memo_canvas",
  memoDiff: "memo_diff",
  /** The Home tab's buttons. */
  homeStatus: "home_status",
  homeFactAdd: "home_fact_add",
  homeMemoNew: "home_memo_new",
  /** Under a `/korus ask` answer: "Open fact #12" (`ask_fact:0`, `ask_fact:1`...: ids are unique in a block) and "Status as of DAY". */
  askFact: "ask_fact",
  askStatus: "ask_status",
  /** On a feed candidate's review card: Save as fact (the new-fact form filled in), Dismiss, Not relevant to this topic. */
  candidateSave: "candidate_save",
  candidateDismiss: "candidate_dismiss",
  candidateIrrelevant: "candidate_irrelevant",
} as const;

/** block_id of the fields of the memo forms. */
export const MEMO_BLOCKS = {
  template: "template",
  title: "title",
  dueDate: "due_date",
  dueTime: "due_time",
  channel: "channel",
  /** One users_select per section: `owner:<section key>`. */
  ownerPrefix: "owner:",
  text: "text",
  owner: "owner",
  approvers: "approvers",
  /** The new-memo form's "Memo date (as of)" picker. */
  asOf: "as_of",
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
  sourceTitle2: "source_title_2",
  sourceUrl2: "source_url_2",
  sourceTitle3: "source_title_3",
  sourceUrl3: "source_url_3",
  known: "known",
  saveAnyway: "save_anyway",
  dueDate: "due_date",
  afterDays: "after_days",
  afterFrom: "after_from",
  figureValue: "figure_value",
  figureUnit: "figure_unit",
  figurePeriod: "figure_period",
  figureSeries: "figure_series",
  /** A deadline's kind of date: obligation or effective. */
  dueKind: "due_kind",
  reason: "reason",
  /** The close form: the outcome, a stored fact that closes the deadline, or the day of a new one and its new due date. */
  outcome: "outcome",
  closedBy: "closed_by",
  closedOn: "closed_on",
  newDue: "new_due",
} as const;

/** block_id of the fields of the new-schedule form; errors are keyed by these. */
export const SCHEDULE_BLOCKS = {
  weekday: "weekday",
  time: "time",
  timeZone: "time_zone",
  channel: "channel",
  holidays: "holidays",
} as const;

/** The action_id inside every input block (one element per block). */
export const INPUT_ACTION = "value";

/** The callback ids the bot answers; any other view submission gets the "expired" view. */
export const KNOWN_VIEW_CALLBACK_IDS: ReadonlySet<string> = new Set(Object.values(VIEW_IDS));

/**
 * The action ids the bot answers (the fact search's page buttons are `facts_page:prev` and `facts_page:more`); any
 * other block action is from an older message and gets a short explanation.
 */
export function isKnownActionId(actionId: string): boolean {
  return KNOWN_ACTION_IDS.has(actionId) || PREFIX_ACTION_IDS.some((prefix) => actionId.startsWith(`${prefix}:`));
}

// These are only ever prefixes (`facts_page:more`, `ask_fact:0`): the bare ids have no listener.
const PREFIX_ACTION_IDS: readonly string[] = [ACTION_IDS.factsPage, ACTION_IDS.askFact];
const KNOWN_ACTION_IDS: ReadonlySet<string> = new Set(Object.values(ACTION_IDS).filter((id) => !PREFIX_ACTION_IDS.includes(id)));

/**
 * The one source of Slack's id shapes. A user id (U…, or W… on Enterprise Grid): config's KORUS_ADMINS, owners and
 * authors worth a mention, who can be sent a DM. Anything else (`cli:alice`, a typed name) is not a Slack user.
 */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** A channel id: public (C…) or private/group (G…). */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
/** A conversation id as payloads carry it: a channel, or a direct message (D…). */
export const SLACK_CONVERSATION_ID = /^[CGD][A-Z0-9]{2,}$/;
/** A channel as Slack writes it in text (`<#C123ABC>` or `<#C123ABC|name>`); the id is group 1. */
export const SLACK_CHANNEL_MENTION = /^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

/** True for a Slack user id (see SLACK_USER_ID). */
export function isSlackUserId(id: string | null | undefined): id is string {
  return typeof id === "string" && SLACK_USER_ID.test(id);
}
