/**
 * The review queue in the local console: the same commands as `korus feeds|candidates|sources`, typed with or without
 * `korus`, answered in Markdown, with errors as answers (never a stack).
 */
import { userInfo } from "node:os";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { parseAllowList, type AllowList } from "../../src/net/address-policy.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import { FEED_PATHS, FeedServer } from "../support/feed-server.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";
import { consoleDeps } from "../support/terminal.js";

let server: FeedServer;
let db: Database;
let run: (line: string) => Promise<{ ok: boolean; output: string }>;

beforeAll(async () => {
  server = await new FeedServer().start();
  db = await createTestDatabase({ seed: false });
  const templates = await shippedTemplates();
  const fetching = { allow: parseAllowList("127.0.0.1") as AllowList, feedIntervalMs: 30 * 60_000, hostIntervalMs: 0, background: false };
  run = (line) => runTextCommand(line, consoleDeps({ prisma: db.prisma, clock: fixedClock("2026-12-07T15:00:00Z"), timeZone: "America/New_York", templates, fetching }));
});
afterAll(async () => {
  await db?.close();
  await server.stop();
});

test("add, poll, review and read archives from the console", async () => {
  const added = await run(`feeds add ${server.url(FEED_PATHS.federalRegister)} --keywords "antidumping, Taiwan"`);
  expect(added).toEqual({ ok: true, output: expect.stringContaining("Added feed #1: Federal Register search “Federal Register: All Documents”") });
  expect(added.output).toContain("It has 20 items now; 2 match. `korus feeds poll` makes them candidates now; the bot polls the feed every 30 min.");
  expect((await run("feeds poll")).output).toContain(`#1 ${server.url(FEED_PATHS.federalRegister)}: 200, Federal Register search, 20 items, 2 matched, 2 new candidates\nDone: 2 new candidates.`);
  const listed = await run("/korus candidates");
  expect(listed.output).toMatch(/^# 2 candidates waiting/);
  const id = Number(/\*\*#(\d+)\*\* 2026-10-02 · `korus` · “Polyethylene/.exec(listed.output)![1]);
  expect((await run(`candidates show ${id}`)).output).toContain("- actor: US");
  expect(await run(`korus candidates accept ${id} --kind position --date 2026-13-01`)).toEqual({ ok: false, output: "--date: not a calendar date; write it as YYYY-MM-DD.\n" });
  expect((await run(`korus candidates accept ${id} --kind position`)).output).toMatch(new RegExp(`^Saved candidate #${id} as fact #1: 2026-10-02, position, “Polyethylene Terephthalate Film`));
  expect(await run(`candidates dismiss ${id}`)).toEqual({ ok: false, output: `Candidate #${id} was already saved as fact #1 by ${userInfo().username} (terminal) on 2026-12-07.\n` });
  const other = id === 1 ? 2 : 1;
  expect((await run(`candidates dismiss ${other} --not-relevant`)).output).toBe(
    `Marked not relevant to \`korus\`: candidate #${other} “Antidumping or Countervailing Duty Order, Finding, or Suspended Investigation; Opportunity To Request Administrative Review and Join Annual Inquiry Service List; Note Regarding Format of Review Requests”.\n`,
  );
  expect((await run("feeds")).output).toContain("Candidates: 0 waiting, 1 saved as facts, 0 dismissed, 1 not relevant");
  expect((await run("sources")).output).toMatch(
    /^# Cited pages \(1 queued\)\n\n- \*\*#1\*\* \[https\\:\/\/www\\\.federalregister\.gov\/documents\/2026\/10\/02\/2026-20273\/[^\]]*\]\(https:\/\/www\.federalregister\.gov\//,
  );
  expect(await run("sources show 99")).toEqual({ ok: false, output: "No cited page 99 (`sources` lists them).\n" });
  expect(await run("candidates accept")).toEqual({ ok: false, output: "`candidates accept` needs a candidate number (`candidates` lists them).\n" });
  expect((await run(`feeds add http://127.0.0.1:1/x --topic "Bad Topic"`)).output).toMatch(/^topic: `Bad Topic` is not a topic name/);
  expect((await run("help")).output).toContain("`candidates accept ID [--kind K] [--actor A] [--date D] [--title T] [--anyway]`");
});
