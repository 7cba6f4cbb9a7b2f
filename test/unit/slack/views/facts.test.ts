import { describe, expect, it } from "vitest";
import { factModal, retractModal } from "../../../../src/slack/views/fact-modal.js";
import { factFieldBlock, fieldMessage, readFactModal } from "../../../../src/slack/views/fact-modal-read.js";
import { FACTS_PAGE_SIZE, factHistoryMessage, factMrkdwn, factsSearchMessage, noticeMessage } from "../../../../src/slack/views/facts.js";
import { factFormSchema, factMenuSchema, factsPageSchema, readRef, readValue } from "../../../../src/slack/carried-values.js";
import { expectMessageWithinLimits, expectViewWithinLimits } from "../../../support/block-limits.js";
import { fact } from "../../../support/facts.js";

const request = fact({
  kind: "event",
  date: "2017-07-12",
  title: "USTR requests a special session",
  summary: "The **U.S.** asks for a session. <!channel>",
  sources: [{ title: "USTR letter", url: "https://ustr.gov/letter" }],
});
const deadline = fact({ kind: "deadline", date: "2017-08-11", title: "Special session due", after: { days: 30, fromId: request.id }, known: "2017-07-12" });

describe("fact view builders", () => {
  it("writes one fact as mrkdwn: title, kind, date or days left, actor, id, summary, source link", () => {
    expect(factMrkdwn(request, "2017-07-20")).toBe(
      `*USTR requests a special session*\n\`event\` · 2017-07-12 · United States · #${request.id}\nThe *U.S.* asks for a session. &lt;!channel&gt;\n_Source:_ <https://ustr.gov/letter|USTR letter>`,
    );
    expect(factMrkdwn(deadline, "2017-07-20")).toContain("`deadline` · due 2017-08-11 (22 days left)");
  });

  it("builds a page of results with a menu per fact and page buttons whose values read back", () => {
    const facts = Array.from({ length: FACTS_PAGE_SIZE }, (_, i) => fact({ kind: "note", date: "2017-07-12", title: `Note ${i}` }));
    const message = factsSearchMessage("tariff <b>", { facts, total: 25, offset: 10, sameEvent: {} }, "2017-07-20");
    expect(message.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*25 facts match* `tariff &lt;b&gt;`" } });
    expect(message.blocks[2]).toMatchObject({
      type: "section",
      block_id: `fact-${facts[0]!.id}`,
      accessory: { type: "overflow", action_id: "fact_menu", options: [{ value: `edit:${facts[0]!.id}` }, { value: `retract:${facts[0]!.id}` }, { value: `history:${facts[0]!.id}` }] },
    });
    expect(readValue(factMenuSchema, `retract:${facts[0]!.id}`)).toEqual({ verb: "retract", id: facts[0]!.id });
    const buttons = (message.blocks.at(-1) as { elements: Array<{ action_id: string; value: string }> }).elements;
    expect(buttons.map((b) => [b.action_id, readRef(factsPageSchema, b.value)])).toEqual([
      ["facts_page:prev", { q: "tariff <b>", o: 0 }],
      ["facts_page:more", { q: "tariff <b>", o: 20 }],
    ]);
    expectMessageWithinLimits(message);
  });

  it("says when nothing matches, with the filters to try", () => {
    expect(factsSearchMessage("", { facts: [], total: 0, offset: 0, sameEvent: {} }, "2017-07-20").blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "No facts match everything." },
    });
  });

  it("keeps results within Block Kit's limits with long titles, summaries and queries", () => {
    const long = Array.from({ length: FACTS_PAGE_SIZE }, () =>
      fact({ kind: "event", date: "2017-07-12", title: "T".repeat(150), summary: "S ".repeat(2000), sources: [{ title: "X".repeat(300), url: `https://example.org/${"p".repeat(1900)}` }] }),
    );
    expectMessageWithinLimits(factsSearchMessage("q".repeat(4000), { facts: long, total: 1000, offset: 500, sameEvent: {} }, "2017-07-20"));
  });

  it("lists a fact's history with who, when, why and what changed", () => {
    const message = factHistoryMessage(
      request,
      [
        { at: new Date("2017-07-20T15:00:00Z"), actor: "U0ANA", actorName: "Ana Lee", action: "edited", reason: "typo <here>", changes: [{ field: "title", before: "Old", after: "New" }] },
        { at: new Date("2017-07-21T15:00:00Z"), actor: "cli:dana", actorName: "Dana <!channel> [x](https://evil)", action: "retracted", reason: null, changes: [] },
      ],
      "America/New_York",
    );
    expect(message.blocks[1]).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: "• 2017-07-20, 11:00 · *edited* by <@U0ANA> · _typo &lt;here&gt;_\n    title: Old → New\n• 2017-07-21, 11:00 · *retracted* by Dana &lt;!channel&gt; [x](https://evil)",
      },
    });
    expectMessageWithinLimits(message);
  });

  it("makes a plain notice", () => {
    expect(noticeMessage("Saved.")).toEqual({ text: "Saved.", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Saved." } }] });
    expectMessageWithinLimits(noticeMessage("x".repeat(5000)));
  });
});

describe("the fact forms", () => {
  const recent = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, date: "2017-07-12" as const, title: `Recent fact ${i} ${"r".repeat(100)}` }));

  it("builds the add form with every field and a 'counted from' menu of at most 100 facts", () => {
    const view = factModal({ recent, meta: { channel: "C0TEAM" } });
    expect(view).toMatchObject({ type: "modal", callback_id: "fact_add", title: { text: "Add a fact" }, submit: { text: "Save" } });
    expect(view.blocks.filter((b) => "block_id" in b).map((b) => (b as { block_id: string }).block_id)).toEqual([
      "kind",
      "date",
      "title",
      "summary",
      "actor",
      "actor_name",
      "source_title",
      "source_url",
      "source_title_2",
      "source_url_2",
      "source_title_3",
      "source_url_3",
      "known",
      "due_date",
      "due_kind",
      "after_days",
      "after_from",
      "figure_value",
      "figure_unit",
      "figure_period",
      "figure_series",
      "save_anyway",
    ]);
    expect(readRef(factFormSchema, view.private_metadata)).toEqual({ channel: "C0TEAM" });
    expectViewWithinLimits(view);
  });

  it("fills the edit form from the fact, keeping the fact it counts from in the menu", () => {
    const view = factModal({ fact: deadline, from: request, recent: recent.slice(0, 3), meta: {} });
    expect(view.callback_id).toBe("fact_edit");
    expect(readRef(factFormSchema, view.private_metadata)).toEqual({ factId: deadline.id });
    const byId = (id: string) => view.blocks.find((b) => (b as { block_id?: string }).block_id === id) as unknown as { element: Record<string, unknown> };
    expect(byId("title").element.initial_value).toBe("Special session due");
    expect(byId("after_days").element.initial_value).toBe("30");
    expect((byId("after_from").element.initial_option as { value: string }).value).toBe(String(request.id));
    expectViewWithinLimits(view);
  });

  it("reads a submitted form into a fact, with the errors the form alone can find", () => {
    const v = (value: unknown) => ({ value: value as never });
    const read = readFactModal({
      kind: v({ selected_option: { value: "deadline" } }),
      date: v({ selected_date: "2017-07-12" }),
      title: v({ value: "Due" }),
      actor: v({ selected_option: { value: "US" } }),
      source_title: v({ value: null }),
      after_days: v({ value: "x" }),
    });
    expect(read.errors).toEqual({ source_title: "Give a source title or URL.", after_days: "A whole number of days.", after_from: "Which fact does it count from?" });
    expect(factFieldBlock("after.from.title", read.raw)).toBe("after_from");
    expect(fieldMessage("must not be empty")).toBe("Must not be empty.");
  });

  it("builds the retract form with the fact in plain text", () => {
    const view = retractModal({ ...request, title: "<!channel> ".repeat(500) }, { channel: "C0TEAM" });
    expect(view.callback_id).toBe("fact_retract");
    expect(view.blocks[0]).toMatchObject({ type: "section", text: { type: "plain_text" } });
    expect(readRef(factFormSchema, view.private_metadata)).toEqual({ channel: "C0TEAM", factId: request.id });
    expectViewWithinLimits(view);
  });
});
