/** GET /calendar/<token>.ics on the bot's HTTP server: the feed for a right token, 404 for anything else. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { CALENDAR_PREFIX, isCalendarToken } from "./feed.js";
import { deadlinesCalendar } from "./ics.js";

/** Handles a GET whose path starts with CALENDAR_PREFIX; resolves true when it answered. */
export function makeCalendarRoute(deps: { prisma: () => PrismaClient; clock: Clock; timeZone: string; logger: Logger }) {
  return async (pathname: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (!pathname.startsWith(CALENDAR_PREFIX)) return false;
    const token = /^\/calendar\/([A-Za-z0-9_-]{16,100})\.ics$/.exec(pathname)?.[1];
    if (!token || !(await isCalendarToken(deps.prisma(), token))) {
      // The same answer for a malformed, wrong or old token: nothing tells a guesser how close it came.
      res.writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" }).end("Not found\n");
      return true;
    }
    try {
      const ics = await deadlinesCalendar({ prisma: deps.prisma(), clock: deps.clock, timeZone: deps.timeZone });
      res.writeHead(200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": 'inline; filename="korus-deadlines.ics"',
        "cache-control": "private, no-cache",
        "x-robots-tag": "noindex",
      });
      res.end(req.method === "HEAD" ? undefined : ics);
    } catch (error) {
      deps.logger.error("calendar feed failed:", error);
      res.writeHead(500, { "content-type": "text/plain" }).end("The calendar could not be built; it has been logged.\n");
    }
    return true;
  };
}
