import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { createMemo, writeSection } from "../../src/memos/service.js";
import type { MemoDeps } from "../../src/memos/read.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const NOW = "2017-07-20T15:00:00Z";
const nowSeconds = Date.parse(NOW) / 1000;
const FIXTURES = new URL("../fixtures/slack/", import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as Record<string, unknown>;
const LEAD = "U0LEAD";

describe("signed requests the bot does not handle", () => {
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

  const form = (fields: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(key, v);
    return params.toString();
  };
  const submission = viewSubmission({ callbackId: "memo_write", values: { text: input.text("x") }, privateMetadata: '{"m":1,"k":"purpose","r":0}' });

  const cases: Array<[string, () => Promise<{ status: number }>, string]> = [
    ["payload=null", () => bot.slack.send("payload=null"), "body: expected an object, got null"],
    ["a JSON body of null", () => bot.slack.send("null", { contentType: "application/json" }), "body: expected an object, got null"],
    ["a JSON array", () => bot.slack.send("[1,2]", { contentType: "application/json" }), "got an array"],
    ["a JSON string", () => bot.slack.send('"view_submission"', { contentType: "application/json" }), "got string"],
    ["a view_submission with view: null", () => bot.slack.interaction({ ...submission, view: null }), "view_submission: view:"],
    ["a view_submission without view.state", () => bot.slack.interaction({ ...submission, view: { ...submission.view, state: undefined } }), "view_submission: view.state:"],
    ["a view_submission without user", () => bot.slack.interaction({ ...submission, user: undefined }), "view_submission: user:"],
    [
      "a view_submission with a number for a text value",
      () => bot.slack.interaction({ ...submission, view: { ...submission.view, state: { values: { text: { value: { type: "plain_text_input", value: 42 } } } } } }),
      "view_submission: view.state.values.text.value.value:",
    ],
    [
      "a view_submission with private_metadata of the wrong type",
      () => bot.slack.interaction({ ...submission, view: { ...submission.view, private_metadata: { m: 1 } } }),
      "view_submission: view.private_metadata:",
    ],
    ["block_actions with no actions", () => bot.slack.interaction({ ...blockAction({ actionId: "memo_write" }), actions: [] }), "block_actions: actions:"],
    ["block_actions with a user of null", () => bot.slack.interaction({ ...blockAction({ actionId: "memo_write" }), user: null }), "block_actions: user:"],
    ["an unknown type", () => bot.slack.interaction({ type: "shortcut", callback_id: "x", user: { id: "U1" }, trigger_id: "t" }), 'type: "shortcut" is not a request this app handles'],
    ["an event of null", () => bot.slack.event({ type: "event_callback", team_id: "T0001", event: null }), "event_callback: event:"],
    ["an event the app does not subscribe to", () => bot.slack.event({ type: "event_callback", team_id: "T0001", event: { type: "reaction_added", item: null } }), "event_callback: event.type:"],
    [
      "a slash command without user_id",
      () => bot.slack.send(form({ command: "/korus", text: "status", team_id: "T0001", channel_id: "C1", trigger_id: "t", response_url: bot.fake.responseUrl() })),
      "command: user_id:",
    ],
    ["two payload fields", () => bot.slack.send(form({ payload: [JSON.stringify(submission), "{}"] })), "form: payload: must be one JSON field"],
  ];

  it.each(cases)("answers %s with 400 and logs why", async (_name, send, reason) => {
    const before = bot.logs.length;
    const res = await send();
    expect(res.status).toBe(400);
    const logged = bot.logs.slice(before).join("\n");
    expect(logged).toContain("rejected a signed request to /slack/events (400):");
    expect(logged).toContain(reason);
  });

  it("keeps serving after all of them, and nothing reached the last-resort handlers", async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect((await bot.slack.command("help")).status).toBe(200);
    expect(bot.logs.filter((l) => l.includes("LAST RESORT"))).toEqual([]);
    expect(bot.logs.filter((l) => / 5\d\d|Bolt could not process/.test(l))).toEqual([]);
  });

  it("refuses a request signed more than 5 minutes ahead of its clock, as it does one more than 5 minutes old", async () => {
    expect((await bot.slack.command("help", {}, { timestamp: nowSeconds + 5 * 60 + 1 })).status).toBe(401);
    expect((await bot.slack.command("help", {}, { timestamp: nowSeconds - 5 * 60 - 1 })).status).toBe(401);
    expect((await bot.slack.command("help", {}, { timestamp: nowSeconds + 4 * 60 })).status).toBe(200);
    expect((await bot.slack.command("help", {}, { timestamp: nowSeconds - 4 * 60 })).status).toBe(200);
  });
});

describe("stale and unknown interactions", () => {
  let db: Database;
  let bot: RunningBot;
  let deps: MemoDeps;
  let memoId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW) });
    deps = { prisma: db.prisma, clock: fixedClock(NOW), timeZone: "America/New_York", admins: [], templates: await shippedTemplates() };
    memoId = (await createMemo(deps, { templateId: "special-session-prep", title: "Stale forms", owners: { purpose: LEAD } }, LEAD)).id;
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("acks a button from an older message whose action it no longer knows, and says so ephemerally", async () => {
    const started = Date.now();
    const response = bot.fake.waitForResponse();
    const res = await bot.slack.interaction(blockAction({ actionId: "approve_v0_legacy", value: "1", user: LEAD, responseUrl: bot.fake.responseUrl() }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const body = (await response).body as { text: string; response_type: string; replace_original: boolean };
    expect(body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(body.text).toContain("That button or form is no longer valid");
    expect(body.text).toContain("Nothing was changed");
  });

  it("answers Slack's documented block_actions example (an action of another app, on a Home tab) by DM", async () => {
    const dm = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === "UA8RXUSPL");
    const res = await bot.slack.interaction(fixture("block_actions.json"));
    expect(res.status).toBe(200);
    expect(String((await dm).body.text)).toContain("no longer valid");
  });

  it("answers a button whose value it cannot read (an older message, or forged)", async () => {
    const response = bot.fake.waitForResponse();
    const res = await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: "not json", user: LEAD, responseUrl: bot.fake.responseUrl() }));
    expect(res.status).toBe(200);
    expect((await response).body.text).toContain("no longer valid");
    const menu = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_section", selectedOption: JSON.stringify({ m: memoId, k: "purpose", a: "delete" }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    expect((await menu).body.text).toContain("no longer valid");
  });

  it("answers the Write button of a memo that no longer exists", async () => {
    const response = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_write", value: JSON.stringify({ m: 424242, k: "purpose" }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    expect((await response).body.text).toBe("There is no memo #424242.");
    expect(bot.fake.callsTo("views.open")).toHaveLength(0);
  });

  it("keeps the form open with why, when a section form's memo is gone", async () => {
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: LEAD, privateMetadata: JSON.stringify({ m: 424242, k: "purpose", r: 0 }), values: { text: input.text("My draft") } }),
    );
    expect(res.json).toEqual({ response_action: "errors", errors: { text: "There is no memo #424242." } });
  });

  it("replaces a form whose private_metadata it cannot read with the 'expired' view, showing the text back", async () => {
    const res = await bot.slack.interaction(viewSubmission({ callbackId: "memo_write", user: LEAD, privateMetadata: "{not json", values: { text: input.text("Words worth keeping") } }));
    const body = res.json as { response_action: string; view: { blocks: Array<{ type: string; text?: { type: string; text: string } }> } };
    expect(body.response_action).toBe("update");
    expect(body.view.blocks[0]!.text!.text).toContain("This form is no longer valid");
    expect(body.view.blocks.at(-1)!.text).toEqual({ type: "plain_text", text: "Words worth keeping" });
  });

  it("saves nothing from a section write that does not carry its base revision", async () => {
    await writeSection(deps, memoId, "purpose", { text: "Theirs", baseRevision: 0 }, LEAD);
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: LEAD, privateMetadata: JSON.stringify({ m: memoId, k: "purpose" }), values: { text: input.text("Forged overwrite") } }),
    );
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const section = await db.prisma.memoSection.findFirstOrThrow({ where: { memoId, key: "purpose" }, include: { revisions: true } });
    expect([section.text, section.revision, section.revisions.length]).toEqual(["Theirs", 1, 1]);
  });

  it("acks a closed form", async () => {
    const res = await bot.slack.interaction({ type: "view_closed", team: { id: "T0001" }, user: { id: LEAD }, view: { id: "V1", callback_id: "memo_write" }, is_cleared: false });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it("answers a DM to the bot with the help text, and not its own messages, edits or Slack's retries", async () => {
    const event = fixture("event_callback.message_im.json");
    const help = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === "D0ANA");
    expect((await bot.slack.event(event)).status).toBe(200);
    expect(String((await help).body.text)).toContain("I answer the /korus command");
    const inner = event.event as Record<string, unknown>;
    await bot.slack.event({ ...event, event: { ...inner, bot_id: "B0KORUS" } });
    await bot.slack.event({ ...event, event: { ...inner, subtype: "message_changed" } });
    await bot.slack.event(event, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "D0ANA")).toHaveLength(1);
  });
});

describe("a section save slower than the ack budget", () => {
  it("acks with 'Saving…' and replaces it with the outcome; a conflict shows who saved and the person's own text", async () => {
    const db = await createTestDatabase();
    const bot = await startBot(db, { clock: fixedClock(NOW), ackBudgetMs: 0 });
    try {
      const deps: MemoDeps = { prisma: db.prisma, clock: fixedClock(NOW), timeZone: "America/New_York", admins: [], templates: await shippedTemplates() };
      const memo = await createMemo(deps, { templateId: "special-session-prep", title: "Slow", owners: { purpose: LEAD } }, LEAD);
      const metadata = JSON.stringify({ m: memo.id, k: "purpose", r: 0 });
      let updated = bot.fake.waitFor((c) => c.method === "views.update" && c.body.view_id === "V-slow-1");
      const first = await bot.slack.interaction(viewSubmission({ callbackId: "memo_write", user: LEAD, viewId: "V-slow-1", privateMetadata: metadata, values: { text: input.text("First") } }));
      expect((first.json as { view: { title: { text: string } } }).view.title.text).toBe("Saving…");
      expect(((await updated).body.view as { title: { text: string } }).title.text).toBe("Saved");

      updated = bot.fake.waitFor((c) => c.method === "views.update" && c.body.view_id === "V-slow-2");
      const second = await bot.slack.interaction(
        viewSubmission({ callbackId: "memo_write", user: LEAD, viewId: "V-slow-2", privateMetadata: metadata, values: { text: input.text("Second, *mine*") } }),
      );
      expect((second.json as { view: { title: { text: string } } }).view.title.text).toBe("Saving…");
      const view = (await updated).body.view as { title: { text: string }; blocks: Array<{ text?: { type: string; text: string } }> };
      expect(view.title.text).toBe("Not saved");
      expect(view.blocks[0]!.text!.text).toMatch(/^<@U0LEAD> saved revision 1 at .* Their text: “First”/);
      expect(view.blocks.at(-1)!.text).toEqual({ type: "plain_text", text: "Second, *mine*" });
      expect((await db.prisma.memoSection.findFirstOrThrow({ where: { memoId: memo.id, key: "purpose" } })).text).toBe("First");
    } finally {
      await bot.stop();
      await db.close();
    }
  });
});
