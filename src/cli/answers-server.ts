/**
 * The bot's side of the answers socket (src/cli/owner-answers.ts): the owner of an embedded data folder answers a
 * `korus status` from its own status cache, so the command needs neither a database client nor a read of the facts. One request
 * per connection, one line of JSON each way; anything it will not answer it declines, and the command does the work
 * itself. The socket lives beside the database socket, in the data folder (mode 0700) or a private temp folder, and is
 * made 0600: it answers only this user, who can read the database socket anyway.
 */
import { rmSync } from "node:fs";
import net from "node:net";
import { z } from "zod";
import path from "node:path";
import { systemClock } from "../clock.js";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { answersSocketPathFor, listenPrivately } from "../db/socket-path.js";
import { KorusError } from "../errors.js";
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import type { Logger } from "../logger.js";
import type { StatusCache } from "../status/cache.js";
import { statusToMarkdown } from "../status/markdown.js";
import { statusService } from "../commands/services-cli.js";
import type { StatusReport } from "../status/status.js";
import { TOPIC_NAME } from "../topics/slug.js";
import { type AnswerReply, type AnswerRequest, MAX_REQUEST_BYTES } from "./owner-answers.js";

/** Commands answered at once at most; Node closes a further connection at once, and its command does the work itself. */
const MAX_CONNECTIONS = 8;
/** A connection that sends no full request in this long is closed. */
const REQUEST_TIMEOUT_MS = 5_000;

const requestSchema = z.strictObject({
  v: z.literal(1),
  command: z.literal("status"),
  asOf: z.string().refine(isIsoDate).nullable(),
  topic: z.string().regex(TOPIC_NAME),
  timeZone: z.string().max(100),
});

/** What answering needs: the bot's status service (on its status cache), its time zone and logger. */
export interface AnswerDeps {
  /** The status of a topic as of a day (default today), as the bot answers it. */
  status: (asOf?: IsoDate, topic?: string) => Promise<StatusReport>;
  /** The bot's KORUS_TZ: a command with another one is left to itself ("today" differs). */
  timeZone: string;
  logger: Logger;
}

/** The reply to one request line. */
export async function answer(deps: AnswerDeps, line: string): Promise<AnswerReply> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const request = requestSchema.safeParse(parsed);
  if (!request.success) return { ok: false, reason: "not a request this bot answers" };
  const r: AnswerRequest = request.data;
  if (r.timeZone !== deps.timeZone) return { ok: false, reason: `KORUS_TZ differs (the bot's is ${deps.timeZone})` };
  try {
    const report = await deps.status((r.asOf as IsoDate | null) ?? undefined, r.topic);
    return { ok: true, output: statusToMarkdown(report) };
  } catch (error) {
    // A refusal (an unknown topic...) is the command's to word, with its exit code; anything else is also logged here.
    if (!(error instanceof KorusError)) deps.logger.error("korus status through the answers socket failed:", error);
    return { ok: false, reason: error instanceof KorusError ? error.code : "failed" };
  }
}

/**
 * The owner of an embedded data folder answers `korus status` itself on the answers socket, from `cache` (the bot's
 * status cache, on the store version everything else of the process reads). Not fatal when it cannot: the command
 * then reads the database itself. @returns how to stop, or undefined when not answering (PostgreSQL, memory).
 */
export async function answerCommands(
  ctx: { config: Pick<Config, "databaseUrl" | "dataDir" | "timeZone">; db: Database; logger: Logger },
  cache: StatusCache,
): Promise<(() => Promise<void>) | undefined> {
  if (ctx.db.kind !== "pglite" || ctx.config.databaseUrl || ctx.config.dataDir.startsWith("memory://")) return undefined;
  const socketPath = answersSocketPathFor(path.resolve(ctx.config.dataDir));
  try {
    return await serveAnswers(socketPath, { status: statusService({ db: ctx.db, clock: systemClock, timeZone: ctx.config.timeZone, cache }), timeZone: ctx.config.timeZone, logger: ctx.logger });
  } catch (error) {
    ctx.logger.warn(`not answering korus commands on ${socketPath} (they read the database themselves):`, error);
    return undefined;
  }
}

/**
 * Listens on `socketPath` (a stale socket file left by a killed owner is replaced: this process holds the folder's
 * lock). @returns a function that stops listening and removes the socket.
 */
export async function serveAnswers(socketPath: string, deps: AnswerDeps): Promise<() => Promise<void>> {
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        socket.destroy();
        return;
      }
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\n");
      if (end < 0) return;
      socket.pause();
      void answer(deps, text.slice(0, end)).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await listenPrivately(server, socketPath);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(socketPath, { force: true });
  };
}
