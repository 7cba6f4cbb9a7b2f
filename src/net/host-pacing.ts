/**
 * Politeness: the bot's requests to one host are at least an interval apart, across every instance and every kind of
 * fetch (feed polls, archived copies, dead-link checks). A slot is taken in the database: the instance whose upsert
 * moves `next_allowed_at` on holds it.
 */
import type { PrismaClient } from "../generated/prisma/client.js";

/** The host a URL is paced by: its hostname in lower case, without a trailing dot. */
export function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
}

/**
 * Takes the next request slot for `host` if it is free at `now` (and books the one after `intervalMs`); returns null
 * when taken, else the time the host is free again.
 */
export async function takeHostSlot(prisma: PrismaClient, host: string, now: Date, intervalMs: number): Promise<Date | null> {
  const next = new Date(now.getTime() + intervalMs);
  const taken = await prisma.$queryRaw<Array<{ host: string }>>`
    INSERT INTO fetch_host (host, next_allowed_at) VALUES (${host}, ${next})
    ON CONFLICT (host) DO UPDATE SET next_allowed_at = EXCLUDED.next_allowed_at
     WHERE fetch_host.next_allowed_at <= ${now}
    RETURNING host`;
  if (taken.length > 0) return null;
  const row = await prisma.fetchHost.findUnique({ where: { host }, select: { nextAllowedAt: true } });
  return row?.nextAllowedAt ?? now;
}

/**
 * Waits for `host`'s slot and takes it (the terminal's `korus feeds poll` waits; the scheduler's tick defers instead).
 * `sleep` is injected so tests need not wait in real time; gives up after `maxWaitMs`.
 */
export async function waitForHostSlot(prisma: PrismaClient, host: string, options: { now: () => Date; intervalMs: number; sleep?: (ms: number) => Promise<void>; maxWaitMs?: number }): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = options.now().getTime();
  for (;;) {
    const now = options.now();
    const free = await takeHostSlot(prisma, host, now, options.intervalMs);
    if (free === null) return;
    if (now.getTime() - started > (options.maxWaitMs ?? 10 * 60_000)) throw new Error(`gave up waiting for ${host}'s turn`);
    await sleep(Math.max(10, free.getTime() - now.getTime()));
  }
}
