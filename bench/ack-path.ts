/**
 * `npm run bench -- --only=ack-path`: what a `/korus status` costs the bot per request, beside the bare Bolt app, to
 * explain the ack figure (not part of a full run: it explains a figure, it is not one of the issue's).
 *
 * - **CPU per request of each server process** (user + system time from /proc over a few thousand requests at
 *   concurrency 8, alternating rounds, GC included), and the bytes of each answer: the gap the ack figure measures.
 * - **The pieces of the bot's path, timed in this process** (µs per call, median of rounds): the signature check (both
 *   do it), reading the form (Bolt reads it once; the bot once more, for its ssl_check test and its shape check),
 *   the zod shape check of the body, the command's parse, the status answer's serialisation (made once per report;
 *   the bare app acks empty), and the request id and logger the bot makes per request.
 */
import { parse as parseQuery } from "node:querystring";
import { parseCommand } from "../src/commands/parse.js";
import { newRequestId, createLogger } from "../src/logger.js";
import { commandText } from "../src/slack/command-text.js";
import { isValidBoltRequest } from "../src/slack/bolt.js";
import { checkSlackPayload } from "../src/slack/payloads.js";
import type { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { signature, SlackClient } from "../test/support/signed-request.js";
import { cpuMs, quietAfterStart } from "./proc.js";
// Only a type (erased): bench/run.ts is the entry point that runs this file's figures.
import type { FigureInput } from "./run.js";

/** What bench/run.ts lends this figure: its servers. */
export interface AckPathServers {
  secret: string;
  startBot(store: { dataDir?: string }): Promise<{ port: number; pid: number; ready(): Promise<void>; stop(): Promise<void> }>;
  startBare(): Promise<{ port: number; pid: number; stop(): Promise<void> }>;
  preparedStore(facts: number): Promise<{ dataDir?: string }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function burst(client: SlackClient, total: number, concurrency: number): Promise<{ bytes: number; failures: number }> {
  let next = 0;
  let bytes = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const res = await client.command("status");
        bytes = res.text.length;
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { bytes, failures };
}

/** µs per call of `fn`, the median of `rounds` rounds of `n` calls. */
function perCall(fn: () => unknown, n = 5000, rounds = 7): number {
  for (let i = 0; i < n; i++) fn();
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) fn();
    results.push(((performance.now() - started) * 1000) / n);
  }
  return median(results);
}

export async function ackPathFigures(record: (f: FigureInput) => void, fake: FakeSlackApi, servers: AckPathServers, quick: boolean): Promise<void> {
  const perRound = quick ? 1000 : 3000;
  const rounds = quick ? 4 : 6;
  console.error(`ack path: CPU per /korus status request, bot beside the bare app (${rounds} rounds of ${perRound} at concurrency 8)`);
  const store = await servers.preparedStore(quick ? 2_000 : 10_000);
  const bare = await servers.startBare();
  const bot = await servers.startBot(store);
  let answer = "";
  try {
    await bot.ready();
    await quietAfterStart(bot.pid);
    const clients = {
      bare: new SlackClient(`http://127.0.0.1:${bare.port}`, servers.secret, { responseUrl: fake.responseUrl("bench") }),
      bot: new SlackClient(`http://127.0.0.1:${bot.port}`, servers.secret, { responseUrl: fake.responseUrl("bench") }),
    };
    answer = (await clients.bot.command("status")).text;
    // Warm-up: with fewer, the first measured round of each (optimised code not made yet) read up to 1.7x the others.
    await burst(clients.bare, 1500, 8);
    await burst(clients.bot, 1500, 8);
    const cpu = { bare: [] as number[], bot: [] as number[] };
    const bytes = { bare: 0, bot: 0 };
    for (let r = 0; r < rounds; r++) {
      for (const [name, server] of [
        ["bare", bare],
        ["bot", bot],
      ] as const) {
        const before = cpuMs(server.pid);
        const done = await burst(clients[name], perRound, 8);
        if (done.failures) throw new Error(`ack path: ${done.failures} answers from the ${name} app were not 200`);
        cpu[name].push(((cpuMs(server.pid) - before) * 1000) / perRound);
        bytes[name] = done.bytes;
      }
    }
    record({
      id: "ack-path-cpu",
      name: "CPU per /korus status request (server process, median of rounds)",
      value: median(cpu.bot),
      baseline: median(cpu.bare),
      unit: "µs",
      target: null,
      met: null,
      details: { bot_rounds: cpu.bot.map((c) => round(c, 0)).join(" "), bare_rounds: cpu.bare.map((c) => round(c, 0)).join(" "), answer_bytes: bytes.bot, bare_answer_bytes: bytes.bare },
    });
  } finally {
    await Promise.all([bot.stop(), bare.stop()]);
  }

  console.error("ack path: the pieces of the bot's path, in this process (µs per call)");
  const client = new SlackClient("http://127.0.0.1:9", servers.secret, { responseUrl: fake.responseUrl("bench") });
  let body = "";
  // The body the client sends, as sent (SlackClient.command builds it; send() is not called).
  client.send = async (b) => {
    body = b;
    return { status: 0, text: "", json: undefined, contentType: null };
  };
  await client.command("status");
  const timestamp = Math.floor(Date.now() / 1000);
  const sig = signature(servers.secret, timestamp, body);
  const form = parseQuery(body);
  const ack = JSON.parse(answer) as unknown;
  const quiet = createLogger("error", "korus", () => undefined);
  // [id, what, the call, how many times the bot makes it per request, how many times the bare app does]
  const pieces: Array<[string, string, () => unknown, number, number]> = [
    [
      "signature",
      "HMAC-SHA256 check of the body",
      () => isValidBoltRequest({ signingSecret: servers.secret, body, headers: { "x-slack-signature": sig, "x-slack-request-timestamp": timestamp }, nowMilliseconds: Date.now() }),
      1,
      1,
    ],
    ["form-read", "reading the form (querystring.parse: the bot once for its ssl_check test and shape check, then Bolt)", () => parseQuery(body), 2, 1],
    ["shape-check", "zod check of the parsed command body", () => checkSlackPayload(form), 1, 0],
    ["command-parse", "the command's text read by the registry", () => parseCommand(commandText("status"), "slack"), 1, 0],
    ["answer-json", `JSON.stringify of the status answer, ${answer.length} bytes (the bot makes it once per report; the bare app acks empty)`, () => JSON.stringify(ack), 0, 0],
    ["request-id", "request id and child logger (made on its first line)", () => quiet.child({ reqId: newRequestId() }), 1, 0],
  ];
  for (const [id, name, fn, botTimes, bareTimes] of pieces) {
    const us = perCall(fn);
    record({
      id: `ack-path-${id}`,
      name: `ack path: ${name} (${botTimes}x in the bot, ${bareTimes}x in the bare app)`,
      value: us * botTimes,
      baseline: bareTimes ? us * bareTimes : null,
      unit: "µs",
      target: null,
      met: null,
      details: { per_call_us: round(us) },
    });
  }
}
