/**
 * Bench figures for issue 20 (imports are linear and never hold the bot):
 * - an import of a one-day bulletin (1,000 lines of one day with near-identical titles) beside the same lines on
 *   distinct days, in this process on an in-memory database: the likely-duplicate check must not cost more because
 *   the lines share a day;
 * - `/korus status` ack latency of the real bot while `korus facts import` of 10,000 lines runs through it (a CLI
 *   process on the bot's owner socket), beside the same requests with no import.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { addDays } from "../src/facts/dates.js";
import { parseFactLines } from "../src/facts/jsonl-read.js";
import { importFactLines } from "../src/facts/import.js";
import { count } from "../src/render/count.js";
import type { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { SlackClient } from "../test/support/signed-request.js";
import { syntheticJsonl } from "./generate.js";
// Only a type (erased): bench/run.ts is the entry point that runs this file's figures.
import type { FigureInput } from "./run.js";

type Recorded = FigureInput;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 100) / 100;

/** `count` bulletin lines: the same title but for the item number, on `date(i)`. */
function bulletinLines(count: number, date: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ date: date(i), title: `Daily trade bulletin: steel tariff quota update, item ${i + 1}`, kind: "note", actor: "US", source: { title: "Daily bulletin" } }),
  ).join("\n");
}

/**
 * Figure: 1,000 lines of one day with near-identical titles, beside the same 1,000 lines each on its own day; the
 * median of `rounds` imports of each, alternating, into one in-memory database (each round on dates of its own, so no
 * round's facts are near another's).
 */
export async function bulletinImportFigure(record: (f: Recorded) => void, rounds = 3, count = 1000): Promise<void> {
  console.error(`figure: import of ${count} lines of one day with near-identical titles, beside ${count} lines on distinct days (${rounds} rounds each)`);
  const db = await openDatabase({ dataDir: "memory://" });
  try {
    await migrate(db);
    const run = async (text: string) => {
      const { facts, errors } = parseFactLines(text);
      if (errors.length > 0) throw new Error(`bench bulletin invalid: ${errors[0]!.message}`);
      const started = performance.now();
      const result = await importFactLines(db.prisma, facts, { actor: "bench" });
      if (result.added !== count) throw new Error(`imported ${result.added} of ${count}`);
      return { ms: performance.now() - started, duplicates: result.duplicates.length };
    };
    // Warm-up: the first import pays for compiling the queries.
    await run(bulletinLines(count, () => "2001-01-01"));
    const oneDay: Array<{ ms: number; duplicates: number }> = [];
    const distinct: Array<{ ms: number; duplicates: number }> = [];
    for (let r = 0; r < rounds; r++) {
      const base = addDays("2040-01-01", r * 4000);
      distinct.push(await run(bulletinLines(count, (i) => addDays(base, i))));
      oneDay.push(await run(bulletinLines(count, () => addDays(base, 2000))));
    }
    const value = median(oneDay.map((x) => x.ms)) / 1000;
    const baseline = median(distinct.map((x) => x.ms)) / 1000;
    record({
      id: "import-one-day-bulletin",
      name: `Import ${count} lines of one day with near-identical titles (median of ${rounds}), beside ${count} on distinct days`,
      value,
      baseline,
      unit: "s",
      target: "within 1.5x of the same lines on distinct days",
      met: value <= 1.5 * baseline,
      details: {
        one_day_runs_s: oneDay.map((x) => round(x.ms / 1000)).join(" "),
        distinct_days_runs_s: distinct.map((x) => round(x.ms / 1000)).join(" "),
        likely_duplicates_one_day: oneDay[0]!.duplicates,
        likely_duplicates_distinct_days: distinct[0]!.duplicates,
      },
    });
  } finally {
    await db.close();
  }
}

/** How the bench starts the real bot on a data folder, and signs its requests. */
export interface BotStarter {
  start(dataDir: string): Promise<{ port: number; stop(): Promise<void> }>;
  secret: string;
  /** The environment of a `korus` command on `dataDir`. */
  cliEnv(dataDir: string): NodeJS.ProcessEnv;
  root: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Signed `/korus status` requests and `GET /healthz`, one of each every `everyMs` whatever the answers (so that a stall
 * delays many requests rather than fewer requests being sent), until `done()`; the latency of each.
 */
async function requestStream(port: number, fake: FakeSlackApi, secret: string, done: () => boolean, everyMs = 100) {
  const client = new SlackClient(`http://127.0.0.1:${port}`, secret, { responseUrl: fake.responseUrl("bench-import") });
  const status: number[] = [];
  const healthz: number[] = [];
  let failures = 0;
  const inFlight: Array<Promise<void>> = [];
  while (!done()) {
    inFlight.push(
      (async () => {
        const t = performance.now();
        const res = await client.command("status");
        status.push(performance.now() - t);
        if (res.status !== 200) failures++;
      })(),
      (async () => {
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        healthz.push(performance.now() - t);
        if (res.status !== 200) failures++;
      })(),
    );
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await Promise.all(inFlight);
  status.sort((a, b) => a - b);
  healthz.sort((a, b) => a - b);
  return { status, healthz, failures };
}

/**
 * Figure: the real bot on a new data folder; signed `/korus status` every 100 ms for as long as `korus facts import`
 * of `lines` synthetic facts runs as a process through the bot's socket; beside the same requests for the same time
 * with no import. p99 of the ack latency, with /healthz and the import's own time in the details.
 */
export async function statusDuringImportFigure(record: (f: Recorded) => void, fake: FakeSlackApi, bot: BotStarter, lines: number, judged: boolean): Promise<void> {
  console.error(`figure: /korus status ack latency while korus facts import of ${lines} lines runs through the bot, beside none`);
  const dir = mkdtempSync(path.join(tmpdir(), "korus-bench-import-"));
  const dataDir = path.join(dir, "data");
  const file = path.join(dir, "import.jsonl");
  writeFileSync(file, syntheticJsonl(lines, 23));
  const running = await bot.start(dataDir);
  try {
    const client = new SlackClient(`http://127.0.0.1:${running.port}`, bot.secret, { responseUrl: fake.responseUrl("bench-import") });
    for (let i = 0; i < 20; i++) await client.command("status");
    let finished = false;
    const started = performance.now();
    const cli = spawn(process.execPath, ["bin/korus.js", "facts", "import", file], { cwd: bot.root, env: bot.cliEnv(dataDir), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    cli.stdout.on("data", (d) => (output += d));
    cli.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) =>
      cli.on("close", (code) => {
        finished = true;
        resolve(code);
      }),
    );
    const during = await requestStream(running.port, fake, bot.secret, () => finished);
    const importMs = performance.now() - started;
    const code = await exited;
    if (code !== 0 || !output.includes(`: ${count(lines)} added,`)) throw new Error(`korus facts import exited ${code}: ${output.slice(-2000)}`);
    // The baseline: the same requests for as long, the bot idle (its store now holding the imported facts).
    const quietStarted = performance.now();
    const quiet = await requestStream(running.port, fake, bot.secret, () => performance.now() - quietStarted > importMs);
    const value = percentile(during.status, 99);
    record({
      id: "status-during-import",
      name: `/korus status ack p99 while korus facts import of ${lines.toLocaleString("en-US")} lines runs through the bot, beside no import`,
      value,
      baseline: percentile(quiet.status, 99),
      unit: "ms",
      target: "p99 under 1,500 ms (every ack within Slack's 3 s)",
      met: judged ? value < 1500 && during.failures === 0 : null,
      details: {
        requests: during.status.length,
        p50: round(percentile(during.status, 50)),
        max: round(during.status.at(-1)!),
        non200: during.failures,
        healthz_p99: round(percentile(during.healthz, 99)),
        healthz_max: round(during.healthz.at(-1)!),
        import_s: round(importMs / 1000),
        baseline_p50: round(percentile(quiet.status, 50)),
        baseline_healthz_p99: round(percentile(quiet.healthz, 99)),
      },
    });
  } finally {
    await running.stop();
  }
}
