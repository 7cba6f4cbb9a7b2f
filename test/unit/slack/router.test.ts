import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { routeListeners } from "../../../src/slack/listeners/router.js";

type Middleware = (args: unknown) => Promise<void>;

/** Just enough of a Bolt app to see what the router registers on it. */
function fakeBolt() {
  const registered: Array<{ kind: string; handler: Middleware }> = [];
  const listener = (kind: string) => (_constraint: unknown, handler: Middleware) => registered.push({ kind, handler });
  const bolt = {
    use: (handler: Middleware) => registered.push({ kind: "use", handler }),
    action: listener("action"),
    view: listener("view"),
    command: listener("command"),
    event: listener("event"),
    shortcut: listener("shortcut"),
  };
  return { bolt: bolt as unknown as App, registered };
}

describe("the listener router", () => {
  it("registers no Bolt listener and dispatches each kind of request by its id", async () => {
    const { bolt, registered } = fakeBolt();
    const routed = routeListeners(bolt);
    const seen: string[] = [];
    routed.app.use(async () => undefined);
    routed.app.action("memo_write", async () => void seen.push("write"));
    routed.app.action(/^facts_page:/, async () => void seen.push("page"));
    routed.app.view("fact_add", async () => void seen.push("fact_add"));
    routed.app.command("/korus", async () => void seen.push("command"));
    routed.app.shortcut({ type: "message_action", callback_id: "save_as_fact" }, async () => void seen.push("shortcut"));
    routed.app.event("app_home_opened", async () => void seen.push("home"));
    routed.app.event("message", async () => void seen.push("message"));
    // The global middleware reaches Bolt as it is; nothing else does.
    expect(registered.map((r) => r.kind)).toEqual(["use"]);
    const dispatch = routed.dispatcher() as unknown as Middleware;
    let passedOn = 0;
    const request = (args: Record<string, unknown>) => dispatch({ body: {}, next: async () => void passedOn++, ...args });
    await request({ action: { action_id: "facts_page:more" } });
    await request({ action: { action_id: "memo_write" } });
    await request({ action: { action_id: "nobody_listens" } });
    await request({ body: { type: "view_submission" }, view: { callback_id: "fact_add" } });
    await request({ body: { type: "view_submission" }, view: { callback_id: "memo_new" } });
    // A closed form is not a submission, whatever its callback_id (as Bolt's app.view(id) matches).
    await request({ body: { type: "view_closed" }, view: { callback_id: "fact_add" } });
    await request({ command: { command: "/korus" } });
    await request({ command: { command: "/other" } });
    await request({ shortcut: { type: "message_action", callback_id: "save_as_fact" } });
    await request({ shortcut: { type: "shortcut", callback_id: "save_as_fact" } });
    await request({ event: { type: "message" } });
    await request({ event: { type: "app_home_opened" } });
    await request({ event: { type: "team_join" } });
    expect(seen).toEqual(["page", "write", "fact_add", "command", "shortcut", "message", "home"]);
    // What no handler takes goes on, as through Bolt's listeners when none matched.
    expect(passedOn).toBe(6);
  });

  it("hands a handler's failure to the caller (Bolt then gives it to app.error, as a listener's)", async () => {
    const { bolt, registered } = fakeBolt();
    const routed = routeListeners(bolt);
    routed.app.command("/korus", async () => {
      throw new Error("the store went away");
    });
    expect(registered).toEqual([]);
    const dispatch = routed.dispatcher() as unknown as Middleware;
    await expect(dispatch({ body: {}, command: { command: "/korus" }, next: async () => undefined })).rejects.toThrow("the store went away");
  });

  it("refuses an id registered twice and a constraint object, instead of letting one handler hide another", () => {
    const routed = routeListeners(fakeBolt().bolt);
    routed.app.action("memo_write", async () => undefined);
    expect(() => routed.app.action("memo_write", async () => undefined)).toThrow(/registered twice/);
    expect(() => routed.app.view({ callback_id: "x", type: "view_closed" }, async () => undefined)).toThrow(/constraint object/);
    routed.app.event("message", async () => undefined);
    expect(() => routed.app.event("message", async () => undefined)).toThrow(/registered twice/);
    expect(() => routed.app.shortcut({ type: "message_action", callback_id: "x", channel: "C1" } as never, async () => undefined)).toThrow(/constraint object/);
  });
});
