/** The answer to a submission of a modal the bot does not know: replace it with a short explanation. */
export function expiredViewResponse() {
  return {
    response_action: "update" as const,
    view: {
      type: "modal" as const,
      title: { type: "plain_text" as const, text: "korus-bot" },
      close: { type: "plain_text" as const, text: "Close" },
      blocks: [
        {
          type: "section" as const,
          text: {
            type: "mrkdwn" as const,
            text: "This form is no longer valid (the bot may have been updated since it opened). Nothing was saved. Please open it again from `/korus help`.",
          },
        },
      ],
    },
  };
}
