/**
 * Closing a deadline from the terminal: `korus facts close` as a process on a new data folder (the seeded store),
 * then the status, the calendar feed and the export of the same folder.
 */
import { describe, expect, it } from "vitest";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const korus = (args: string[], env: NodeJS.ProcessEnv) => run("node", ["bin/korus.js", ...args], { env });

describe("korus facts close", () => {
  it("marks the seed's special-session deadline met by a new fact, says so in status, ICS and export, and refuses bad input with exit 2", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const found = await korus(["facts", "search", "special session", "kind:deadline"], env);
    const id = /#(\d+): \*\*Special session of the KORUS Joint Committee must be held\*\*/.exec(found.stdout)![1]!;

    const noSource = await korus(["facts", "close", id, "--outcome", "met", "--on", "2017-08-22"], env);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toBe("korus: Name the source that says so.\n  sources: name at least one source: a title, a URL, or both\n");
    const both = await korus(["facts", "close", id, "--outcome", "met", "--by", "1", "--on", "2017-08-22"], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--by names a stored fact");
    const badOutcome = await korus(["facts", "close", id, "--outcome", "done", "--by", "1"], env);
    expect(badOutcome.code).not.toBe(0);
    expect(badOutcome.stderr).toContain("Allowed choices are met, missed, extended, withdrawn");

    const closed = await korus(
      [
        "facts",
        "close",
        id,
        "--outcome",
        "met",
        "--on",
        "2017-08-22",
        "--title",
        "First special session of the Joint Committee meets in Seoul",
        "--source",
        "USTR statement https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/august/ustr-lighthizer-statement-conclusion",
      ],
      env,
    );
    expect(closed.stderr).not.toMatch(NO_STACK);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(
      new RegExp(
        `^Closed deadline #${id} “Special session of the KORUS Joint Committee must be held” \\(due 2017-08-11\\): met 2017-08-22, 11 days late, by the new fact #\\d+ “First special session of the Joint Committee meets in Seoul”\\.\\n$`,
      ),
    );

    const before = await korus(["status", "--as-of", "2017-08-15"], env);
    expect(before.stdout).toContain("**overdue by 4 days**");
    const after = await korus(["status", "--as-of", "2017-09-01"], env);
    expect(after.stdout).toContain(
      "## Recent outcomes\n\n- **Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), **met 2017-08-22, 11 days late** (First special session of the Joint Committee meets in Seoul [",
    );
    expect(after.stdout).not.toContain("## Overdue");

    const ics = await korus(["deadlines", "export", "--format", "ics", "--since", "2017-01-01"], env);
    expect(ics.stdout.replace(/\r\n /g, "")).toContain("SUMMARY:Special session of the KORUS Joint Committee must be held (met 2017-08-22\\, 11 days late)");
    // A closing fact can stop closing it (""): the deadline is open again as of any day.
    const closer = /by the new fact #(\d+)/.exec(closed.stdout)![1]!;
    const reopened = await korus(["facts", "edit", closer, "--closes", "", "--reason", "recorded on the wrong deadline"], env);
    expect(reopened.stdout).toContain("(changed: closes)");
    expect((await korus(["status", "--as-of", "2017-09-01"], env)).stdout).toContain("**overdue by 21 days**");
    expect((await korus(["facts", "edit", closer, "--closes", "korus-2017-special-session-due", "--outcome", "met"], env)).code).toBe(0);
    const exported = await korus(["facts", "export"], env);
    expect(exported.stdout).toMatch(/"title":"First special session of the Joint Committee meets in Seoul".*"closes":"korus-2017-special-session-due","outcome":"met"/);
  });
});
