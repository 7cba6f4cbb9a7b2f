import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { factChanges, previewBrief } from "../../src/briefs/brief.js";
import { firstOccurrenceFrom } from "../../src/briefs/calendar.js";
import { isRunEvent } from "../../src/briefs/brief-kind.js";
import { createPostScheduler } from "../../src/scheduled-posts.js";
import { createSchedule, listSchedules } from "../../src/briefs/schedules.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { addFact, editFact, retractFact } from "../../src/facts/service.js";
import { capturingLogger } from "../support/logs.js";
import { createSlackTransport } from "../../src/slack/post-transport.js";
import { blocksText } from "../support/block-limits.js";
import { startBot } from "../support/bot.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import type { TemplateStore } from "../../src/memos/templates/store.js";

const H = 3_600_000;
const NY = "America/New_York";

/** A clock that runs in real time from an instant we choose (retries and pacing need time to pass). */
function movableClock(start: string): Clock & { set(iso: string): void } {
  let offset = Date.parse(start) - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set: (iso) => {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

describe("scheduled briefs: planning, posting and the outbox (embedded database, fake Slack)", () => {
  let db: Database;
  let fake: FakeSlackApi;
  const { logger, lines: logs } = capturingLogger("info", "briefs-test");

  let templates: TemplateStore;
  /**
   * The least time between two posts to one channel (the headline, then its thread): 100 ms here instead of Slack's
   * second, with the fake Slack answering 429 to a post sooner than that, so every test still checks the pacing (no
   * `chat.postMessage!429` it did not ask for) without waiting a second per brief.
   */
  const PACE_MS = 100;
  /** The outbox's first wait after a 5xx or a lost answer: 50 ms here instead of a second (then 100 ms, 200 ms...). */
  const RETRY_BASE_MS = 50;
  const schedulerFor = (clock: Clock, instanceId = "instance-a", claimTimeoutMs = 2000, timeoutMs = 1000) =>
    createPostScheduler({
      prisma: db.prisma,
      templates,
      clock,
      timeZone: NY,
      logger,
      instanceId,
      settings: { tickMs: 1000, claimTimeoutMs, graceMs: 12 * H },
      channelIntervalMs: PACE_MS,
      retryBaseMs: RETRY_BASE_MS,
      transport: createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs, instanceId }),
    });
  const runIdsOf = async (scheduleId: number) => (await db.prisma.briefRun.findMany({ where: { scheduleId }, select: { id: true } })).map((r) => r.id);
  const schedule = (clock: Clock, channel: string, spec: Partial<Parameters<typeof createSchedule>[1]> = {}, owner = "U0OWNER") =>
    createSchedule({ prisma: db.prisma, clock, admins: [], templates }, { weekday: 1, time: "09:00", timeZone: NY, holidays: "none", ...spec }, { owner, channel });
  const postsFor = (scheduleId: number) => fake.briefPosts().filter((p) => p.payload.schedule_id === scheduleId);

  beforeAll(async () => {
    db = await createTestDatabase();
    templates = await shippedTemplates();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    // Each test sees only its own schedules (their runs and messages go with them).
    await db.prisma.briefSchedule.deleteMany();
    fake = await new FakeSlackApi().start();
    fake.limitPostsPerChannel(PACE_MS);
    logs.length = 0;
  });
  afterEach(async () => {
    await fake.stop();
  });
  /** The 429s the fake answered for posts sooner than PACE_MS after the last one to their channel: none, when paced. */
  const unpaced = () => fake.calls.filter((c) => c.method === "chat.postMessage!429").length;
  /**
   * Lets the fake's pacing interval pass in real time. The outbox paces by the clock it is given, the fake by real time:
   * where a test moves the clock a week on between two posts to one channel, the real interval must pass as well.
   */
  const paceGap = () => new Promise((resolve) => setTimeout(resolve, PACE_MS));

  it("posts a due brief once: a headline in the channel and the full brief in its thread, as markdown blocks under 12,000 characters", async () => {
    // Due a minute ago (real time), so that the audit trail's timestamps fall in the brief's window.
    const due = new Date(Date.now() - 60_000);
    const weekday = (((due.getUTCDay() + 6) % 7) + 1) as 1;
    const time = due.toISOString().slice(11, 16);
    const clock = movableClock(new Date(due.getTime() - H).toISOString());
    const created = await schedule(clock, "C0FIRST", { weekday, time, timeZone: "UTC" });
    expect(created.next?.dueAt.toISOString()).toBe(`${due.toISOString().slice(0, 16)}:00.000Z`);
    clock.set(new Date().toISOString());
    // Timeouts far above a post's time: with the 1 s default, a post slowed past 1 s on a loaded machine (load average
    // 13) was retried and then found already posted ({ sent: 1, found: 1 }), right but not what this test is about.
    const scheduler = schedulerFor(clock, "instance-a", 20_000, 10_000);
    const { events, sent } = await scheduler.runOnce(5000);
    expect(events.map((e) => e.action)).toEqual(["claimed", "queued"]);
    expect(sent).toMatchObject({ sent: 2, found: 0, retried: 0, failed: 0 });

    const posts = postsFor(created.id);
    expect(posts.map((p) => p.payload.part)).toEqual([0, 1]);
    const [head, thread] = posts.map((p) => p.call.body);
    expect(head!.channel).toBe("C0FIRST");
    expect(head!.thread_ts).toBeUndefined();
    expect(String(head!.text)).toMatch(/^Weekly KORUS brief, \d{4}-\d{2}-\d{2} \(\w{3}\): Phase: /);
    const headTs = fake.messages.get("C0FIRST")![0]!.ts;
    expect(thread!.thread_ts).toBe(headTs);
    for (const body of [head!, thread!]) {
      const blocks = body.blocks as Array<{ type: string; text: string }>;
      expect(blocks.every((b) => b.type === "markdown")).toBe(true);
      expect(blocks.reduce((n, b) => n + b.text.length, 0) + String(body.text).length).toBeLessThan(12_000);
    }
    const markdown = (thread!.blocks as Array<{ text: string }>)[0]!.text;
    // The schedule's first brief covers the last 7 days, and its heading says so.
    expect(markdown).toContain("## What changed in the last 7 days");
    // The seed's facts were stored moments ago: all new, each with its date and a numbered source.
    expect(markdown).toContain("- _New:_ Special session of the KORUS Joint Committee must be held (2017-08-11 (Fri)) [1, 2, 3]");
    expect(markdown).toContain("## Sources\n\n1. Trade news item, July 2017: U.S. requests KORUS special session");

    const run = await db.prisma.briefRun.findFirstOrThrow({ where: { scheduleId: created.id } });
    expect(run).toMatchObject({ state: "posted", headlineTs: headTs, claimedBy: "instance-a" });
    // A second tick finds nothing to do, and posts nothing again.
    expect((await scheduler.runOnce(1000)).events).toEqual([]);
    expect(postsFor(created.id)).toHaveLength(2);

    // The next brief lists only what changed since this one: new, edited and retracted facts.
    const actor = { prisma: db.prisma, admins: [] };
    await addFact(
      actor,
      { date: "2017-08-20", title: "Both sides agree to meet in Seoul", kind: "event", actor: "both", source: { title: "Ministry release", url: "https://example.org/release" } },
      "U0OWNER",
    );
    const [toEdit, toRetract] = await db.prisma.fact.findMany({ where: { kind: "note" }, orderBy: { id: "asc" }, take: 2 });
    await editFact(actor, toEdit!.id, { date: "2017-07-12", title: `${toEdit!.title} (revised)`, kind: "note", actor: toEdit!.actor, source: { title: toEdit!.sourceTitle! } }, "korus-bot (seed)");
    await retractFact({ prisma: db.prisma, admins: ["U0ADMIN"] }, toRetract!.id, "could not confirm", "U0ADMIN");
    await db.prisma.briefSchedule.update({ where: { id: created.id }, data: { nextDueAt: new Date(Date.now() - 1000), nextPeriod: "2999-01-01" } });
    await scheduler.runOnce(5000);
    const second = (postsFor(created.id).find((p) => p.payload.period === "2999-01-01" && p.payload.part === 1)!.call.body.blocks as Array<{ text: string }>)[0]!.text;
    const changes = second.slice(second.indexOf("## What changed"), second.indexOf("## Upcoming"));
    expect(changes.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      "- _New:_ Both sides agree to meet in Seoul (2017-08-20 (Sun)) [1]",
      expect.stringMatching(/^- _Edited:_ .* \(revised\) \(2017-07-12 \(Wed\)\) \[\d\]$/),
      expect.stringMatching(/^- _Retracted:_ ~~.*~~ \(2017-07-12 \(Wed\)\)$/),
    ]);
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("posts at 09:00 local time the week the clocks change, and a US holiday moves it to the next working day", async () => {
    const clock = movableClock("2026-03-01T12:00:00Z");
    const dst = await schedule(clock, "C0DST");
    const scheduler = schedulerFor(clock);

    clock.set("2026-03-02T14:00:01Z");
    await scheduler.runOnce(3000);
    clock.set("2026-03-09T12:59:59Z"); // 08:59:59 EDT: not yet, though 13:00Z would have been 08:00 EST
    expect((await scheduler.runOnce(500)).events).toEqual([]);
    await paceGap();
    clock.set("2026-03-09T13:00:01Z");
    await scheduler.runOnce(3000);
    const runs = await db.prisma.briefRun.findMany({ where: { scheduleId: dst.id }, orderBy: { periodKey: "asc" } });
    expect(runs.map((r) => [r.periodKey, r.dueAt.toISOString(), r.state])).toEqual([
      ["2026-03-02", "2026-03-02T14:00:00.000Z", "posted"],
      ["2026-03-09", "2026-03-09T13:00:00.000Z", "posted"],
    ]);

    // MLK day (Monday 2026-01-19): nothing on Monday, the brief on Tuesday at 09:00.
    const mlk = await schedule(movableClock("2026-01-12T20:00:00Z"), "C0HOLIDAY", { holidays: "us" });
    clock.set("2026-01-19T14:00:01Z");
    expect((await scheduler.runOnce(500)).events.filter(isRunEvent).filter((e) => e.scheduleId === mlk.id)).toEqual([]);
    clock.set("2026-01-20T14:00:01Z");
    await scheduler.runOnce(3000);
    const moved = await db.prisma.briefRun.findFirstOrThrow({ where: { scheduleId: mlk.id } });
    expect([moved.periodKey, moved.dueAt.toISOString(), moved.state]).toEqual(["2026-01-19", "2026-01-20T14:00:00.000Z", "posted"]);
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("catches up after downtime within the grace window, and records older misses as skipped, shown in schedule list", async () => {
    const clock = movableClock("2026-01-01T00:00:00Z");
    const created = await schedule(clock, "C0CATCHUP");
    const scheduler = schedulerFor(clock);
    clock.set("2026-01-19T20:00:00Z"); // up again 6 h after Monday's 09:00 EST
    const { events } = await scheduler.runOnce(3000);
    expect(
      events
        .filter(isRunEvent)
        .filter((e) => e.action !== "queued")
        .map((e) => [e.period, e.action]),
    ).toEqual([
      ["2026-01-05", "skipped"],
      ["2026-01-12", "skipped"],
      ["2026-01-19", "claimed"],
    ]);
    expect(
      postsFor(created.id)
        .filter((p) => p.payload.part === 0)
        .map((p) => p.payload.period),
    ).toEqual(["2026-01-19"]);

    clock.set("2026-01-27T03:00:00Z"); // 13 h after the next Monday's run: too late
    await scheduler.runOnce(500);
    const [view] = (await listSchedules({ prisma: db.prisma })).filter((v) => v.id === created.id);
    expect(view!.lastPosted).toMatchObject({ period: "2026-01-19" });
    expect(view!.lastProblem).toEqual({
      period: "2026-01-26",
      state: "skipped",
      detail: "missed: due Mon 2026-01-26 09:00 EST, but no instance was running until Mon 2026-01-26 22:00 EST, past the 12 h grace window",
      at: expect.any(Date),
    });
    expect(view!.next?.dueAt.toISOString()).toBe("2026-02-02T14:00:00.000Z");
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("waits out 429s, retries 500s after checking Slack, and posts each message once", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const created = await schedule(clock, "C0FLAKY");
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, 2);
    fake.failNext("chat.postMessage", { status: 500 }, 1);
    fake.failNext("chat.postMessage", { status: 503 }, 1);
    clock.set("2026-02-02T14:00:01Z");
    const scheduler = schedulerFor(clock);
    const { sent } = await scheduler.runOnce(10_000);
    expect(sent).toMatchObject({ sent: 2, failed: 0 });
    expect(fake.calls.map((c) => c.method).filter((m) => m.startsWith("chat.postMessage!"))).toEqual(["chat.postMessage!429", "chat.postMessage!429", "chat.postMessage!500", "chat.postMessage!503"]);
    // The server errors waited the short base and then twice it (±25%, logged to a tenth of a second), not seconds.
    const waits = logs.flatMap((l) => /retrying in ([\d.]+) s/.exec(l)?.[1] ?? []).map(Number);
    expect(waits).toHaveLength(2);
    expect(waits.every((s) => s <= (2 * RETRY_BASE_MS * 1.25) / 1000 + 0.05)).toBe(true);
    // After a server error the post may have gone out: the history is checked before posting again.
    expect(fake.callsTo("conversations.history").length).toBeGreaterThanOrEqual(2);
    expect(postsFor(created.id).map((p) => p.payload.part)).toEqual([0, 1]);
    await scheduler.stop();
  });

  it("does not post again when Slack took the message but the answer was lost: it finds it by its metadata", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const created = await schedule(clock, "C0LOST");
    // Slack stores the post, then answers after the client gave up (1 s timeout).
    fake.delay("chat.postMessage", 1500);
    clock.set("2026-02-02T14:00:01Z");
    const scheduler = schedulerFor(clock, "instance-a", 5000, 1000);
    const first = scheduler.runOnce(800);
    await fake.waitFor((c) => c.method === "chat.postMessage");
    fake.delay("chat.postMessage", 0);
    const { sent } = await first;
    const again = await scheduler.runOnce(8000);
    expect((sent?.found ?? 0) + (again.sent?.found ?? 0)).toBe(1);
    expect(postsFor(created.id).map((p) => p.payload.part)).toEqual([0, 1]);
    const history = fake.callsTo("conversations.history")[0]!.body;
    expect(history).toMatchObject({ channel: "C0LOST", include_all_metadata: "true" });
    expect((await db.prisma.briefRun.findFirstOrThrow({ where: { scheduleId: created.id } })).state).toBe("posted");
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("takes over a claim whose holder died before queueing, and a message whose sender died mid-post, without posting twice", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const a = await schedule(clock, "C0ORPHAN");
    const b = await schedule(clock, "C0HALF");
    const now = new Date("2026-02-02T14:00:30Z");
    clock.set(now.toISOString());
    const dueAt = new Date("2026-02-02T14:00:00Z");
    const stale = new Date(now.getTime() - 10_000);
    // Instance "dead" claimed a's run, then vanished.
    await db.prisma.briefRun.create({ data: { scheduleId: a.id, periodKey: "2026-02-02", dueAt, state: "claimed", claimedBy: "dead", claimedAt: stale, heartbeatAt: stale } });
    // It also queued b's brief and posted its headline, but died before recording it.
    const run = await db.prisma.briefRun.create({
      data: { scheduleId: b.id, periodKey: "2026-02-02", dueAt, state: "sending", claimedBy: "dead", claimedAt: stale, heartbeatAt: stale, builtAt: stale, since: stale },
    });
    const head = await db.prisma.outboxMessage.create({
      data: {
        kind: "brief",
        subject: run.id,
        seq: 0,
        channel: "C0HALF",
        text: "headline",
        markdown: "**headline**",
        state: "sending",
        attempts: 1,
        nextAttemptAt: stale,
        claimedBy: "dead",
        claimedAt: stale,
      },
    });
    await db.prisma.outboxMessage.create({ data: { kind: "brief", subject: run.id, seq: 1, channel: "C0HALF", text: "brief", markdown: "the brief", state: "waiting", nextAttemptAt: stale } });
    for (const id of [a.id, b.id])
      await db.prisma.briefSchedule.update({
        where: { id },
        data: { nextDueAt: firstOccurrenceFrom({ weekday: 1, time: "09:00", timeZone: NY, holidays: "none" }, now).dueAt, nextPeriod: "2026-02-09" },
      });
    const deadTransport = createSlackTransport({ token: "xoxb-test", slackApiUrl: fake.apiUrl, timeoutMs: 1000 });
    await deadTransport.post({
      channel: "C0HALF",
      text: "headline",
      markdown: "**headline**",
      marker: { kind: "brief", outboxId: head.id, part: 0, fields: { run_id: run.id, schedule_id: b.id, period: "2026-02-02" } },
    });
    // The dead instance posted its headline before it stopped answering (its claim is 10 s stale): let the channel's
    // pacing interval pass, as it had, so that the fake's 429 for a post too soon counts only this instance's posts.
    await paceGap();

    const scheduler = schedulerFor(clock, "instance-b");
    const { events, sent } = await scheduler.runOnce(5000);
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ scheduleId: a.id, action: "taken over", detail: "from dead" })]));
    expect(sent?.found).toBe(1);
    expect(postsFor(a.id).map((p) => p.payload.part)).toEqual([0, 1]);
    expect(postsFor(b.id).map((p) => p.payload.part)).toEqual([0, 1]); // the dead instance's headline, then the thread
    const half = fake.messages.get("C0HALF")!;
    expect(half[1]!.thread_ts).toBe(half[0]!.ts);
    expect(logs.join("\n")).toContain("took over 1 message(s) whose sender stopped answering");
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("joins a public channel once on not_in_channel; a permanent error fails the run, cancels its thread and DMs the owner once", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const join = await schedule(clock, "C0OUTSIDE");
    const gone = await schedule(clock, "C0GONE", {}, "U0LEAD");
    fake.notInChannel("C0OUTSIDE");
    fake.failChannel("C0GONE", "channel_not_found");
    clock.set("2026-02-02T14:00:01Z");
    const scheduler = schedulerFor(clock);
    await scheduler.runOnce(5000);
    expect(fake.callsTo("conversations.join").map((c) => c.body.channel)).toEqual(["C0OUTSIDE"]);
    expect(postsFor(join.id).map((p) => p.payload.part)).toEqual([0, 1]);

    expect(postsFor(gone.id).map((p) => p.payload.part)).toEqual([100]);
    const dm = postsFor(gone.id)[0]!.call.body;
    expect(dm.channel).toBe("DU0LEAD");
    expect(String(dm.text)).toContain(`The weekly brief of schedule #${gone.id} for 2026-02-02 could not be posted to <#C0GONE>: the channel does not exist`);
    const messages = await db.prisma.outboxMessage.findMany({ where: { kind: "brief", subject: { in: await runIdsOf(gone.id) } }, orderBy: { seq: "asc" } });
    expect(messages.map((m) => [m.seq, m.state])).toEqual([
      [0, "failed"],
      [1, "cancelled"],
      [100, "sent"],
    ]);
    const [view] = (await listSchedules({ prisma: db.prisma })).filter((v) => v.id === gone.id);
    expect(view!.lastProblem).toMatchObject({ state: "failed", detail: expect.stringContaining("(channel_not_found)") });
    // Later ticks neither retry nor DM again.
    await scheduler.runOnce(500);
    expect(postsFor(gone.id)).toHaveLength(1);
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("a channel the bot cannot join (private) fails the brief with words the owner can act on", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const secret = await schedule(clock, "G0PRIVATE", {}, "U0LEAD");
    fake.notInChannel("G0PRIVATE");
    fake.on("conversations.join", () => ({ ok: false, error: "method_not_supported_for_channel_type" }));
    clock.set("2026-02-02T14:00:01Z");
    const scheduler = schedulerFor(clock);
    await scheduler.runOnce(3000);
    expect(fake.callsTo("conversations.join")).toHaveLength(1);
    const run = await db.prisma.briefRun.findFirstOrThrow({ where: { scheduleId: secret.id } });
    expect(run.state).toBe("failed");
    expect(run.detail).toBe("the bot is not in the channel and could not join it (for a private channel, invite it with /invite) (not_in_channel)");
    expect(String(postsFor(secret.id).find((p) => p.payload.part === 100)?.call.body.text)).toContain("could not be posted to <#G0PRIVATE>: the bot is not in the channel");
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("an owner in the terminal (cli:…) gets no DM: the notice is kept, in plain words, and cancelled with the reason", async () => {
    const clock = movableClock("2026-02-01T00:00:00Z");
    const cli = await schedule(clock, "C0LOST", {}, "cli:alice");
    fake.failChannel("C0LOST", "is_archived");
    clock.set("2026-02-02T14:00:01Z");
    const scheduler = schedulerFor(clock);
    await scheduler.runOnce(3000);
    expect(postsFor(cli.id).map((p) => p.payload.part)).toEqual([]);
    expect(fake.callsTo("conversations.open").filter((c) => c.body.users === "cli:alice")).toEqual([]);
    const notice = await db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: "brief", subject: { in: await runIdsOf(cli.id) }, seq: 100 } });
    expect(notice.state).toBe("cancelled");
    expect(notice.lastError).toBe("the owner cannot be sent a direct message");
    expect(notice.notice).toMatchObject({ kind: "brief_not_posted", scheduleId: cli.id, period: "2026-02-02", channel: "C0LOST" });
    // The domain's words carry no Slack markup: no emoji, no <#C…>.
    expect(notice.text).toMatch(new RegExp(`^The weekly brief of schedule #${cli.id} for 2026-02-02 could not be posted to channel C0LOST: `));
    expect(notice.text).not.toMatch(/<|:warning:/);
    expect(unpaced()).toBe(0);
    await scheduler.stop();
  });

  it("reports the changes in a window from the audit trail: new, edited and retracted", async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const actor = { prisma: db.prisma, admins: [] };
    const fact = await addFact(actor, { date: "2017-09-01", title: "A fact added and then retracted", kind: "note", actor: "US", source: "Public record" }, "U0A");
    await retractFact(actor, fact.id, "wrong", "U0A");
    const changes = await factChanges(db.prisma, before, new Date());
    expect(changes.changes.map((c) => [c.change, c.fact.title])).toEqual([["retracted", "A fact added and then retracted"]]);
    expect(changes.total).toBe(1);
    expect(await factChanges(db.prisma, new Date(), new Date(Date.now() + 1000))).toEqual({ changes: [], total: 0 });
  });

  it("previews the brief as of a date: overdue deadlines counted from that day, nothing became known that week", async () => {
    const brief = await previewBrief({ prisma: db.prisma, clock: movableClock("2026-11-29T12:00:00Z"), timeZone: NY, templates: await shippedTemplates() }, { asOf: "2017-08-15" });
    expect(brief.asOf).toBe("2017-08-15");
    expect(brief.headline).toContain("Overdue: Special session of the KORUS Joint Committee must be held, overdue by 4 days");
    expect(brief.markdown).toContain("## What changed in the 7 days to 2017-08-15 (facts that became known then)\n\nNone.");
    expect(brief.markdown).toContain("- **Special session of the KORUS Joint Committee must be held**: was due 2017-08-11 (Fri), overdue by 4 days [1, 2, 3]");
  });
});

describe("/korus brief and /korus schedule in Slack", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("previews the brief, creates, lists, pauses, resumes and deletes schedules, and names the field of a bad one", async () => {
    // A fixed day (Mon 2026-12-07, 10:00 EST), so that the next run is known: on the real clock, a test run in a week
    // whose Monday is a U.S. or Korean holiday saw that Monday moved (2027-07-19 moved to Tue 2027-07-20).
    const bot = await startBot(db, { admins: ["U0ADMIN"], clock: fixedClock("2026-12-07T15:00:00Z") });
    try {
      const preview = bot.fake.waitForResponse();
      expect((await bot.slack.command("brief as-of 2017-08-15")).status).toBe(200);
      const body = (await preview).body as { response_type: string; blocks: Array<{ type: string; text?: string }> };
      expect(body.response_type).toBe("ephemeral");
      const markdown = body.blocks.find((b) => b.type === "markdown")!.text!;
      expect(markdown).toContain("**Date:** 2017-08-15 (Tue)");
      expect(markdown).toContain("was due 2017-08-11 (Fri), overdue by 4 days");

      const created = bot.fake.waitForResponse();
      await bot.slack.command("schedule weekly monday 09:00 america/new_york holidays:both");
      const createdText = blocksText((await created).body);
      expect(createdText).toMatch(/Created schedule #(\d+)\./);
      expect(createdText).toContain("Mondays at 09:00 America/New_York, moved by U.S. and Korean holidays in <#C0TEAM>");
      expect(createdText).toContain(":calendar: next: Mon 2026-12-14 09:00 EST\n");
      const id = Number(/#(\d+)/.exec(createdText)![1]);

      const elsewhere = bot.fake.waitForResponse();
      await bot.slack.command("schedule weekly fri 17:30 Asia/Seoul <#C0OTHER|other>");
      expect(blocksText((await elsewhere).body)).toContain("Fridays at 17:30 Asia/Seoul in <#C0OTHER>");

      const bad = await bot.slack.command("schedule weekly funday 09:00 America/New_York");
      expect(blocksText(bad.json as object)).toContain("Weekday: `funday` is not a weekday");
      const badZone = await bot.slack.command("schedule weekly mon 09:00 EST");
      expect(blocksText(badZone.json as object)).toContain("Time zone: `EST` is not an IANA time zone");

      const list = bot.fake.waitForResponse();
      await bot.slack.command("schedule list");
      const listText = blocksText((await list).body);
      expect(listText).toContain("*2 brief schedules*");
      expect(listText).toContain("_never posted yet_");

      const forbidden = bot.fake.waitForResponse();
      await bot.slack.command(`schedule pause ${id}`, { user_id: "U0SOMEONE" });
      expect(blocksText((await forbidden).body)).toContain(`Only the schedule's owner or an admin can pause schedule #${id}; \`schedule list\` shows its owner.`);

      for (const [verb, word] of [
        ["pause", "Paused"],
        ["resume", "Resumed"],
        ["delete", "Deleted"],
      ] as const) {
        const answer = bot.fake.waitForResponse();
        await bot.slack.command(`schedule ${verb} ${id}`, verb === "resume" ? { user_id: "U0ADMIN" } : {});
        expect(blocksText((await answer).body)).toContain(`${word} schedule #${id}.`);
      }
      expect(await db.prisma.briefSchedule.count({ where: { id } })).toBe(0);
      const missing = bot.fake.waitForResponse();
      await bot.slack.command(`schedule delete ${id}`);
      expect(blocksText((await missing).body)).toContain(`There is no schedule #${id}`);
    } finally {
      await bot.stop();
    }
  });
});
