import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

// The bot's clock is fixed, so requests are signed at that time (the receiver rejects a 5-minute skew).
const NOW = "2026-11-29T12:00:00Z";
const signedAt = { timestamp: Date.parse(NOW) / 1000 };

describe("the new-schedule form", () => {
  let db: Database;
  let bot: RunningBot;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    bot = await startBot(db, { clock: fixedClock(NOW) });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  const values = (overrides: Record<string, Record<string, unknown>> = {}) => ({
    weekday: input.select("monday"),
    time: { value: { type: "timepicker", selected_time: "09:00" } },
    time_zone: input.text("America/New_York"),
    channel: { value: { type: "conversations_select", selected_conversation: "C0TEAM" } },
    holidays: input.select("both"),
    ...overrides,
  });

  it("`/korus schedule new` (or just `schedule`) opens the form with the team's time zone filled in", async () => {
    const opened = bot.fake.waitFor((c) => c.method === "views.open");
    expect((await bot.slack.command("schedule", {}, signedAt)).status).toBe(200);
    const view = (await opened).body.view as { callback_id: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> };
    expect(view.callback_id).toBe("schedule_new");
    expect(view.blocks.filter((b) => b.block_id).map((b) => b.block_id)).toEqual(["weekday", "time", "time_zone", "channel", "holidays"]);
    expect(view.blocks.find((b) => b.block_id === "time_zone")!.element!.initial_value).toBe("America/New_York");
  });

  it("answers a bad time zone under that field and saves nothing", async () => {
    const res = await bot.slack.interaction(viewSubmission({ callbackId: "schedule_new", values: values({ time_zone: input.text("EST") }) }), signedAt);
    const ack = res.json as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe("errors");
    expect(ack.errors.time_zone).toMatch(/is not an IANA time zone/);
    expect(await db.prisma.briefSchedule.count()).toBe(0);
  });

  it("creates the schedule and shows its next run", async () => {
    const res = await bot.slack.interaction(viewSubmission({ callbackId: "schedule_new", user: "U0LEAD", values: values() }), signedAt);
    const ack = res.json as { response_action: string; view: { title: { text: string }; blocks: Array<{ text: { text: string } }> } };
    expect(ack.response_action).toBe("update");
    expect(ack.view.title.text).toMatch(/^Schedule #\d+$/);
    const row = await db.prisma.briefSchedule.findFirstOrThrow();
    expect(row).toMatchObject({ channel: "C0TEAM", weekday: 1, time: "09:00", timeZone: "America/New_York", holidays: "both", ownerId: "U0LEAD" });
    // Monday 30 November 2026, 09:00 in New York is 14:00 UTC.
    expect(row.nextDueAt?.toISOString()).toBe("2026-11-30T14:00:00.000Z");
  });
});
