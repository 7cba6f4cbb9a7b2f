/**
 * The one fetcher against a real server on 127.0.0.1: what it refuses (addresses, redirects, bombs, sizes, hangs) and
 * what it does for a polite reader (conditional GET, gzip, charset).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAllowList, NO_EXCEPTIONS, type AllowList } from "../../src/net/address-policy.js";
import { bodyText, type FetchContext, FetchError, safeFetch } from "../../src/net/safe-fetch.js";
import { FEED_PATHS, FeedServer } from "../support/feed-server.js";

let server: FeedServer;
const allowLoopback = parseAllowList("127.0.0.1") as AllowList;
const context: FetchContext = { allow: allowLoopback, userAgent: "korus-bot tests" };

beforeAll(async () => {
  server = await new FeedServer().start();
});
afterAll(async () => {
  await server.stop();
});

async function refusal(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe("safe fetching", () => {
  test("127.0.0.1 is refused unless KORUS_FEEDS_ALLOW_HOSTS lists it, and nothing is sent", async () => {
    const before = server.requests.length;
    const error = await refusal(safeFetch({ url: server.url(FEED_PATHS.rss) }, { ...context, allow: NO_EXCEPTIONS }));
    expect(error.code).toBe("refused");
    expect(error.message).toBe("refused: 127.0.0.1 is a loopback address (the bot fetches from public addresses only; KORUS_FEEDS_ALLOW_HOSTS lists exceptions)");
    expect(server.requests.length).toBe(before);
    // `localhost` is a name: the check runs on what it resolves to, inside the connection's own lookup.
    const named = await refusal(safeFetch({ url: server.url(FEED_PATHS.rss).replace("127.0.0.1", "localhost") }, { ...context, allow: NO_EXCEPTIONS }));
    expect(named.message).toMatch(/^refused: localhost resolves to an address that is not public: (127\.0\.0\.1 is a loopback address|::1 is a loopback address)/);
    expect(server.requests.length).toBe(before);
  });

  test("a redirect to the cloud metadata address is refused before any connection to it", async () => {
    const error = await refusal(safeFetch({ url: server.url("/hostile/metadata-redirect") }, context));
    expect(error.code).toBe("refused");
    expect(error.message).toContain("refused: 169.254.169.254 is the cloud metadata address");
  });

  test("every connection checks the address it connects to: a name that resolves somewhere else on the next request is refused then", async () => {
    const answers = [["127.0.0.1"], ["10.0.0.7"]];
    const calls: string[] = [];
    const rebinding: FetchContext = {
      allow: parseAllowList("127.0.0.1") as AllowList,
      userAgent: "t",
      resolve: async (name) => {
        calls.push(name);
        return (answers.shift() ?? ["10.0.0.7"]).map((address) => ({ address, family: 4 }));
      },
    };
    const port = new URL(server.baseUrl).port;
    const first = await safeFetch({ url: `http://rebind.test:${port}${FEED_PATHS.jsonFeed}` }, rebinding);
    expect(first.status).toBe(200);
    const error = await refusal(safeFetch({ url: `http://rebind.test:${port}${FEED_PATHS.jsonFeed}` }, rebinding));
    expect(error.message).toBe("refused: rebind.test resolves to an address that is not public: 10.0.0.7 is a private address");
    expect(calls).toEqual(["rebind.test", "rebind.test"]);
  });

  test("a name that resolves to a public and a private address is refused", async () => {
    const mixed: FetchContext = {
      allow: NO_EXCEPTIONS,
      userAgent: "t",
      resolve: async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "192.168.0.10", family: 4 },
      ],
    };
    const error = await refusal(safeFetch({ url: "http://mixed.test/feed" }, mixed));
    expect(error.message).toContain("192.168.0.10 is a private address");
  });

  test("only http and https, and no credentials in the URL", async () => {
    expect((await refusal(safeFetch({ url: "file:///etc/passwd" }, context))).message).toBe("only http and https URLs are fetched, not file:");
    expect((await refusal(safeFetch({ url: "gopher://127.0.0.1/" }, context))).code).toBe("bad_url");
    expect((await refusal(safeFetch({ url: `http://user:pw@127.0.0.1:1/` }, context))).message).toBe("a URL with a user name or password is not fetched");
  });

  test("a gzip bomb stops at the cap, counted after decompression", async () => {
    const error = await refusal(safeFetch({ url: server.url("/hostile/gzip-bomb.xml") }, context));
    expect(error.code).toBe("too_large");
    // What came over the wire was far under the cap: only the decompressed count could stop it.
    expect(error.message).toBe("the response is larger than 5 MB once decompressed; nothing was kept");
  });

  test("a 50 MB body is cut off at 5 MB, and a declared one is refused on its header", async () => {
    const error = await refusal(safeFetch({ url: server.url("/hostile/50mb.xml") }, context));
    expect(error.message).toBe("the response is larger than 5 MB; nothing was kept");
    const declared = await refusal(safeFetch({ url: server.url("/hostile/50mb-declared.xml") }, context));
    expect(declared.message).toBe("the response says it is 50 MB, more than the 5 MB limit; nothing was read");
  });

  test("a server that stops answering is given up on at the deadline", async () => {
    const started = Date.now();
    const error = await refusal(safeFetch({ url: server.url("/hostile/hang"), limits: { timeoutMs: 500 } }, context));
    expect(error.code).toBe("timeout");
    expect(error.message).toBe("no complete answer within 0.5 s");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("at most five redirects", async () => {
    const error = await refusal(safeFetch({ url: server.url("/hostile/redirect-loop") }, context));
    expect(error.code).toBe("redirects");
    expect(error.message).toMatch(/^more than 5 redirects \(last to http:\/\/127\.0\.0\.1:\d+\/hostile\/redirect-loop\)$/);
  });

  test("a conditional GET with the document's ETag gets 304 and no body; gzip is read; the User-Agent says who asks", async () => {
    const first = await safeFetch({ url: server.url(FEED_PATHS.rss) }, context);
    expect(first.status).toBe(200);
    expect(first.headers["content-encoding"]).toBe("gzip");
    expect(bodyText(first)).toContain("<title>Congressman  Raul Ruiz");
    const again = await safeFetch({ url: server.url(FEED_PATHS.rss), etag: first.headers.etag as string, lastModified: first.headers["last-modified"] as string }, context);
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const seen = server.requestsTo(FEED_PATHS.rss).at(-1)!.headers;
    expect(seen["if-none-match"]).toBe(first.headers.etag);
    expect(seen["user-agent"]).toBe("korus-bot tests");
  });
});
