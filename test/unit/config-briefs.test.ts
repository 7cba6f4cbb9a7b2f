import { describe, expect, it } from "vitest";
import { schedulerSettings } from "../../src/scheduled-posts.js";
import { type ConfigError, loadConfig, parseDuration } from "../../src/config.js";

describe("the brief scheduler's environment", () => {
  it("defaults to a 12 h grace window, a 20 s tick and a 60 s claim timeout", () => {
    expect(schedulerSettings(loadConfig({}))).toEqual({ graceMs: 12 * 3_600_000, tickMs: 20_000, claimTimeoutMs: 60_000 });
  });

  it("reads durations with a unit, and the clock offset testing knob", () => {
    const config = loadConfig({ KORUS_BRIEF_GRACE: "90m", KORUS_BRIEF_TICK: "1s", KORUS_BRIEF_CLAIM_TIMEOUT: "1500ms", KORUS_CLOCK_OFFSET_MS: "-5000" });
    expect(schedulerSettings(config)).toEqual({ graceMs: 90 * 60_000, tickMs: 1000, claimTimeoutMs: 1500 });
    expect(config.clockOffsetMs).toBe(-5000);
    expect(["12h", "1d", "0s", "2.5s"].map(parseDuration)).toEqual([43_200_000, 86_400_000, 0, 2500]);
    expect(parseDuration("12")).toBeUndefined();
  });

  it("names each bad variable", () => {
    try {
      loadConfig({ KORUS_BRIEF_GRACE: "twelve hours", KORUS_BRIEF_TICK: "100ms", KORUS_CLOCK_OFFSET_MS: "soon" });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        "KORUS_BRIEF_GRACE: must be a duration such as 12h, 90m, 20s or 500ms",
        "KORUS_BRIEF_TICK: must be at least 1s",
        "KORUS_CLOCK_OFFSET_MS: must be a whole number of milliseconds (a testing knob)",
      ]);
    }
  });
});
