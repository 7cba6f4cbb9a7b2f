import type { PrismaClient } from "../generated/prisma/client.js";
import { FactStoreVersion, type StoreVersion, type StoreVersionOptions } from "../facts/as-of-cache.js";

export { readFactStoreVersion } from "../facts/as-of-cache.js";
import type { IsoDate } from "../facts/dates.js";
import type { StatusReport } from "./status.js";

/** A store version given, rather than a database to read it from. */
function isStoreVersion(source: PrismaClient | StoreVersion): source is StoreVersion {
  return source instanceof FactStoreVersion || typeof (source as Partial<StoreVersion>).current === "function";
}

/** Status reports kept per as-of date. */
const MAX_ENTRIES = 64;

/**
 * Remembers status reports until the fact store changes. The store's version (bumped by a trigger on every write,
 * from any instance) is one primary-key read, done at most once per `maxStaleMs`: a burst of `/korus status` costs
 * no query at all. Writes made through this process call `invalidate()`, so only another instance's (or the CLI's)
 * change can take up to `maxStaleMs` to show. Given the bot's {@link FactStoreVersion}, it shares that one read with
 * the as-of fact cache (src/facts/as-of-cache.ts). While a `korus` command holds the embedded database, the version
 * read before the hold began stands (StoreVersionOptions.externalWorkSince), so status answers without waiting.
 */
export class StatusCache {
  private readonly entries = new Map<string, { version: bigint; report: StatusReport }>();
  /** Builds under way, per key and store version: a burst of requests on a cold cache waits for one build. */
  private readonly building = new Map<string, Promise<StatusReport>>();
  private readonly version: StoreVersion;

  constructor(source: PrismaClient | StoreVersion, maxStaleMs = 1000, now: () => number = () => performance.now(), options: StoreVersionOptions = {}) {
    this.version = isStoreVersion(source) ? source : new FactStoreVersion(source, maxStaleMs, now, options);
  }

  /** Forgets what the store looked like: the next get() reads the version again. */
  invalidate(): void {
    this.version.invalidate();
  }

  /**
   * Forgets what the store looked like and reads the version at once (when the version can): called as another
   * process's unit of work on the database ends, so that a status asked during its next unit needs no query.
   */
  refresh(): void {
    if (this.version.refresh) this.version.refresh();
    else this.version.invalidate();
  }

  /** The cached report for (asOf, today, topic) if the store has not changed since, else `build()`'s, remembered. */
  async get(asOf: IsoDate, today: IsoDate, build: () => Promise<StatusReport>, topic = "korus"): Promise<StatusReport> {
    const key = `${asOf}|${today}|${topic}`;
    const version = await this.version.current();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.report;
    const pendingKey = `${key}|${version}`;
    const pending = this.building.get(pendingKey);
    if (pending) return pending;
    const made = build()
      .then((report) => {
        this.entries.delete(key);
        this.entries.set(key, { version, report });
        if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
        return report;
      })
      .finally(() => this.building.delete(pendingKey));
    this.building.set(pendingKey, made);
    return made;
  }
}
