/**
 * The one file that reaches into Bolt's internals (`@slack/bolt/dist/…`) rather than its index. Bolt's index also loads
 * the Express and AWS Lambda receivers (express, body-parser, iconv-lite...), which this bot never uses, at every
 * start; so the bot takes the parts it uses from their own modules. Those paths and shapes are not Bolt's public API
 * and may change in any release: test/unit/slack/bolt.test.ts pins the version they were reviewed against
 * ({@link BOLT_VERSION_REVIEWED}) and checks each shape, so that an upgrade fails there until this file is reviewed.
 *
 * The request check (signature, body limit) is light and loaded statically: src/slack/request.ts uses it before Bolt is
 * loaded (not-ready.ts answers while the database opens). The app and its HTTP receiver are heavy (about 0.4 s to load
 * here) and come through {@link loadBoltClasses}.
 */
import { defaultBodyLimit } from "@slack/bolt/dist/receivers/HTTPModuleFunctions.js";
import { isValidSlackRequest } from "@slack/bolt/dist/receivers/verify-request.js";

/** The @slack/bolt version whose internals this file was last reviewed against (package.json pins it exactly). */
export const BOLT_VERSION_REVIEWED = "5.1.0";

/** Bolt's limit on a request body (bytes), as its own HTTP receiver applies it. */
export const BOLT_BODY_LIMIT: number = defaultBodyLimit;

/** Bolt's check of a request's signature and timestamp. */
export const isValidBoltRequest: typeof isValidSlackRequest = isValidSlackRequest;

/** Bolt's App class, as its own module exports it. */
export type BoltAppClass = typeof import("@slack/bolt/dist/App.js")["default"];
/** Bolt's HTTP receiver class, as its own module exports it. */
export type HttpReceiverClass = typeof import("@slack/bolt/dist/receivers/HTTPReceiver.js")["default"];

/**
 * The class a CommonJS module exports as `default`, however the loader wrapped it: Node's ES module loader hands over
 * `module.exports` as the namespace's `default` (the class one `.default` further), while bundlers and Vite unwrap it.
 */
function exportedClass<T>(mod: unknown): T {
  let m = mod;
  while (typeof m !== "function" && typeof m === "object" && m !== null && "default" in m) m = (m as { default: unknown }).default;
  if (typeof m !== "function") throw new TypeError("@slack/bolt: a module no longer exports its class as `default` (review src/slack/bolt.ts)");
  return m as T;
}

/** Bolt's App and HTTPReceiver classes, loaded from their own modules (not Bolt's index). */
export async function loadBoltClasses(): Promise<{ App: BoltAppClass; HTTPReceiver: HttpReceiverClass }> {
  const [app, receiver] = await Promise.all([import("@slack/bolt/dist/App.js"), import("@slack/bolt/dist/receivers/HTTPReceiver.js")]);
  return { App: exportedClass<BoltAppClass>(app), HTTPReceiver: exportedClass<HttpReceiverClass>(receiver) };
}
