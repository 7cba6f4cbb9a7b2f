import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewBrief } from "../../src/briefs/brief.js";
import { briefMessages } from "../../src/briefs/messages.js";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { retractFact } from "../../src/facts/service.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { type RunningBot, startBot } from "../support/bot.js";
import type { RecordedCall } from "../support/fake-slack-api.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const NOW = "2017-07-20T15:00:00Z";
const LEAD = "U0LEAD";
const OWNERS = ["U0ANA", "U0BEN"];
const WJ = "\u2060";

/** Each special form, and how it must reach Slack in mrkdwn and in Markdown (a `markdown` block, a .md file). */
const FORMS: Array<{ form: string; mrkdwn: string; markdown: string }> = [
  { form: "<!channel>", mrkdwn: "&lt;!channel&gt;", markdown: "&lt;!channel&gt;" },
  { form: "<!here>", mrkdwn: "&lt;!here&gt;", markdown: "&lt;!here&gt;" },
  { form: "<!subteam^S1>", mrkdwn: "&lt;!subteam^S1&gt;", markdown: "&lt;!subteam^S1&gt;" },
  { form: "<@U1>", mrkdwn: "&lt;@U1&gt;", markdown: "&lt;@U1&gt;" },
  { form: "<#C1|x>", mrkdwn: "&lt;#C1|x&gt;", markdown: "&lt;#C1\\|x&gt;" },
  { form: "<https://e|x>", mrkdwn: "&lt;https://e|x&gt;", markdown: "&lt;https\\://e\\|x&gt;" },
  // With GFM's autolink literals: Slack links a bare URL in mrkdwn to itself; in Markdown none becomes a link of ours.
  { form: "[x](https://e) www.e.co a@b.co", mrkdwn: "[x](https://e) www.e.co a@b.co", markdown: "\\[x\\](https\\://e) www\\.e.co a\\@b.co" },
  { form: "@here", mrkdwn: `@${WJ}here`, markdown: `@${WJ}here` },
];

type Format = "mrkdwn" | "markdown" | "plain_text";
interface Piece {
  format: Format;
  text: string;
}

/** Every piece of text in a Slack API call, with the format Slack reads it in. */
function pieces(call: RecordedCall): Piece[] {
  const out: Piece[] = [];
  const body = call.body as Record<string, unknown>;
  const textObject = (t: unknown) => {
    const o = t as { type?: string; text?: unknown } | undefined;
    if (o && typeof o.text === "string") out.push({ format: o.type === "plain_text" ? "plain_text" : "mrkdwn", text: o.text });
  };
  const blocks = (list: unknown) => {
    for (const b of (Array.isArray(list) ? list : []) as Array<Record<string, unknown>>) {
      if (b.type === "markdown" && typeof b.text === "string") out.push({ format: "markdown", text: b.text });
      else textObject(b.text);
      for (const f of (b.fields ?? []) as unknown[]) textObject(f);
      for (const e of (b.elements ?? []) as Array<Record<string, unknown>>) {
        if (b.type === "context") textObject(e);
        else textObject(e.text);
      }
      if (b.accessory) textObject((b.accessory as Record<string, unknown>).text);
      if (b.label) textObject(b.label);
    }
  };
  if (call.method === "file_upload") out.push({ format: "markdown", text: String(body.content) });
  if (typeof body.text === "string") out.push({ format: body.mrkdwn === false ? "plain_text" : "mrkdwn", text: body.text });
  if (typeof body.initial_comment === "string") out.push({ format: "mrkdwn", text: body.initial_comment });
  blocks(body.blocks);
  const view = body.view as { blocks?: unknown; title?: unknown } | undefined;
  if (view) {
    blocks(view.blocks);
    textObject(view.title);
  }
  return out;
}

/** The stretch of each piece that holds `marker`'s title, e.g. "Marker3 &lt;@U1&gt; update". */
function renderings(calls: RecordedCall[], marker: string): Array<{ format: Format; shown: string }> {
  const found: Array<{ format: Format; shown: string }> = [];
  for (const call of calls) {
    for (const piece of pieces(call)) {
      for (let at = piece.text.indexOf(marker); at >= 0; at = piece.text.indexOf(marker, at + 1)) {
        const end = piece.text.indexOf(" update", at);
        if (end > at) found.push({ format: piece.format, shown: piece.text.slice(at + marker.length + 1, end) });
      }
    }
  }
  return found;
}

describe("user text cannot ping, link or format in any output (injection)", () => {
  let db: Database;
  let bot: RunningBot;
  let memoId = 0;
  let longMemoId = 0;
  /** form -> output -> what reached Slack, for the table. */
  const table: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock(NOW) });
    // Two memos: one short enough to post as a markdown block, one too long, posted as a .md file.
    for (const channel of ["C0TEAM", "C0FILES"]) {
      const tracking = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === channel);
      await bot.slack.interaction(
        viewSubmission({
          callbackId: "memo_new",
          user: LEAD,
          privateMetadata: JSON.stringify({ t: "special-session-prep" }),
          values: { title: input.text(`Injection memo in ${channel}`), channel: { value: { type: "conversations_select", selected_conversation: channel } } },
        }),
      );
      await tracking;
    }
    [memoId, longMemoId] = (await db.prisma.memo.findMany({ orderBy: { id: "asc" } })).map((m) => m.id) as [number, number];
    const long = "Market access detail. ".repeat(130).slice(0, 2900);
    for (const key of ["background", "korean_position", "market_access", "risks", "talking_points"]) {
      await db.prisma.memoSection.update({ where: { memoId_key: { memoId: longMemoId, key } }, data: { text: long, state: "drafted", revision: 1 } });
    }
  });
  afterAll(async () => {
    if (process.env.KORUS_PRINT_TABLES) console.info(JSON.stringify(table, null, 2));
    await bot?.stop();
    await db?.close();
  });

  it.each(FORMS.map((f, i) => ({ ...f, i })))("a deadline titled with $form reaches Slack inert in status, search, brief, memo, file, DM and Home tab", async ({ form, mrkdwn, markdown, i }) => {
    const marker = `Marker${i}`;
    // "purpose" makes it one of the Purpose section's relevant facts, listed in its owner's DM.
    const title = `${marker} ${form} update on purpose`;
    // Each new deadline falls due sooner than the last, so it is the next deadline everywhere.
    const saved = await bot.slack.interaction(
      viewSubmission({
        callbackId: "fact_add",
        user: LEAD,
        privateMetadata: "{}",
        values: {
          kind: input.select("deadline"),
          date: input.date("2017-07-20"),
          title: input.text(title),
          actor: input.select("US"),
          source_title: input.text("Injection test"),
          due_date: input.date(`2017-07-${String(30 - i).padStart(2, "0")}`),
        },
      }),
    );
    expect((saved.json as { response_action: string }).response_action).toBe("update");
    const seen = bot.fake.calls.length;
    const since = () => bot.fake.calls.slice(seen);

    const outputs: Record<string, RecordedCall[]> = {};
    const status = await bot.slack.command("status");
    outputs.status = [{ method: "ack", body: status.json as Record<string, unknown>, headers: {}, path: "", at: 0 }];

    let response = bot.fake.waitForResponse();
    await bot.slack.command(`facts ${marker}`);
    outputs.search = [await response];

    response = bot.fake.waitForResponse();
    await bot.slack.command("brief");
    outputs["brief preview"] = [await response];

    // The scheduled brief, as its outbox posts it: the headline, then the brief in the thread.
    const transport = createSlackTransport({ token: "xoxb-test", slackApiUrl: bot.fake.apiUrl, timeoutMs: 2000 });
    const brief = await previewBrief({ prisma: db.prisma, clock: fixedClock(NOW), timeZone: "America/New_York", templates: await shippedTemplates() });
    const before = bot.fake.callsTo("chat.postMessage").length;
    for (const message of briefMessages(brief)) {
      await transport.post({
        channel: "C0BRIEF",
        text: message.text,
        markdown: message.markdown,
        marker: { kind: "brief", outboxId: 1000 + i * 10 + message.seq, part: message.seq, fields: { run_id: 1, schedule_id: 1, period: "2017-07-20" } },
      });
    }
    outputs["brief posted"] = bot.fake.callsTo("chat.postMessage").slice(before);

    /** The first call passing `test` from now on. */
    const next = (test: (c: RecordedCall) => boolean) => {
      const from = bot.fake.calls.length;
      return bot.fake.waitFor((c) => test(c) && bot.fake.calls.indexOf(c) >= from);
    };
    const posted = next((c) => c.method === "chat.postMessage" && c.body.channel === "C0TEAM" && (c.body.blocks as Array<{ type: string }> | undefined)?.[0]?.type === "markdown");
    // Assembling republishes the creator's Home tab last: wait for it, so that the next publish is the one asked for.
    const republished = next((c) => c.method === "views.publish" && c.body.user_id === LEAD);
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble_anyway", value: JSON.stringify({ m: memoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    outputs["memo (markdown block)"] = [await posted];
    await republished;

    const uploaded = next((c) => c.method === "files.completeUploadExternal");
    const republishedAgain = next((c) => c.method === "views.publish" && c.body.user_id === LEAD);
    const from = bot.fake.calls.length;
    await bot.slack.interaction(blockAction({ actionId: "memo_assemble_anyway", value: JSON.stringify({ m: longMemoId }), user: LEAD, responseUrl: bot.fake.responseUrl() }));
    await uploaded;
    await republishedAgain;
    outputs["memo (.md file)"] = bot.fake.calls.slice(from).filter((c) => c.method === "file_upload" || c.method === "files.completeUploadExternal");

    // Giving the Purpose section to a new owner DMs them its prompt and relevant facts.
    const owner = OWNERS[i % 2]!;
    const dm = next((c) => c.method === "chat.postMessage" && c.body.channel === owner);
    const dmRepublished = next((c) => c.method === "views.publish" && c.body.user_id === LEAD);
    await bot.slack.interaction(
      viewSubmission({
        callbackId: "memo_reassign",
        user: LEAD,
        privateMetadata: JSON.stringify({ m: memoId, k: "purpose" }),
        values: { owner: { value: { type: "users_select", selected_user: owner } } },
      }),
    );
    outputs.DM = [await dm];
    await dmRepublished;

    const home = next((c) => c.method === "views.publish" && c.body.user_id === LEAD);
    await bot.slack.event({ type: "event_callback", team_id: "T0001", event_id: `Ev${i}`, event: { type: "app_home_opened", user: LEAD, channel: "D0LEAD", tab: "home" } });
    outputs["Home tab"] = [await home];

    table[form] = {};
    for (const [output, calls] of Object.entries(outputs)) {
      const shown = renderings(calls, marker).filter((r) => r.format !== "plain_text");
      expect(shown.length, `${output} shows the title`).toBeGreaterThan(0);
      for (const r of shown) expect(r.shown, `${output} (${r.format})`).toBe(r.format === "markdown" ? markdown : mrkdwn);
      table[form][output] = [...new Set(shown.map((r) => `${r.format}: ${JSON.stringify(r.shown)}`))].join("; ");
    }
    // Nothing the bot sent asks Slack to turn @-words into mentions.
    for (const call of since()) {
      expect(call.body.link_names, call.method).toBeUndefined();
      expect(call.body.parse, call.method).toBeUndefined();
    }
    // One marker fact at a time: the next form's fact is the one every list shows.
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title } });
    await retractFact({ prisma: db.prisma, admins: [LEAD] }, fact.id, "injection test: next form", LEAD);
  });
});
