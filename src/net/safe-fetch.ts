/**
 * The one way the bot fetches from the web (feeds, cited pages, dead-link checks): http(s) only; every address a host
 * resolves to is checked against the address policy inside the connection's own DNS lookup, so the address checked is
 * the address connected to (a DNS answer that changes between a check and the connect cannot slip through), and each
 * redirect is a new request checked the same way; a deadline for the whole exchange; a cap on the bytes read, counted
 * after decompression (a gzip bomb stops at the cap); at most a few redirects. Built on node:http and node:https (the
 * npm `undici` needs Node 22; Node's own fetch cannot take a lookup hook).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Transform, type TransformCallback } from "node:stream";
import zlib from "node:zlib";
import { KorusError } from "../errors.js";
import { type AllowList, isIpLiteral, NO_EXCEPTIONS, refusalOf } from "./address-policy.js";

/** What went wrong with a fetch, by kind. */
export type FetchErrorCode = "bad_url" | "refused" | "dns" | "timeout" | "too_large" | "redirects" | "network" | "encoding";

/** A fetch that could not be done; the message says why in a person's words. */
export class FetchError extends KorusError<FetchErrorCode> {
  constructor(code: FetchErrorCode, message: string, options?: ErrorOptions & { temporary?: boolean }) {
    super(code, message, options);
    this.temporary = options?.temporary ?? false;
  }
  /** A DNS answer that may come right next time (EAI_AGAIN), as opposed to a name that does not exist. */
  readonly temporary: boolean;
}

/** Limits of one fetch. */
export interface FetchLimits {
  /** Most bytes of body accepted, after decompression (default 5 MB). */
  maxBytes: number;
  /** The whole exchange, redirects included, must end within this (default 20 s). */
  timeoutMs: number;
  /** Redirects followed at most (default 5). */
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = Object.freeze({ maxBytes: 5 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 5 });

/** What the fetcher needs: the operator's exceptions to the address policy and the User-Agent to send. */
export interface FetchContext {
  allow: AllowList;
  userAgent: string;
  /** Resolves a host name (tests substitute one to simulate a DNS answer that changes); default: the system's. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

/** A fetch's request. */
export interface FetchRequest {
  url: string;
  /** Accept header. */
  accept?: string;
  /** Conditional GET validators. */
  etag?: string | null;
  lastModified?: string | null;
  /** HEAD instead of GET (dead-link checks of large files). */
  method?: "GET" | "HEAD";
  limits?: Partial<FetchLimits>;
}

/** A fetch's answer: the last response after redirects. A 304 has an empty body. */
export interface FetchResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Each URL redirected from, in order. */
  redirects: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** "5 MB", "512 KB", "900 bytes". */
export function describeBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** A URL the fetcher accepts (http or https, no user name or password), or FetchError("bad_url"). */
export function checkedUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    throw new FetchError("bad_url", `\`${raw.slice(0, 200)}\` is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchError("bad_url", `only http and https URLs are fetched, not ${url.protocol.replace(/:$/, "")}:`);
  if (url.username || url.password) throw new FetchError("bad_url", "a URL with a user name or password is not fetched");
  return url;
}

const systemResolve = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The connection's DNS lookup: resolves the name, refuses the connection if any address it resolves to is refused by
 * the policy (a name that resolves to a public and a private address is refused), and hands the connection exactly
 * the addresses it checked.
 */
function checkedLookup(context: FetchContext, hostname: string): LookupFunction {
  const resolve = context.resolve ?? systemResolve;
  return ((name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(name).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new FetchError("dns", `${hostname} has no address`));
        for (const a of addresses) {
          const refusal = refusalOf(a.address, context.allow, hostname);
          if (refusal) return callback(refusedError(hostname, refusal, context.allow));
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(dnsError(hostname, error)),
    );
  }) as LookupFunction;
}

function refusedError(hostname: string, refusal: string, allow: AllowList): FetchError {
  const who = isIpLiteral(hostname) ? "" : `${hostname} resolves to an address that is not public: `;
  const hint = allow === NO_EXCEPTIONS || allow.text === "" ? " (the bot fetches from public addresses only; KORUS_FEEDS_ALLOW_HOSTS lists exceptions)" : "";
  return new FetchError("refused", `refused: ${who}${refusal}${hint}`);
}

function dnsError(hostname: string, error: NodeJS.ErrnoException): FetchError {
  if (error instanceof FetchError) return error;
  if (error.code === "ENOTFOUND" || error.code === "ENODATA") return new FetchError("dns", `${hostname} does not resolve (${error.code})`, { cause: error });
  return new FetchError("dns", `${hostname} could not be resolved just now (${error.code ?? error.message})`, { cause: error, temporary: true });
}

/** Counts bytes through it and fails once more than `max` have passed. */
class ByteCap extends Transform {
  count = 0;
  constructor(
    private readonly max: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.max) done(new FetchError("too_large", `the response is larger than ${describeBytes(this.max)}${this.what}; nothing was kept`));
    else done(null, chunk);
  }
}

function decoderFor(encoding: string | undefined): Transform | null {
  const e = (encoding ?? "identity").trim().toLowerCase();
  if (e === "" || e === "identity") return null;
  // Many small chunks out of one big one would each be counted: the cap on decompressed bytes stops them anyway.
  if (e === "gzip" || e === "x-gzip") return zlib.createGunzip();
  if (e === "deflate") return zlib.createInflate();
  if (e === "br") return zlib.createBrotliDecompress();
  throw new FetchError("encoding", `the response is encoded as \`${e.slice(0, 40)}\`, which the bot does not read`);
}

/** Reads a response body through the decompressor and the caps, as one Buffer. */
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      reject(new FetchError("too_large", `the response says it is ${describeBytes(declared)}, more than the ${describeBytes(maxBytes)} limit; nothing was read`));
      return;
    }
    let decoder: Transform | null;
    try {
      decoder = decoderFor(response.headers["content-encoding"]);
    } catch (error) {
      response.destroy();
      reject(error);
      return;
    }
    const wire = new ByteCap(maxBytes, "");
    const out = new ByteCap(maxBytes, decoder ? " once decompressed" : "");
    const chunks: Buffer[] = [];
    const fail = (error: Error) => {
      response.destroy();
      wire.destroy();
      decoder?.destroy();
      out.destroy();
      reject(
        error instanceof FetchError
          ? error
          : new FetchError(decoder && error.message.includes("header") ? "encoding" : "network", `the response could not be read: ${error.message}`, { cause: error }),
      );
    };
    response.on("error", fail);
    wire.on("error", fail);
    decoder?.on("error", fail);
    out.on("error", fail);
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    out.on("end", () => resolve(Buffer.concat(chunks)));
    if (decoder) response.pipe(wire).pipe(decoder).pipe(out);
    else response.pipe(wire).pipe(out);
  });
}

/** One request, no redirects followed. */
function requestOnce(url: URL, request: FetchRequest, context: FetchContext, limits: FetchLimits, signal: AbortSignal): Promise<{ response: IncomingMessage; body: () => Promise<Buffer> }> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIpLiteral(hostname)) {
    // No DNS lookup happens for an address: check it here.
    const refusal = refusalOf(hostname, context.allow, hostname);
    if (refusal) return Promise.reject(refusedError(hostname, refusal, context.allow));
  }
  const headers: Record<string, string> = {
    "user-agent": context.userAgent,
    accept: request.accept ?? "*/*",
    "accept-encoding": "gzip, deflate, br",
  };
  if (request.etag) headers["if-none-match"] = request.etag;
  if (request.lastModified) headers["if-modified-since"] = request.lastModified;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: request.method ?? "GET",
      headers,
      // A new connection per request, through our lookup: a pooled socket would skip the check.
      agent: false,
      lookup: checkedLookup(context, hostname),
      signal,
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error instanceof FetchError) return reject(error);
      if (signal.aborted) return reject(signal.reason instanceof FetchError ? signal.reason : new FetchError("timeout", `no answer within ${limits.timeoutMs / 1000} s`));
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof FetchError) return reject(cause);
      reject(new FetchError("network", `${url.host} could not be reached: ${error.code ?? error.message}`, { cause: error }));
    });
    req.on("response", (response) => resolve({ response, body: () => readBody(response, limits.maxBytes) }));
    req.end();
  });
}

/**
 * Fetches `request.url` under the policy: refused addresses, the deadline, the byte cap and the redirect limit all end
 * it with a FetchError. A 304 answers a conditional GET; other statuses are returned as they are (the caller decides
 * what a 404 means), with their bodies read (under the cap) only for 2xx.
 */
export async function safeFetch(request: FetchRequest, context: FetchContext): Promise<FetchResponse> {
  const limits: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...request.limits };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FetchError("timeout", `no complete answer within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
  timer.unref?.();
  const redirects: string[] = [];
  let url = checkedUrl(request.url);
  try {
    for (;;) {
      const { response, body } = await requestOnce(url, request, context, limits, controller.signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location) {
        response.resume();
        if (redirects.length >= limits.maxRedirects) {
          throw new FetchError("redirects", `more than ${limits.maxRedirects} redirects (last to ${checkedUrl(response.headers.location, url.href).href.slice(0, 200)})`);
        }
        redirects.push(url.href);
        url = checkedUrl(response.headers.location, url.href);
        continue;
      }
      if (status >= 200 && status < 300 && request.method !== "HEAD") {
        const bytes = await withAbort(body(), controller.signal);
        return { status, url: url.href, headers: response.headers, body: bytes, redirects };
      }
      response.resume();
      return { status, url: url.href, headers: response.headers, body: Buffer.alloc(0), redirects };
    }
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof FetchError && error.code !== "network")) {
      throw controller.signal.reason instanceof FetchError ? controller.signal.reason : new FetchError("timeout", `no answer within ${limits.timeoutMs / 1000} s`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The promise, or the abort reason once the signal fires (a body that stops arriving). */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

/** The charset a response declares (Content-Type, else the XML declaration or an HTML meta), for decoding. */
export function declaredCharset(contentType: string | undefined, body: Buffer): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? "")?.[1];
  if (fromHeader) return fromHeader;
  const head = body.subarray(0, 1024).toString("latin1");
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  if (xml) return xml;
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  return meta ?? "utf-8";
}

/** The body as text in its declared charset (UTF-8 when the charset is unknown), without a byte-order mark. */
export function bodyText(response: Pick<FetchResponse, "headers" | "body">): string {
  const charset = declaredCharset(response.headers["content-type"], response.body);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(response.body);
}
