import { beforeAll, describe, expect, it } from "vitest";
import { loadTagger } from "../../../src/ask/parts-of-speech.js";
import { parseQuestion } from "../../../src/ask/question.js";

const TODAY = "2019-06-03";
const read = (text: string) => parseQuestion(text, TODAY);

beforeAll(async () => {
  await loadTagger();
});

describe("round 9: what a question asks, read from how it is put", () => {
  it("reads what a rule allows or requires as a deadline, not a span between two facts", () => {
    expect(read("how long does the treaty give the parties to meet after a request?").intent).toBe("deadline");
    expect(read("how many days does the agreement allow for a reply?").intent).toBe("deadline");
    expect(read("when is the ministry supposed to answer?").intent).toBe("deadline");
    expect(read("what date were they obliged to file by?").intent).toBe("deadline");
    // A span between two things named is still a span.
    expect(read("how many days from the request to the meeting?").intent).toBe("span");
  });

  it("does not read 'coming in' (imports arriving) as a question about the future", () => {
    expect(read("what date does rice start coming in under the quota?").future).toBe(false);
    expect(read("what is coming up for the panel?").future).toBe(true);
    expect(read("when will the panel meet?").future).toBe(true);
  });

  it("marks the words of what a deadline listing lists, before its first preposition", () => {
    const q = read("past-due items on rice, as of 2019-01-01");
    expect(q.tokens.filter((t) => t.head).map((t) => t.word)).toEqual(["past", "due", "items"]);
    expect(read("what was overdue on the korus file?").tokens.find((t) => t.word === "file")?.head).toBe(true);
  });
});
