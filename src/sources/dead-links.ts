/**
 * The dead links among cited sources, with their archived copies, for status and memos to print beside each: "dead
 * link (404 since 2026-12-07); archived copy #3, fetched 2026-12-01". Read once per status or memo: the rows are only
 * the dead ones.
 */
import type { PrismaClient } from "../generated/prisma/client.js";
import type { ArchiveNote, NumberedSource } from "../facts/citations.js";
import { dateInZone } from "../time-zone.js";

/** Dead links by URL. */
export type DeadLinks = ReadonlyMap<string, ArchiveNote>;

/** Every dead link, by URL, with its archived copy when there is one; days in the team's `timeZone`. */
export async function loadDeadLinks(prisma: PrismaClient, timeZone: string): Promise<DeadLinks> {
  const rows = await prisma.sourcePage.findMany({
    where: { deadSince: { not: null } },
    select: { id: true, url: true, state: true, fetchedAt: true, deadSince: true, deadReason: true },
    take: 10_000,
  });
  return new Map(
    rows.map((r) => [
      r.url,
      {
        id: r.id,
        deadSince: dateInZone(r.deadSince!, timeZone),
        reason: r.deadReason,
        fetchedOn: r.state === "archived" && r.fetchedAt ? dateInZone(r.fetchedAt, timeZone) : null,
      },
    ]),
  );
}

/** The sources with each dead link's note attached (the same objects when none is dead). */
export function withDeadLinks<S extends NumberedSource>(sources: S[], dead: DeadLinks): S[] {
  if (dead.size === 0) return sources;
  return sources.map((s) => {
    const note = s.url ? dead.get(s.url.trim()) : undefined;
    return note ? { ...s, archive: note } : s;
  });
}
