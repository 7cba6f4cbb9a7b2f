import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { routeListeners } from "../../../src/slack/listeners/router.js";

/** Just enough of a Bolt app to see what the router registers on it. */
function fakeBolt() {
  const registered: Array<{ kind: string; constraint: unknown; handler: (args: unknown) => Promise<void> }> = [];
  const bolt = {
    action: (constraint: unknown, handler: (args: unknown) => Promise<void>) => registered.push({ kind: "action", constraint, handler }),
    view: (constraint: unknown, handler: (args: unknown) => Promise<void>) => registered.push({ kind: "view", constraint, handler }),
    command: (constraint: unknown, handler: (args: unknown) => Promise<void>) => registered.push({ kind: "command", constraint, handler }),
  };
  return { bolt: bolt as unknown as App, registered };
}

describe("the listener router", () => {
  it("registers one Bolt listener for actions and one for views, and dispatches on action_id (or a pattern) and callback_id", async () => {
    const { bolt, registered } = fakeBolt();
    const routed = routeListeners(bolt);
    const seen: string[] = [];
    routed.app.action("memo_write", async () => void seen.push("write"));
    routed.app.action(/^facts_page:/, async () => void seen.push("page"));
    routed.app.view("fact_add", async () => void seen.push("fact_add"));
    routed.app.command("/korus", async () => void seen.push("command"));
    // Other registrations reach Bolt as they are; actions and views wait for install().
    expect(registered.map((r) => r.kind)).toEqual(["command"]);
    routed.install();
    expect(registered.map((r) => r.kind)).toEqual(["command", "action", "view"]);
    const action = registered.find((r) => r.kind === "action")!.handler;
    const view = registered.find((r) => r.kind === "view")!.handler;
    await action({ action: { action_id: "facts_page:more" } });
    await action({ action: { action_id: "memo_write" } });
    await action({ action: { action_id: "nobody_listens" } });
    await view({ view: { callback_id: "fact_add" } });
    await view({ view: { callback_id: "memo_new" } });
    expect(seen).toEqual(["page", "write", "fact_add"]);
  });

  it("refuses an id registered twice and a constraint object, instead of letting one handler hide another", () => {
    const routed = routeListeners(fakeBolt().bolt);
    routed.app.action("memo_write", async () => undefined);
    expect(() => routed.app.action("memo_write", async () => undefined)).toThrow(/registered twice/);
    expect(() => routed.app.view({ callback_id: "x", type: "view_closed" }, async () => undefined)).toThrow(/constraint object/);
  });
});
