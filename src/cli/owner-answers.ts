/**
 * Whole answers from the bot that owns the data folder, for the `korus` commands it can answer itself: `korus status`
 * beside a running bot is one connection to the bot's answers socket and one line back, the status the bot already
 * holds (its cache, its database), instead of starting a database client and reading the facts over the database socket.
 *
 * This module is the client, run before anything else of the command loads: Node's built-ins only. Whatever it cannot
 * answer (another command, an option it does not know, no bot, PostgreSQL, a refusal, a bot too busy to answer in
 * time) it leaves to the full command, which then says what is wrong the usual way.
 */
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { answersSocketPathFor } from "../db/socket-path.js";

/** What the command asks. Version 1: `status`. */
export interface AnswerRequest {
  v: 1;
  command: "status";
  /** YYYY-MM-DD, or null for today in `timeZone`. */
  asOf: string | null;
  topic: string;
  /** The command's KORUS_TZ: the bot answers only when it is its own. */
  timeZone: string;
}

/** The bot's answer: the command's output, or why it leaves the command to itself. */
export type AnswerReply = { ok: true; output: string } | { ok: false; reason: string };

/** A request is one line of JSON of at most this many bytes; a reply ends the connection. */
export const MAX_REQUEST_BYTES = 4096;
/** How long the command waits for the bot's answer before doing the work itself. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The request for `argv` (the arguments after `korus`), or undefined when it is not one the bot answers: only
 * `status` with `--as-of DATE` and `--topic NAME` (each once, either form); anything else, `--help` included, goes to
 * the full command.
 */
export function answerRequestOf(argv: readonly string[], timeZone: string): AnswerRequest | undefined {
  if (argv[0] !== "status") return undefined;
  const options: Record<string, string> = {};
  for (let i = 1; i < argv.length; i++) {
    const m = /^--(as-of|topic)(?:=(.*))?$/.exec(argv[i]!);
    if (!m || options[m[1]!] !== undefined) return undefined;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith("-")) return undefined;
    options[m[1]!] = value;
  }
  return { v: 1, command: "status", asOf: options["as-of"] ?? null, topic: options.topic ?? "korus", timeZone };
}

/**
 * The output of `korus ARGS` as the bot that owns the embedded data folder answers it, or undefined when the command
 * must do the work itself (see the module comment). Reads `.env` as the command does (variables already set win).
 */
export async function askOwner(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (existsSync(".env")) {
    try {
      process.loadEnvFile(".env");
    } catch {
      return undefined; // the full command says what is wrong with it
    }
  }
  if (env.DATABASE_URL?.trim()) return undefined;
  const request = answerRequestOf(argv, env.KORUS_TZ?.trim() || "America/New_York");
  if (!request) return undefined;
  let socketPath: string;
  try {
    socketPath = answersSocketPathFor(path.resolve(env.KORUS_DATA_DIR?.trim() || "./data"));
  } catch {
    return undefined; // no such folder: the full command creates it or explains
  }
  const reply = await exchange(socketPath, request);
  return reply?.ok ? reply.output : undefined;
}

/** Sends one request and reads one reply; undefined when nobody answers (no bot, a stale socket) or in time. */
function exchange(socketPath: string, request: AnswerRequest): Promise<AnswerReply | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (reply: AnswerReply | undefined) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => done(undefined));
    socket.once("error", () => done(undefined));
    socket.once("connect", () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("end", () => {
      try {
        const reply = JSON.parse(Buffer.concat(chunks).toString("utf8")) as AnswerReply;
        done(reply.ok === true && typeof reply.output === "string" ? reply : { ok: false, reason: String((reply as { reason?: unknown }).reason) });
      } catch {
        done(undefined);
      }
    });
  });
}
