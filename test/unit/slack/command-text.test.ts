import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/commands/parse.js";
import { commandText } from "../../../src/slack/command-text.js";

describe("a slash command's text as plain words", () => {
  it("turns a channel picked from the # menu into its id, with or without its name, public or private", () => {
    expect(commandText("schedule weekly mon 09:00 UTC <#C0123ABCD|trade-team> holidays:us")).toBe("schedule weekly mon 09:00 UTC C0123ABCD holidays:us");
    expect(commandText("alerts off <#G0PRIVATE>")).toBe("alerts off G0PRIVATE");
    expect(parseCommand(commandText("schedule weekly Monday 9:00 america/new_york <#C0123ABCD|trade-team> weekly-brief holidays:both"))).toMatchObject({
      name: "schedule-create",
      spec: { channel: "C0123ABCD", templateId: "weekly-brief", holidays: "both" },
    });
    expect(parseCommand(commandText("alerts on <#C0TRADE|trade> days 7,1"))).toMatchObject({ name: "alerts-on", spec: { channel: "C0TRADE", leadDays: [7, 1] } });
  });

  it("decodes Slack's entities once, and leaves other mentions, links and a mention inside a word as they are", () => {
    expect(commandText("ask what is &lt;b&gt; &amp;amp; more")).toBe("ask what is <b> &amp; more");
    expect(commandText("memo reassign 3 intro <@U0ANALYST|ana> see <https://e.example|x>")).toBe("memo reassign 3 intro <@U0ANALYST|ana> see <https://e.example|x>");
    expect(commandText("search x<#C0123ABCD|a>")).toBe("search x<#C0123ABCD|a>");
    // A typed "<#C…>" arrives as entities: decoded, it reads like a mention and is taken as the channel it names.
    expect(commandText("alerts off &lt;#C0TRADE&gt;")).toBe("alerts off C0TRADE");
  });
});
