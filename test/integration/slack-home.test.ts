import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { type RunningBot, startBot } from "../support/bot.js";
import type { RecordedCall } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

const NOW = "2017-07-20T15:00:00Z";
const LEAD = "U0LEAD";
const ANA = "U0ANA";
const BEN = "U0BEN";
const DIR = "U0DIRECTOR";

type Block = { type: string; block_id?: string; text?: { type: string; text: string }; accessory?: Record<string, unknown>; elements?: Array<Record<string, unknown>> };
type Published = { user_id: string; view: { type: string; blocks: Block[] } };

describe("the Home tab stays true", () => {
  let db: Database;
  let bot: RunningBot;
  let memoId = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW) });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  /** The next views.publish for `user` after now. */
  const nextPublish = (user: string) => {
    const seen = bot.fake.callsTo("views.publish").length;
    return bot.fake
      .waitFor((c: RecordedCall) => c.method === "views.publish" && c.body.user_id === user && bot.fake.callsTo("views.publish").indexOf(c) >= seen)
      .then((c) => c.body as unknown as Published);
  };
  const waiting = (home: Published) => home.view.blocks.filter((b) => b.block_id?.startsWith("waiting:"));
  const memoList = (home: Published) => home.view.blocks.at(-1)!.text!.text;

  it("offers the status, a new fact and a new memo as buttons", async () => {
    const home = nextPublish(ANA);
    await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "Ev1", event: { type: "app_home_opened", user: ANA, channel: "D0ANA", tab: "home" } });
    const view = (await home).view;
    expect(view.type).toBe("home");
    expect(view.blocks[1]).toEqual({
      type: "actions",
      block_id: "home_actions",
      elements: [
        { type: "button", action_id: "home_status", text: { type: "plain_text", text: "Status" }, style: "primary" },
        { type: "button", action_id: "home_fact_add", text: { type: "plain_text", text: "Add a fact" } },
        { type: "button", action_id: "home_memo_new", text: { type: "plain_text", text: "New memo" } },
      ],
    });
    expect(waiting(await home)).toEqual([]);

    const home_ = { ...blockAction({ actionId: "home_status", user: ANA }), response_url: undefined, container: { type: "view", view_id: "VHOME" } };
    for (const [actionId, check] of [
      ["home_status", (v: { title: { text: string }; blocks: Block[] }) => expect(v.title.text).toBe("KORUS status")],
      ["home_fact_add", (v: { callback_id?: string }) => expect(v.callback_id).toBe("fact_add")],
      ["home_memo_new", (v: { callback_id?: string }) => expect(v.callback_id).toBe("memo_new")],
    ] as const) {
      const seen = bot.fake.callsTo("views.open").length;
      const opened = bot.fake.waitFor((c) => c.method === "views.open" && bot.fake.callsTo("views.open").indexOf(c) >= seen);
      const res = await bot.slack.interaction({ ...home_, actions: [{ ...home_.actions[0], action_id: actionId }] });
      expect(res.status).toBe(200);
      (check as (v: unknown) => void)((await opened).body.view);
    }
  });

  it("is republished for the owners when a memo is created, listing their sections", async () => {
    const home = nextPublish(ANA);
    await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_new",
        user: LEAD,
        privateMetadata: JSON.stringify({ t: "special-session-prep" }),
        values: {
          title: input.text("Home tab memo"),
          due_date: input.date("2017-08-01"),
          due_time: { value: { type: "timepicker", selected_time: "09:30" } },
          channel: { value: { type: "conversations_select", selected_conversation: "C0TEAM" } },
          "owner:purpose": { value: { type: "users_select", selected_user: ANA } },
          "owner:risks": { value: { type: "users_select", selected_user: ANA } },
        },
      }),
    );
    memoId = (await db.prisma.memo.findFirstOrThrow()).id;
    expect(waiting(await home).map((b) => b.block_id)).toEqual([`waiting:${memoId}:purpose`, `waiting:${memoId}:risks`]);
  });

  it("after a section is written, shows it as drafted (not waiting) and the memo's progress", async () => {
    const before = await (async () => {
      const home = nextPublish(ANA);
      await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: "Ev2", event: { type: "app_home_opened", user: ANA, channel: "D0ANA", tab: "home" } });
      return home;
    })();
    expect(waiting(before)[0]).toEqual({
      type: "section",
      block_id: `waiting:${memoId}:purpose`,
      text: { type: "mrkdwn", text: `*Purpose* · memo #${memoId} _Home tab memo_\nDue Tue 1 Aug 2017, 09:30 (America/New_York) · :hourglass_flowing_sand: waiting` },
      accessory: { type: "button", action_id: "memo_write", text: { type: "plain_text", text: "Write section" }, value: JSON.stringify({ m: memoId, k: "purpose" }) },
    });
    expect(memoList(before)).toContain(`*#${memoId}* Home tab memo · Special session prep memo · 0/8 written, 0 final`);

    const after = nextPublish(ANA);
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: ANA, privateMetadata: JSON.stringify({ m: memoId, k: "purpose", r: 0 }), values: { text: input.text("Why we meet.") } }),
    );
    expect(res.text).toBe("");
    const published = await after;
    expect(waiting(published)[0]).toEqual({
      type: "section",
      block_id: `waiting:${memoId}:purpose`,
      text: { type: "mrkdwn", text: `*Purpose* · memo #${memoId} _Home tab memo_\nDue Tue 1 Aug 2017, 09:30 (America/New_York) · :pencil2: drafted · rev 1` },
      accessory: { type: "button", action_id: "memo_write", text: { type: "plain_text", text: "Write section" }, value: JSON.stringify({ m: memoId, k: "purpose" }) },
    });
    expect(memoList(published)).toContain(`*#${memoId}* Home tab memo · Special session prep memo · 1/8 written, 0 final`);
    if (process.env.KORUS_PRINT_TABLES) console.info(JSON.stringify({ before: before.view.blocks, after: published.view.blocks }, null, 1));
    // The creator's Home tab is republished too.
    await bot.fake.waitFor((c) => c.method === "views.publish" && c.body.user_id === LEAD);
  });

  it("marking a section final takes it off the owner's list", async () => {
    const home = nextPublish(ANA);
    await bot.slack.interaction(blockAction({ actionId: "memo_section", selectedOption: JSON.stringify({ m: memoId, k: "purpose", a: "final" }), user: ANA, responseUrl: bot.fake.responseUrl() }));
    expect(waiting(await home).map((b) => b.block_id)).toEqual([`waiting:${memoId}:risks`]);
  });

  it("after a reassignment, the section leaves the old owner's Home tab and joins the new owner's", async () => {
    const old = nextPublish(ANA);
    const next = nextPublish(BEN);
    await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_reassign",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memoId, k: "risks" }),
        values: { owner: { value: { type: "users_select", selected_user: BEN } } },
      }),
    );
    expect(waiting(await old)).toEqual([]);
    expect(waiting(await next).map((b) => b.block_id)).toEqual([`waiting:${memoId}:risks`]);
  });

  it("is republished for an approver when sign-off is requested, and for everyone when the memo is cancelled", async () => {
    const approver = nextPublish(DIR);
    await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_signoff",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memoId }),
        values: { approvers: { value: { type: "multi_users_select", selected_users: [DIR] } } },
      }),
    );
    expect(memoList(await approver)).toContain(`*#${memoId}* Home tab memo`);

    const ben = nextPublish(BEN);
    await bot.slack.interaction(blockAction({ actionId: "memo_cancel", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const closed = await ben;
    expect(waiting(closed)).toEqual([]);
    expect(memoList(closed)).toContain("No memos in progress.");
  });
});
