/**
 * The facts as known on a day, read and indexed once per version of the fact store and shared by everything that
 * shows them as of that day: every memo assembled, exported or diffed, every brief of a tick and every preview, read
 * the same index until a fact changes. The status keeps its own reports (src/status/cache.ts) on the same version.
 *
 * The version is the `fact_store_version` row, which a trigger moves on every change to the fact table from any
 * instance or `korus` command. It is read at most once per `maxStaleMs`; writes made through this process call
 * {@link FactStoreVersion.invalidate}, so only another process's change can take up to `maxStaleMs` to show.
 */
import type { Database } from "../db/database.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { IsoDate } from "./dates.js";
import { FactIndex } from "./fact-index.js";
import type { Fact } from "./model.js";
import type { Clock } from "../clock.js";
import { factsAsOf } from "./as-of.js";

/** Where a cache learns the fact store's version (a {@link FactStoreVersion}, or a fixed one in the bench). */
export interface StoreVersion {
  current(): Promise<bigint>;
  invalidate(): void;
  /** Forgets the version read and reads it again at once (see {@link FactStoreVersion.refresh}). */
  refresh?(): void;
}

/** How a {@link FactStoreVersion} reads the version, and what it knows of another process's hold of the database. */
export interface StoreVersionOptions {
  /** When another process's hold of the (embedded) database began, if one holds it now (Database.externalWorkSince). */
  externalWorkSince?: () => number | undefined;
  /**
   * Reads the store's version; by default through Prisma. On the embedded database, a raw query takes the database in
   * the same turn of the event loop, ahead of the command's next unit of work (see refresh()).
   */
  readVersion?: () => Promise<bigint>;
}

/**
 * The fact store's version, read with raw SQL on the database's own session: on the embedded database the query takes
 * the database within the same turn of the event loop (Prisma's client would let other work in first).
 */
export async function readFactStoreVersion(db: Pick<Database, "withSession">): Promise<bigint> {
  const [row] = await db.withSession((s) => s.query<{ version: string }>("SELECT version::text AS version FROM fact_store_version WHERE id = 1"));
  return row ? BigInt(row.version) : -1n;
}

/** The fact store's version, read at most once per `maxStaleMs` and once for a burst of callers. */
export class FactStoreVersion implements StoreVersion {
  private checked: { at: number; version: bigint } | undefined;
  private reading: Promise<bigint> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxStaleMs = 1000,
    private readonly now: () => number = () => performance.now(),
    private readonly options: StoreVersionOptions = {},
  ) {}

  /** Forgets the version read: the next {@link current} reads it again (a fact was written through this process). */
  invalidate(): void {
    this.checked = undefined;
    this.reading = undefined;
  }

  /**
   * Forgets the version read and reads it at once: called as another process's unit of work on the database ends, so
   * that the read takes the database before that process's next unit does, and a status asked meanwhile is answered
   * without waiting for it.
   */
  refresh(): void {
    this.invalidate();
    // Observed: a failed read only means the next current() reads again.
    this.current().catch(() => undefined);
  }

  /**
   * The version of the fact store, as read at most `maxStaleMs` ago. On an embedded database served to `korus`
   * commands, a command's statement or transaction holds the database for its length, and this process's queries wait
   * for it (a 10,000-line import applies in one transaction). Nothing can commit meanwhile, so a version that was fresh
   * when that hold began is still the committed one: it is answered without waiting (`externalWorkSince`).
   */
  current(): Promise<bigint> {
    const at = this.now();
    if (this.checked) {
      const freshUntil = this.checked.at + this.maxStaleMs;
      const heldSince = this.options.externalWorkSince?.();
      if (at < freshUntil || (heldSince !== undefined && heldSince < freshUntil)) return Promise.resolve(this.checked.version);
    }
    if (this.reading) return this.reading;
    const read = this.options.readVersion ? this.options.readVersion() : this.prisma.factStoreVersion.findUnique({ where: { id: 1 }, select: { version: true } }).then((row) => row?.version ?? -1n);
    const reading = read
      .then((version) => {
        // An invalidate() while this read was under way wins: the next caller reads again.
        if (this.reading === reading) this.checked = { at, version };
        return version;
      })
      .finally(() => {
        if (this.reading === reading) this.reading = undefined;
      });
    this.reading = reading;
    return reading;
  }
}

/** How much a {@link FactsAsOfCache} keeps. */
export interface FactsAsOfLimits {
  /** Indexes kept (one per as-of day and topic), least recently used dropped first. */
  maxIndexes: number;
  /** Facts held by all the kept indexes together; the newest index is kept whatever its size. */
  maxFacts: number;
  /** Other reads kept ({@link FactsAsOfCache.remember}). */
  maxReads: number;
}

/**
 * Four days of a 10,000-fact store (about 6 MB each with their views): the bot's memory stays under its bound
 * (README: Memory) while the days people actually ask about (today, a memo's date) stay read.
 */
export const DEFAULT_LIMITS: FactsAsOfLimits = { maxIndexes: 4, maxFacts: 40_000, maxReads: 16 };

/** Reads the facts of a topic as known on a day, oldest first. */
export type LoadFactsAsOf = (asOf: IsoDate, topic: string) => Promise<Fact[]>;

interface Entry<T> {
  value: Promise<T>;
  /** How many facts it holds, once read (0 until then). */
  size: number;
}

/**
 * The facts as known on day D at store version V: one {@link FactIndex} per (day, topic), and any other read of the
 * facts as of a day (`remember`), kept until the store's version moves. Concurrent callers share one read.
 */
export class FactsAsOfCache {
  private seen: bigint | undefined;
  private readonly indexes = new Map<string, Entry<FactIndex>>();
  private readonly reads = new Map<string, Entry<unknown>>();

  constructor(
    readonly version: StoreVersion,
    private readonly load: LoadFactsAsOf,
    private readonly limits: FactsAsOfLimits = DEFAULT_LIMITS,
  ) {}

  /** The facts of `topic` known on `asOf`, indexed: built once per store version, then shared. */
  async index(asOf: IsoDate, topic = "korus"): Promise<FactIndex> {
    await this.sync();
    const key = `${topic}|${asOf}`;
    const hit = this.indexes.get(key);
    if (hit) {
      // Most recently used last.
      this.indexes.delete(key);
      this.indexes.set(key, hit);
      return hit.value;
    }
    const entry: Entry<FactIndex> = { value: this.load(asOf, topic).then((facts) => new FactIndex(facts, asOf)), size: 0 };
    this.indexes.set(key, entry);
    entry.value.then(
      (index) => {
        entry.size = index.size;
        this.trim();
      },
      // A failure is not remembered: the next caller reads again.
      () => this.indexes.get(key) === entry && this.indexes.delete(key),
    );
    return entry.value;
  }

  /**
   * `read()`'s answer for `key` (which must name the day, the topic and whatever else the read depends on), read once
   * per store version: the facts a brief shows on a day, for every brief and preview of that day.
   */
  async remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    await this.sync();
    const hit = this.reads.get(key) as Entry<T> | undefined;
    if (hit) return hit.value;
    const entry: Entry<T> = { value: read(), size: 0 };
    this.reads.set(key, entry);
    entry.value.catch(() => this.reads.get(key) === entry && this.reads.delete(key));
    while (this.reads.size > this.limits.maxReads) this.reads.delete(this.reads.keys().next().value!);
    return entry.value;
  }

  /** Drops everything read at an older version of the store. */
  private async sync(): Promise<void> {
    const version = await this.version.current();
    if (version === this.seen) return;
    this.seen = version;
    this.indexes.clear();
    this.reads.clear();
  }

  private trim(): void {
    let total = 0;
    for (const e of this.indexes.values()) total += e.size;
    for (const [key, e] of this.indexes) {
      if (this.indexes.size <= 1 || (this.indexes.size <= this.limits.maxIndexes && total <= this.limits.maxFacts)) break;
      if (e.size === 0) continue; // still being read
      this.indexes.delete(key);
      total -= e.size;
    }
  }
}

/** The cache a bot keeps: the facts as the store reads them for a day (see visibleFacts). */
export function createFactsAsOfCache(prisma: PrismaClient, version = new FactStoreVersion(prisma), limits = DEFAULT_LIMITS, view: { timeZone?: string; clock?: Clock } = {}): FactsAsOfCache {
  // As they stood on the day (src/facts/as-of.ts): known by then, as they read then, later sources left out.
  return new FactsAsOfCache(
    version,
    (asOf, topic) => factsAsOf(prisma, asOf, { topic, ...(view.timeZone ? { timeZone: view.timeZone } : {}), ...(view.clock ? { now: view.clock.now() } : {}) }),
    limits,
  );
}

/**
 * The bot's cache of the facts as of a day, on its database: the store's version read with raw SQL on the database's
 * own session, and, while a `korus` command holds the embedded database, the version read before the hold stands (no
 * query waits for the command). Days end in the team's time zone.
 */
export function createBotFactsAsOfCache(db: Pick<Database, "prisma" | "withSession" | "externalWorkSince">, view: { timeZone: string; clock: Clock }): FactsAsOfCache {
  const version = new FactStoreVersion(db.prisma, 1000, undefined, {
    externalWorkSince: () => db.externalWorkSince?.(),
    readVersion: () => readFactStoreVersion(db),
  });
  return createFactsAsOfCache(db.prisma, version, DEFAULT_LIMITS, view);
}
