import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_IDS, VIEW_IDS } from "../../src/slack/ids.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, startProcess, tempDataDir } from "../support/processes.js";
import { type BotResponse, SlackClient } from "../support/signed-request.js";

/*
 * Fuzzing the bot as Slack reaches it: the real process (`node dist/main.js`, as npm start runs it; HTTP mode, embedded
 * database) gets correctly signed requests whose bodies are random, or this app's real payloads (test/fixtures/slack)
 * mutated: a field deleted, replaced by a random JSON value, or given another type, also inside the JSON that
 * private_metadata and button values carry. Every answer must be a deliberate 200 or 400 (never a 5xx, nor Bolt's
 * 404 for a request nobody acked), the process must stay up with /healthz at 200, and nothing may reach the
 * last-resort handlers. KORUS_FUZZ_RUNS and KORUS_FUZZ_SEED change the size and the seed; KORUS_PRINT_TABLES=1 prints
 * the counts.
 */

const RUNS = Number(process.env.KORUS_FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.KORUS_FUZZ_SEED ?? 20_261_129);
const SECRET = "fuzz-signing-secret-0123456789";
const FIXTURES = new URL("../fixtures/slack/", import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface FuzzRequest {
  /** How the body is sent: an interaction (`payload=` form field), an event (JSON), or a raw body. */
  wire: "interaction" | "event" | "form" | "raw";
  body: Json | Record<string, string>;
  raw?: string;
  contentType?: string;
}

/** This app's real payloads: the JSON fixtures (interactions and events) and the slash command forms. */
const fixtures: Array<{ name: string; wire: "interaction" | "event" | "form"; body: Json | Record<string, string> }> = readdirSync(FIXTURES)
  .filter((f) => /^(view_submission|block_actions|event_callback|url_verification)\..*json$|^slash_command\..*body\.txt$/.test(f))
  .map((name) => {
    const text = readFileSync(new URL(name, FIXTURES), "utf8");
    if (name.endsWith(".txt")) return { name, wire: "form" as const, body: Object.fromEntries(new URLSearchParams(text.trim())) };
    const body = JSON.parse(text) as Json;
    return { name, wire: /^(event_callback|url_verification)/.test(name) ? ("event" as const) : ("interaction" as const), body };
  });

/** JSON kept inside strings (private_metadata, button and option values): mutated as a tree, then put back. */
const NESTED = "\u0000json";

function expand(value: Json): Json {
  if (typeof value === "string" && /^[[{]/.test(value)) {
    try {
      return { [NESTED]: expand(JSON.parse(value) as Json) };
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  return value;
}

function collapse(value: Json): Json {
  if (Array.isArray(value)) return value.map(collapse);
  if (value && typeof value === "object") {
    if (NESTED in value) return JSON.stringify(collapse(value[NESTED]!));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collapse(v)]));
  }
  return value;
}

/** Every path to a value in `value`, parents before children. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) out.push([...prefix, i], ...paths(v, [...prefix, i]));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { at: number; op: "delete" | "replace" | "retype" | "null"; value: Json };

function mutate(body: Json, mutations: Mutation[]): Json {
  const tree = expand(structuredClone(body));
  for (const m of mutations) {
    const all = paths(tree);
    if (all.length === 0) break;
    const path = all[m.at % all.length]!;
    const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, tree) as Record<string | number, Json>;
    const key = path.at(-1)!;
    const current = parent[key];
    if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.op === "null") parent[key] = null;
    else if (m.op === "replace") parent[key] = m.value;
    else
      parent[key] =
        typeof current === "string"
          ? 42
          : typeof current === "number"
            ? String(current)
            : Array.isArray(current)
              ? { 0: current[0] ?? null }
              : current && typeof current === "object"
                ? [current]
                : "x";
  }
  return collapse(tree);
}

/** The structure of a body with its values left out: what "distinct payload shapes" counts. */
function shape(value: unknown, depth = 0): string {
  if (depth > 6) return "…";
  if (Array.isArray(value)) return `[${[...new Set(value.map((v) => shape(v, depth + 1)))].sort().join("|")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${shape((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(",")}}`;
  }
  return value === null ? "null" : typeof value;
}

const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const knownCallbackIds = [...Object.values(VIEW_IDS), "modal-with-inputs", ""];
const knownActionIds = [...Object.values(ACTION_IDS), "facts_page:more", "old_button"];

const arbitraries: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // A real payload of this app, mutated one to three times.
  {
    weight: 6,
    arbitrary: fc
      .record({
        fixture: fc.constantFrom(...fixtures),
        mutations: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom("delete", "replace", "retype", "null"), value: json }), { minLength: 1, maxLength: 3 }),
      })
      .map(({ fixture, mutations }): FuzzRequest => {
        if (fixture.wire === "form") {
          const form = { ...(fixture.body as Record<string, string>) };
          const keys = Object.keys(form);
          for (const m of mutations) {
            const key = keys[m.at % keys.length]!;
            if (m.op === "delete") delete form[key];
            else form[key] = typeof m.value === "string" ? m.value : JSON.stringify(m.value);
          }
          return { wire: "form", body: form };
        }
        return { wire: fixture.wire, body: mutate(fixture.body as Json, mutations) };
      }),
  },
  // The shapes the bot handles, with ids it knows (or nearly) and random values.
  {
    weight: 3,
    arbitrary: fc
      .record({
        callbackId: fc.constantFrom(...knownCallbackIds),
        metadata: fc.oneof(
          json.map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        values: fc.dictionary(
          fc.string({ maxLength: 12 }),
          fc.dictionary(fc.constantFrom("value", "x"), fc.record({ type: fc.constant("plain_text_input"), value: fc.oneof(fc.string(), fc.constant(null)) })),
        ),
      })
      .map(
        ({ callbackId, metadata, values }): FuzzRequest => ({
          wire: "interaction",
          body: {
            type: "view_submission",
            team: { id: "T0001" },
            user: { id: "U0FUZZ", team_id: "T0001" },
            view: { id: "V0FUZZ", callback_id: callbackId, private_metadata: metadata, state: { values }, hash: "h" },
          } as Json,
        }),
      ),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        actionId: fc.constantFrom(...knownActionIds),
        value: fc.oneof(
          json.map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        overflow: fc.boolean(),
        container: fc.constantFrom("message", "view"),
      })
      .map(
        ({ actionId, value, overflow, container }): FuzzRequest => ({
          wire: "interaction",
          body: {
            type: "block_actions",
            team: { id: "T0001" },
            user: { id: "U0FUZZ", team_id: "T0001" },
            trigger_id: "1.2.fuzz",
            container: { type: container },
            ...(container === "message" ? { response_url: "https://hooks.slack.com/actions/fuzz", channel: { id: "C0FUZZ" } } : {}),
            actions: [{ action_id: actionId, block_id: "b", type: overflow ? "overflow" : "button", ...(overflow ? { selected_option: { value } } : { value }) }],
          } as Json,
        }),
      ),
  },
  // A /korus command with any text, and other commands.
  {
    weight: 2,
    arbitrary: fc
      .record({
        text: fc.oneof(
          fc.string(),
          fc.constantFrom("status", "memo show ", "fact show ", "facts ", "schedule pause ", "memo history 1 ").chain((p) => fc.string().map((s) => p + s)),
        ),
        command: fc.constantFrom("/korus", "/korus", "/other"),
      })
      .map(
        ({ text, command }): FuzzRequest => ({
          wire: "form",
          body: { command, text, team_id: "T0001", user_id: "U0FUZZ", channel_id: "C0FUZZ", trigger_id: "1.2.fuzz", response_url: "https://hooks.slack.com/commands/fuzz" },
        }),
      ),
  },
  // Anything at all, as JSON, as a payload field, or as raw bytes.
  { weight: 2, arbitrary: json.map((body): FuzzRequest => ({ wire: "event", body })) },
  { weight: 2, arbitrary: json.map((body): FuzzRequest => ({ wire: "interaction", body })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ raw: fc.string({ maxLength: 200 }), contentType: fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain") })
      .map(({ raw, contentType }): FuzzRequest => ({ wire: "raw", body: null, raw, contentType })),
  },
);

/** Keeps every URL in a body on loopback: nothing the bot is told to call may leave the machine. */
function onLoopback<T>(value: T, responseUrl: string): T {
  if (typeof value === "string") return (/^https?:\/\//i.test(value) && !value.startsWith("http://127.0.0.1:") ? responseUrl : value) as T;
  if (Array.isArray(value)) return value.map((v) => onLoopback(v, responseUrl)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onLoopback(v, responseUrl)])) as T;
  return value;
}

function send(client: SlackClient, request: FuzzRequest, responseUrl: string): Promise<BotResponse> {
  const body = onLoopback(request.body, responseUrl);
  switch (request.wire) {
    case "interaction":
      return client.interaction(body);
    case "event":
      return client.event(body);
    case "form":
      return client.send(new URLSearchParams(body as Record<string, string>).toString());
    case "raw":
      return client.send(request.raw ?? "", { contentType: request.contentType });
  }
}

describe("fuzzing the bot over HTTP with signed requests (its own process)", () => {
  it("answers every random or mutated payload with 200 or 400, never a 5xx, and stays up", { timeout: 300_000 }, async () => {
    const fake = await new FakeSlackApi().start();
    const bot = await startProcess(process.execPath, ["dist/main.js"], {
      env: cleanEnv({ KORUS_DATA_DIR: tempDataDir(), SLACK_BOT_TOKEN: "xoxb-fuzz", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: "0", LOG_LEVEL: "warn" }),
      ready: /serving Slack over HTTP on port (\d+)/,
    });
    const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
    const responseUrl = fake.responseUrl("fuzz");
    const client = new SlackClient(baseUrl, SECRET, { responseUrl });
    const statuses = new Map<number, number>();
    const shapes = new Set<string>();
    let requests = 0;
    let exits = 0;
    void bot.exited.then(() => exits++);
    try {
      // The real payloads first, as they are, the new memo first: memo #1 then exists for the others to reach the memo code.
      for (const fixture of [...fixtures].sort((a, b) => Number(b.name.includes("memo_new")) - Number(a.name.includes("memo_new")))) {
        const res = await send(client, { wire: fixture.wire, body: fixture.body }, responseUrl);
        requests++;
        shapes.add(shape(fixture.body));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, fixture.name).toBe(200);
      }
      await fc.assert(
        fc.asyncProperty(arbitraries, async (request) => {
          const res = await send(client, request, responseUrl);
          requests++;
          shapes.add(request.wire === "raw" ? `raw:${request.contentType}` : `${request.wire}:${shape(request.body)}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect([200, 400], `${request.wire} ${JSON.stringify(request.body).slice(0, 300)} -> ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      const health = await fetch(`${baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(bot.child.exitCode).toBeNull();
      expect(exits).toBe(0);
      const output = bot.output();
      expect(output).not.toContain("LAST RESORT");
      expect(output).not.toContain("Bolt could not process");
      expect(output).not.toMatch(/not acknowledged within 3 seconds/);
      // No input makes a listener fail on our side either (the person would get "Sorry, ... reference ...").
      expect(output).not.toMatch(/failed \(reference [0-9a-f]+\)/);
      const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
      expect(fiveHundreds).toBe(0);
      const summary = { requests, distinctShapes: shapes.size, statuses: Object.fromEntries(statuses), fiveHundreds, exits, seed: SEED, runs: RUNS };
      if (process.env.KORUS_PRINT_TABLES) console.info(JSON.stringify(summary));
      if (process.env.KORUS_FUZZ_LOG) writeFileSync(process.env.KORUS_FUZZ_LOG, output);
      expect(requests).toBe(RUNS + fixtures.length);
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exited;
      await fake.stop();
    }
  });
});
