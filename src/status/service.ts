import type { PrismaClient } from "../generated/prisma/client.js";
import type { Clock } from "../clock.js";
import { dateInZone, type IsoDate } from "../facts/dates.js";
import { visibleFacts } from "../facts/store.js";
import { buildStatus, type StatusReport } from "./status.js";

/** What the status service needs. */
export interface StatusDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): "today" and days left are calendar dates there. */
  timeZone: string;
}

/** The status as of `asOf` (default: today in the team's time zone), from the stored facts. */
export async function getStatus(deps: StatusDeps, asOf?: IsoDate): Promise<StatusReport> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const day = asOf ?? today;
  return buildStatus(await visibleFacts(deps.prisma, day), day, today);
}
