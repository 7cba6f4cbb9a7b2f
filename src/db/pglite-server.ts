import { rmSync } from "node:fs";
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { listenPrivately } from "./socket-path.js";

/**
 * The first byte of the PostgreSQL frontend messages that end a unit of work: Sync (extended protocol), Query
 * (simple protocol) and Terminate. A startup packet has no type byte; its first byte (of a length below 16 MiB) is 0.
 */
const UNIT_ENDS = new Set([0x53, 0x51, 0x58, 0x00]);

/** How long a socket client may hold the database mid-transaction without sending anything before it is cut off. */
export const DEFAULT_HOLD_TIMEOUT_MS = 60_000;

/** A client that connects but never sends anything is dropped after this long (it holds nothing meanwhile). */
const IDLE_CONNECTION_MS = 10 * 60_000;

/** At most this many clients at once: CLI calls are short, and each waits its turn anyway. */
const MAX_CLIENTS = 32;

interface Pending {
  handlerId: number;
  run: () => Promise<number>;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
  /** Whether, once this ran and no transaction is open, the holder lets go. */
  endsUnit: boolean;
}

/**
 * Shares one PGlite session between this process and socket clients, one unit of work at a time.
 *
 * PGlite is a single PostgreSQL session. In this process every caller (the Prisma adapter, raw queries) goes through
 * PGlite's transaction lock, and a transaction holds it until it ends. A socket client's unit of work (one simple
 * query, or an extended-protocol pipeline up to its Sync, or everything from BEGIN to COMMIT) must hold that same lock
 * from its first message to its end, or this process's queries would land inside the client's transaction (and the
 * client's inside ours). pglite-socket's own queue takes only the per-message lock, so this replaces it; the socket
 * handlers (wire framing, SSL and cancel requests) are pglite-socket's.
 */
export class SessionScheduler {
  private readonly pending: Pending[] = [];
  private holder: { handlerId: number; release: () => void; since: number; timer?: NodeJS.Timeout } | undefined;
  private pumping = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly onHoldTimeout: (handlerId: number) => void,
    private readonly holdTimeoutMs = DEFAULT_HOLD_TIMEOUT_MS,
    /** Called each time a client's unit of work has ended (what it wrote, if anything, is committed or gone). */
    private readonly onUnitEnd: () => void = () => undefined,
  ) {}

  /** Called by a socket handler for each complete frontend message; resolves with the bytes answered. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return this.push({
      handlerId,
      endsUnit: UNIT_ENDS.has(message[0]!),
      run: async () => {
        let bytes = 0;
        await this.pglite._runExclusiveQuery(() =>
          this.pglite.execProtocolRawStream(message, {
            onRawData: (data) => {
              bytes += data.length;
              onData(data);
            },
          }),
        );
        return bytes;
      },
    });
  }

  /**
   * When (performance.now()) the client's unit of work that holds the session now took it, or undefined when none does.
   * Meanwhile nothing can commit: not this process (its queries wait), not another client.
   */
  heldSince(): number | undefined {
    return this.holder?.since;
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  /** Drops what a disconnected client still had queued. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i]!.handlerId === handlerId) this.pending.splice(i, 1)[0]!.reject(new Error("client disconnected"));
    }
  }

  /**
   * A client went away: if it held the session, end what it left open (a pipeline without its Sync, a transaction
   * without COMMIT) and let the next one in.
   */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.holder?.handlerId !== handlerId) return;
    await this.push(
      {
        handlerId,
        endsUnit: true,
        run: async () => {
          // A Sync ends an unfinished pipeline; ROLLBACK an open transaction block.
          await this.pglite._runExclusiveQuery(async () => {
            await this.pglite.execProtocolRaw(new Uint8Array([0x53, 0, 0, 0, 4]));
            if (this.pglite.isInTransaction()) await this.pglite.execProtocolRaw(simpleQuery("ROLLBACK"));
          });
          return 0;
        },
      },
      true,
    );
  }

  private push(item: Omit<Pending, "resolve" | "reject">, first = false): Promise<number> {
    return new Promise((resolve, reject) => {
      const entry = { ...item, resolve, reject };
      if (first) this.pending.unshift(entry);
      else this.pending.push(entry);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const holder = this.holder;
        const index = holder ? this.pending.findIndex((p) => p.handlerId === holder.handlerId) : this.pending.length > 0 ? 0 : -1;
        if (index < 0) break;
        const item = this.pending.splice(index, 1)[0]!;
        if (!this.holder) this.holder = { handlerId: item.handlerId, release: await this.acquireSession(), since: performance.now() };
        this.stopHoldTimer();
        try {
          item.resolve(await item.run());
        } catch (error) {
          item.reject(error as Error);
        }
        if (item.endsUnit && !this.pglite.isInTransaction()) this.releaseHolder();
        else this.startHoldTimer();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Waits for this process's transactions to finish, then keeps them out until release() is called. */
  private acquireSession(): Promise<() => void> {
    return new Promise((acquired) => {
      void this.pglite._runExclusiveTransaction(() => new Promise<void>((release) => acquired(release)));
    });
  }

  private releaseHolder(): void {
    this.stopHoldTimer();
    const holder = this.holder;
    this.holder = undefined;
    holder?.release();
    if (holder) this.onUnitEnd();
  }

  private startHoldTimer(): void {
    const holder = this.holder;
    if (!holder || holder.timer) return;
    holder.timer = setTimeout(() => this.onHoldTimeout(holder.handlerId), this.holdTimeoutMs);
    holder.timer.unref();
  }

  private stopHoldTimer(): void {
    if (this.holder?.timer) {
      clearTimeout(this.holder.timer);
      this.holder.timer = undefined;
    }
  }
}

/** A simple-protocol Query message. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/** The embedded database served to other processes (the `korus` command) on a unix socket. */
export interface PgliteSocketServer {
  /** The socket file's path. */
  readonly path: string;
  /** Calls `listener` after each unit of work a client finished (a query, a pipeline, a transaction). */
  onUnitEnd(listener: () => void): void;
  /** When (performance.now()) the client's unit of work that holds the database now began, or undefined: see SessionScheduler.heldSince. */
  heldSince(): number | undefined;
  /** How many clients are connected now. */
  connections(): number;
  /** Disconnects every client (rolling back what they left open) and removes the socket file. */
  stop(): Promise<void>;
}

/**
 * Serves `pglite` on a unix socket at `socketPath` (PostgreSQL's wire protocol, as `pg` speaks it with
 * `host: <folder>`). The socket file is made readable and writable by this user only: whoever can connect is the
 * database's superuser.
 */
export async function servePgliteSocket(pglite: PGlite, socketPath: string, options: { holdTimeoutMs?: number; onWarning?: (message: string) => void } = {}): Promise<PgliteSocketServer> {
  const handlers = new Map<number, PGLiteSocketHandler>();
  const listeners: Array<() => void> = [];
  const scheduler = new SessionScheduler(
    pglite,
    (handlerId) => {
      options.onWarning?.(`a korus client kept the embedded database in a transaction for ${Math.round((options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS) / 1000)} s without a word; disconnecting it`);
      void handlers.get(handlerId)?.detach(true);
    },
    options.holdTimeoutMs,
    () => {
      for (const listener of listeners) listener();
    },
  );
  const server = net.createServer((socket) => {
    if (handlers.size >= MAX_CLIENTS) {
      socket.destroy();
      return;
    }
    // The handler's option type names pglite-socket's own queue class; the scheduler has the same public shape.
    const handler = new PGLiteSocketHandler({
      queryQueue: scheduler as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
      idleTimeout: IDLE_CONNECTION_MS,
    });
    handlers.set(handler.handlerId, handler);
    const forget = () => handlers.delete(handler.handlerId);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket);
  });
  await listenPrivately(server, socketPath);
  let stopped: Promise<void> | undefined;
  return {
    path: socketPath,
    onUnitEnd: (listener) => listeners.push(listener),
    heldSince: () => scheduler.heldSince(),
    connections: () => handlers.size,
    stop: () =>
      (stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...handlers.values()].map((h) => h.detach(true)));
        handlers.clear();
        await closed;
        rmSync(socketPath, { force: true });
      })()),
  };
}
