import { describe, expect, it } from "vitest";
import type { Brief } from "../../../../src/briefs/brief.js";
import type { ScheduleView } from "../../../../src/briefs/schedules.js";
import { buildStatus } from "../../../../src/status/status.js";
import { inputBlock, markdownBlock, plain } from "../../../../src/slack/views/blocks.js";
import { briefPreviewMessages, MAX_LISTED_SCHEDULES, scheduleChangedMessage, scheduleListMessage, scheduleModal, scheduleMrkdwn } from "../../../../src/slack/views/briefs.js";
import { expiredViewResponse, noticeView, STALE_TEXT, yourTextBlocks } from "../../../../src/slack/views/expired.js";
import { failureMessage, helpMessage, usageMessage } from "../../../../src/slack/views/help.js";
import { statusMessage } from "../../../../src/slack/views/status.js";
import { expectMessageWithinLimits, expectViewWithinLimits } from "../../../support/block-limits.js";
import { fact } from "../../../support/facts.js";

const ZWSP = "\u200b";

function schedule(overrides: Partial<ScheduleView> = {}): ScheduleView {
  return {
    id: 3,
    channel: "C0TEAM",
    rule: { weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "both" },
    templateId: "weekly-brief",
    topic: "korus",
    ownerId: "U0LEAD",
    ownerName: "Dana Kim",
    paused: false,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    next: { period: "2026-01-26", dueAt: new Date("2026-01-26T14:00:00Z") },
    lastPosted: null,
    lastProblem: null,
    inProgress: null,
    ...overrides,
  };
}

describe("brief and schedule view builders", () => {
  it("previews a brief as markdown blocks, one message per part, defused", () => {
    const brief: Brief = {
      title: "Weekly KORUS brief",
      asOf: "2017-07-24",
      headline: "h",
      markdown: "## What changed\n\n- <!channel> *new*",
      since: new Date(),
      until: new Date(),
      changeCount: 1,
      memoCount: 0,
    };
    expect(briefPreviewMessages(brief)).toEqual([
      {
        text: "Weekly KORUS brief, 2017-07-24 (Mon) (preview: only you see it)",
        blocks: [
          { type: "context", elements: [{ type: "mrkdwn", text: ":eyes: Weekly KORUS brief, 2017-07-24 (Mon) (preview: only you see it)" }] },
          { type: "markdown", text: `## What changed\n\n- <${ZWSP}!channel> *new*` },
        ],
      },
    ]);
    const long = briefPreviewMessages({ ...brief, markdown: Array.from({ length: 400 }, (_, i) => `- item ${i} ${"x".repeat(80)}`).join("\n") });
    expect(long.length).toBeGreaterThan(1);
    for (const message of long) expectMessageWithinLimits(message);
  });

  it("lists schedules, one section each, within 50 blocks", () => {
    expect(scheduleMrkdwn(schedule())).toBe(
      "*#3* Mondays at 09:00 America/New_York, moved by U.S. and Korean holidays in <#C0TEAM> · `weekly-brief` · owner <@U0LEAD>\n:calendar: next: Mon 2026-01-26 09:00 EST\n_never posted yet_",
    );
    // A terminal user is named (escaped); a Slack member is a mention, which Slack shows as their name.
    expect(scheduleMrkdwn(schedule({ ownerId: "cli:dana", ownerName: "Dana <!channel> *Kim*" }))).toContain("· owner Dana &lt;!channel&gt; *Kim*\n");
    const many = scheduleListMessage(
      Array.from({ length: 60 }, (_, i) => schedule({ id: i, lastProblem: { period: "2026-01-19", state: "failed", detail: "channel_not_found <!here>", at: new Date() } })),
    );
    expect(many.blocks).toHaveLength(MAX_LISTED_SCHEDULES + 2);
    expect(JSON.stringify(many.blocks)).not.toContain("<!here>");
    expectMessageWithinLimits(many);
    expect(scheduleListMessage([]).text).toContain("No brief schedules yet");
    expect(scheduleChangedMessage("Paused", schedule({ paused: true })).blocks[0]).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: ":white_check_mark: *Paused schedule #3.*\n*#3* Mondays at 09:00 America/New_York, moved by U.S. and Korean holidays in <#C0TEAM> · `weekly-brief` · owner <@U0LEAD>\n:double_vertical_bar: paused\n_never posted yet_",
      },
    });
  });

  it("builds the new-schedule form with the team's time zone filled in", () => {
    const view = scheduleModal({ timeZone: "Asia/Seoul", channel: "C0TEAM" });
    expect(view.callback_id).toBe("schedule_new");
    expect(view.blocks.filter((b) => "block_id" in b).map((b) => (b as { block_id: string }).block_id)).toEqual(["weekday", "time", "time_zone", "channel", "holidays"]);
    expect(view.blocks[3]).toMatchObject({ element: { type: "plain_text_input", initial_value: "Asia/Seoul", max_length: 64 } });
    expectViewWithinLimits(view);
  });
});

describe("help, failure, notice and expired views", () => {
  it("lists every command with an example, and escapes what was not understood", () => {
    const help = helpMessage("I don't know <!channel>.");
    expect(help.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: ":thinking_face: I don't know &lt;!channel&gt;." } });
    expect(help.blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*korus-bot commands*" } });
    // The one thing only Slack does ends the help: the message shortcut.
    expect(help.blocks.at(-1)).toMatchObject({ type: "context", elements: [{ type: "mrkdwn", text: expect.stringContaining("In Slack only: the message shortcut Save as KORUS fact") }] });
    expectMessageWithinLimits(help);
    expect(usageMessage("Bad date", "/korus status as-of YYYY-MM-DD").blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: ":thinking_face: Bad date\nUsage: `/korus status as-of YYYY-MM-DD` (see `/korus help`)" } },
    ]);
    expect(failureMessage("build the status", "0a1b2c3d").text).toBe("Sorry, I couldn't build the status. It has been logged (reference `0a1b2c3d`); please try again in a moment.");
  });

  it("makes notice views, shows the person's text back as plain text, and answers an unknown form", () => {
    expect(noticeView("Not saved", "Nothing was saved.", yourTextBlocks("my <!channel> text"))).toEqual({
      type: "modal",
      title: { type: "plain_text", text: "Not saved" },
      close: { type: "plain_text", text: "Close" },
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "Nothing was saved." } },
        { type: "header", text: { type: "plain_text", text: "Your text (not saved)" } },
        { type: "section", text: { type: "plain_text", text: "my <!channel> text" } },
      ],
    });
    expect(yourTextBlocks("  ")).toEqual([]);
    const expired = expiredViewResponse("x".repeat(5000));
    expect(expired.response_action).toBe("update");
    expectViewWithinLimits(expired.view);
    expectViewWithinLimits(noticeView("A title that is longer than twenty-four", "y".repeat(5000)));
    expect(STALE_TEXT).toContain("Nothing was changed");
  });

  it("builds blocks: plain text, inputs answering to one action id, and defused markdown blocks", () => {
    expect(plain("x")).toEqual({ type: "plain_text", text: "x" });
    expect(inputBlock("title", "Title", { type: "plain_text_input" }, { optional: true, hint: "h" })).toEqual({
      type: "input",
      block_id: "title",
      label: { type: "plain_text", text: "Title" },
      optional: true,
      hint: { type: "plain_text", text: "h" },
      element: { action_id: "value", type: "plain_text_input" },
    });
    expect(markdownBlock("Hi <@U1> @here")).toEqual({ type: "markdown", text: `Hi <${ZWSP}@U1> @\u2060here` });
  });
});

describe("the status message", () => {
  it("stays within 50 blocks and escapes titles at the extremes", () => {
    const facts = [
      ...Array.from({ length: 30 }, (_, i) => fact({ kind: "event", date: "2017-07-12", title: `<!channel> ${"E".repeat(140)} ${i}` })),
      ...Array.from({ length: 10 }, (_, i) =>
        fact({ kind: "deadline", date: `2017-08-${String(10 + i).padStart(2, "0")}`, title: "D".repeat(150), sources: [{ title: "S".repeat(300), url: `https://example.org/${i}` }] }),
      ),
      ...Array.from({ length: 10 }, (_, i) => fact({ kind: "position", date: "2017-07-13", actor: `Actor ${i}`, title: "P".repeat(150) })),
    ];
    const message = statusMessage(buildStatus(facts, "2017-07-20", "2017-07-20"));
    expectMessageWithinLimits(message);
    expect(JSON.stringify(message.blocks.filter((b) => b.type !== "header"))).not.toContain("<!channel>");
  });
});
