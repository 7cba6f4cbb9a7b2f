import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_BASE_MS, retryDelayMs } from "../../../src/delivery/outbox.js";

describe("the outbox's wait after a server or network error", () => {
  it("starts at the base, doubles with each attempt, stops at 5 minutes, and is spread by a quarter either way", () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, DEFAULT_RETRY_BASE_MS, 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(12, DEFAULT_RETRY_BASE_MS, 0.5)).toBe(300_000);
    expect(retryDelayMs(1, 50, 0)).toBe(37.5);
    expect(retryDelayMs(2, 50, 0.999_999)).toBeCloseTo(125, 3);
  });
});
