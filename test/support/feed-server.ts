/**
 * A web server on 127.0.0.1 serving the recorded real documents of test/fixtures/feeds/ (with ETag and Last-Modified,
 * answering conditional GETs with 304, gzip when asked) and the hostile documents the bot must refuse: a redirect to
 * the cloud metadata address, a billion-laughs document, an external entity, a gzip bomb, a 50 MB body, a feed whose
 * titles carry Slack mentions and Markdown links, a page that hangs, and pages that can be made to disappear (404).
 *
 * Runnable by hand for a run-through: `npx tsx test/support/feed-server.ts [port]` prints its base URL.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const FIXTURES = new URL("../fixtures/feeds/", import.meta.url);

/** A recorded document: its bytes, type, and validators fixed at start (a real server keeps them until it changes). */
interface Document {
  body: Buffer;
  type: string;
  etag: string;
  lastModified: string;
}

function doc(file: string, type: string): Document {
  const body = readFileSync(new URL(file, FIXTURES));
  return { body, type, etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`, lastModified: "Mon, 07 Dec 2026 12:00:00 GMT" };
}

/** The recorded real documents, by path (README.md in the fixtures folder says where each comes from). */
export const FEED_PATHS = {
  rss: "/ruiz/rss.xml",
  atom: "/heise/news-atom.xml",
  jsonFeed: "/jsonfeed/feed.json",
  federalRegister: "/api/v1/documents.json",
  page: "/news/world/south-korea-martial-law-president-yoon-suk-yeol-impeachment-vote-rcna183138",
} as const;

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title><link>https://example.org/</link><description>d</description>
<item><title>Korea &lol9;</title><link>https://example.org/1</link><description>&lol9;</description><guid>1</guid></item>
</channel></rss>`;

export const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>XXE</title><link>https://example.org/</link><description>d</description>
<item><title>Korea &secret;</title><link>https://example.org/2</link><guid>2</guid></item>
</channel></rss>`;

/** Titles that try to ping a channel, forge a link, style text and rewrite a terminal. */
export const HOSTILE_TITLES = ["KORUS <!channel> alert @here <@U012ABCDEF>", "KORUS [click me](https://evil.example/phish) *bold* `code`", "KORUS <https://evil.example|USTR notice> done"];

const HOSTILE_FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>&lt;!here&gt; Hostile [feed](https://evil.example)</title><link>https://example.org/</link><description>d</description>
${HOSTILE_TITLES.map((t, i) => `<item><title>${t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</title><link>https://example.org/hostile/${i}</link><description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Summary &lt;b&gt;${i}&lt;/b&gt; [x](https://evil.example) &lt;!everyone&gt;&lt;/p&gt;</description><guid>hostile-${i}</guid><pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>`).join("\n")}
</channel></rss>`;

/** A gzip of 64 MB of spaces: about 64 KB on the wire. */
let gzipBomb: Buffer | undefined;
const bomb = () => (gzipBomb ??= zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }));

/** The fixture server. */
export class FeedServer {
  private server: http.Server | undefined;
  /** Requests by path, with their headers, in order. */
  readonly requests: Array<{ path: string; headers: http.IncomingHttpHeaders; at: number }> = [];
  /** Paths answered 404 from now on (a page that disappeared). */
  readonly gone = new Set<string>();
  private readonly docs = new Map<string, Document>();
  baseUrl = "";

  constructor() {
    this.docs.set(FEED_PATHS.rss, doc("ruiz-house-press-releases.rss.xml", "application/rss+xml; charset=utf-8"));
    this.docs.set(FEED_PATHS.atom, doc("heise-developer.atom.xml", "application/atom+xml; charset=utf-8"));
    this.docs.set(FEED_PATHS.jsonFeed, doc("jsonfeed-org.feed.json", "application/feed+json"));
    this.docs.set(FEED_PATHS.federalRegister, doc("federal-register-documents-newest20.json", "application/json; charset=utf-8"));
    this.docs.set(FEED_PATHS.page, doc("nbcnews-south-korea-martial-law.html", "text/html; charset=utf-8"));
  }

  /** Listens on 127.0.0.1 (port 0: any free one). */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The full URL of a path. */
  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Requests made to a path. */
  requestsTo(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  private send(req: IncomingMessage, res: ServerResponse, d: Document): void {
    const headers: http.OutgoingHttpHeaders = { "content-type": d.type, etag: d.etag, "last-modified": d.lastModified, vary: "Accept-Encoding" };
    if (req.headers["if-none-match"] === d.etag || (!req.headers["if-none-match"] && req.headers["if-modified-since"] === d.lastModified)) {
      res.writeHead(304, headers).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
      const gz = zlib.gzipSync(d.body);
      res.writeHead(200, { ...headers, "content-encoding": "gzip", "content-length": gz.length }).end(req.method === "HEAD" ? undefined : gz);
      return;
    }
    res.writeHead(200, { ...headers, "content-length": d.body.length }).end(req.method === "HEAD" ? undefined : d.body);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0]!;
    this.requests.push({ path, headers: req.headers, at: Date.now() });
    // For a run-through by hand: `curl 'http://127.0.0.1:PORT/_control/gone?path=/news/...'` makes a page disappear.
    if (path === "/_control/gone" || path === "/_control/back") {
      const target = new URL(req.url ?? "/", "http://x").searchParams.get("path") ?? "";
      if (path === "/_control/gone") this.gone.add(target);
      else this.gone.delete(target);
      res.writeHead(200, { "content-type": "text/plain" }).end(`${target} ${path === "/_control/gone" ? "now answers 404" : "is back"}\n`);
      return;
    }
    if (this.gone.has(path)) {
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>Page not found</h1>");
      return;
    }
    const d = this.docs.get(path);
    if (d) {
      this.send(req, res, d);
      return;
    }
    switch (path) {
      case "/hostile/metadata-redirect":
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/iam/security-credentials/" }).end();
        return;
      case "/hostile/redirect-loop":
        res.writeHead(301, { location: "/hostile/redirect-loop" }).end();
        return;
      case "/hostile/billion-laughs.xml":
        res.writeHead(200, { "content-type": "application/rss+xml" }).end(BILLION_LAUGHS);
        return;
      case "/hostile/external-entity.xml":
        res.writeHead(200, { "content-type": "application/rss+xml" }).end(EXTERNAL_ENTITY);
        return;
      case "/hostile/gzip-bomb.xml":
        res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" }).end(bomb());
        return;
      case "/hostile/50mb.xml": {
        // No Content-Length: the size shows only while reading. 50 MB in 1 MB chunks, as long as the client reads.
        res.writeHead(200, { "content-type": "application/rss+xml" });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 50 && !res.destroyed) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      case "/hostile/50mb-declared.xml":
        res.writeHead(200, { "content-type": "application/rss+xml", "content-length": 50 * 1024 * 1024 });
        res.write("<rss>");
        // Never finishes: a client that trusted the header would wait; ours refuses on the header.
        return;
      case "/hostile/titles.rss":
        res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(HOSTILE_FEED);
        return;
      case "/hostile/hang":
        // Headers, then nothing: the deadline must end it.
        res.writeHead(200, { "content-type": "application/rss+xml" });
        res.write("<rss>");
        return;
      case "/page.html":
        res
          .writeHead(200, { "content-type": "text/html" })
          .end('<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/ruiz/rss.xml"></head><body>Not a feed</body></html>');
        return;
      default:
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  }
}

// `npx tsx test/support/feed-server.ts [port]`: serve until Ctrl-C.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await new FeedServer().start(Number(process.argv[2] ?? 0));
  process.stdout.write(
    `feed fixture server at ${server.baseUrl}\n${Object.entries(FEED_PATHS)
      .map(([k, p]) => `  ${k}: ${server.url(p)}`)
      .join("\n")}\n`,
  );
}
