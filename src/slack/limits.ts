/** Slack's Block Kit limits (docs/slack-platform.md), in one place. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  modalTitle: 24,
  privateMetadata: 3000,
  messageText: 4000,
  /** Cumulative `markdown` block text per message. */
  markdownBlockTotal: 12_000,
} as const;
