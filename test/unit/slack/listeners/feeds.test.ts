/** `/korus feeds add`'s words read at Slack's edge: the feed domain is handed plain channel ids. */
import { describe, expect, it } from "vitest";
import { readFeedAdd } from "../../../../src/slack/listeners/feeds.js";

describe("readFeedAdd", () => {
  it("reads a #channel picked from the menu (made an id by command-text), and channel:<#C…|name> inside a word", () => {
    expect(readFeedAdd(["https://example.org/feed.xml", "korus", "C0REVIEW"], "C0TYPED")).toEqual({ url: "https://example.org/feed.xml", topic: "korus", channels: ["C0REVIEW"] });
    expect(readFeedAdd(["https://example.org/feed.xml", "channel:<#C0TARIFF|tariffs>,G0PRIVATE"], "C0TYPED")).toEqual({ url: "https://example.org/feed.xml", channels: ["C0TARIFF", "G0PRIVATE"] });
  });

  it("reviews in the channel typed in when none is given", () => {
    expect(readFeedAdd(["<https://example.org/feed.xml|feed>"], "C0TYPED")).toEqual({ url: "https://example.org/feed.xml", channels: ["C0TYPED"] });
  });

  it("refuses a channel: that is not a Slack channel id, naming it", () => {
    expect(readFeedAdd(["https://example.org/feed.xml", "channel:<@U0LEAD>"], "C0TYPED")).toBe("`<@U0LEAD>` is not a Slack channel id: write it like C0123ABCD, or pick the channel from the # menu.");
    expect(readFeedAdd(["https://example.org/feed.xml", "channel:general"], "C0TYPED")).toBe("`general` is not a Slack channel id: write it like C0123ABCD, or pick the channel from the # menu.");
  });
});
