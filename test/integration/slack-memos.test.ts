import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { blocksText, expectWithinBlockLimits } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import type { RecordedCall } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const LEAD = "U0LEAD";
const ANA = "U0ANA";
const BEN = "U0BEN";
const CHO = "U0CHO";
const DIR = "U0DIRECTOR";
const CHANNEL = "C0TEAM";

type View = {
  id?: string;
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ block_id?: string; type: string; element?: Record<string, unknown>; accessory?: { options?: Array<{ value: string }>; action_id?: string } }>;
};

describe("collaborative memos in Slack", () => {
  let db: Database;
  let bot: RunningBot;
  let memoId = 0;
  let writeRef = "";

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock("2017-07-20T15:00:00Z"), admins: [] });
    bot.fake.addUser(ANA, { realName: "Ana Lee", displayName: "ana" });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  const nextCall = (method: string, test: (c: RecordedCall) => boolean = () => true) => {
    const seen = bot.fake.callsTo(method).length;
    return bot.fake.waitFor((c) => c.method === method && bot.fake.callsTo(method).indexOf(c) >= seen && test(c));
  };
  const threadPosts = () => bot.fake.callsTo("chat.postMessage").filter((c) => c.body.thread_ts);

  it("`/korus memo new` opens the form; picking another template redraws the section owners", async () => {
    const opened = nextCall("views.open");
    await bot.slack.command("memo new");
    const view = (await opened).body.view as View;
    expect(view.callback_id).toBe("memo_new");
    expect(view.blocks.filter((b) => b.block_id?.startsWith("owner:")).map((b) => b.block_id)).toEqual(
      ["owner:agenda", "owner:attendees", "owner:outcomes", "owner:us_asks", "owner:korean_asks", "owner:open_issues", "owner:next_round"].length ? expect.any(Array) : [],
    );
    const updated = nextCall("views.update");
    await bot.slack.interaction({
      ...blockAction({ actionId: "memo_template", selectedOption: "special-session-prep", user: LEAD }),
      container: { type: "view", view_id: "V1" },
      view: { id: "V1", hash: "h1", callback_id: "memo_new", private_metadata: view.private_metadata, state: { values: { title: input.text("Draft title") } } },
    });
    const redrawn = (await updated).body as { view_id: string; hash: string; view: View };
    expect(redrawn.view_id).toBe("V1");
    expect(redrawn.hash).toBe("h1");
    expect(redrawn.view.blocks.filter((b) => b.block_id?.startsWith("owner:")).map((b) => b.block_id)).toEqual([
      "owner:purpose",
      "owner:background",
      "owner:us_position",
      "owner:korean_position",
      "owner:market_access",
      "owner:risks",
      "owner:talking_points",
      "owner:next_steps",
    ]);
    expect(redrawn.view.blocks.find((b) => b.block_id === "title")!.element!.initial_value).toBe("Draft title");
    expect(redrawn.view.blocks.length).toBeLessThanOrEqual(100);
  });

  it("refuses a form without a title or with a due time in the past, under the field", async () => {
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_new",
        user: LEAD,
        privateMetadata: JSON.stringify({ t: "special-session-prep" }),
        values: {
          title: input.text(" "),
          due_date: input.date("2017-07-01"),
          due_time: { value: { type: "timepicker", selected_time: "17:00" } },
          channel: { value: { type: "conversations_select", selected_conversation: CHANNEL } },
        },
      }),
    );
    const ack = res.json as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe("errors");
    expect(ack.errors).toEqual({ title: "Give the memo a title.", due_date: "That due time has passed." });
    expect(await db.prisma.memo.count()).toBe(0);
  });

  it("creates the memo, posts the tracking message, and DMs each owner with their prompt, facts and a Write button", async () => {
    const tracking = nextCall("chat.postMessage", (c) => c.body.channel === CHANNEL);
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_new",
        user: LEAD,
        privateMetadata: JSON.stringify({ t: "special-session-prep" }),
        values: {
          title: input.text("Special session prep: <!channel> edition"),
          due_date: input.date("2017-08-01"),
          due_time: { value: { type: "timepicker", selected_time: "09:30" } },
          channel: { value: { type: "conversations_select", selected_conversation: CHANNEL } },
          "owner:purpose": { value: { type: "users_select", selected_user: ANA } },
          "owner:background": { value: { type: "users_select", selected_user: ANA } },
          "owner:us_position": { value: { type: "users_select", selected_user: BEN } },
          "owner:korean_position": { value: { type: "users_select", selected_user: CHO } },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const posted = (await tracking).body;
    expectWithinBlockLimits(posted);
    const text = blocksText(posted);
    expect(text).toContain("*Purpose* · <@U0ANA> · :hourglass_flowing_sand: waiting");
    expect(text).toContain("*Risks* · _unassigned_");
    expect(text).toContain("due *Tue 1 Aug 2017, 09:30 (America/New_York)*");
    // mrkdwn text is escaped (plain_text, as in the header, is never parsed for mentions).
    expect(String(posted.text)).toContain("&lt;!channel&gt;");
    const mrkdwn = JSON.stringify((posted.blocks as Array<{ type: string }>).filter((b) => b.type !== "header"));
    expect(mrkdwn).not.toContain("<!channel>");
    // The owners' DMs go out after the tracking message is recorded.
    await bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === CHO);
    const memo = await db.prisma.memo.findFirstOrThrow();
    memoId = memo.id;
    expect(memo.dueAt?.toISOString()).toBe("2017-08-01T13:30:00.000Z");
    expect(memo.trackingTs).toBeTruthy();
    const dms = bot.fake.callsTo("chat.postMessage").filter((c) => [ANA, BEN, CHO].includes(String(c.body.channel)));
    expect(dms).toHaveLength(4);
    const anaDm = blocksText(dms.find((d) => d.body.channel === ANA)!.body);
    expect(anaDm).toContain("<@U0LEAD> asked you to write *Purpose*");
    expect(anaDm).toContain("*What to write*\nIn two or three sentences");
    expect(anaDm).toContain("*Relevant facts*");
    const button = (dms[0]!.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions")!.elements![0]!;
    expect(button.action_id).toBe("memo_write");
    writeRef = button.value;
  });

  it("the Write button opens the section with its current text; saving updates the tracking message and its thread", async () => {
    const opened = nextCall("views.open");
    await bot.slack.interaction(blockAction({ actionId: "memo_write", value: writeRef, user: ANA, responseUrl: bot.fake.responseUrl() }));
    const view = (await opened).body.view as View;
    expect(view.callback_id).toBe("memo_write");
    expect(JSON.parse(view.private_metadata)).toEqual({ m: memoId, k: "purpose", r: 0 });

    const updated = nextCall("chat.update");
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_write",
        user: ANA,
        privateMetadata: view.private_metadata,
        values: { text: input.text("Prepare the principal for the **special session** requested on 12 July.") },
      }),
    );
    expect(res.text).toBe("");
    const tracking = (await updated).body;
    expect(blocksText(tracking)).toContain("*Purpose* · <@U0ANA> · :pencil2: drafted · rev 1");
    await bot.fake.waitFor((c) => c.method === "chat.postMessage" && String(c.body.text).includes("saved *Purpose*"));
    expect(threadPosts().at(-1)!.body.thread_ts).toBe((await db.prisma.memo.findUniqueOrThrow({ where: { id: memoId } })).trackingTs);
  });

  it("a second writer who started from the old revision is stopped with who changed it, when, and their text", async () => {
    // Ana's name was looked up after her save was acked.
    await expect.poll(async () => (await db.prisma.person.findUnique({ where: { id: ANA } }))?.name, { timeout: 10_000 }).toBe("Ana Lee");
    const stale = JSON.stringify({ m: memoId, k: "purpose", r: 0 });
    const res = await bot.slack.interaction(viewSubmission({ callbackId: "memo_write", user: LEAD, privateMetadata: stale, values: { text: input.text("My competing purpose") } }));
    const ack = res.json as { response_action: string; errors: { text: string } };
    expect(ack.response_action).toBe("errors");
    // A modal's error is plain text: a name, never a mention (which would show as "<@U0ANA>").
    expect(ack.errors.text).toMatch(/^Ana Lee saved revision 1 at \d+ \w+, \d{2}:\d{2} after you opened this\. Nothing of yours was saved/);
    expect(ack.errors.text).toContain("Their text: “Prepare the principal for the **special session** requested on 12 July.”");
    const section = await db.prisma.memoSection.findFirstOrThrow({ where: { memoId, key: "purpose" }, include: { revisions: true } });
    expect(section.text).toContain("Prepare the principal");
    expect(section.revisions).toHaveLength(1);
  });

  it("only the owner, the creator or an admin may write a section", async () => {
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: "U0STRANGER", privateMetadata: JSON.stringify({ m: memoId, k: "risks", r: 0 }), values: { text: input.text("x") } }),
    );
    expect((res.json as { errors: { text: string } }).errors.text).toMatch(/Only the owner of "Risks"/);
  });

  it("reassigns a section: the new owner gets the DM, the thread says so", async () => {
    const opened = nextCall("views.open");
    await bot.slack.interaction(blockAction({ actionId: "memo_section", selectedOption: JSON.stringify({ m: memoId, k: "risks", a: "reassign" }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const view = (await opened).body.view as View;
    expect(view.callback_id).toBe("memo_reassign");
    const dm = nextCall("chat.postMessage", (c) => c.body.channel === BEN);
    await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_reassign", user: LEAD, privateMetadata: view.private_metadata, values: { owner: { value: { type: "users_select", selected_user: BEN } } } }),
    );
    expect(blocksText((await dm).body)).toContain("write *Risks*");
    await bot.fake.waitFor((c) => c.method === "chat.postMessage" && String(c.body.text).includes("gave *Risks* to <@U0BEN>"));
  });

  it("reminds owners of unfinished sections once before the due time, never twice in a day", async () => {
    const early = await startBot(db, { clock: fixedClock("2017-07-25T12:00:00Z") });
    const late = await startBot(db, { clock: fixedClock("2017-07-31T14:00:00Z") });
    try {
      expect(await early.server.jobs.sendMemoReminders(24 * 3600_000)).toBe(0);
      expect(await late.server.jobs.sendMemoReminders(24 * 3600_000)).toBe(5);
      const reminders = late.fake.callsTo("chat.postMessage").filter((c) => String(c.body.text).startsWith("Reminder:"));
      expect(reminders.map((r) => r.body.channel).sort()).toEqual([ANA, ANA, BEN, BEN, CHO].sort());
      expect(blocksText(reminders[0]!.body)).toContain("It is due *Tue 1 Aug 2017, 09:30 (America/New_York)*");
      expect(await late.server.jobs.sendMemoReminders(24 * 3600_000)).toBe(0);
    } finally {
      await early.stop();
      await late.stop();
    }
  });

  it("asks before assembling with required sections missing, then posts the memo in the thread", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const question = (await response).body;
    expect(blocksText(question)).toContain("missing required sections: *Background*");
    const anyway = (question.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions")!.elements![0]!;
    expect(anyway.action_id).toBe("memo_assemble_anyway");
    const posted = nextCall("chat.postMessage", (c) => Array.isArray(c.body.blocks) && (c.body.blocks as Array<{ type: string }>)[0]?.type === "markdown");
    await bot.slack.interaction(blockAction({ actionId: anyway.action_id, value: anyway.value, user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const message = (await posted).body as { thread_ts: string; blocks: Array<{ type: string; text: string }> };
    expect(message.thread_ts).toBeTruthy();
    const markdown = message.blocks[0]!.text;
    expect(markdown.length).toBeLessThan(11_000);
    // The title is user text: in a markdown block it is escaped, so it cannot ping the channel.
    expect(markdown).toContain("# Special session prep: &lt;!channel&gt; edition");
    expect(markdown).not.toContain("<!channel>");
    expect(markdown).toContain("## Purpose\n\nPrepare the principal for the **special session** requested on 12 July.");
    expect(markdown).toContain("_(missing: Background)_");
    expect(markdown).toContain("## Sources\n\n1. Trade news item, July 2017: U.S. requests KORUS special session");
    expect((await db.prisma.memo.findUniqueOrThrow({ where: { id: memoId } })).state).toBe("assembled");
    response = bot.fake.waitForResponse();
    await bot.slack.command("memo list");
    expect(blocksText((await response).body)).toContain(`*#${memoId}* Special session prep: &lt;!channel&gt; edition`);
  });

  it("sign-off: approving locks the memo; a later edit unlocks it and resets every approval, and the thread says so", async () => {
    const opened = nextCall("views.open");
    await bot.slack.interaction(blockAction({ actionId: "memo_signoff", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const view = (await opened).body.view as View;
    const dm = nextCall("chat.postMessage", (c) => c.body.channel === DIR);
    await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_signoff", user: LEAD, privateMetadata: view.private_metadata, values: { approvers: { value: { type: "multi_users_select", selected_users: [DIR] } } } }),
    );
    const request = (await dm).body as { blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };
    const approve = request.blocks.find((b) => b.type === "actions")!.elements![0]!;
    expect(approve.action_id).toBe("memo_approve");

    const locked = nextCall("chat.postMessage", (c) => String(c.body.text).includes("approved version"));
    const approved = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_approve", value: approve.value, user: DIR, responseUrl: bot.fake.responseUrl() }));
    expect(String((await locked).body.text)).toContain("the memo is locked");
    // The approver's own answer may come after the thread's message: wait for it, so it is not taken for a later one.
    expect(String((await approved).body.text)).toContain("You approved memo");
    expect((await db.prisma.memo.findUniqueOrThrow({ where: { id: memoId } })).lockedAt).not.toBeNull();

    const unlocked = nextCall("chat.postMessage", (c) => String(c.body.text).includes("unlocked"));
    await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: BEN, privateMetadata: JSON.stringify({ m: memoId, k: "us_position", r: 0 }), values: { text: input.text("The U.S. wants balance.") } }),
    );
    expect(String((await unlocked).body.text)).toContain("every approval is reset");
    const memo = await db.prisma.memo.findUniqueOrThrow({ where: { id: memoId }, include: { approvals: true } });
    expect(memo.lockedAt).toBeNull();
    expect(memo.approvals.map((a) => [a.approver, a.approvedAt, a.memoVersion])).toEqual([[DIR, null, null]]);
    // Approving an old version is refused.
    const response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_approve", value: approve.value, user: DIR, responseUrl: bot.fake.responseUrl() }));
    expect((await response).body.text).toContain("changed since you were asked");
  });

  it("posts a memo too long for a message as a Markdown file in the thread", async () => {
    const long = "Market access detail. ".repeat(130);
    for (const key of ["background", "korean_position", "market_access", "risks", "talking_points", "next_steps"]) {
      await db.prisma.memoSection.update({ where: { memoId_key: { memoId, key } }, data: { text: long.slice(0, 2900), state: "drafted", revision: 1 } });
    }
    const completed = nextCall("files.completeUploadExternal");
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const complete = (await completed).body as { thread_ts: string; channel_id: string; initial_comment: string };
    expect(complete.channel_id).toBe(CHANNEL);
    expect(complete.thread_ts).toBeTruthy();
    expect(complete.initial_comment).toMatch(/too long for a message/);
    const upload = bot.fake.callsTo("file_upload").at(-1)!;
    expect(String(upload.body.content)).toContain("## Market-access issues");
    expect(bot.fake.callsTo("files.getUploadURLExternal").at(-1)!.body.filename).toMatch(/^memo-\d+-special-session-prep-channel-edition\.md$/);
  });

  it("the Home tab shows the sections waiting for the viewer, the memos in progress and the status headline", async () => {
    await db.prisma.memo.update({ where: { id: memoId }, data: { state: "open" } });
    // The viewer's own Home tab: an earlier test's publish for someone else (a Home refreshed after their memo
    // changed) may still arrive after this one starts.
    const published = nextCall("views.publish", (c) => (c.body as { user_id?: string }).user_id === CHO);
    const res = await bot.slack.event({
      token: "t",
      team_id: "T0001",
      api_app_id: "A0KORUS",
      type: "event_callback",
      event_id: "Ev1",
      event_time: 1500000000,
      event: { type: "app_home_opened", user: CHO, channel: "D0CHO", tab: "home", event_ts: "1500000000.1" },
    });
    expect(res.status).toBe(200);
    const body = (await published).body as { user_id: string; view: { type: string; blocks: unknown[] } };
    expect(body.user_id).toBe(CHO);
    expect(body.view.type).toBe("home");
    expect(body.view.blocks.length).toBeLessThanOrEqual(100);
    const text = blocksText(body.view);
    expect(text).toContain("*Current phase:* U.S. requests the first-ever special session");
    expect(text).toContain("*Korean position* · memo #");
    expect(text).toContain("Memos");
  });

  it("cancelling stops edits; only the creator may cancel", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_cancel", value: JSON.stringify({ m: memoId }), user: ANA, responseUrl: bot.fake.responseUrl() }));
    expect((await response).body.text).toContain("Only the memo's creator or an admin can cancel");
    const updated = nextCall("chat.update");
    await bot.slack.interaction(blockAction({ actionId: "memo_cancel", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    expect(blocksText((await updated).body)).toContain(":no_entry: cancelled");
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: ANA, privateMetadata: JSON.stringify({ m: memoId, k: "purpose", r: 1 }), values: { text: input.text("late") } }),
    );
    expect((res.json as { errors: { text: string } }).errors.text).toBe(`Memo #${memoId} was cancelled.`);
    response = bot.fake.waitForResponse();
    await bot.slack.command("memo show 999");
    expect((await response).body.text).toBe("There is no memo #999.");
  });
});
