/**
 * An answer given in an HTTP ack, serialised once per answer object. Bolt's HTTP receiver runs `JSON.stringify` on
 * every ack body it is given as an object; the `/korus status` answer (about 4.5 KB) is the same object for as long as
 * its report is cached, so its JSON is kept beside it and handed to Bolt as a string, which Bolt writes as it is (with
 * the JSON content type set here, as Bolt sets it for an object). Over Socket Mode an ack is a socket message, not an
 * HTTP body: the object goes as before.
 */
import type { ServerResponse } from "node:http";
import type { Context } from "@slack/bolt";

/** Where the HTTP server leaves the response of the request in Bolt's context (src/slack/app.ts). */
export const HTTP_RESPONSE = "korusHttpResponse";

const serialised = new WeakMap<object, string>();

/** `answer` as JSON, made once per answer object (answers are never changed once made). */
export function ackJson(answer: object): string {
  let json = serialised.get(answer);
  if (json === undefined) {
    json = JSON.stringify(answer);
    serialised.set(answer, json);
  }
  return json;
}

/** Acks with `answer`: over HTTP as its cached JSON, else (Socket Mode) as the object. */
export async function ackWithAnswer(ack: (response?: never) => Promise<void>, context: Context, answer: object): Promise<void> {
  const res = context[HTTP_RESPONSE] as ServerResponse | undefined;
  if (res && !res.headersSent) {
    res.setHeader("content-type", "application/json");
    await ack(ackJson(answer) as never);
  } else {
    await ack(answer as never);
  }
}
