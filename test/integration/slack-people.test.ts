/**
 * People by name (issue 21): a memo drafted through signed Slack requests by two people says who wrote it by name in
 * its Markdown, Word file and canvas; users.info failing leaves an honest stand-in that a later round replaces; a
 * user_change event renames someone, idempotently; a hostile name stays text in every output.
 */
import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import type { Database } from "../../src/db/client.js";
import { LOOKUP_RETRY_MS } from "../../src/people/store.js";
import type { TemplateStore } from "../../src/memos/templates/store.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { docxBodyText } from "../support/docx.js";
import { type RecordedCall, slackUser } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { consoleDeps } from "../support/terminal.js";

const LEAD = "U0LEAD";
const ANA = "U0ANA";
const CHANNEL = "C0NAMES";

/** A clock that runs from `start` (default: now) and that the test can move ahead. */
function movableClock(start?: string): Clock & { advance(ms: number): void } {
  let offset = start ? new Date(start).getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** The .docx bytes inside an upload (the Web API client posts them as one multipart part). */
function docxParts(call: RecordedCall): Record<string, string> {
  const bytes = call.body.bytes as Buffer;
  const start = bytes.indexOf(Buffer.from("PK\x03\x04", "latin1"));
  const end = bytes.lastIndexOf(Buffer.from("\r\n--", "latin1"));
  const docx = new Uint8Array(bytes.subarray(start, end > start ? end : bytes.length));
  return Object.fromEntries(Object.entries(unzipSync(docx)).map(([n, d]) => [n, strFromU8(d)]));
}

type Button = { action_id: string; value: string };

/** Drives one bot through a memo the way two people do it in Slack. */
function memoFlow(get: () => { bot: RunningBot; db: Database }) {
  const nextCall = (method: string, test: (c: RecordedCall) => boolean = () => true) => {
    const { bot } = get();
    const seen = bot.fake.callsTo(method).length;
    // Generous: the machines that run this are often busy, and each step is several Slack calls after an ack.
    return bot.fake.waitFor((c) => c.method === method && bot.fake.callsTo(method).indexOf(c) >= seen && test(c), 15_000);
  };
  return {
    nextCall,
    /** The lead creates the memo through the form: Ana owns Purpose, the lead Background. @returns its id. */
    async create(): Promise<number> {
      const { bot, db } = get();
      const before = await db.prisma.memo.count();
      const tracking = nextCall("chat.postMessage", (c) => c.body.channel === CHANNEL && !c.body.thread_ts);
      const res = await bot.slack.interaction(
        viewSubmission({
          callbackId: "memo_new",
          user: LEAD,
          privateMetadata: JSON.stringify({ t: "special-session-prep" }),
          values: {
            title: input.text("Special session prep"),
            due_time: { value: { type: "timepicker", selected_time: "17:00" } },
            channel: { value: { type: "conversations_select", selected_conversation: CHANNEL } },
            "owner:purpose": { value: { type: "users_select", selected_user: ANA } },
            "owner:background": { value: { type: "users_select", selected_user: LEAD } },
          },
        }),
      );
      expect(res.status).toBe(200);
      await tracking;
      await expect.poll(async () => (await db.prisma.memo.findFirst({ orderBy: { id: "desc" } }))?.trackingTs ?? null, { timeout: 10_000 }).toBeTruthy();
      expect(await db.prisma.memo.count()).toBe(before + 1);
      return (await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    },
    /** `user` opens a section with the Write button and saves `text` through the editor. */
    async write(memoId: number, key: string, user: string, text: string): Promise<void> {
      const { bot } = get();
      const opened = nextCall("views.open");
      await bot.slack.interaction(blockAction({ actionId: "memo_write", value: JSON.stringify({ m: memoId, k: key }), user, channel: CHANNEL }));
      const view = (await opened).body.view as { callback_id: string; private_metadata: string };
      expect(view.callback_id).toBe("memo_write");
      const res = await bot.slack.interaction(viewSubmission({ callbackId: "memo_write", user, privateMetadata: view.private_metadata, values: { text: input.text(text) } }));
      expect(res.status).toBe(200);
      expect(res.text).toBe("");
    },
    /** The lead assembles (anyway: the other sections are not written). @returns the Markdown posted and the buttons. */
    async assemble(memoId: number): Promise<{ markdown: string; buttons: Button[] }> {
      const { bot } = get();
      const posted = nextCall("chat.postMessage", (c) => Boolean(c.body.thread_ts) && (c.body.blocks as Array<{ type: string }> | undefined)?.[0]?.type === "markdown");
      const actions = nextCall("chat.postMessage", (c) => JSON.stringify(c.body.blocks ?? "").includes("memo_export_docx"));
      await bot.slack.interaction(blockAction({ actionId: "memo_assemble_anyway", value: JSON.stringify({ m: memoId }), user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
      const markdown = ((await posted).body.blocks as Array<{ text: string }>)[0]!.text;
      const blocks = (await actions).body.blocks as Array<{ type: string; elements?: Button[] }>;
      return { markdown, buttons: blocks.find((b) => b.type === "actions")!.elements! };
    },
    /** Export .docx: the Word file uploaded to the thread, as its parts. */
    async word(button: Button): Promise<Record<string, string>> {
      const { bot } = get();
      const completed = nextCall("files.completeUploadExternal");
      await bot.slack.interaction(blockAction({ actionId: "memo_export_docx", value: button.value, user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
      await completed;
      return docxParts(bot.fake.callsTo("file_upload").at(-1)!);
    },
    /** `/korus brief` (a preview, in one or more messages): the Markdown of its part that lists the open memos. */
    async briefMemos(): Promise<string> {
      const { bot } = get();
      const seen = bot.fake.callsTo("response_url").length;
      expect((await bot.slack.command("brief", { user_id: LEAD })).status).toBe(200);
      let part: string | undefined;
      await expect
        .poll(
          () => {
            const parts = bot.fake
              .callsTo("response_url")
              .slice(seen)
              .flatMap((c) => (c.body.blocks as Array<{ type: string; text?: string }> | undefined) ?? []);
            part = parts
              .filter((b) => b.type === "markdown")
              .map((b) => b.text ?? "")
              .find((t) => t.includes("## Open memos"));
            return part !== undefined;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      return part!.slice(part!.indexOf("## Open memos"));
    },
    /** Publish as canvas (a new canvas, or the memo's canvas updated): the canvas's Markdown. */
    async canvas(memoId: number): Promise<string> {
      const { bot } = get();
      const seen = bot.fake.calls.length;
      const made = bot.fake.waitFor((c) => (c.method === "canvases.create" || c.method === "canvases.edit") && bot.fake.calls.indexOf(c) >= seen, 15_000);
      await bot.slack.interaction(blockAction({ actionId: "memo_canvas", value: JSON.stringify({ m: memoId }), user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
      const body = (await made).body as { document_content?: { markdown: string }; changes?: Array<{ document_content: { markdown: string } }> };
      return (body.document_content ?? body.changes![0]!.document_content).markdown;
    },
  };
}

/** A `user_change` event as the Events API sends it (test/fixtures/slack/event_callback.user_change.json), for `user`. */
function userChange(user: Record<string, unknown>, eventId: string): unknown {
  const fixture = JSON.parse(readFileSync(new URL("../fixtures/slack/event_callback.user_change.json", import.meta.url), "utf8")) as { event: Record<string, unknown> };
  return { ...fixture, event_id: eventId, event: { ...fixture.event, user, cache_ts: user.updated, event_ts: `${String(user.updated)}.000100` } };
}

describe("people by name in Slack", () => {
  let db: Database;
  let bot: RunningBot;
  let templates: TemplateStore;
  // Today: the brief lists the memos created by its day (their creation time is the database's).
  const clock = movableClock();
  const flow = memoFlow(() => ({ bot, db }));
  let memoId = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    templates = await shippedTemplates();
    bot = await startBot(db, { clock, templates });
    bot.fake.addUser(LEAD, { realName: "Dana Kim", displayName: "dana" });
    bot.fake.addUser(ANA, { realName: "Ana Lee", displayName: "ana", updated: 1_700_000_000 });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("a memo drafted by two people through signed requests names them in its Markdown, Word file and canvas, never by member id", async () => {
    memoId = await flow.create();
    await flow.write(memoId, "purpose", ANA, "Prepare the principal for the **special session**.");
    await flow.write(memoId, "background", LEAD, "The United States asked for the session on 12 July.");
    const { markdown, buttons } = await flow.assemble(memoId);
    expect(markdown).toContain("**Authors:** Dana Kim, Ana Lee");
    expect(markdown).not.toMatch(/U0LEAD|U0ANA|cli:/);
    // users.info was asked after each person's request, once each.
    expect(
      bot.fake
        .callsTo("users.info")
        .map((c) => c.body.user)
        .sort(),
    ).toEqual([ANA, LEAD]);

    const word = await flow.word(buttons[0]!);
    const body = docxBodyText(word);
    expect(body).toContain("Authors: Dana Kim, Ana Lee");
    expect(JSON.stringify(word)).not.toMatch(/U0LEAD|U0ANA/);

    const canvas = await flow.canvas(memoId);
    expect(canvas).toContain("**Authors:** Dana Kim, Ana Lee");
    expect(canvas).not.toMatch(/U0LEAD|U0ANA/);

    // The console's export (the same store, no Slack) says the same.
    const exported = await runTextCommand(`memo export ${memoId} --format md`, consoleDeps({ prisma: db.prisma, clock, timeZone: "America/New_York", templates }));
    expect(exported.output).toContain("**Authors:** Dana Kim, Ana Lee");
    expect(exported.output).not.toMatch(/U0LEAD|U0ANA/);
    // …and the revisions' history, in Slack and in the console.
    const history = await runTextCommand(`memo history ${memoId} purpose`, consoleDeps({ prisma: db.prisma, clock, timeZone: "America/New_York", templates }));
    expect(history.output).toMatch(/- revision 1 · Ana Lee · /);
  });

  it("the brief's open memos say who they wait on, by name", async () => {
    await flow.create();
    const memos = await flow.briefMemos();
    expect(memos).toContain("- Special session prep: collecting sections (0 of 8 sections final, 8 not started; waiting on Ana Lee, Dana Kim)");
    expect(memos).not.toMatch(/U0LEAD|U0ANA/);
  });

  it("a user_change event renames a person the bot shows; a retry or an older event changes nothing; strangers are not kept", async () => {
    const renamed = slackUser(ANA, { realName: "Ana Park", displayName: "ana", updated: 1_700_000_300 });
    const res = await bot.slack.event(userChange(renamed, "Ev0RENAME"));
    expect(res.status).toBe(200);
    await expect.poll(async () => (await db.prisma.person.findUnique({ where: { id: ANA } }))?.name, { timeout: 10_000 }).toBe("Ana Park");
    // Slack retries a delivery it thinks failed: the same event again changes nothing and is answered 200.
    const retry = await bot.slack.event(userChange(renamed, "Ev0RENAME"), { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    // An older profile delivered late does not undo the newer name.
    const older = await bot.slack.event(userChange(slackUser(ANA, { realName: "Ana Old", updated: 1_700_000_100 }), "Ev0OLDER"));
    expect(older.status).toBe(200);
    // Someone the bot never showed is not stored (user_change arrives for the whole workspace).
    await bot.slack.event(userChange(slackUser("U0STRANGER", { realName: "Sam Stranger" }), "Ev0STRANGER"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await db.prisma.person.findUniqueOrThrow({ where: { id: ANA } })).name).toBe("Ana Park");
    expect(await db.prisma.person.findUnique({ where: { id: "U0STRANGER" } })).toBeNull();
    const { markdown } = await flow.assemble(memoId);
    expect(markdown).toContain("**Authors:** Dana Kim, Ana Park");
  });

  it("a hostile display name is text in every output: Markdown, Word, canvas, the brief, the console, a conflict", async () => {
    const hostile = "Ana <!channel> [x](https://evil.example/ana) *bold* @here\nLee";
    await bot.slack.event(userChange(slackUser(ANA, { realName: hostile, updated: 1_700_000_400 }), "Ev0HOSTILE"));
    await expect.poll(async () => (await db.prisma.person.findUnique({ where: { id: ANA } }))?.name, { timeout: 10_000 }).toBe("Ana <!channel> [x](https://evil.example/ana) *bold* @here Lee");
    const { markdown, buttons } = await flow.assemble(memoId);
    // Markdown (the thread's markdown block, the .md export): every form escaped, on one line.
    expect(markdown).toContain("**Authors:** Dana Kim, Ana &lt;!channel&gt; \\[x\\](https\\://evil.example/ana) \\*bold\\* @\u2060here Lee");
    expect(markdown).not.toMatch(/<!channel>|(?<!\\)\]\(https:\/\/evil/);
    // Word: the name is a run of text; no hyperlink to evil.example.
    const word = await flow.word(buttons[0]!);
    expect(docxBodyText(word)).toContain("Authors: Dana Kim, Ana <!channel> [x](https://evil.example/ana) *bold* @\u2060here Lee");
    expect(
      Object.entries(word)
        .filter(([n]) => n.endsWith(".rels"))
        .map(([, x]) => x)
        .join(""),
    ).not.toContain("evil.example");
    // The canvas: no ping, no link.
    const canvas = await flow.canvas(memoId);
    expect(canvas).not.toMatch(/<!channel>|(?<!\\)\]\(https:\/\/evil/);
    expect(canvas).toContain("Ana &lt;!channel&gt; \\[x\\](https\\://evil.example/ana)");
    // The brief (a markdown block): the same escaping.
    expect(await flow.briefMemos()).toContain("waiting on Ana &lt;!channel&gt; \\[x\\](https\\://evil.example/ana) \\*bold\\* @\u2060here Lee");
    // The console's history of the section: Markdown, escaped.
    const history = await runTextCommand(`memo history ${memoId} purpose`, consoleDeps({ prisma: db.prisma, clock, timeZone: "America/New_York", templates }));
    expect(history.output).toContain("- revision 1 · Ana &lt;!channel&gt; \\[x\\](https\\://evil.example/ana) \\*bold\\* @\u2060here Lee · ");
    // A conflict answered under the text field (plain text, which Slack never parses): the name as written.
    const stale = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_write", user: LEAD, privateMetadata: JSON.stringify({ m: memoId, k: "purpose", r: 0 }), values: { text: input.text("Mine") } }),
    );
    expect((stale.json as { errors: { text: string } }).errors.text).toMatch(/^Ana <!channel> \[x\]\(https:\/\/evil\.example\/ana\) \*bold\* @here Lee saved revision 1 at /);
  });
});

describe("when users.info fails", () => {
  let db: Database;
  let bot: RunningBot;
  const clock = movableClock("2017-07-20T15:00:00Z");
  const flow = memoFlow(() => ({ bot, db }));

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock });
    bot.fake.addUser(LEAD, { realName: "Dana Kim" });
    bot.fake.addUser(ANA, { realName: "Ana Lee" });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("says 'a teammate (U…)', logs the reason once, and names them at the next round once Slack answers", async () => {
    bot.fake.on("users.info", () => ({ ok: false, error: "missing_scope", needed: "users:read", provided: "commands,chat:write" }));
    const memoId = await flow.create();
    await flow.write(memoId, "purpose", ANA, "Why we meet.");
    const { markdown } = await flow.assemble(memoId);
    expect(markdown).toContain("**Authors:** a teammate (U0LEAD), a teammate (U0ANA)");
    const warned = bot.logs.filter((l) => l.includes("could not look up names with users.info"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("the app lacks the users:read scope");
    const kept = await db.prisma.person.findUniqueOrThrow({ where: { id: ANA } });
    expect(kept).toMatchObject({ name: null, problem: "missing_scope" });

    // The scope is granted; a round before the retry time asks nothing, one after it names both.
    bot.fake.on("users.info", (b) => ({ ok: true, user: slackUser(String(b.user), bot.fake.users.get(String(b.user))) }));
    const asked = bot.fake.callsTo("users.info").length;
    expect(await bot.server.jobs.refreshPeople()).toBe(0);
    clock.advance(LOOKUP_RETRY_MS + 60_000);
    expect(await bot.server.jobs.refreshPeople()).toBe(2);
    expect(bot.fake.callsTo("users.info").length).toBe(asked + 2);
    const again = await flow.assemble(memoId);
    expect(again.markdown).toContain("**Authors:** Dana Kim, Ana Lee");
  });

  it("waits out a 429 (Retry-After) and then looks the name up", async () => {
    const NEWBIE = "U0NEWBIE";
    bot.fake.addUser(NEWBIE, { realName: "Nell Newbie" });
    const from = bot.fake.calls.length;
    bot.fake.failNext("users.info", { status: 429, retryAfter: 1 });
    await bot.slack.command("memo list", { user_id: NEWBIE });
    await expect.poll(async () => (await db.prisma.person.findUnique({ where: { id: NEWBIE } }))?.name, { timeout: 10_000 }).toBe("Nell Newbie");
    const lookups = bot.fake.calls.slice(from).filter((c) => c.method.startsWith("users.info"));
    const limited = lookups.find((c) => c.method === "users.info!429")!;
    const next = lookups.find((c) => c.method === "users.info" && c.body.user === limited.body.user && c.at > limited.at)!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    // Nothing was asked while Slack said to wait.
    expect(lookups.filter((c) => c.at > limited.at && c.at < next.at)).toEqual([]);
  });
});
