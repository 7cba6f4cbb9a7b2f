import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { consoleDeps } from "../support/terminal.js";

/**
 * The one command registry as users meet it: the same words in Slack and in the console (`fact` or `facts`, `memo`
 * or `memos`), "did you mean" for a near miss, and what was typed echoed back inert.
 */
describe("the command registry in Slack (signed requests, real Bolt app) and in the console", () => {
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

  const ackText = async (text: string) => {
    const ack = await bot.slack.command(text);
    expect(ack.status).toBe(200);
    return blocksText(ack.json as object);
  };

  it("answers a near miss in the ack with the command it likely meant, and does nothing else", async () => {
    const answered = () => bot.fake.calls.filter((c) => c.method === "response_url" || c.method.startsWith("chat.") || c.method.startsWith("views.")).length;
    const before = answered();
    const text = await ackText("stauts as-of 2017-07-20");
    expect(text).toContain("I don't know the command `stauts`. Did you mean `status as-of 2017-07-20`?");
    // The list of commands follows, so the right one is at hand.
    expect(text).toContain("/korus status [topic] [public] [as-of YYYY-MM-DD]");
    expect(await ackText("memos lst")).toContain("`memo lst` is not a memo command. Did you mean `memo list`?");
    expect(answered()).toBe(before);
  });

  it("takes both words of a group: `facts show 1` and `fact show 1` answer the same fact", async () => {
    const answers: string[] = [];
    for (const text of ["fact show 1", "facts show 1"]) {
      const response = bot.fake.waitForResponse();
      expect((await bot.slack.command(text)).status).toBe(200);
      answers.push(blocksText((await response).body));
    }
    expect(answers[0]).toContain("U.S. requests the first-ever special session of the KORUS Joint Committee");
    expect(answers[1]).toBe(answers[0]);
    const list = bot.fake.waitForResponse();
    await bot.slack.command("memos");
    expect(blocksText((await list).body)).toMatch(/memo/i);
  });

  it("answers an unknown command with the list of commands, and a console-only one with where it is done", async () => {
    const unknown = await ackText("dance");
    expect(unknown).toContain("I don't know the command `dance`.");
    expect(unknown).not.toContain("Did you mean");
    expect(unknown).toContain("korus-bot commands");
    expect(await ackText("memo write 1 purpose")).toContain("`memo write` works in the local console and the `korus` command, not here.");
  });

  it("echoes hostile text in a command's arguments back escaped: no ping, no link", async () => {
    for (const hostile of ["<!channel>", "<@U0BOSS>", "<https://evil.example|click>"]) {
      for (const text of [`stauts ${hostile}`, `fact shwo ${hostile}`, `memos lst ${hostile}`, `${hostile} dance`]) {
        const ack = await bot.slack.command(text);
        const body = JSON.stringify(ack.json);
        expect(body, text).not.toContain(hostile);
        expect(body, text).toContain(hostile.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
      }
    }
    // Sent as Slack sends it (entities), then escaped again on the way out.
    const ack = await bot.slack.command("stauts &lt;!here&gt;");
    expect(JSON.stringify(ack.json)).toContain("Did you mean `status &lt;!here&gt;`?");
  });

  it("in the console: the same words, the same near misses, and a CLI form that is no longer a search", async () => {
    const templates = await shippedTemplates();
    const deps = consoleDeps({ prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", templates });
    expect(await runTextCommand("stauts", deps)).toEqual({ ok: false, usage: true, output: expect.stringMatching(/^I don't know the command `stauts`\. Did you mean `status`\?\n/) });
    expect(await runTextCommand("memos lst", deps)).toEqual({ ok: false, usage: true, output: expect.stringContaining("Did you mean `memo list`?\nUsage: /korus memo new [template]") });
    const plural = await runTextCommand("facts show 1", deps);
    expect(plural).toEqual(await runTextCommand("fact show 1", deps));
    expect(plural.output).toContain("# Fact #1");
    // The CLI's words in the console: `facts add` with flags is the form, not a search for "add --kind ...".
    const added = await runTextCommand('facts add --kind event --date 2017-07-19 --title "Added with the CLI words" --actor US --source-title Wire', deps);
    expect(added).toEqual({ ok: true, output: expect.stringMatching(/^Added fact #\d+: 2017-07-19 Added with the CLI words\n$/) });
    // A `korus ...` hint pasted from an answer works as typed.
    expect((await runTextCommand("npx korus memos list", deps)).ok).toBe(true);
    expect(await runTextCommand("dance", deps)).toMatchObject({ ok: false, output: expect.stringContaining("**korus-bot commands**") });
  });
});
