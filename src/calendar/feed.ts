/**
 * The secret address of the workspace's calendar feed: GET /calendar/<token>.ics. One token (one workspace per bot);
 * `korus calendar rotate` replaces it, and the old address stops working at once.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";

/** Where the feed is served, before the token. */
export const CALENDAR_PREFIX = "/calendar/";

/** The path of the feed for a token. */
export function calendarPath(token: string): string {
  return `${CALENDAR_PREFIX}${token}.ics`;
}

/** Makes a new token (256 random bits, URL-safe) and stores it in place of the old one, if there was one. */
export async function rotateCalendarToken(prisma: PrismaClient, by: string): Promise<string> {
  return (await rotateCalendar(prisma, by)).token;
}

/** The same, saying whether an older address stopped working. */
export async function rotateCalendar(prisma: PrismaClient, by: string): Promise<{ token: string; replaced: boolean }> {
  const token = randomBytes(32).toString("base64url");
  return prisma.$transaction(async (tx) => {
    const replaced = (await tx.calendarFeed.count({ where: { id: 1 } })) > 0;
    await tx.calendarFeed.upsert({ where: { id: 1 }, create: { id: 1, token, rotatedBy: by }, update: { token, rotatedBy: by, rotatedAt: new Date() } });
    return { token, replaced };
  });
}

/** True when `candidate` is the feed's token (compared in constant time); false when no feed was made yet. */
export async function isCalendarToken(prisma: PrismaClient, candidate: string): Promise<boolean> {
  const row = await prisma.calendarFeed.findUnique({ where: { id: 1 }, select: { token: true } });
  if (!row) return false;
  const a = Buffer.from(row.token);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}
