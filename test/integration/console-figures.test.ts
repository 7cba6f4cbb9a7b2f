import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTextCommand } from "../../src/cli/text-commands.js";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { loadTimeline } from "../eval/evaluate.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { consoleDeps } from "../support/terminal.js";

describe("figures, chart and ask in the local console", () => {
  let db: Database;
  let deps: Parameters<typeof runTextCommand>[1];
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    await loadTimeline(db);
    deps = consoleDeps({ prisma: db.prisma, clock: fixedClock("2019-06-03T15:00:00Z"), timeZone: "America/New_York", templates: await shippedTemplates() });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("answers /korus figures, /korus ask, and says where a chart can be made", async () => {
    const list = await runTextCommand("/korus figures", deps);
    expect(list).toMatchObject({ ok: true });
    expect(list.output).toContain("(`us-goods-deficit-korea`): 17.9 USD billion [1] in 2018");

    const unknown = await runTextCommand("figures nope", deps);
    expect(unknown).toEqual({ ok: false, output: "No figure series “nope” on record. Series on record: `us-goods-deficit-korea`.\n" });

    const chart = await runTextCommand("chart us-goods-deficit-korea", deps);
    expect(chart.ok).toBe(false);
    expect(chart.output).toContain("`npx korus chart us-goods-deficit-korea --out chart.png`");

    const answer = await runTextCommand("ask when did Korea's parliament ratify KORUS?", deps);
    expect(answer.ok).toBe(true);
    expect(answer.output).toContain("- **2011-11-22 (Tue)**: National Assembly ratifies KORUS [1]");
    expect(answer.output).toContain("1. [CRS, The U.S.-South Korea Free Trade Agreement (KORUS FTA): Provisions and Implementation (RL34330)](https://crsreports.congress.gov/product/pdf/RL/RL34330)");

    expect(await runTextCommand("ask", deps)).toMatchObject({ ok: false, output: expect.stringContaining("`ask` needs a question") });
  });
});
