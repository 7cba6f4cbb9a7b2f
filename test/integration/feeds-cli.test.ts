/**
 * The run-through a new user does, with the real `korus` command against the fixture server on 127.0.0.1: three
 * feeds added, a poll, the queue, one accepted, one dismissed, a second poll answered 304, a dead link shown with its
 * archived copy, and the hostile feeds refused with their reasons and a non-zero exit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_PATHS, FeedServer } from "../support/feed-server.js";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const korus = (args: string[], env: NodeJS.ProcessEnv) => run("node", ["bin/korus.js", ...args], { env });
let server: FeedServer;

beforeAll(async () => {
  server = await new FeedServer().start();
});
afterAll(async () => {
  await server.stop();
});

describe("feeds from the terminal", () => {
  it("adds, polls, reviews, archives and refuses, as a person would", { timeout: 240_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir(), KORUS_FEEDS_ALLOW_HOSTS: "127.0.0.1", KORUS_FEEDS_HOST_INTERVAL: "0s" });
    const fr = await korus(["feeds", "add", server.url(FEED_PATHS.federalRegister), "--keywords", "antidumping,Taiwan", "--channel", "C0123ABCD"], env);
    expect(fr.stdout).toContain("Added feed #1: Federal Register search “Federal Register: All Documents”");
    expect(fr.stderr).toContain(`korus: checking ${server.url(FEED_PATHS.federalRegister)} …`);
    expect((await korus(["feeds", "add", server.url(FEED_PATHS.rss), "--keywords", "Medicare", "--actor", "Rep. Raul Ruiz"], env)).code).toBe(0);
    expect((await korus(["feeds", "add", server.url(FEED_PATHS.atom), "--topic", "usmca"], env)).stdout).toContain("It has 15 items now; all match.");

    const poll = await korus(["feeds", "poll"], env);
    expect(poll.code).toBe(0);
    expect(poll.stdout).toContain(`#1 ${server.url(FEED_PATHS.federalRegister)}: 200, Federal Register search, 20 items, 2 matched, 2 new candidates`);
    expect(poll.stdout).toContain("Done: 20 new candidates (korus candidates list).");
    const list = await korus(["candidates", "list", "--topic", "korus"], env);
    expect(list.stdout).toMatch(/^# 5 candidates waiting/);
    const pet = Number(/\*\*#(\d+)\*\* 2026-10-02 · `korus` · “Polyethylene/.exec(list.stdout)![1]);
    const accepted = await korus(["candidates", "accept", String(pet), "--kind", "position"], env);
    expect(accepted.stdout).toMatch(new RegExp(`^Saved candidate #${pet} as fact #\\d+: 2026-10-02, position, “Polyethylene Terephthalate Film`));
    expect(await korus(["candidates", "dismiss", String(pet)], env)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(new RegExp(`^korus: Candidate #${pet} was already saved as fact #\\d+ by (?!cli:)\\S`)),
    });
    const ruiz = Number(/\*\*#(\d+)\*\* 2013-04-10/.exec(list.stdout)![1]);
    expect((await korus(["candidates", "dismiss", String(ruiz), "--not-relevant"], env)).stdout).toContain(`Marked not relevant to \`korus\`: candidate #${ruiz}`);
    expect(await korus(["candidates", "accept", "x"], env)).toMatchObject({ code: 2, stderr: expect.stringContaining("must be a candidate number") });

    const again = await korus(["feeds", "poll"], env);
    expect(again.stdout.match(/304 not modified, nothing new/g)).toHaveLength(3);
    expect(again.stdout).toContain("Done: 0 new candidates.");
    const feeds = await korus(["feeds", "list"], env);
    expect(feeds.stdout).toContain("(304 not modified)");
    expect(feeds.stdout).toContain("Candidates: 1 waiting, 1 saved as facts, 0 dismissed, 0 not relevant");

    // A dead link with its archived copy.
    const page = server.url(FEED_PATHS.page);
    expect(
      (
        await korus(
          [
            "facts",
            "add",
            "--kind",
            "event",
            "--date",
            "2024-12-07",
            "--known",
            "2024-12-07",
            "--title",
            "Impeachment motion against President Yoon fails",
            "--actor",
            "Korea",
            "--source",
            `NBC News ${page}`,
          ],
          env,
        )
      ).code,
    ).toBe(0);
    const id = /\*\*#(\d+)\*\* \[http\\:\/\/127\.0\.0\.1/.exec((await korus(["sources", "list"], env)).stdout)![1]!;
    expect((await korus(["sources", "archive", id], env)).stdout).toMatch(new RegExp(`^#${id} ${page}: archived \\(7,\\d{3} characters of text\\)`));
    server.gone.add(FEED_PATHS.page);
    const check = await korus(["sources", "check", id], env);
    expect(check.stdout).toContain(`#${id} ${page}: DEAD (HTTP 404 Not Found); archived copy, fetched `);
    const status = await korus(["status", "--as-of", "2024-12-10"], env);
    expect(status.stdout).toMatch(
      new RegExp(
        `\\d+\\. \\[NBC News\\]\\(${page.replace(/[.?]/g, "\\$&")}\\) — dead link since \\d{4}-\\d{2}-\\d{2} \\(HTTP 404 Not Found\\); archived copy, fetched \\d{4}-\\d{2}-\\d{2} \\(korus sources show ${id}\\)`,
      ),
    );
    const shown = await korus(["sources", "show", id], env);
    expect(shown.stdout).toContain("SEOUL, South Korea — A plan to impeach South Korean President Yoon Suk Yeol");

    // Hostile feeds: refused with the reason, nothing stored, exit 1, no stack.
    const hostile: Array<[string, NodeJS.ProcessEnv, string]> = [
      [
        server.url(FEED_PATHS.jsonFeed),
        cleanEnv({ KORUS_DATA_DIR: env.KORUS_DATA_DIR! }),
        "refused: 127.0.0.1 is a loopback address (the bot fetches from public addresses only; KORUS_FEEDS_ALLOW_HOSTS lists exceptions). Nothing was added.",
      ],
      [server.url("/hostile/metadata-redirect"), env, "refused: 169.254.169.254 is the cloud metadata address"],
      [server.url("/hostile/billion-laughs.xml"), env, "refused: the document declares XML entities in its DOCTYPE (as a billion-laughs attack does)"],
      [server.url("/hostile/external-entity.xml"), env, "refused: the document declares an external XML entity"],
      [server.url("/hostile/gzip-bomb.xml"), env, "the response is larger than 5 MB once decompressed; nothing was kept. Nothing was added."],
      [server.url("/hostile/50mb.xml"), env, "the response is larger than 5 MB; nothing was kept. Nothing was added."],
    ];
    for (const [url, e, message] of hostile) {
      const refused = await korus(["feeds", "add", url], e);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(message);
      expect(refused.stderr).not.toMatch(NO_STACK);
    }
    expect((await korus(["feeds", "list"], env)).stdout).not.toContain("/hostile/");
  });
});
