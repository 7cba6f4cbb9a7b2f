import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { type RunningBot, startBot } from "../support/bot.js";
import { signature } from "../support/signed-request.js";
import { createTestDatabase } from "../support/test-db.js";

// Slack's documentation examples, copied here so that the test needs nothing outside the repository.
const FIXTURES = new URL("../fixtures/slack/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
const vector = JSON.parse(fixture("signature_vector.json")) as {
  signing_secret: string;
  headers: { "X-Slack-Request-Timestamp": string; "X-Slack-Signature": string };
  expected_signature: string;
};
const signedBody = fixture("slash_command.signed_body.txt").trim();

describe("signature verification on the real HTTP receiver", () => {
  let db: Database;
  let bot: RunningBot;
  const vectorTime = Number(vector.headers["X-Slack-Request-Timestamp"]);

  beforeAll(async () => {
    db = await createTestDatabase();
    // The worked example is from 2018: the bot's clock is set to its timestamp + 10 s.
    bot = await startBot(db, { secret: vector.signing_secret, clock: fixedClock(new Date((vectorTime + 10) * 1000)) });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("our signer reproduces Slack's worked example", () => {
    expect(signature(vector.signing_secret, vectorTime, signedBody)).toBe(vector.expected_signature);
  });

  it("accepts Slack's worked example exactly as documented", async () => {
    const res = await bot.slack.send(signedBody, {
      timestamp: vectorTime,
      signature: vector.headers["X-Slack-Signature"],
    });
    expect(res.status).toBe(200);
    // The example is for /webhook-collect, which this app does not own: it says so instead of timing out.
    expect((res.json as { text: string }).text).toContain("This app answers /korus only");
  });

  it("rejects a wrong signature with 401", async () => {
    const res = await bot.slack.send(signedBody, { timestamp: vectorTime, signature: `v0=${"0".repeat(64)}` });
    expect(res.status).toBe(401);
  });

  it("rejects a signature made with another secret with 401", async () => {
    const res = await bot.slack.send(signedBody, { timestamp: vectorTime, secret: "not-the-secret" });
    expect(res.status).toBe(401);
  });

  it("rejects a missing signature or timestamp with 401", async () => {
    expect((await bot.slack.send(signedBody, { timestamp: vectorTime, signature: null })).status).toBe(401);
    const noTimestamp = await fetch(`${bot.baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-signature": vector.expected_signature },
      body: signedBody,
    });
    expect(noTimestamp.status).toBe(401);
  });

  it("rejects a correctly signed request more than 5 minutes old (replay) with 401", async () => {
    const stale = vectorTime - 5 * 60 - 1;
    const res = await bot.slack.send(signedBody, { timestamp: stale });
    expect(res.status).toBe(401);
    const fresh = await bot.slack.send(signedBody, { timestamp: vectorTime - 4 * 60 });
    expect(fresh.status).toBe(200);
  });

  it("rejects a body changed after signing with 401", async () => {
    const res = await bot.slack.send(signedBody.replace("roadrunner", "coyote"), {
      timestamp: vectorTime,
      signature: vector.expected_signature,
    });
    expect(res.status).toBe(401);
  });
});

describe("the HTTP receiver with bad input", () => {
  let db: Database;
  let bot: RunningBot;

  beforeAll(async () => {
    db = await createTestDatabase();
    bot = await startBot(db);
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.close();
  });

  it("answers Slack's unsigned ssl_check probe with 200", async () => {
    const res = await bot.slack.send(fixture("ssl_check.body.txt").trim(), { signature: null });
    expect(res.status).toBe(200);
  });

  it("echoes the url_verification challenge", async () => {
    const body = fixture("url_verification.json");
    const res = await bot.slack.event(JSON.parse(body));
    expect(res.status).toBe(200);
    expect(res.text).toContain("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });

  it("answers a payload that is not JSON with 400", async () => {
    const res = await bot.slack.send("payload=%7Bnot-json");
    expect(res.status).toBe(400);
  });

  it("answers a JSON body that does not parse with 400", async () => {
    const res = await bot.slack.send('{"type": ', { contentType: "application/json" });
    expect(res.status).toBe(400);
  });

  it("answers a malformed form body without a 5xx", async () => {
    const res = await bot.slack.send("%%%&&&=%ZZ&command");
    expect(res.status).toBeLessThan(500);
  });

  it("answers a body over the size limit with 413", async () => {
    const res = await bot.slack.send(`text=${"a".repeat(11 * 1024 * 1024)}`);
    expect(res.status).toBe(413);
  });

  it("replaces a submitted modal it never opened with an 'expired' view, saving nothing", async () => {
    const res = await bot.slack.interaction({
      type: "view_submission",
      team: { id: "T0001", domain: "example" },
      user: { id: "U0ANALYST", name: "analyst", team_id: "T0001" },
      api_app_id: "A0KORUS",
      trigger_id: "1.2.3",
      view: {
        id: "VNHU13V36",
        type: "modal",
        callback_id: "modal-with-inputs",
        private_metadata: "shhh-its-secret",
        state: { values: { multiline: { mlvalue: { type: "plain_text_input", value: "This is my example inputted value" } } } },
        hash: "156663117.cd33ad1f",
      },
    });
    expect(res.status).toBe(200);
    const body = res.json as { response_action: string; view: { blocks: Array<{ text: { text: string } }> } };
    expect(body.response_action).toBe("update");
    expect(body.view.blocks[0]!.text.text).toContain("This form is no longer valid");
  });

  it("returns 404 for other paths, and keeps serving after all of the above", async () => {
    expect((await fetch(`${bot.baseUrl}/nope`)).status).toBe(404);
    const ack = await bot.slack.command("status");
    expect(ack.status).toBe(200);
    expect((ack.json as { response_type: string }).response_type).toBe("ephemeral");
  });
});

describe("GET /healthz and /readyz", () => {
  it("/healthz answers 200 while the process serves; /readyz 200 while the database answers and 503 once it does not", async () => {
    const db = await createTestDatabase({ seed: false });
    const bot = await startBot(db);
    try {
      const live = await fetch(`${bot.baseUrl}/healthz`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ ok: true });
      const ready = await fetch(`${bot.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, database: "reachable" });
      await db.close();
      const down = await fetch(`${bot.baseUrl}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ok: false, database: "unreachable" });
      expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${bot.baseUrl}/healthz`, { method: "POST" })).status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});
