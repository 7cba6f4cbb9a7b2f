import type { Database } from "../db/database.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { IsoDate } from "../facts/dates.js";
import type { StatusReport } from "./status.js";

/** Status reports kept per as-of date. */
const MAX_ENTRIES = 64;

/**
 * Remembers status reports until the fact store changes. The store's version (bumped by a trigger on every write,
 * from any instance) is one primary-key read, done at most once per `maxStaleMs`: a burst of `/korus status` costs
 * no query at all. Writes made through this process call `invalidate()`, so only another instance's (or the CLI's)
 * change can take up to `maxStaleMs` to show.
 *
 * On an embedded database served to `korus` commands, a command's statement or transaction holds the database for its
 * length, and this process's queries wait for it (a 10,000-line import applies in one transaction). Nothing can commit
 * meanwhile, so a version that was fresh when that hold began is still the committed one: the cache answers from it
 * without waiting (`externalWorkSince`). `refresh()` after each of the command's units of work keeps it fresh.
 */
export class StatusCache {
  private readonly entries = new Map<string, { version: bigint; report: StatusReport }>();
  /** Builds under way, per key and store version: a burst of requests on a cold cache waits for one build. */
  private readonly building = new Map<string, Promise<StatusReport>>();
  private checked: { at: number; version: bigint } | undefined;
  /** Counts invalidations: a version read that an invalidation overtook is not remembered. */
  private epoch = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxStaleMs = 1000,
    private readonly now: () => number = () => performance.now(),
    private readonly options: {
      /** When another process's hold of the (embedded) database began, if one holds it now (Database.externalWorkSince). */
      externalWorkSince?: () => number | undefined;
      /**
       * Reads the store's version; by default through Prisma. On the embedded database, a raw query takes the database
       * in the same turn of the event loop, ahead of the command's next unit of work (see refresh()).
       */
      readVersion?: () => Promise<bigint>;
    } = {},
  ) {}

  /** Forgets what the store looked like: the next get() reads the version again. */
  invalidate(): void {
    this.checked = undefined;
    this.epoch++;
  }

  /**
   * Forgets what the store looked like and, when reports are kept, reads the version at once: called as another
   * process's unit of work on the database ends, so that the read takes the database before that process's next unit
   * does, and a status asked meanwhile is answered without waiting for it.
   */
  refresh(): void {
    this.invalidate();
    // Observed: a failed read only means the next get() reads again.
    if (this.entries.size > 0) this.version().catch(() => undefined);
  }

  /** The cached report for (asOf, today, topic) if the store has not changed since, else `build()`'s, remembered. */
  async get(asOf: IsoDate, today: IsoDate, build: () => Promise<StatusReport>, topic = "korus"): Promise<StatusReport> {
    const key = `${asOf}|${today}|${topic}`;
    const version = await this.version();
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

  private async version(): Promise<bigint> {
    const at = this.now();
    if (this.checked) {
      const freshUntil = this.checked.at + this.maxStaleMs;
      const heldSince = this.options.externalWorkSince?.();
      if (at < freshUntil || (heldSince !== undefined && heldSince < freshUntil)) return this.checked.version;
    }
    const epoch = this.epoch;
    const version = this.options.readVersion
      ? await this.options.readVersion()
      : ((await this.prisma.factStoreVersion.findUnique({ where: { id: 1 }, select: { version: true } }))?.version ?? -1n);
    if (epoch === this.epoch) this.checked = { at, version };
    return version;
  }
}

/**
 * The fact store's version, read with raw SQL on the database's own session: on the embedded database the query takes
 * the database within the same turn of the event loop (Prisma's client would let other work in first).
 */
export async function readFactStoreVersion(db: Pick<Database, "withSession">): Promise<bigint> {
  const [row] = await db.withSession((s) => s.query<{ version: string }>("SELECT version::text AS version FROM fact_store_version WHERE id = 1"));
  return row ? BigInt(row.version) : -1n;
}
