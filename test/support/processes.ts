import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONFIG_VARIABLES } from "../../src/config.js";

export const PROJECT_ROOT = new URL("../../", import.meta.url).pathname;

/** What a finished process printed and how it ended. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh folder for KORUS_DATA_DIR. */
export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), "korus-data-"));
}

/** Every variable the bot reads (README: Environment). */
const BOT_VARIABLES = CONFIG_VARIABLES;

/**
 * The environment a new user has: none of the bot's variables, unless given. Each is set to "" (which the bot reads
 * as unset) rather than removed, so that a developer's own .env in the checkout cannot fill them in.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("SLACK_") || key.startsWith("KORUS_") || key === "DATABASE_URL" || key === "PORT") delete env[key];
  }
  for (const key of BOT_VARIABLES) env[key] = "";
  // Tests contact nothing outside loopback: the bot's own fetching (feeds, archived copies of the seed's cited pages)
  // stays off unless a test turns it on.
  env.KORUS_WEB_FETCH = "off";
  return { ...env, ...extra };
}

/** Another user to run a process as (only root can): uid and gid. */
export interface ProcessUser {
  uid: number;
  gid: number;
}

/** Runs a command to its end, feeding `input` on standard input; kills it after `timeoutMs`. */
export function run(command: string, args: string[], options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string; user?: ProcessUser }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: options.env, stdio: ["pipe", "pipe", "pipe"], ...options.user });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** `word` quoted for sh. */
const shellWord = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

/**
 * Runs a command with a terminal for its standard output and error, as a person at a terminal runs it (a pseudo-TTY
 * from util-linux `script`), to its end; what it printed comes back with the terminal's line ends (CRLF) as `\n`.
 * Standard input is empty.
 */
export async function runAtTerminal(command: string, args: string[], options: { env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  // -q: no "Script started" lines; -e: the command's exit status; /dev/null: no typescript file.
  const finished = await run("script", ["-q", "-e", "-c", [command, ...args].map(shellWord).join(" "), "/dev/null"], options);
  return { ...finished, stdout: finished.stdout.replace(/\r\n/g, "\n") };
}

/** Starts a long-running process and resolves once its output matches `ready`. */
export function startProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number; cwd?: string; user?: ProcessUser },
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string; exited: Promise<Finished>; signal: (s: NodeJS.Signals) => void }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a signal reaches npm and node alike, as Ctrl-C in a terminal does.
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true, ...options.user });
    const signal = (s: NodeJS.Signals) => process.kill(-child.pid!, s);
    let stdout = "";
    let stderr = "";
    let done = false;
    const exited = new Promise<Finished>((res) => child.on("close", (code, signal) => res({ code, signal, stdout, stderr })));
    const timer = setTimeout(() => {
      signal("SIGKILL");
      reject(new Error(`not ready within ${options.timeoutMs ?? 60_000} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    const check = () => {
      const match = (stdout + stderr).match(options.ready);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ child, match, output: () => stdout + stderr, exited, signal });
      }
    };
    child.stdout!.on("data", (d) => {
      stdout += d;
      check();
    });
    child.stderr!.on("data", (d) => {
      stderr += d;
      check();
    });
    void exited.then((f) => {
      if (!done) {
        clearTimeout(timer);
        reject(new Error(`exited with ${f.code} before ready:\n${f.stdout}\n${f.stderr}`));
      }
    });
  });
}

/** Whether this machine lets a test make the namespaces named by `flags` (`unshare --uts`: root, or user namespaces). */
export function canUnshare(...flags: string[]): boolean {
  return spawnSync("unshare", [...flags, "true"], { stdio: "ignore" }).status === 0;
}

/** A command prefix that runs a process under another hostname, as in a new container (`unshare --uts`). */
export function onHost(name: string): string[] {
  return ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', name];
}

/** The uid and gid of `nobody`, another local user. */
export const NOBODY = 65534;

/** Whether this process can run commands as `nobody` (it runs as root, and setpriv is there). */
export function canRunAsNobody(): boolean {
  return process.getuid?.() === 0 && spawnSync("setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", "true"], { stdio: "ignore" }).status === 0;
}

/** Runs a shell command as `nobody`; resolves to its exit status and what it printed. */
export function runAsNobody(script: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; output: string } {
  const result = spawnSync("setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", "sh", "-c", script], { encoding: "utf8", env, cwd: "/" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
