/**
 * A bench server in its own process: the real bot ("bot") or a bare Bolt app whose /korus handler and memo_write view
 * handler only ack ("bare"), on the HTTP receiver at an ephemeral port. With a memo count, the bot starts with that
 * many memos of the special-session-prep template (creator and owners BENCH_USER), for section submissions to write.
 * Talks to bench/run.ts over IPC: it sends {port} when ready, answers "rss" with its resident set size, and exits on
 * "stop".
 */
import { App, HTTPReceiver } from "@slack/bolt";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { seed } from "../src/db/seed.js";
import { importFactLines } from "../src/facts/store.js";
import { createLogger } from "../src/logger.js";
import { createMemo } from "../src/memos/service.js";
import { createSlackHttpServer } from "../src/slack/app.js";
import { BENCH_SECTIONS, BENCH_USER, syntheticFacts } from "./generate.js";

const [kind, secret, apiUrl, factCount, databaseUrl, memoCount] = process.argv.slice(2);

const send = (message: unknown) => process.send?.(message);

if (kind === "bare") {
  const receiver = new HTTPReceiver({ signingSecret: secret!, endpoints: ["/slack/events"] });
  const app = new App({ token: "xoxb-bench", receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.command("/korus", async ({ ack }) => {
    await ack();
  });
  app.view("memo_write", async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start(0);
  const address = server.address() as { port: number };
  send({ port: address.port });
  process.on("message", (m) => {
    if (m === "rss") send({ rss: process.memoryUsage().rss });
    if (m === "stop") void receiver.stop().then(() => process.exit(0));
  });
} else {
  const db = await openDatabase({ databaseUrl: databaseUrl || undefined, dataDir: "memory://" });
  await migrate(db);
  await seed(db);
  if (Number(factCount) > 0) await importFactLines(db.prisma, syntheticFacts(Number(factCount), 7), { actor: "bench" });
  const memoDeps = { prisma: db.prisma, clock: systemClock, timeZone: "America/New_York", admins: [] };
  for (let i = 0; i < Number(memoCount ?? 0); i++) {
    const owners = Object.fromEntries(BENCH_SECTIONS.map((k) => [k, BENCH_USER]));
    await createMemo(memoDeps, { templateId: "special-session-prep", title: `Bench memo ${i + 1}`, owners }, BENCH_USER);
  }
  const server = createSlackHttpServer(
    { db, clock: systemClock, logger: createLogger("error"), timeZone: "America/New_York", admins: [] },
    { botToken: "xoxb-bench", signingSecret: secret!, slackApiUrl: apiUrl },
  );
  const port = await server.listen(0, "127.0.0.1");
  send({ port });
  process.on("message", (m) => {
    if (m === "rss") send({ rss: process.memoryUsage().rss });
    if (m === "stop") void server.close().then(() => db.close()).then(() => process.exit(0));
  });
}
