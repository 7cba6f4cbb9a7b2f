import { describe, expect, it } from "vitest";
import type { MemoView, SectionView } from "../../../../src/memos/read.js";
import type { MemoTemplate } from "../../../../src/memos/templates/template.js";
import { shippedTemplates } from "../../../support/templates.js";
import { buildStatus } from "../../../../src/status/status.js";
import { homeView } from "../../../../src/slack/views/home.js";
import {
  approvalRequestMessage,
  conflictError,
  formatDue,
  incompleteMessage,
  memoListMessage,
  newMemoModal,
  ownerMessage,
  reassignModal,
  signOffModal,
  trackingMessage,
  who,
  writeModal,
} from "../../../../src/slack/views/memos.js";
import { approveRefSchema, memoRefSchema, readRef, sectionMenuSchema, sectionRefSchema, writeFormSchema } from "../../../../src/slack/carried-values.js";
import { expectMessageWithinLimits, expectViewWithinLimits } from "../../../support/block-limits.js";
import { fact } from "../../../support/facts.js";
import { PeopleNames } from "../../../../src/people/names.js";

const TZ = "America/New_York";
/** The names kept: a terminal user with a hostile name, and Slack members (shown as mentions whatever their name). */
const NAMES = new PeopleNames([
  { id: "cli:dana", name: "Dana <!channel> *Kim*", deleted: false, bot: false },
  { id: "U0ANA", name: "Ana Lee", deleted: false, bot: false },
]);
const DUE = new Date("2017-08-01T13:30:00Z");

function section(key: string, overrides: Partial<SectionView> = {}): SectionView {
  return {
    key,
    title: key[0]!.toUpperCase() + key.slice(1),
    prompt: `Write the ${key}.`,
    required: true,
    maxLength: 3000,
    ownerId: null,
    state: "waiting",
    revision: 0,
    text: "",
    updatedBy: null,
    updatedAt: DUE,
    ...overrides,
  };
}

function memo(overrides: Partial<MemoView> = {}): MemoView {
  return {
    id: 7,
    templateId: "special-session-prep",
    templateTitle: "Special session prep memo",
    title: "Special session prep",
    createdBy: "U0LEAD",
    channel: "C0TEAM",
    trackingTs: "1500000000.000100",
    dueAt: DUE,
    state: "open",
    version: 3,
    lockedAt: null,
    assembledAt: null,
    asOf: null,
    canvasId: null,
    sections: [section("purpose", { ownerId: "U0ANA", state: "drafted", revision: 2, text: "Why.", updatedBy: "U0ANA" }), section("risks", { required: false })],
    approvals: [],
    ...overrides,
  };
}

/** A memo at the limits: 40 sections with 150-character titles, a 150-character title, a name for an owner. */
const huge = memo({
  title: "T".repeat(150),
  sections: Array.from({ length: 40 }, (_, i) =>
    section(`s${i}`, { title: `${"S".repeat(140)} ${i}`, prompt: "P".repeat(3000), ownerId: i % 2 ? "U0ANA" : "cli:someone", text: "x".repeat(3000), revision: 9 }),
  ),
  approvals: Array.from({ length: 20 }, (_, i) => ({ approver: `U0APPROVER${i}`, approvedAt: i % 2 ? DUE : null, memoVersion: 3 })),
});

describe("memo view builders", () => {
  it("formats due times in the team's time zone, and people as mentions or escaped names", () => {
    expect(formatDue(DUE, TZ)).toBe("Tue 1 Aug 2017, 09:30 (America/New_York)");
    expect(formatDue(null, TZ)).toBe("no due time");
    // A memo without a due time says so once, in every message that shows one (never "due no due time").
    const undated = memo({ dueAt: null });
    const texts = [
      JSON.stringify(trackingMessage(undated, TZ, NAMES).blocks),
      JSON.stringify(memoListMessage([undated], TZ).blocks),
      JSON.stringify(ownerMessage(undated, undated.sections[0]!, [], TZ, NAMES).blocks),
    ];
    for (const text of texts) {
      expect(text).toContain("no due time");
      expect(text).not.toMatch(/due \*?no due time/i);
    }
    expect(JSON.stringify(memoListMessage([memo()], TZ).blocks)).toContain("· due Tue 1 Aug 2017, 09:30 (America/New_York) ·");
    expect([who("U0ANA", NAMES), who("cli:dana", NAMES), who("cli:<b>", NAMES), who(null, NAMES)]).toEqual(["<@U0ANA>", "Dana &lt;!channel&gt; *Kim*", "&lt;b&gt; (terminal)", "_unassigned_"]);
  });

  it("builds the tracking message: header, state, one line and menu per section, buttons", () => {
    const message = trackingMessage(memo(), TZ, NAMES);
    expect(message.text).toBe("Memo #7: Special session prep (1/2 sections written)");
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Memo #7: Special session prep" } });
    expect(message.blocks[1]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Special session prep memo · due *Tue 1 Aug 2017, 09:30 (America/New_York)* · by <@U0LEAD> · :memo: in progress" }],
    });
    expect(message.blocks[2]).toEqual({
      type: "section",
      block_id: "section:purpose",
      text: { type: "mrkdwn", text: "*Purpose* · <@U0ANA> · :pencil2: drafted · rev 2" },
      accessory: {
        type: "overflow",
        action_id: "memo_section",
        options: [
          { text: { type: "plain_text", text: "Write section" }, value: '{"m":7,"k":"purpose","a":"write"}' },
          { text: { type: "plain_text", text: "Mark final" }, value: '{"m":7,"k":"purpose","a":"final"}' },
          { text: { type: "plain_text", text: "Reassign" }, value: '{"m":7,"k":"purpose","a":"reassign"}' },
          { text: { type: "plain_text", text: "Show history" }, value: '{"m":7,"k":"purpose","a":"history"}' },
        ],
      },
    });
    expect((message.blocks[3] as { text: { text: string } }).text.text).toBe("*Risks* _(optional)_ · _unassigned_ · :hourglass_flowing_sand: waiting");
    expect(message.blocks.at(-1)).toMatchObject({ type: "actions", block_id: "memo_actions" });
    // Every value a button or menu carries reads back with its schema.
    const options = (message.blocks[2] as { accessory: { options: Array<{ value: string }> } }).accessory.options;
    expect(options.map((o) => readRef(sectionMenuSchema, o.value)?.a)).toEqual(["write", "final", "reassign", "history"]);
    const buttons = (message.blocks.at(-1) as { elements: Array<{ value: string }> }).elements;
    expect(buttons.map((b) => readRef(memoRefSchema, b.value))).toEqual([{ m: 7 }, { m: 7 }, { m: 7 }]);
    expectMessageWithinLimits(message);
  });

  it("drops the menus and buttons of a cancelled memo and shows sign-off when asked", () => {
    const cancelled = trackingMessage(memo({ state: "cancelled" }), TZ, NAMES);
    expect(cancelled.blocks.some((b) => b.type === "actions" || "accessory" in b)).toBe(false);
    const signed = trackingMessage(
      memo({
        approvals: [
          { approver: "U0DIR", approvedAt: DUE, memoVersion: 3 },
          { approver: "U0BOSS", approvedAt: null, memoVersion: null },
        ],
      }),
      TZ,
      NAMES,
    );
    expect(signed.blocks.find((b) => b.type === "context" && JSON.stringify(b).includes("Sign-off"))).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Sign-off (version 3): <@U0DIR>: approved version 3 · <@U0BOSS>: pending" }],
    });
  });

  it("escapes what people typed in every memo message", () => {
    const evil = memo({ title: "<!channel> *now*", sections: [section("purpose", { title: "<@U1>", ownerId: "U0ANA" })] });
    for (const message of [
      trackingMessage(evil, TZ, NAMES),
      ownerMessage(evil, evil.sections[0]!, [fact({ kind: "event", date: "2017-07-12", title: "<!here> x" })], TZ, NAMES),
      approvalRequestMessage(evil, "U0LEAD", NAMES),
      incompleteMessage(evil, ["purpose"], NAMES),
      memoListMessage([evil], TZ),
    ]) {
      const mrkdwn = JSON.stringify([message.text, ...message.blocks.filter((b) => b.type !== "header")]);
      expect(mrkdwn).not.toMatch(/<!channel>|<!here>|<@U1>/);
    }
  });

  it("keeps every memo message within Block Kit's limits at the extremes", () => {
    for (const message of [
      trackingMessage(huge, TZ, NAMES),
      ownerMessage(
        huge,
        huge.sections[0]!,
        Array.from({ length: 5 }, () => fact({ kind: "event", date: "2017-07-12", title: "F".repeat(500) })),
        TZ,
        NAMES,
        true,
      ),
      approvalRequestMessage(huge, "U0LEAD", NAMES),
      incompleteMessage(
        huge,
        huge.sections.map((s) => s.key),
        NAMES,
      ),
      memoListMessage(
        Array.from({ length: 60 }, () => huge),
        TZ,
      ),
    ]) {
      expectMessageWithinLimits(message);
    }
  });

  it("builds the owner's DM with the prompt, relevant facts and a Write button carrying the section", () => {
    const m = memo();
    const dm = ownerMessage(m, m.sections[0]!, [fact({ kind: "event", date: "2017-07-12", title: "USTR requests a session" })], TZ, NAMES);
    expect(dm.text).toBe("Please write Purpose for memo #7");
    expect(dm.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "<@U0LEAD> asked you to write *Purpose* for memo #7 _Special session prep_, due *Tue 1 Aug 2017, 09:30 (America/New_York)*." } },
      { type: "section", text: { type: "mrkdwn", text: "*What to write*\nWrite the purpose." } },
      { type: "section", text: { type: "mrkdwn", text: "*Relevant facts*\n• 2017-07-12: USTR requests a session" } },
      { type: "actions", elements: [{ type: "button", action_id: "memo_write", style: "primary", text: { type: "plain_text", text: "Write section" }, value: '{"m":7,"k":"purpose"}' }] },
    ]);
    expect(readRef(sectionRefSchema, '{"m":7,"k":"purpose"}')).toEqual({ m: 7, k: "purpose" });
  });

  it("builds the section editor with the revision it starts from in private_metadata", () => {
    const m = memo();
    const view = writeModal(m, m.sections[0]!, [], NAMES);
    expect(view).toMatchObject({ type: "modal", callback_id: "memo_write", title: { type: "plain_text", text: "Purpose" }, submit: { type: "plain_text", text: "Save" } });
    expect(readRef(writeFormSchema, view.private_metadata)).toEqual({ m: 7, k: "purpose", r: 2 });
    expect(view.blocks.at(-1)).toEqual({
      type: "input",
      block_id: "text",
      label: { type: "plain_text", text: "Purpose" },
      optional: false,
      hint: { type: "plain_text", text: "Bold, italic, lists and links from the toolbar; Markdown typed by hand works too. At most 3000 characters." },
      element: { action_id: "value", type: "rich_text_input", initial_value: { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "Why." }] }] } },
    });
    // A section with a heading (which rich text cannot show) opens as Markdown, so that saving keeps it.
    const withHeading = writeModal(m, { ...m.sections[0]!, text: "## Aside\n\nWhy." }, [], NAMES);
    expect(withHeading.blocks.at(-1)).toMatchObject({ element: { type: "plain_text_input", initial_value: "## Aside\n\nWhy." } });
    expectViewWithinLimits(view);
    expectViewWithinLimits(
      writeModal(
        huge,
        huge.sections[0]!,
        Array.from({ length: 5 }, () => fact({ kind: "event", date: "2017-07-12", title: "F".repeat(500) })),
        NAMES,
      ),
    );
  });

  it("words a conflict with who saved which revision when, and their text", () => {
    expect(conflictError({ revision: 4, by: "<@U0ANA>", at: DUE, text: "Their\nwords" }, TZ)).toBe(
      "<@U0ANA> saved revision 4 at 1 Aug, 09:30 after you opened this. Nothing of yours was saved: copy your text, close, and open the section again to merge. Their text: “Their words”",
    );
  });

  it("builds the reassign and sign-off forms, and the approver's DM", () => {
    const m = memo();
    const reassign = reassignModal(m, m.sections[0]!, NAMES);
    expect(readRef(sectionRefSchema, reassign.private_metadata)).toEqual({ m: 7, k: "purpose" });
    expect(reassign.blocks[1]).toMatchObject({ type: "input", block_id: "owner", element: { type: "users_select", initial_user: "U0ANA" } });
    const signOff = signOffModal(m);
    expect(readRef(memoRefSchema, signOff.private_metadata)).toEqual({ m: 7 });
    expect(signOff.blocks[1]).toMatchObject({ block_id: "approvers", element: { type: "multi_users_select", max_selected_items: 20 } });
    const approve = approvalRequestMessage(m, "U0LEAD", NAMES);
    const button = (approve.blocks[1] as { elements: Array<{ value: string; text: { text: string } }> }).elements[0]!;
    expect(button.text.text).toBe("Approve version 3");
    expect(readRef(approveRefSchema, button.value)).toEqual({ m: 7, v: 3 });
    for (const view of [reassign, signOff, reassignModal(huge, huge.sections[3]!, NAMES), signOffModal(huge)]) expectViewWithinLimits(view);
  });

  it("offers 'Assemble anyway' only when the person may", () => {
    const m = memo();
    expect(incompleteMessage(m, ["purpose"], NAMES, true).blocks.at(-1)).toEqual({
      type: "actions",
      elements: [{ type: "button", action_id: "memo_assemble_anyway", text: { type: "plain_text", text: "Assemble anyway" }, value: '{"m":7}' }],
    });
    const refused = incompleteMessage(m, ["purpose"], NAMES, false);
    expect(refused.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "Memo #7 is missing required sections: *Purpose*. Only the memo's creator (<@U0LEAD>) or an admin can assemble it without them." } },
    ]);
  });

  it("builds the new-memo form from the templates, one owner picker per section", async () => {
    const templates = (await shippedTemplates()).list();
    const memos = templates.filter((t) => t.kind === "memo");
    const selected = memos.find((t) => t.id === "special-session-prep")!;
    const view = newMemoModal({ templates: memos, selected, channel: "C0TEAM", values: { title: "Draft" } });
    expect(view.callback_id).toBe("memo_new");
    expect(JSON.parse(view.private_metadata!)).toEqual({ t: "special-session-prep" });
    expect(view.blocks.filter((b) => "block_id" in b && String(b.block_id).startsWith("owner:")).map((b) => (b as { block_id: string }).block_id)).toEqual(
      selected.sections.map((s) => `owner:${s.key}`),
    );
    expect(view.blocks.find((b) => (b as { block_id?: string }).block_id === "channel")).toMatchObject({
      element: { type: "conversations_select", initial_conversation: "C0TEAM", default_to_current_conversation: true },
    });
    expectViewWithinLimits(view);
    // 120 templates of 40 sections each: the menu shows 100, the form 40 owners.
    const many: MemoTemplate[] = Array.from({ length: 120 }, (_, i) => ({
      ...selected,
      id: `t${i}`,
      title: "Q".repeat(200),
      sections: Array.from({ length: 40 }, (_, j) => ({ key: `k${j}`, title: "K".repeat(300), prompt: "P".repeat(3000), required: true, maxLength: 3000 })),
    }));
    expectViewWithinLimits(newMemoModal({ templates: many, selected: many[0]! }));
  });
});

describe("the Home tab", () => {
  const report = buildStatus(
    [fact({ kind: "event", date: "2017-07-12", title: "U.S. requests a special session" }), fact({ kind: "deadline", date: "2017-08-11", title: "Special session due" })],
    "2017-07-20",
    "2017-07-20",
  );

  it("shows buttons, the status headline, the viewer's sections with Write buttons, and the memos", () => {
    const m = memo();
    const view = homeView({ user: "U0ANA", waiting: [{ memo: m, section: m.sections[0]! }], memos: [m], status: report, timeZone: TZ, candidatesWaiting: { korus: 3, kfta: 1, steel: 0 } });
    expect(view.type).toBe("home");
    expect(view.blocks.slice(0, 6)).toEqual([
      { type: "header", text: { type: "plain_text", text: "KORUS" } },
      {
        type: "actions",
        block_id: "home_actions",
        elements: [
          { type: "button", action_id: "home_status", text: { type: "plain_text", text: "Status" }, style: "primary" },
          { type: "button", action_id: "home_fact_add", text: { type: "plain_text", text: "Add a fact" } },
          { type: "button", action_id: "home_memo_new", text: { type: "plain_text", text: "New memo" } },
        ],
      },
      { type: "section", text: { type: "mrkdwn", text: "*Current phase:* U.S. requests a special session\nNext deadline: *Special session due*, 2017-08-11 (22 days left)" } },
      {
        type: "section",
        block_id: "review_queue",
        text: { type: "mrkdwn", text: ":inbox_tray: *4 feed items waiting for review* (1 in `kfta`, 3 in `korus`): `/korus candidates` lists them with their Save as fact and Dismiss buttons." },
      },
      { type: "divider" },
      { type: "header", text: { type: "plain_text", text: "Waiting for you" } },
    ]);
    expect(view.blocks[6]).toEqual({
      type: "section",
      block_id: "waiting:7:purpose",
      text: { type: "mrkdwn", text: "*Purpose* · memo #7 _Special session prep_\nDue Tue 1 Aug 2017, 09:30 (America/New_York) · :pencil2: drafted · rev 2" },
      accessory: { type: "button", action_id: "memo_write", text: { type: "plain_text", text: "Write section" }, value: '{"m":7,"k":"purpose"}' },
    });
    expectViewWithinLimits(view);
  });

  it("stays within 100 blocks with many sections and memos waiting", () => {
    const waiting = huge.sections.map((s) => ({ memo: huge, section: s }));
    const view = homeView({ user: "U0ANA", waiting, memos: Array.from({ length: 50 }, () => huge), status: report, timeZone: TZ });
    expectViewWithinLimits(view);
    expect(view.blocks.filter((b) => (b as { block_id?: string }).block_id?.startsWith("waiting:"))).toHaveLength(20);
    expect(JSON.stringify(view.blocks)).toContain("…and 20 more.");
  });
});
