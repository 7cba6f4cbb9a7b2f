import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { MemoryFS, PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.js";
import { imageTar } from "../../src/db/image-files.js";
import { migrate } from "../../src/db/migrate.js";
import { pgliteDatabase, pgliteOptions } from "../../src/db/pglite-database.js";
import { seed } from "../../src/db/seed.js";

const IN_MEMORY = "embedded PostgreSQL (PGlite) in memory";

/**
 * A fresh, migrated embedded database in memory (loaded from the prebuilt image that `npm run build` makes, so no
 * initdb); seeded with the source article's facts unless told not to. `migrate: false` gives an empty cluster (below).
 *
 * Seeding costs more CPU than loading (about 0.3 s against 0.7 s for the load, measured here), and about 45 files ask for
 * a seeded database: the seeded database is made once per test process and dumped, and every later one loads that dump.
 * It is the same database the seed makes (the dump is PGlite's data folder), only its facts were stored earlier.
 *
 * Every image is handed to PGlite as a plain tar, unpacked once per process (plainTar): PGlite would unpack a gzipped
 * one again for every database (after first trying to read it as a plain tar), about 40% of a load's CPU.
 */
export async function createTestDatabase(options: { seed?: boolean; migrate?: boolean } = {}): Promise<Database> {
  if (options.migrate === false) return emptied(await createTestDatabase({ seed: false }));
  if (options.seed === false) {
    const image = await plainTar(migratedImage);
    if (image) return fromTar(image);
    // No usable image (not built, or made from other migrations): initdb and the migrations, as the bot would.
    const db = await openDatabase({ dataDir: "memory://", fromImage: false });
    await migrate(db);
    return db;
  }
  return fromTar(await plainTar(seededImage));
}

const unpacked = new Map<() => Promise<Blob | undefined>, Promise<Blob | undefined>>();

/** The tar that `image` gives, unpacked if it is gzipped (and left as it is if not), once per process. */
function plainTar<T extends Blob | undefined>(image: () => Promise<T>): Promise<T> {
  let tar = unpacked.get(image);
  if (!tar) {
    tar = image().then(async (blob) => {
      if (!blob) return blob;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
      return new Blob([gzipped ? gunzipSync(bytes) : bytes], { type: "application/x-tar" });
    });
    unpacked.set(image, tar);
  }
  return tar as Promise<T>;
}

let migrated: Promise<Blob | undefined> | undefined;

/**
 * The prebuilt image's tar, read once per process. imageTar() gives it only when it was made from these migrations,
 * this seed and this PGlite (its inputs' hash), so the migration runner would find nothing to apply on it.
 */
function migratedImage(): Promise<Blob | undefined> {
  migrated ??= imageTar();
  return migrated;
}

/**
 * A database in memory holding the data folder in `tar`. PGlite's own loading (`loadDataDir`) reads the whole tar again
 * for every database, in JavaScript, and looks up every folder of every file's path: the files are read out of the
 * tar once per process instead (dataFolderFiles), and each new database's file system is filled from them before
 * PostgreSQL starts, which finds its data folder and starts on it as it does after loadDataDir. About 0.35 CPU-s a
 * database instead of 0.55-0.85 (six loads of the prebuilt image, each way, three rounds in one process, under load).
 */
async function fromTar(tar: Blob): Promise<Database> {
  const folder = await dataFolderFiles(tar);
  return pgliteDatabase(await PGlite.create(testOptions({ fs: new FilledMemoryFS(folder) })), IN_MEMORY);
}

/**
 * PGlite's options for a test database: the bot's (src/db/pglite-database.ts), with a 4 MB buffer pool instead of 16.
 * PostgreSQL sets up its whole pool at start, and a test database holds a few hundred rows in memory: about 0.08 CPU-s
 * less a load (of about 0.45; six loads each way, alternating, four rounds, under load), over the 76 loads of `npm test`.
 * A later `-c` wins over an earlier one.
 */
function testOptions<T extends object>(extra: T = {} as T) {
  const options = pgliteOptions(extra);
  return { ...options, startParams: [...options.startParams, "-c", "shared_buffers=4MB"] };
}

interface DataFolder {
  folders: string[];
  files: Array<{ path: string; data: Uint8Array }>;
}

const readTars = new WeakMap<Blob, Promise<DataFolder>>();

/** The folders and files of a data folder's tar (as PGlite's dumpDataDir writes it: ustar, files and folders only). */
function dataFolderFiles(tar: Blob): Promise<DataFolder> {
  let read = readTars.get(tar);
  if (!read) {
    read = tar.arrayBuffer().then((buffer) => readTar(new Uint8Array(buffer)));
    readTars.set(tar, read);
  }
  return read;
}

function readTar(bytes: Uint8Array): DataFolder {
  const text = (field: Uint8Array) => {
    const end = field.indexOf(0);
    return new TextDecoder().decode(end >= 0 ? field.subarray(0, end) : field);
  };
  const folders = new Set<string>();
  const files: DataFolder["files"] = [];
  for (let offset = 0; offset + 512 <= bytes.length; ) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    if (text(header.subarray(257, 262)) !== "ustar") throw new Error(`not a ustar header at byte ${offset} of a data folder's tar`);
    const prefix = text(header.subarray(345, 476));
    const name = `/${[prefix, text(header.subarray(0, 100))].filter(Boolean).join("/")}`.replace(/\/+/g, "/").replace(/\/$/, "");
    const size = Number.parseInt(text(header.subarray(124, 136)).trim() || "0", 8);
    const type = header[156];
    const data = offset + 512;
    if (type === 0x35 /* "5": folder */) folders.add(name);
    else if (type === 0x30 /* "0" */ || type === 0) {
      files.push({ path: name, data: bytes.subarray(data, data + size) });
      folders.add(name.slice(0, name.lastIndexOf("/")));
    } else throw new Error(`${name} in a data folder's tar is neither a file nor a folder (type ${String.fromCharCode(type ?? 0)})`);
    offset = data + Math.ceil(size / 512) * 512;
  }
  return { folders: [...folders].filter(Boolean).sort(), files };
}

/** PGlite's in-memory file system, with a data folder written into it before PostgreSQL starts. */
class FilledMemoryFS extends MemoryFS {
  constructor(private readonly folder: DataFolder) {
    super();
  }

  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    // The Emscripten file system PGlite made in init(); writeFile copies the bytes, so the parsed tar stays as it is.
    const fs = (this.pg as unknown as { Module: { FS: { mkdirTree(path: string): void; writeFile(path: string, data: Uint8Array): void } } }).Module.FS;
    for (const folder of this.folder.folders) fs.mkdirTree(`${PGlite.paths.PGDATA}${folder}`);
    for (const file of this.folder.files) fs.writeFile(`${PGlite.paths.PGDATA}${file.path}`, file.data);
  }
}

let seeded: Promise<Blob> | undefined;

/**
 * The prebuilt image, migrated and seeded, as a tar, read once per process: from the file that `npm test`'s global setup
 * names for the run (test/support/seeded-image-setup.ts), which the first worker to need it makes while the others wait
 * (a lock file made with O_EXCL); else made here. Seeding takes about 3.4 CPU-s (measured here under load): once per
 * run instead of once per vitest worker.
 */
function seededImage(): Promise<Blob> {
  seeded ??= (async () => {
    const file = process.env[SEEDED_IMAGE_VARIABLE];
    return file ? sharedSeededImage(file) : makeSeededImage();
  })();
  return seeded;
}

const readBlob = async (file: string) => new Blob([new Uint8Array(await readFile(file))]);

async function sharedSeededImage(file: string): Promise<Blob> {
  const lock = `${file}.lock`;
  for (const started = Date.now(); ; ) {
    try {
      return await readBlob(file);
    } catch {
      // Not made yet.
    }
    let mine = false;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(lock, String(process.pid), { flag: "wx" });
      mine = true;
    } catch {
      // Another worker is making it; a lock older than two minutes is one that worker left (it died): taken over.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 120_000 || Date.now() - started > 240_000) await rm(lock, { force: true });
    }
    if (mine) {
      try {
        // Made by another worker between the read above and the lock: read, not made again.
        const made = await readBlob(file).catch(() => undefined);
        if (made) return made;
        const tar = await makeSeededImage();
        const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
        await writeFile(partial, new Uint8Array(await tar.arrayBuffer()));
        await rename(partial, file);
        return tar;
      } finally {
        await rm(lock, { force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The variable through which the global setup hands the workers the seeded dump's file. */
export const SEEDED_IMAGE_VARIABLE = "KORUS_TEST_SEEDED_IMAGE";

/** The prebuilt image, migrated and seeded (as the seed would store it in a new data folder), dumped as a plain tar. */
export function makeSeededImage(): Promise<Blob> {
  return (async () => {
    const image = await migratedImage();
    const pglite = await PGlite.create("memory://", pgliteOptions(image ? { loadDataDir: image } : {}));
    const db = pgliteDatabase(pglite, IN_MEMORY);
    try {
      await migrate(db);
      await seed(db);
      // As the image is made (src/db/image.ts): files as a clean shutdown leaves them, so that a load needs no recovery.
      await db.withSession((session) => session.exec("CHECKPOINT"));
      return await pglite.dumpDataDir("none");
    } finally {
      await db.close();
    }
  })();
}

/**
 * `db` (the migrated image) made what initdb leaves, for tests of the migrations from nothing: everything the migrations
 * made is in the public schema (they create no extension, role or other schema), so the schema is dropped and made
 * again as initdb makes it (owner, privileges and comment, compared with a real initdb's here). initdb itself takes
 * about 2.5 CPU-s and nearly 800 MiB, a load of the image about 0.5 CPU-s.
 */
async function emptied(db: Database): Promise<Database> {
  await db.withSession((s) =>
    s.exec(`DROP SCHEMA public CASCADE;
            CREATE SCHEMA public AUTHORIZATION pg_database_owner;
            GRANT USAGE ON SCHEMA public TO PUBLIC;
            COMMENT ON SCHEMA public IS 'standard public schema';`),
  );
  return db;
}

/**
 * A bare PGlite in memory (no Prisma, no migrations run), for tests of PGlite's own serving: the prebuilt image's
 * cluster when there is one, so that no test pays for an initdb.
 */
export async function createTestPGlite(): Promise<PGlite> {
  const image = await plainTar(migratedImage);
  return image ? PGlite.create(testOptions({ fs: new FilledMemoryFS(await dataFolderFiles(image)) })) : PGlite.create("memory://", testOptions());
}

/** The PostgreSQL server for tests that need a real one (.ci/run starts it); undefined skips those tests. */
export const POSTGRES_URL = process.env.KORUS_TEST_DATABASE_URL;

/**
 * A new, empty database on the test PostgreSQL server, dropped by `drop()`.
 * Each test gets its own, so tests never see each other's rows.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error("KORUS_TEST_DATABASE_URL is not set");
  const name = `korus_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
