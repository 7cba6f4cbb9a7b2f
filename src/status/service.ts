import type { PrismaClient } from "../generated/prisma/client.js";
import type { Clock } from "../clock.js";
import type { IsoDate } from "../facts/dates.js";
import { dateInZone } from "../time-zone.js";
import { statusFactsAsOf } from "../facts/as-of.js";
import type { StatusCache } from "./cache.js";
import { OVERDUE_WINDOW_DAYS } from "../facts/fact-index.js";
import { buildStatus, MAX_DEVELOPMENTS, type StatusReport } from "./status.js";
import { agreementOf, assertTopicKnown } from "../topics/settings.js";
import { DEFAULT_TOPIC } from "../topics/slug.js";
import { loadDeadLinks, withDeadLinks } from "../sources/dead-links.js";

/** What the status service needs. */
export interface StatusDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): "today" and days left are calendar dates there. */
  timeZone: string;
}

/** The status of a topic (default `korus`) as of `asOf` (default: today in the team's time zone), from the stored facts. */
export async function getStatus(deps: StatusDeps & { cache?: StatusCache }, asOf?: IsoDate, topic = DEFAULT_TOPIC): Promise<StatusReport> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const day = asOf ?? today;
  return deps.cache ? deps.cache.get(day, today, () => readStatus(deps, day, today, topic), topic) : readStatus(deps, day, today, topic);
}

async function readStatus(deps: StatusDeps, day: IsoDate, today: IsoDate, topic: string): Promise<StatusReport> {
  // Ten times what the report shows, so that same-day ordering (events before notes) has enough to choose from.
  const [{ facts, count, olderOverdueCount }, agreement, deadLinks] = await Promise.all([
    statusFactsAsOf(deps.prisma, day, { overdueWindowDays: OVERDUE_WINDOW_DAYS, take: MAX_DEVELOPMENTS * 10, topic, timeZone: deps.timeZone, now: deps.clock.now() }),
    agreementOf(deps.prisma, topic, day),
    loadDeadLinks(deps.prisma, deps.timeZone),
  ]);
  await assertTopicKnown(deps.prisma, topic, count);
  const report = buildStatus(facts, day, today, count, agreement, olderOverdueCount);
  // A cited link found dead is printed with its archived copy (src/sources/).
  return { ...report, sources: withDeadLinks(report.sources, deadLinks) };
}
