/**
 * `korus sources check`: asks every cited page whether it is still there. A 404 or 410, or a host name that no longer
 * resolves, is a dead link: status and memos then print "archived copy, fetched DATE" beside it (src/sources/dead-links.ts).
 * Anything else that fails (a timeout, a 500, a refusal) is reported but proves nothing, so a link is not called dead
 * for it. A link that answers again is alive again.
 */
import { FetchError, safeFetch } from "../net/safe-fetch.js";
import { hostOf, waitForHostSlot } from "../net/host-pacing.js";
import type { FeedDeps } from "../feeds/deps.js";
import { httpStatusText } from "../feeds/poll.js";
import { DNS_DEAD } from "./archive.js";

/** What checking one link found. */
export interface LinkCheck {
  id: number;
  url: string;
  result: "alive" | "dead" | "unknown";
  detail: string;
  /** Whether an archived copy with text exists. */
  archived: boolean;
  fetchedAt: Date | null;
}

/** Checks the cited pages (all, or those with `ids`), each host at its pace; `onCheck` hears of each as it ends. */
export async function checkSources(deps: FeedDeps, options: { ids?: number[]; onCheck?: (c: LinkCheck) => void } = {}): Promise<LinkCheck[]> {
  const pages = await deps.prisma.sourcePage.findMany({
    where: options.ids ? { id: { in: options.ids } } : {},
    orderBy: { id: "asc" },
    select: { id: true, url: true, state: true, text: false, fetchedAt: true, deadSince: true },
  });
  const checks: LinkCheck[] = [];
  for (const page of pages) {
    const archived = page.state === "archived";
    const base = { id: page.id, url: page.url, archived, fetchedAt: page.fetchedAt };
    let result: LinkCheck["result"];
    let detail: string;
    try {
      await waitForHostSlot(deps.prisma, hostOf(page.url), { now: () => deps.clock.now(), intervalMs: deps.settings.hostIntervalMs, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
      const limits = deps.limits ? { limits: deps.limits } : {};
      let response = await safeFetch({ url: page.url, method: "HEAD", ...limits }, deps.fetch);
      // Some servers refuse HEAD or answer it wrongly: ask with GET before calling anything dead.
      if (response.status === 405 || response.status === 501 || response.status === 403 || response.status === 404) {
        response = await safeFetch({ url: page.url, ...limits }, deps.fetch);
      }
      if (response.status === 404 || response.status === 410) {
        result = "dead";
        detail = httpStatusText(response.status);
      } else if (response.status >= 200 && response.status < 400) {
        result = "alive";
        detail = `${httpStatusText(response.status)}${response.redirects.length > 0 ? `, now at ${response.url}` : ""}`;
      } else {
        result = "unknown";
        detail = httpStatusText(response.status);
      }
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      result = error.code === "dns" && !error.temporary ? "dead" : "unknown";
      detail = result === "dead" ? `${DNS_DEAD} (${error.message})` : error.message;
    }
    const now = deps.clock.now();
    await deps.prisma.sourcePage.update({
      where: { id: page.id },
      data: {
        checkedAt: now,
        checkDetail: detail.slice(0, 1000),
        ...(result === "dead" ? { deadSince: page.deadSince ?? now, deadReason: detail.startsWith(DNS_DEAD) ? DNS_DEAD : detail.slice(0, 300) } : {}),
        ...(result === "alive" ? { deadSince: null, deadReason: null } : {}),
      },
    });
    const check = { ...base, result, detail };
    checks.push(check);
    options.onCheck?.(check);
  }
  return checks;
}
