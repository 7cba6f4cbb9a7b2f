/**
 * The terminal's user by name (issue 21): what the console records is shown with the name KORUS_USER_NAME (or the
 * account's full name) gives, in the console's own answers and in Slack's, the id `cli:<account>` staying what
 * permissions use. A hostile name is text in each: Markdown in the terminal, escaped mrkdwn in Slack, a JSON string in
 * the JSON Lines export.
 */
import { userInfo } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { type LocalUser, localUser } from "../../src/cli/local-user.js";
import { runTextCommand, type TextCommandDeps } from "../../src/cli/text-commands.js";
import type { Database } from "../../src/db/client.js";
import { addFact, retractFact } from "../../src/facts/service.js";
import { exportFactsJsonl } from "../../src/facts/export.js";
import { createMemo, writeSection } from "../../src/memos/service.js";
import { blocksText } from "../support/block-limits.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { consoleDeps } from "../support/terminal.js";

const HOSTILE = "Dana <!channel> [x](https://evil.example/d) *Kim* @here";
const CLOCK = fixedClock("2026-12-02T15:00:00Z");

describe("the terminal's user, by name", () => {
  let db: Database;
  let bot: RunningBot;
  let deps: TextCommandDeps & { prisma: Database["prisma"] };
  let user: LocalUser;
  const console = async (line: string) => {
    const answer = await runTextCommand(line, deps);
    expect(answer.ok, answer.output).toBe(true);
    return answer.output;
  };
  const slack = async (text: string) => {
    const answered = bot.fake.waitForResponse();
    await bot.slack.command(text, { user_id: "U0VIEWER" });
    return blocksText((await answered).body);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = consoleDeps({ prisma: db.prisma, clock: CLOCK, timeZone: "America/New_York", templates: await shippedTemplates() });
    // As the console starts with KORUS_USER_NAME set (src/main.ts).
    user = localUser(HOSTILE);
    await deps.terminal.rememberUser(user, new Date());
    bot = await startBot(db, { clock: CLOCK });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("keeps the account as the id and the configured name as the name; without one, the account's full name", () => {
    expect(user).toEqual({ id: `cli:${userInfo().username}`, name: HOSTILE });
    const passwd = `root:x:0:0:root:/root:/bin/bash\n${userInfo().username}:x:${userInfo().uid}:${userInfo().gid}:Dana Kim,Room 101,,:/home/dana:/bin/bash\n`;
    expect(localUser(undefined, () => passwd).name).toBe(userInfo().username === "root" ? "root" : "Dana Kim");
    expect(localUser("  ", () => "")).toEqual({ id: `cli:${userInfo().username}`, name: userInfo().username });
  });

  it("names them in the console's memo, fact, schedule and alert answers, escaped as Markdown", async () => {
    const memo = await createMemo({ ...deps, admins: [] }, { templateId: "special-session-prep", title: "Terminal memo" }, user.id);
    await writeSection({ ...deps, admins: [] }, memo.id, "purpose", { text: "Why.", baseRevision: 0 }, user.id);
    const escaped = "Dana &lt;!channel&gt; \\[x\\](https\\://evil.example/d) \\*Kim\\* @\u2060here";
    expect(await console(`memo show ${memo.id}`)).toContain(`created by ${escaped} · `);
    expect(await console(`memo history ${memo.id} purpose`)).toContain(`- revision 1 · ${escaped} · `);
    expect(await console(`memo export ${memo.id} --format md`)).toContain(`**Author:** ${escaped}  \n`);
    // HTML (from the same Markdown, sanitized): the name is text; no link hides behind "x" (a bare URL may be linked,
    // as any URL in text is, showing itself) and nothing is emphasised.
    const html = await console(`memo export ${memo.id} --format html`);
    const author = /<strong>Author:<\/strong>(.*?)<br \/>/.exec(html)![1]!;
    expect(author.replace(/<a href="([^"]+)"[^>]*>\1<\/a>/g, "$1")).toBe(" Dana &lt;!channel&gt; [x](https://evil.example/d) *Kim* @\u2060here");
    expect(html).not.toMatch(/<a [^>]*>x<\/a>|<em>Kim<\/em>|<!channel>/);

    const fact = await addFact({ prisma: db.prisma, admins: [] }, { date: "2017-07-12", known: "2017-07-12", title: "A terminal fact", kind: "note", actor: "US", source: "A note" }, user.id);
    await retractFact({ prisma: db.prisma, admins: [] }, fact.id, "could not confirm", user.id);
    expect(await console(`fact history ${fact.id}`)).toMatch(new RegExp(`· create by ${escapeRegExp(escaped)}\\n.*· retract by ${escapeRegExp(escaped)} · reason: could not confirm`, "s"));

    expect(await console("schedule weekly monday 09:00 America/New_York <#C0TEAM>")).toContain("Schedule created: #1");
    expect(await console("schedule list")).toContain(`owner ${escaped}; `);
    expect(await console("alerts on <#C0TEAM> days 7,1")).toBeTruthy();
    expect(await console("alerts list")).toContain(`(turned on by ${escaped}; `);
    expect(`${await console("schedule list")}${await console("alerts list")}`).not.toMatch(/cli:|<!channel>|(?<!\\)\]\(https/);
  });

  it("names them in Slack's answers as escaped mrkdwn, never as cli:account, and in the JSON Lines export as a string", async () => {
    const escaped = "Dana &lt;!channel&gt; [x](https://evil.example/d) *Kim* @\u2060here";
    const memo = await db.prisma.memo.findFirstOrThrow({ where: { title: "Terminal memo" } });
    const shown = await slack(`memo show ${memo.id}`);
    expect(shown).toContain(`· by ${escaped} · `);
    expect(await slack(`memo history ${memo.id} purpose`)).toContain(`• rev 1 · ${escaped} · `);
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title: "A terminal fact" } });
    expect(await slack(`fact history ${fact.id}`)).toContain(`*retract* by ${escaped}`);
    expect(await slack("schedule list")).toContain(`· owner ${escaped}`);
    expect(await slack("alerts list")).toContain(`turned on by ${escaped}`);
    for (const text of [shown, await slack(`fact history ${fact.id}`), await slack("schedule list"), await slack("alerts list")]) {
      expect(text).not.toMatch(/cli:|<!channel>|@here/);
    }
    const jsonl = await exportFactsJsonl(db.prisma, { includeRetracted: true });
    const line = JSON.parse(jsonl.split("\n").find((l) => l.includes("A terminal fact"))!) as { retracted: { by: string } };
    expect(line.retracted.by).toBe(HOSTILE);
  });

  it("a terminal account that never gave a name is shown as 'account (terminal)'; a Slack member not looked up yet as 'a teammate (U…)'", async () => {
    const memo = await createMemo({ ...deps, admins: [] }, { templateId: "special-session-prep", title: "Ghost memo", owners: { purpose: "U0NOBODY" } }, "cli:ghost");
    const shown = await console(`memo show ${memo.id}`);
    expect(shown).toContain("created by ghost (terminal) · ");
    expect(shown).toContain("· a teammate (U0NOBODY) · ");
    // The console cannot ask Slack: it leaves the member for the bot to look up at its next round.
    expect(await db.prisma.person.findUnique({ where: { id: "U0NOBODY" } })).toMatchObject({ name: null, fetchedAt: null });
    expect(await bot.server.jobs.refreshPeople()).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.person.findUniqueOrThrow({ where: { id: "U0NOBODY" } })).name).toBe("User U0NOBODY");
    expect(await console(`memo show ${memo.id}`)).toContain("· User U0NOBODY · ");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
