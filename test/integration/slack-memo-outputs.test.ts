import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { addFact } from "../../src/facts/service.js";
import type { MemoDeps } from "../../src/memos/read.js";
import { writeSection } from "../../src/memos/service.js";
import { markdownToHtmlFragment } from "../../src/render/html.js";
import { type RunningBot, startBot } from "../support/bot.js";
import type { RecordedCall } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const LEAD = "U0LEAD";
const CHANNEL = "C0OUT";
const BANNER = "PRE-DECISIONAL / DELIBERATIVE";
const CLOCK = fixedClock("2017-07-20T15:00:00Z");
/** A source whose title holds a link, a URL, a www address and an e-mail: its link must go to its URL only. */
const SOURCE_TITLE = "A wire report [a](https://evil2.example) via www.evil3.example, a@evil4.example";
const SECTIONS = ["purpose", "background", "us_position", "korean_position", "market_access", "risks", "talking_points", "next_steps"];

type Button = { action_id: string; value: string; text: { text: string } };

/** The .docx bytes inside an upload (the Web API client posts them as one multipart part). */
function docxBytes(call: RecordedCall): Uint8Array {
  const bytes = call.body.bytes as Buffer;
  const start = bytes.indexOf(Buffer.from("PK\x03\x04", "latin1"));
  const end = bytes.lastIndexOf(Buffer.from("\r\n--", "latin1"));
  return new Uint8Array(bytes.subarray(start, end > start ? end : bytes.length));
}

describe("an assembled memo's outputs in Slack: Word file, canvas, changes", () => {
  let db: Database;
  let bot: RunningBot;
  let deps: MemoDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: CLOCK, memoBanner: BANNER });
    deps = { prisma: db.prisma, clock: CLOCK, timeZone: "America/New_York", admins: [], templates: await shippedTemplates() };
    await addFact(
      { prisma: db.prisma, admins: [] },
      {
        date: "2017-07-14",
        known: "2017-07-14",
        title: "Wire: <!channel> [x](https://evil.example/x) @here",
        kind: "event",
        actor: "US",
        source: { title: SOURCE_TITLE, url: "https://example.org/wire" },
      },
      "U0FACT",
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  const nextCall = (method: string, test: (c: RecordedCall) => boolean = () => true) => {
    const seen = bot.fake.callsTo(method).length;
    return bot.fake.waitFor((c) => c.method === method && bot.fake.callsTo(method).indexOf(c) >= seen && test(c));
  };

  const newMemoValues = (asOf: string | null) => ({
    title: input.text("Special session prep"),
    as_of: input.date(asOf),
    due_time: { value: { type: "timepicker", selected_time: "17:00" } },
    channel: { value: { type: "conversations_select", selected_conversation: CHANNEL } },
  });

  /** Creates a memo through the form (dated `asOf`), writes every section, and returns its id and tracking ts. */
  async function writtenMemo(asOf: string): Promise<{ id: number }> {
    const tracking = nextCall("chat.postMessage", (c) => c.body.channel === CHANNEL && !c.body.thread_ts);
    const res = await bot.slack.interaction(viewSubmission({ callbackId: "memo_new", user: LEAD, privateMetadata: JSON.stringify({ t: "special-session-prep" }), values: newMemoValues(asOf) }));
    expect(res.status).toBe(200);
    await tracking;
    // The tracking message's ts is stored after the post.
    await expect.poll(async () => (await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } })).trackingTs).toBeTruthy();
    const memo = await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } });
    for (const key of SECTIONS) {
      const text = key === "purpose" ? "Prepare **the principal**. Ping <!channel> and [x](https://evil.example/y) and ![](@U0VICTIM)." : `The ${key} text.`;
      await writeSection(deps, memo.id, key, { text, baseRevision: 0 }, LEAD);
    }
    return { id: memo.id };
  }

  /** Clicks Assemble and returns the buttons posted under the memo in its thread. */
  async function assembleAndButtons(memoId: number): Promise<Button[]> {
    const actions = nextCall("chat.postMessage", (c) => JSON.stringify(c.body.blocks ?? "").includes("memo_export_docx"));
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const blocks = (await actions).body.blocks as Array<{ type: string; elements?: Button[] }>;
    return blocks.find((b) => b.type === "actions")!.elements!;
  }

  it("the new-memo form has a Memo date field, default today; a day after today is refused under it", async () => {
    const opened = nextCall("views.open");
    await bot.slack.command("memo new", { user_id: LEAD });
    const view = (await opened).body.view as { blocks: Array<{ block_id?: string; element?: { type: string; initial_date?: string } }> };
    expect(view.blocks.find((b) => b.block_id === "as_of")?.element).toMatchObject({ type: "datepicker", initial_date: "2017-07-20" });
    const res = await bot.slack.interaction(
      viewSubmission({ callbackId: "memo_new", user: LEAD, privateMetadata: JSON.stringify({ t: "special-session-prep" }), values: newMemoValues("2017-08-01") }),
    );
    const ack = res.json as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe("errors");
    expect(ack.errors.as_of).toContain("2017-08-01 is after today (2017-07-20)");
    expect(await db.prisma.memo.count()).toBe(0);
  });

  it("Export .docx uploads the Word file to the memo's thread (files.getUploadURLExternal, the bytes, completeUploadExternal)", async () => {
    await writtenMemo("2017-07-18");
    const memo = await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(memo.asOf).toBe("2017-07-18");
    const buttons = await assembleAndButtons(memo.id);
    expect(buttons.map((b) => b.text.text)).toEqual(["Export .docx", "Publish as canvas"]);
    const completed = nextCall("files.completeUploadExternal");
    await bot.slack.interaction(blockAction({ actionId: "memo_export_docx", value: buttons[0]!.value, user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
    const complete = (await completed).body as { channel_id: string; thread_ts: string; files: Array<{ id: string }>; initial_comment: string };
    expect(complete.channel_id).toBe(CHANNEL);
    expect(complete.thread_ts).toBe(memo.trackingTs);
    expect(complete.initial_comment).toContain("version 1 (as of 2017-07-18), as a Word document");
    const asked = bot.fake.callsTo("files.getUploadURLExternal").at(-1)!;
    expect(asked.body.filename).toBe(`memo-${memo.id}-special-session-prep.docx`);
    const upload = bot.fake.callsTo("file_upload").at(-1)!;
    expect(upload.path).toContain(complete.files[0]!.id);
    const parts = Object.fromEntries(Object.entries(unzipSync(docxBytes(upload))).map(([n, d]) => [n, strFromU8(d)]));
    const document = parts["word/document.xml"]!;
    expect(document).toContain("2017-07-18 (Tue)");
    expect(document).toMatch(/<w:pStyle w:val="Heading2"\/>(?:(?!<\/w:p>).)*Purpose/);
    expect(parts["word/header1.xml"]).toContain(BANNER);
    expect(parts["word/footer1.xml"]).toContain(BANNER);
    // The hostile fact title and section text are text: no link to evil.example, no mention.
    const rels = Object.entries(parts)
      .filter(([n]) => n.endsWith(".rels"))
      .map(([, x]) => x)
      .join("");
    expect(rels).not.toContain("evil.example/x");
    expect(rels).not.toMatch(/evil[234]/);
    expect(document.replace(/<[^>]+>/g, "")).toContain("Wire: &lt;!channel&gt; [x](https://evil.example/x) @\u2060here");
    // The source is a hyperlink whose text is its title as typed.
    const hyperlinks = [...document.matchAll(/<w:hyperlink [^>]*>(.*?)<\/w:hyperlink>/gs)].map((m) => [...m[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""));
    expect(hyperlinks).toContain(SOURCE_TITLE);
    // The memo in its thread (`markdown` blocks): the same one link, to the source's URL (read with marked, as the
    // HTML export does; Slack's renderer is not at hand).
    const posted = bot.fake
      .callsTo("chat.postMessage")
      .flatMap((c) => ((c.body.blocks ?? []) as Array<{ type: string; text?: string }>).filter((b) => b.type === "markdown").map((b) => b.text!))
      .filter((t) => t.includes("example.org/wire"));
    expect(posted.length).toBeGreaterThan(0);
    for (const markdown of posted) {
      const html = markdownToHtmlFragment(markdown);
      expect([...html.matchAll(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/gs)].map((m) => [m[1], m[2]])).toContainEqual(["https://example.org/wire", SOURCE_TITLE]);
      // (The Purpose section's own [x](https://evil.example/y) is a link its writer made on purpose.)
      expect(html).not.toMatch(/href="[^"]*evil[234]/);
    }
  });

  it("Publish as canvas creates a canvas in the channel and links it in the thread; after re-assembly it updates the same canvas", async () => {
    const memo = await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } });
    const created = nextCall("canvases.create");
    const linked = nextCall("chat.postMessage", (c) => String(c.body.text).includes("as <https://example.slack.com/docs/T0001/"));
    await bot.slack.interaction(blockAction({ actionId: "memo_canvas", value: JSON.stringify({ m: memo.id }), user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
    const create = (await created).body as { title: string; channel_id: string; document_content: { type: string; markdown: string } };
    expect(create.channel_id).toBe(CHANNEL);
    expect(create.title).toBe(`Memo #${memo.id}: Special session prep`);
    expect(create.document_content.type).toBe("markdown");
    const markdown = create.document_content.markdown;
    expect(markdown).toContain("## Purpose");
    expect(markdown).toContain("Prepare **the principal**.");
    // No ping, mention embed or forged link from user text: <!channel> defused, ![](@U…) escaped, the title's link escaped.
    expect(markdown).not.toMatch(/<!channel>|(?<!\\)!\[\]\(@U0VICTIM\)/);
    expect(markdown).toContain("!\\[](@U0VICTIM)");
    expect(markdown).toContain("Wire: &lt;!channel&gt; \\[x\\](https\\://evil.example/x)");
    const link = (await linked).body as { thread_ts: string; text: string };
    expect(link.thread_ts).toBe(memo.trackingTs);
    expect(link.text).toMatch(new RegExp(`published version 1 of memo #${memo.id} as <https://example\\.slack\\.com/docs/T0001/F\\d+\\|the canvas> in <#${CHANNEL}>`));
    const canvasId = (await db.prisma.memo.findUniqueOrThrow({ where: { id: memo.id } })).canvasId;
    expect(canvasId).toMatch(/^F\d+$/);

    // A change, a second assembly: the changes button appears, and the canvas is edited in place.
    await writeSection(deps, memo.id, "risks", { text: "A new risk: the timetable slips.", baseRevision: 1 }, LEAD);
    const buttons = await assembleAndButtons(memo.id);
    expect(buttons.map((b) => b.text.text)).toEqual(["Export .docx", "Update canvas", "Changes since last version"]);
    const edited = nextCall("canvases.edit");
    await bot.slack.interaction(blockAction({ actionId: "memo_canvas", value: buttons[1]!.value, user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
    const edit = (await edited).body as { canvas_id: string; changes: Array<{ operation: string; document_content: { markdown: string } }> };
    expect(edit.canvas_id).toBe(canvasId);
    expect(edit.changes[0]!.operation).toBe("replace");
    expect(edit.changes[0]!.document_content.markdown).toContain("A new risk: the timetable slips.");
    expect(bot.fake.callsTo("canvases.create")).toHaveLength(1);

    const answered = bot.fake.waitForResponse();
    await bot.slack.interaction(blockAction({ actionId: "memo_diff", value: buttons[2]!.value, user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
    const diff = (await answered).body as { blocks: Array<{ type: string; text: string }> };
    expect(diff.blocks[0]!.type).toBe("markdown");
    expect(diff.blocks[0]!.text).toContain("changes from assembly 1 to 2");
    expect(diff.blocks[0]!.text).toContain("-The risks text.");
    expect(diff.blocks[0]!.text).toContain("+A new risk: the timetable slips.");
  });

  it("a workspace without canvases gets the memo as a Markdown file in the thread, with the reason", async () => {
    const { id } = await writtenMemo("2017-07-19");
    await assembleAndButtons(id);
    bot.fake.failNext("canvases.create", { error: "team_tier_cannot_create_channel_canvases" });
    const completed = nextCall("files.completeUploadExternal");
    await bot.slack.interaction(blockAction({ actionId: "memo_canvas", value: JSON.stringify({ m: id }), user: LEAD, channel: CHANNEL, responseUrl: bot.fake.responseUrl() }));
    const complete = (await completed).body as { initial_comment: string; thread_ts: string };
    expect(complete.initial_comment).toContain(`I couldn't publish memo #${id} as a canvas: this workspace cannot have canvases for the bot (team_tier_cannot_create_channel_canvases)`);
    expect(bot.fake.callsTo("files.getUploadURLExternal").at(-1)!.body.filename).toBe(`memo-${id}-special-session-prep.md`);
    expect(String(bot.fake.callsTo("file_upload").at(-1)!.body.content)).toContain("## Purpose");
    expect((await db.prisma.memo.findUniqueOrThrow({ where: { id } })).canvasId).toBeNull();
  });

  it("the section editor is Slack's rich-text input: what is typed is stored as Markdown and opens back with the same formatting", async () => {
    const memo = await db.prisma.memo.findFirstOrThrow({ orderBy: { id: "desc" } });
    const section = await db.prisma.memoSection.findUniqueOrThrow({ where: { memoId_key: { memoId: memo.id, key: "next_steps" } } });
    const rich = {
      type: "rich_text",
      elements: [
        {
          type: "rich_text_section",
          elements: [
            { type: "text", text: "Agree " },
            { type: "text", text: "the date", style: { bold: true } },
            { type: "text", text: " with " },
            { type: "link", url: "https://ustr.gov/", text: "USTR" },
            { type: "text", text: " by " },
            { type: "text", text: "Friday", style: { italic: true } },
          ],
        },
        {
          type: "rich_text_list",
          style: "ordered",
          indent: 0,
          elements: [
            { type: "rich_text_section", elements: [{ type: "text", text: "Call Seoul" }] },
            { type: "rich_text_section", elements: [{ type: "text", text: "Draft points" }] },
          ],
        },
        { type: "rich_text_quote", elements: [{ type: "text", text: "Not a renegotiation." }] },
      ],
    };
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_write",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memo.id, k: "next_steps", r: section.revision }),
        values: { text: { value: { type: "rich_text_input", rich_text_value: rich } } },
      }),
    );
    expect(res.status).toBe(200);
    const stored = (await db.prisma.memoSection.findUniqueOrThrow({ where: { id: section.id } })).text;
    expect(stored).toBe("Agree **the date** with [USTR](https://ustr.gov/) by *Friday*\n\n1. Call Seoul\n2. Draft points\n\n> Not a renegotiation.");

    const opened = nextCall("views.open");
    await bot.slack.interaction(blockAction({ actionId: "memo_write", value: JSON.stringify({ m: memo.id, k: "next_steps" }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    const view = (await opened).body.view as { blocks: Array<{ block_id?: string; element?: { type: string; initial_value?: unknown } }> };
    const input = view.blocks.find((b) => b.block_id === "text")!.element!;
    expect(input.type).toBe("rich_text_input");
    expect(input.initial_value).toEqual({ ...rich, elements: rich.elements.map((e) => (e.type === "rich_text_list" ? { ...e } : e)) });

    // A forged rich text value saves nothing and says so under the field.
    const forged = await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_write",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memo.id, k: "next_steps", r: section.revision + 1 }),
        values: { text: { value: { type: "rich_text_input", rich_text_value: { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "script", text: 1 }] }] } } } },
      }),
    );
    expect((forged.json as { errors: Record<string, string> }).errors.text).toContain("could not be read");
    expect((await db.prisma.memoSection.findUniqueOrThrow({ where: { id: section.id } })).text).toBe(stored);
  });
});
