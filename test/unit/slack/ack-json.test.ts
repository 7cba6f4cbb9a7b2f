import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { ackJson, ackWithAnswer, HTTP_RESPONSE } from "../../../src/slack/ack-json.js";

const answer = { response_type: "ephemeral", text: "KORUS status", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Agreement:* <b> & \u2028 ünïcode" } }] };

describe("an answer in the ack, serialised once", () => {
  it("is the answer's JSON, the same string for the same answer object", () => {
    const json = ackJson(answer);
    expect(JSON.parse(json)).toEqual(answer);
    expect(ackJson(answer)).toBe(json);
    // Another object with the same fields has its own JSON (answers are cached by identity, never by value).
    expect(ackJson({ ...answer, response_type: "in_channel" })).toContain('"in_channel"');
  });

  it("over HTTP, acks with the JSON and the JSON content type", async () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    const acked: unknown[] = [];
    await ackWithAnswer(async (body?: never) => void acked.push(body), { isEnterpriseInstall: false, [HTTP_RESPONSE]: res }, answer);
    expect(acked).toEqual([JSON.stringify(answer)]);
    expect(res.getHeader("content-type")).toBe("application/json");
  });

  it("over Socket Mode (no HTTP response in the context), acks with the object itself", async () => {
    const acked: unknown[] = [];
    await ackWithAnswer(async (body?: never) => void acked.push(body), { isEnterpriseInstall: false }, answer);
    expect(acked).toEqual([answer]);
  });
});
