/**
 * What Slack's requests get while the bot waits for a `korus` command to free the data folder: the bot's HTTP server
 * (health.ts) with the real not-ready handler, signed requests as Slack sends them, the fake Slack Web API; then the
 * real Bolt app plugged in once the folder is free. test/integration/data-folder.test.ts does the same with the bot
 * and a command as processes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { type BotHttpServer, startBotHttpServer } from "../../src/health.js";
import { createSlackHttpApp, type SlackHttpApp } from "../../src/slack/app.js";
import { createSlackServices } from "../../src/commands/services-slack.js";
import { makeNotReadyHandler } from "../../src/slack/not-ready.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { capturingLogger } from "../support/logs.js";
import { SlackClient } from "../support/signed-request.js";
import { shippedTemplates } from "../support/templates.js";
import { createTestDatabase } from "../support/test-db.js";

const SECRET = "not-ready-test-signing-secret";
const IMPORT = { command: "korus facts import bulletins.jsonl", since: new Date(Date.now() - 4 * 60_000 - 5000).toISOString() };

let fake: FakeSlackApi;
let db: Database;
let http: BotHttpServer;
let slack: SlackClient;
let app: SlackHttpApp | undefined;
const { logger, lines } = capturingLogger("info", "not-ready-test");

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  db = await createTestDatabase();
  http = await startBotHttpServer(0, "127.0.0.1", {
    notReady: makeNotReadyHandler({ signingSecret: SECRET, botToken: "xoxb-not-ready", slackApiUrl: fake.apiUrl, clock: systemClock, logger }),
  });
  http.waitingFor(IMPORT);
  slack = new SlackClient(`http://127.0.0.1:${http.port}`, SECRET, { responseUrl: fake.responseUrl("busy") });
});
afterAll(async () => {
  app?.close();
  await http?.close();
  await db?.close();
  await fake?.stop();
});

const BUSY = "korus-bot is busy with an import (`korus facts import bulletins.jsonl`, running for 4 min) and will answer again in a moment.";

describe("while the bot waits for an import to free the data folder", () => {
  it("answers a signed /korus status at once with 200 and an ephemeral message saying it is busy with an import", async () => {
    const started = performance.now();
    const res = await slack.command("status");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: "ephemeral", text: `:hourglass_flowing_sand: ${BUSY} Nothing was done; please try again shortly.` });
  });

  it("keeps a submitted modal open with the message under its first field, and pushes a small modal over one without fields", async () => {
    const view = { id: "V1", type: "modal", callback_id: "fact_edit", private_metadata: "{}", state: { values: {} } };
    const withFields = await slack.interaction({
      type: "view_submission",
      user: { id: "U0ANALYST" },
      team: { id: "T0001" },
      view: {
        ...view,
        blocks: [
          { type: "section", block_id: "intro", text: { type: "mrkdwn", text: "Edit" } },
          { type: "input", block_id: "title", element: {} },
        ],
      },
    });
    expect(withFields.status).toBe(200);
    expect(withFields.json).toEqual({
      response_action: "errors",
      errors: { title: "korus-bot is busy with an import; nothing was saved. Your entries are kept: submit again in a moment." },
    });
    const withoutFields = await slack.interaction({ type: "view_submission", user: { id: "U0ANALYST" }, team: { id: "T0001" }, view: { ...view, blocks: [] } });
    expect(withoutFields.json).toMatchObject({ response_action: "push", view: { type: "modal", title: { text: "korus-bot is busy" } } });
    expect(JSON.stringify(withoutFields.json)).toContain(BUSY);
  });

  it("acks a button and says it is busy through the response_url, or in a modal opened with the trigger", async () => {
    const button = { type: "block_actions", user: { id: "U0ANALYST" }, team: { id: "T0001" }, actions: [{ action_id: "fact_menu", type: "button", value: "1" }] };
    const inMessage = await slack.interaction({ ...button, response_url: fake.responseUrl("button") });
    expect(inMessage.status).toBe(200);
    const posted = await fake.waitFor((c) => c.method === "response_url" && c.path.endsWith("/button"));
    expect(posted.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect((posted.body as { text: string }).text).toContain(BUSY);

    const onHomeTab = await slack.interaction({ ...button, trigger_id: "12345.98765.abcd", view: { id: "VHOME", type: "home" } });
    expect(onHomeTab.status).toBe(200);
    const opened = await fake.waitFor((c) => c.method === "views.open");
    expect(opened.body).toMatchObject({ trigger_id: "12345.98765.abcd" });
    expect(JSON.stringify(opened.body)).toContain(BUSY);
  });

  it("has Slack deliver an event again later (503 with Retry-After), and answers URL verification and the SSL probe as always", async () => {
    const event = await slack.event({ type: "event_callback", team_id: "T0001", event: { type: "app_home_opened", user: "U0ANALYST", tab: "home" } });
    expect(event.status).toBe(503);
    const verification = await slack.event({ type: "url_verification", challenge: "c-123", token: "t" });
    expect(verification.json).toEqual({ challenge: "c-123" });
    expect((await slack.send("token=random&ssl_check=1", { signature: null })).status).toBe(200);
  });

  it("refuses what it would refuse when ready: a wrong signature (401), an unknown payload (400)", async () => {
    expect((await slack.command("status", {}, { signature: "v0=bad" })).status).toBe(401);
    expect((await slack.interaction({ type: "dialog_submission" })).status).toBe(400);
    expect(lines.some((l) => l.includes("rejected a request to /slack/events with a missing, wrong, stale or future-dated signature"))).toBe(true);
  });

  it("keeps /healthz live; /readyz says it is starting and what it waits for", async () => {
    expect((await fetch(`${slack.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${slack.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, database: "starting", waiting_for: "korus facts import bulletins.jsonl" });
  });
});

describe("once the folder is free and the bot is ready", () => {
  it("serves Slack normally: the same /korus status gets the status", async () => {
    const settings = { clock: systemClock, logger, timeZone: "America/New_York", admins: [], templates: await shippedTemplates() };
    app = createSlackHttpApp({ ...settings, services: createSlackServices({ db, ...settings }) }, { botToken: "xoxb-not-ready", signingSecret: SECRET, slackApiUrl: fake.apiUrl });
    http.ready(db, app.handle);
    const res = await slack.command("status");
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json ?? (await fake.waitForResponse()).body)).toContain("KORUS");
    expect(JSON.stringify(res.json ?? "")).not.toContain("busy");
    const ready = await fetch(`${slack.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, database: "reachable" });
  });
});
