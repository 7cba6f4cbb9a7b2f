import { describe, expect, it } from "vitest";
import { statusToMarkdown } from "../../../src/status/markdown.js";
import { buildStatus, MAX_DEVELOPMENTS } from "../../../src/status/status.js";
import { statusMessage } from "../../../src/slack/views/status.js";
import { blocksText, expectWithinBlockLimits } from "../../support/block-limits.js";

import { fact } from "../../support/facts.js";

describe("buildStatus", () => {
  const request = fact({ kind: "event", date: "2017-07-12", title: "Special session requested" });
  const deadline = fact({ kind: "deadline", date: "2017-08-11", title: "Session due", after: { days: 30, fromId: request.id } });
  const later = fact({ kind: "deadline", date: "2017-09-30", title: "Review due", sources: [{ title: "Source B", url: "https://example.org/b" }] });
  const usPos = fact({ kind: "position", date: "2017-07-12", title: "US wants balance" });
  const krPos = fact({ kind: "position", date: "2017-07-13", actor: "Korea", title: "Korea wants the framework kept" });
  const facts = [request, deadline, later, usPos, krPos];

  it("picks the next deadline and counts days left from the as-of date", () => {
    const report = buildStatus(facts, "2017-07-20", "2017-07-20");
    expect(report.nextDeadline?.fact.title).toBe("Session due");
    expect(report.nextDeadline?.daysLeft).toBe(22);
    expect(report.nextDeadline?.basis).toEqual({ days: 30, from: { date: "2017-07-12", title: "Special session requested" } });
    expect(report.laterDeadlines.map((d) => [d.fact.title, d.daysLeft])).toEqual([["Review due", 72]]);
    expect(report.historical).toBe(false);
  });

  it("moves a passed deadline to overdue, and forgets it after 30 days", () => {
    const report = buildStatus(facts, "2017-08-15", "2020-01-01");
    expect(report.nextDeadline?.fact.title).toBe("Review due");
    expect(report.overdue.map((d) => [d.fact.title, d.daysLeft])).toEqual([["Session due", -4]]);
    expect(report.historical).toBe(true);
    expect(buildStatus(facts, "2017-09-11", "2020-01-01").overdue).toEqual([]);
  });

  it("numbers sources in the order first cited and shares a number between facts of one source", () => {
    const report = buildStatus(facts, "2017-07-20", "2017-07-20");
    expect(report.sources).toEqual([
      { number: 1, title: "Source A" },
      { number: 2, title: "Source B", url: "https://example.org/b" },
    ]);
    expect(report.positions.map((p) => [p.actor, p.positions.map((c) => c.sourceNumbers)])).toEqual([
      ["US", [[1]]],
      ["Korea", [[1]]],
    ]);
  });

  it("lists at most five developments, newest first, the event first on its day", () => {
    const many = [request, ...Array.from({ length: 8 }, (_, i) => fact({ kind: "note", date: `2017-07-${String(i + 1).padStart(2, "0")}`, title: `Note ${i + 1}` }))];
    const sameDay = fact({ kind: "figure", date: "2017-07-12", title: "A figure" });
    const report = buildStatus([...many, sameDay], "2017-07-20", "2017-07-20");
    expect(report.developments).toHaveLength(MAX_DEVELOPMENTS);
    expect(report.developments.map((c) => c.fact.title)).toEqual(["Special session requested", "A figure", "Note 8", "Note 7", "Note 6"]);
  });

  it("renders Markdown with sources as links where a URL is known", () => {
    const md = statusToMarkdown(buildStatus(facts, "2017-07-20", "2017-07-20"));
    expect(md).toContain("**Session due**: due 2017-08-11 (Fri), **22 days left**; 30 days after “Special session requested” (2017-07-12) [1]");
    expect(md).toContain("Then: **Review due**: due 2017-09-30 (Sat), **72 days left** [2]");
    expect(md).toContain("2. [Source B](https://example.org/b)");
  });
});

describe("buildStatus on the fact core", () => {
  it("lists only facts visible on the as-of date, but still says what a deadline counts from", () => {
    // The store reads the fact a deadline counts from even when it is retracted or not yet known: it names the basis.
    const base = fact({ kind: "event", date: "2017-07-18", title: "Request later withdrawn", retracted: true });
    const unknown = fact({ kind: "note", date: "2017-07-19", known: "2017-07-25", title: "Learned later" });
    const due = fact({ kind: "deadline", date: "2017-08-17", title: "Reply due", after: { days: 30, fromId: base.id } });
    const request = fact({ kind: "event", date: "2017-07-12", title: "Special session requested" });
    const session = fact({ kind: "deadline", date: "2017-08-11", title: "Session due", after: { days: 30, fromId: request.id } });
    const report = buildStatus([request, base, unknown, due, session], "2017-07-20", "2017-07-20");
    expect(report.phase?.fact.title).toBe("Special session requested");
    expect(report.developments.map((c) => c.fact.title)).toEqual(["Special session requested"]);
    expect(report.nextDeadline?.fact.title).toBe("Session due");
    expect(report.laterDeadlines[0]).toMatchObject({ fact: { title: "Reply due" }, basis: { days: 30, from: { date: "2017-07-18", title: "Request later withdrawn" } } });
  });
});

describe("statusMessage (Block Kit)", () => {
  it("escapes user text so a fact cannot ping @channel or forge a link", () => {
    const evil = fact({
      kind: "event",
      date: "2017-07-12",
      title: "<!channel> <https://evil.example|USTR> & co",
      sources: [{ title: "<!here>", url: "https://ok.example/x" }],
    });
    const message = statusMessage(buildStatus([evil], "2017-07-20", "2017-07-20"));
    const text = blocksText(message);
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|USTR&gt; &amp; co");
    expect(text).toContain("<https://ok.example/x|&lt;!here&gt;>");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<!here>");
    expect(message.text).not.toContain("<!channel>");
  });

  it("stays within Block Kit limits with many long facts", () => {
    const long = "x".repeat(150);
    const facts = Array.from({ length: 2000 }, (_, i) =>
      fact({
        kind: (["event", "deadline", "position", "note", "figure"] as const)[i % 5]!,
        actor: i % 2 ? "US" : `Person ${i}`,
        date: `2017-${String((i % 12) + 1).padStart(2, "0")}-10`,
        title: `${i} ${long}`.slice(0, 150),
        sources: [{ title: `Source ${i} ${long}`, url: `https://example.org/${i}` }],
      }),
    );
    const message = statusMessage(buildStatus(facts, "2017-06-01", "2017-06-01"));
    expectWithinBlockLimits(message);
  });
});
