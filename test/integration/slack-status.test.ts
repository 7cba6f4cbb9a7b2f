import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { blocksText, expectWithinBlockLimits } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { input, viewSubmission } from "../support/payloads.js";
import { createTestDatabase } from "../support/test-db.js";

// 2017-07-20 15:00 in New York: the team's "today" for these tests.
const NOW = "2017-07-20T19:00:00Z";

describe("/korus status over Slack (signed requests, real Bolt app, fake Web API)", () => {
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

  it("answers ephemerally in the ack itself with the status blocks", async () => {
    const ack = await bot.slack.command("status");
    expect(ack.status).toBe(200);
    // The answer is written as serialised once per report (src/slack/ack-json.ts), with the type Slack reads JSON by.
    expect(ack.contentType).toBe("application/json");
    const body = ack.json as Record<string, unknown>;
    expect(body.response_type).toBe("ephemeral");
    expectWithinBlockLimits(body);
    const text = blocksText(body);
    expect(text).toContain("U.S.-Korea Free Trade Agreement");
    expect(text).toContain("*Current phase:* U.S. requests the first-ever special session of the KORUS Joint Committee");
    expect(text).toContain("*Special session of the KORUS Joint Committee must be held*");
    expect(text).toContain("Due 2017-08-11 (Fri) · *22 days left*");
    expect(text).toContain("30 days after “U.S. requests the first-ever special session");
    expect(text).toContain("*United States* (2017-07-12)");
    expect(text).toContain("*Korea* (2017-07-13)");
    expect(text).toContain("[1] Trade news item, July 2017: U.S. requests KORUS special session");
    // Not historical: asOf is today in New York.
    expect(text).not.toContain("historical view");
  });

  it("lists the latest developments newest first, each with its date", async () => {
    const text = blocksText((await bot.slack.command("status")).json as object);
    const developments = text
      .split("*Latest developments*\n")[1]!
      .split("\n")
      .filter((l) => l.startsWith("• "));
    expect(developments.length).toBeGreaterThanOrEqual(3);
    const dates = developments.map((l) => /^• (\d{4}-\d{2}-\d{2}):/.exec(l)?.[1]);
    expect(dates.every(Boolean)).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("posts in the channel with `public`", async () => {
    const before = (await bot.slack.command("status")).json as Record<string, unknown>;
    const ack = await bot.slack.command("status public");
    expect(ack.contentType).toBe("application/json");
    const body = ack.json as Record<string, unknown>;
    expect(body.response_type).toBe("in_channel");
    expectWithinBlockLimits(body);
    // The same report's answers, each in its own form: the private one stays private after a public one.
    expect({ ...body, response_type: "ephemeral" }).toEqual(before);
    expect(((await bot.slack.command("status")).json as Record<string, unknown>).response_type).toBe("ephemeral");
  });

  it("shows the status as it stood on an earlier date with `as-of`, hiding facts not known then", async () => {
    const text = blocksText((await bot.slack.command("status as-of 2017-07-12")).json as object);
    expect(text).toContain("historical view");
    expect(text).toContain("*30 days left*");
    // Korea's position is dated 13 July: not yet known on the 12th.
    expect(text).not.toContain("*Korea* (2017-07-13)");
  });

  it("counts an overdue deadline in days overdue", async () => {
    const text = blocksText((await bot.slack.command("status as-of 2017-08-15")).json as object);
    expect(text).toContain("*Overdue*");
    expect(text).toContain("overdue by 4 days");
    expect(text).toContain("No upcoming deadlines on record.");
  });

  it("before anything was known, says so instead of failing", async () => {
    const text = blocksText((await bot.slack.command("status as-of 2016-01-01")).json as object);
    expect(text).toContain("no events on record yet");
    expect(text).toContain("No upcoming deadlines on record.");
  });

  it("answers `help` in the ack itself with every command and an example of each", async () => {
    const ack = await bot.slack.command("help");
    expect(ack.status).toBe(200);
    const body = ack.json as { response_type: string; blocks: unknown[]; text: string };
    expect(body.response_type).toBe("ephemeral");
    expectWithinBlockLimits(body);
    const text = blocksText(body);
    expect(text).toContain("/korus status [topic] [public] [as-of YYYY-MM-DD]");
    expect(text).toContain("Example: `/korus status as-of 2017-07-20`");
    expect(text).toContain("/korus help");
  });

  it("answers an empty /korus with help", async () => {
    const ack = await bot.slack.command("");
    expect(blocksText(ack.json as object)).toContain("korus-bot commands");
  });

  it("answers an unknown subcommand with what it did not understand and the list of commands", async () => {
    const ack = await bot.slack.command("<!channel> dance");
    const body = ack.json as { text: string; blocks: unknown[] };
    const text = blocksText(body);
    // The user's text is escaped: no @channel ping.
    expect(text).toContain("I don't know the command `&lt;!channel&gt;`");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("/korus status [topic] [public] [as-of YYYY-MM-DD]");
  });

  it("explains a bad as-of date with the usage", async () => {
    const ack = await bot.slack.command("status as-of 2017-02-30");
    const body = ack.json as { text: string };
    expect(body.text).toContain("`2017-02-30` is not a date: write it as YYYY-MM-DD");
    expect(body.text).toContain("/korus status [topic] [public] [as-of YYYY-MM-DD]");
    const missing = await bot.slack.command("status as-of");
    expect((missing.json as { text: string }).text).toContain("`as-of` needs a date");
  });

  it("answers an over-long command politely, without doing the work", async () => {
    const ack = await bot.slack.command(`status ${"x".repeat(3000)}`);
    expect(ack.status).toBe(200);
    expect((ack.json as { text: string }).text).toContain("That command is 3,007 characters long; the most /korus reads is 1,000.");
  });

  it("tells the user, with a reference, when the status cannot be built, and keeps serving", async () => {
    const broken = await createTestDatabase();
    const brokenBot = await startBot(broken, { clock: fixedClock(NOW) });
    try {
      await broken.close();
      const ack = await brokenBot.slack.command("status");
      expect(ack.status).toBe(200);
      const body = ack.json as { response_type: string; text: string };
      expect(body.response_type).toBe("ephemeral");
      expect(body.text).toMatch(/Sorry, I couldn't build the status\. It has been logged \(reference `[0-9a-f]{8}`\)/);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
      // The reference is the request's id, which the logged failure carries.
      const reference = /reference `([0-9a-f]{8})`/.exec(body.text)![1]!;
      expect(brokenBot.logs.some((l) => l.startsWith(`ERROR [${reference}] status failed (reference ${reference})`))).toBe(true);
      const help = await brokenBot.slack.command("help");
      expect(help.status).toBe(200);
    } finally {
      await brokenBot.stop();
    }
  });
});

describe("/korus status when the answer takes longer than the ack budget", () => {
  it("acks at once and sends the status through response_url; a slow fact save shows 'Saving…' then updates the view", async () => {
    const db = await createTestDatabase();
    const bot = await startBot(db, { clock: fixedClock(NOW), ackBudgetMs: 0 });
    try {
      const response = bot.fake.waitForResponse();
      const ack = await bot.slack.command("status public");
      expect(ack.status).toBe(200);
      expect(ack.text).toBe("");
      const { body } = await response;
      expect(body.response_type).toBe("in_channel");
      expect(blocksText(body)).toContain("*22 days left*");

      const updated = bot.fake.waitFor((c) => c.method === "views.update");
      const saved = await bot.slack.interaction(
        viewSubmission({
          callbackId: "fact_add",
          values: {
            kind: input.select("note"),
            date: input.date("2017-07-20"),
            title: input.text("Slow save"),
            actor: input.select("US"),
            source_title: input.text("Test"),
          },
        }),
      );
      expect((saved.json as { view: { title: { text: string } } }).view.title.text).toBe("Saving…");
      const view = (await updated).body as { view_id: string; view: { title: { text: string } } };
      expect(view.view.title.text).toMatch(/^Fact #\d+ added$/);
    } finally {
      await bot.stop();
      await db.close();
    }
  });
});
