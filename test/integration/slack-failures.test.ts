import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import type { RecordedCall } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const NOW = "2017-07-20T15:00:00Z";
const LEAD = "U0LEAD";
const ANA = "U0ANA";
const GONE = "U0GONE";
const CHANNEL = "C0TEAM";

const memoForm = (channel: string, owners: Record<string, string>) =>
  viewSubmission({
    callbackId: "memo_new",
    user: LEAD,
    privateMetadata: JSON.stringify({ t: "special-session-prep" }),
    values: {
      title: input.text("Failures heard"),
      due_date: input.date("2017-08-01"),
      due_time: { value: { type: "timepicker", selected_time: "09:30" } },
      channel: { value: { type: "conversations_select", selected_conversation: channel } },
      ...Object.fromEntries(Object.entries(owners).map(([key, user]) => [`owner:${key}`, { value: { type: "users_select", selected_user: user } }])),
    },
  });

describe("people hear about what could not be delivered", () => {
  let db: Database;
  let bot: RunningBot;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW) });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  const text = (c: RecordedCall) => `${String(c.body.text)}\n${blocksText(c.body)}`;

  it("lists an owner's DM that could not be delivered in the memo's thread", async () => {
    bot.fake.failChannel(GONE, "channel_not_found");
    const note = bot.fake.waitFor((c) => c.method === "chat.postMessage" && typeof c.body.thread_ts === "string" && text(c).includes("could not DM"));
    const res = await bot.slack.interaction(memoForm(CHANNEL, { purpose: ANA, background: GONE }));
    expect(res.status).toBe(200);
    const posted = await note;
    expect(posted.body.channel).toBe(CHANNEL);
    expect(String(posted.body.text)).toBe(`:warning: I could not DM <@${GONE}>: they have not opened the app, or Slack does not let me message them.`);
    // Ana's DM went out all the same.
    expect(bot.fake.callsTo("chat.postMessage").some((c) => c.body.channel === ANA)).toBe(true);
  });

  it("tells the creator by DM when the tracking message could not be posted, and why", async () => {
    bot.fake.failChannel("C0ARCHIVED", "is_archived");
    const dm = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === LEAD && text(c).includes("couldn't post its progress"));
    await bot.slack.interaction(memoForm("C0ARCHIVED", { purpose: ANA }));
    expect(String((await dm).body.text)).toMatch(/^:warning: Memo #\d+ was created, but I couldn't post its progress in <#C0ARCHIVED>: the channel is archived\. Use `\/korus memo show \d+`\.$/);
  });

  it("answers a schedule form that Slack would not open, ephemerally, with why", async () => {
    bot.fake.failNext("views.open", { error: "expired_trigger_id" });
    const response = bot.fake.waitForResponse();
    expect((await bot.slack.command("schedule new")).status).toBe(200);
    expect((await response).body.text).toBe("I couldn't open the schedule form: your click reached me too late to open a form (Slack allows 3 seconds). Please try again.");
  });

  it("answers a Home tab button whose form would not open by DM (a Home tab has no response_url)", async () => {
    bot.fake.failNext("views.open", { error: "expired_trigger_id" });
    const dm = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === ANA && text(c).includes("couldn't open the new fact form"));
    const res = await bot.slack.interaction({ ...blockAction({ actionId: "home_fact_add", user: ANA }), response_url: undefined, container: { type: "view", view_id: "VHOME" } });
    expect(res.status).toBe(200);
    await dm;
  });
});

describe("memo permissions as the services define them", () => {
  let db: Database;
  let bot: RunningBot;
  let memoId = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW) });
    const tracking = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === CHANNEL);
    await bot.slack.interaction(memoForm(CHANNEL, { purpose: ANA }));
    await tracking;
    memoId = (await db.prisma.memo.findFirstOrThrow()).id;
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("offers 'Assemble anyway' only to the creator or an admin, and refuses it to a section owner", async () => {
    let response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: JSON.stringify({ m: memoId }), user: ANA, responseUrl: bot.fake.responseUrl() }));
    let answer = (await response).body as { blocks: Array<{ type: string }> };
    expect(blocksText(answer)).toContain(`Only the memo's creator (<@${LEAD}>) or an admin can assemble it without them.`);
    expect(answer.blocks.some((b) => b.type === "actions")).toBe(false);

    response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble_anyway", value: JSON.stringify({ m: memoId }), user: ANA, responseUrl: bot.fake.responseUrl() }));
    expect(String((await response).body.text)).toContain("Only the memo's creator or an admin can assemble memo");
    expect((await db.prisma.memo.findUniqueOrThrow({ where: { id: memoId } })).state).toBe("open");

    response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    answer = (await response).body as { blocks: Array<{ type: string }> };
    expect(answer.blocks.some((b) => b.type === "actions")).toBe(true);
  });

  it("refuses the creator as the only approver of their own memo, under the field", async () => {
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_signoff",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memoId }),
        values: { approvers: { value: { type: "multi_users_select", selected_users: [LEAD] } } },
      }),
    );
    expect(res.json).toEqual({
      response_action: "errors",
      errors: { approvers: "You can't be the only approver of your own memo: add someone else (only admins may approve their own alone)." },
    });
    expect(await db.prisma.memoApproval.count()).toBe(0);
  });

  it("tells a person who may not write a section who can, without opening the form", async () => {
    const response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_write", value: JSON.stringify({ m: memoId, k: "risks" }), user: "U0STRANGER", responseUrl: bot.fake.responseUrl() }));
    expect((await response).body.text).toBe("Only the owner of *Risks* (_unassigned_), the memo's creator or an admin can write it.");
    expect(bot.fake.callsTo("views.open")).toHaveLength(0);
  });
});
