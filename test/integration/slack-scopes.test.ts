/**
 * The bot without its optional scopes (manifest.yml `bot_optional`), as a workspace admin may install it, and without
 * `chat:write.public` (it joins a public channel instead). Slack answers a method the token lacks the scope for with
 * `missing_scope`; the fake does the same here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import { createSchedule } from "../../src/briefs/schedules.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { assemble } from "../../src/memos/assemblies.js";
import { createMemo, setTrackingMessage } from "../../src/memos/service.js";
import type { MemoDeps } from "../../src/memos/read.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { ACTION_IDS, VIEW_IDS } from "../../src/slack/ids.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { capturingLogger } from "../support/logs.js";
import { blockAction, input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { readFileSync } from "node:fs";

const MANIFEST = parse(readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[]; bot_optional?: string[] } } };
const LEAD = "U0LEAD";
const missingScope = (needed: string) => () => ({ ok: false, error: "missing_scope", needed, provided: "commands,chat:write" });

describe("the bot without its optional scopes", () => {
  let db: Database;
  let bot: RunningBot;
  let deps: MemoDeps;
  const clock = fixedClock("2017-07-20T15:00:00Z");

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock });
    deps = { prisma: db.prisma, clock, timeZone: "America/New_York", admins: [], templates: await shippedTemplates() };
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("marks exactly the scopes tested here as optional", () => {
    expect([...(MANIFEST.oauth_config.scopes.bot_optional ?? [])].sort()).toEqual(["canvases:write", "channels:history", "groups:history"]);
    expect(MANIFEST.oauth_config.scopes.bot).not.toContain("chat:write.public");
  });

  it("channels:history / groups:history: a brief whose post may have reached Slack is posted without the lookup, with a warning, and the brief completes", async () => {
    for (const method of ["conversations.history", "conversations.replies"]) bot.fake.on(method, missingScope("channels:history,groups:history"));
    const { logger, lines } = capturingLogger("info", "scopes");
    // A clock that runs (the outbox's retry waits pass), set to days when briefs fall due.
    let offset = 0;
    const at = (iso: string) => (offset = Date.parse(iso) - Date.now());
    const briefClock: Clock = { now: () => new Date(Date.now() + offset) };
    at("2026-02-01T00:00:00Z");
    const templates = await shippedTemplates();
    const created = await createSchedule(
      { prisma: db.prisma, clock: briefClock, admins: [], templates },
      { weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "none" },
      { owner: "U0OWNER", channel: "C0NOHISTORY" },
    );
    // Slack's 500 leaves it unknown whether the headline went out: the outbox looks before posting again.
    bot.fake.failNext("chat.postMessage", { status: 500 }, 1);
    at("2026-02-02T14:00:01Z");
    const scheduler = createPostScheduler({
      prisma: db.prisma,
      templates,
      clock: briefClock,
      timeZone: "America/New_York",
      logger,
      instanceId: "scopes",
      settings: { tickMs: 1000, claimTimeoutMs: 5000, graceMs: 12 * 3600_000 },
      // No second's pause between the headline and its thread (the pacing is the briefs test's).
      channelIntervalMs: 0,
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: bot.fake.apiUrl, timeoutMs: 2000, instanceId: "scopes" }),
    });
    try {
      const { sent } = await scheduler.runOnce(10_000);
      expect(sent).toMatchObject({ sent: 2, failed: 0 });
    } finally {
      await scheduler.stop();
    }
    expect(bot.fake.callsTo("conversations.history").length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => /^WARN outbox: cannot check whether message \d+ already went out \(missing_scope\); posting it$/.test(l))).toBe(true);
    expect((await db.prisma.briefRun.findFirstOrThrow({ where: { scheduleId: created.id } })).state).toBe("posted");
    // Nobody is told the brief failed.
    expect(bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "U0OWNER")).toEqual([]);
  });

  it("canvases:write: Publish as canvas puts the memo in its thread as a Markdown file, with the reason", async () => {
    bot.fake.on("canvases.create", missingScope("canvases:write"));
    const memo = await createMemo(deps, { templateId: "special-session-prep", title: "No canvases here", channel: "C0MEMO" }, LEAD);
    await setTrackingMessage(db.prisma, memo.id, "C0MEMO", "1500000000.000100");
    await assemble(deps, memo.id, LEAD, { force: true });
    const completed = bot.fake.waitFor((c) => c.method === "files.completeUploadExternal" && String(c.body.initial_comment).includes(`memo #${memo.id}`));
    const res = await bot.slack.interaction(
      blockAction({ actionId: ACTION_IDS.memoCanvas, value: JSON.stringify({ m: memo.id }), user: LEAD, channel: "C0MEMO", responseUrl: bot.fake.responseUrl() }),
    );
    expect(res.status).toBe(200);
    const complete = (await completed).body as { initial_comment: string; thread_ts: string };
    expect(complete.initial_comment).toContain(`I couldn't publish memo #${memo.id} as a canvas: this workspace cannot have canvases for the bot (missing_scope)`);
    expect(complete.thread_ts).toBe("1500000000.000100");
    expect(bot.fake.callsTo("files.getUploadURLExternal").at(-1)!.body.filename).toBe(`memo-${memo.id}-no-canvases-here.md`);
  });
});

describe("without chat:write.public", () => {
  let db: Database;
  let bot: RunningBot;
  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db, { clock: fixedClock("2017-07-20T15:00:00Z") });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("a memo's tracking message to a public channel the bot is not in joins the channel (channels:join), then posts", async () => {
    bot.fake.notInChannel("C0OUTSIDE");
    const posted = bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.body.channel === "C0OUTSIDE");
    const res = await bot.slack.interaction(
      viewSubmission({
        callbackId: VIEW_IDS.memoNew,
        user: LEAD,
        privateMetadata: JSON.stringify({ t: "special-session-prep" }),
        values: {
          title: input.text("Joined by itself"),
          as_of: input.date(null),
          due_time: { value: { type: "timepicker", selected_time: "17:00" } },
          channel: { value: { type: "conversations_select", selected_conversation: "C0OUTSIDE" } },
        },
      }),
    );
    expect(res.status).toBe(200);
    await posted;
    expect(bot.fake.calls.map((c) => c.method).filter((m) => m.startsWith("chat.postMessage") || m === "conversations.join")).toEqual([
      "chat.postMessage!not_in_channel",
      "conversations.join",
      "chat.postMessage",
    ]);
    expect(bot.fake.messages.get("C0OUTSIDE")).toHaveLength(1);
  });
});
