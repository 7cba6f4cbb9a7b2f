import { describe, expect, it } from "vitest";
import { gecosName } from "../../../src/cli/local-user.js";
import { distinctIds, PeopleNames, unknownLabel } from "../../../src/people/names.js";
import { personName } from "../../../src/people/store.js";
import { slackPersonOf } from "../../../src/slack/people.js";
import { oneLineText } from "../../../src/text-guard.js";

describe("people's labels", () => {
  const names = new PeopleNames([
    { id: "U0LEAD", name: "Dana Kim", deleted: false, bot: false },
    { id: "U0GONE", name: "Former Member", deleted: true, bot: false },
    { id: "U0ANA", name: null, deleted: false, bot: false },
    { id: "cli:dana", name: "Dana Kim", deleted: false, bot: false },
  ]);

  it("says the kept name, else an honest stand-in, never a bare member id", () => {
    expect(names.labels(["U0LEAD", "U0GONE", "cli:dana"])).toEqual(["Dana Kim", "Former Member", "Dana Kim"]);
    // Asked about, not known yet (or users.info failed): who it is, in words, with the id to find them by.
    expect(names.label("U0ANA")).toBe("a teammate (U0ANA)");
    expect(names.label("W0ENTERPRISE")).toBe("a teammate (W0ENTERPRISE)");
    expect(names.label("cli:root")).toBe("root (terminal)");
    // Other actors are shown as they are (the seed, a typed name).
    expect(names.label("korus-bot (seed)")).toBe("korus-bot (seed)");
    expect(unknownLabel("cli:")).toBe("cli:");
    expect(names.name("U0ANA")).toBeNull();
    expect(names.name(null)).toBeNull();
  });

  it("asks for each id once, empty ones left out", () => {
    expect(distinctIds(["U1", null, "U2", "", undefined, "U1"])).toEqual(["U1", "U2"]);
  });
});

describe("a name someone else chose, as kept", () => {
  it("is one line of text: control characters and newlines become spaces, invisible ones go, NFC", () => {
    expect(personName("Dana\nKim")).toBe("Dana Kim");
    expect(personName("Dana\u001b[2J\u0007 Kim")).toBe("Dana [2J Kim");
    expect(personName("Da\u200bna \u202eKim\u202c")).toBe("Dana Kim");
    expect(personName("Jose\u0301")).toBe("José");
    expect(personName("  \u200b \n ")).toBeNull();
    expect(personName(null)).toBeNull();
    // Markup is kept as typed: each output escapes it (src/render/escape.ts).
    expect(personName("<!channel> [x](https://evil) *bold*")).toBe("<!channel> [x](https://evil) *bold*");
  });

  it("mends a broken character and cuts a long name between code points", () => {
    expect(oneLineText("Dana \ud800Kim", 100)).toBe("Dana \ufffdKim");
    const long = `${"a".repeat(98)}😀😀😀`;
    const cut = personName(long)!;
    expect([...cut]).toHaveLength(100);
    expect(cut.endsWith("😀…")).toBe(true);
  });
});

describe("a Slack user's name", () => {
  const base = { id: "U0ANA", name: "ana", real_name: "Ana Lee (top)", profile: { real_name: "Ana Lee", display_name: "ana.l" }, updated: 1_700_000_000 };

  it("is the full name, else the display name, else the handle", () => {
    expect(slackPersonOf(base)).toEqual({ id: "U0ANA", name: "Ana Lee", deleted: false, bot: false, updated: 1_700_000_000 });
    expect(slackPersonOf({ ...base, profile: { real_name: " ", display_name: "ana.l" } }).name).toBe("Ana Lee (top)");
    expect(slackPersonOf({ id: "U0ANA", name: "ana", profile: { real_name: "", display_name: "ana.l" } }).name).toBe("ana.l");
    expect(slackPersonOf({ id: "U0ANA", name: "ana" }).name).toBe("ana");
    expect(slackPersonOf({ id: "U0ANA" })).toEqual({ id: "U0ANA", name: null, deleted: false, bot: false, updated: null });
  });

  it("of a deactivated member or a bot keeps what Slack gives, flagged", () => {
    expect(slackPersonOf({ ...base, deleted: true })).toMatchObject({ name: "Ana Lee", deleted: true });
    expect(slackPersonOf({ id: "U0BOT", name: "korus", is_bot: true, profile: { real_name: "korus" } })).toMatchObject({ name: "korus", bot: true });
  });
});

describe("the terminal user's full name from the passwd file", () => {
  const passwd = [
    "root:x:0:0:root:/root:/bin/bash",
    "dana:x:1000:1000:Dana Kim,Room 101,555-0100,,:/home/dana:/bin/bash",
    "sam:x:1001:1001:& Stone:/home/sam:/bin/bash",
    "empty:x:1002:1002::/home/empty:/bin/sh",
    "dana:x:1003:1003:Someone Else:/home/other:/bin/sh",
  ].join("\n");

  it("is the GECOS field up to its first comma, for the account and uid asked", () => {
    expect(gecosName(passwd, "dana", 1000)).toBe("Dana Kim");
    expect(gecosName(passwd, "dana", 1003)).toBe("Someone Else");
    // `&` stands for the capitalised account name (finger(1)).
    expect(gecosName(passwd, "sam", 1001)).toBe("Sam Stone");
    expect(gecosName(passwd, "empty", 1002)).toBeUndefined();
    expect(gecosName(passwd, "nobody", 65534)).toBeUndefined();
    expect(gecosName("", "dana", 1000)).toBeUndefined();
  });
});
