import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { z } from "zod";
import { COMMAND, SHORTCUT_IDS, SLACK_EVENTS_PATH } from "../../src/slack/ids.js";
import { parseHost, renderManifest } from "../../src/slack/manifest.js";

/*
 * Validates manifest.yml against Slack's app manifest rules.
 *
 * The schema mirrors Slack's published JSON schema for (non-Deno) app manifests,
 * github.com/slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json: every object rejects
 * unknown keys (additionalProperties: false), display_information.name is 1-35 characters,
 * description 1-140, long_description 175-4000, a slash command needs `command` (2-32, starting
 * with "/") and `description` (1-2000), usage_hint is 1-1000, request URLs match ^https?://, scopes
 * are strings of at most 50, event lists are unique, interactivity requires is_enabled.
 *
 * It is narrower than Slack's on purpose, to catch mistakes Slack would only report at paste time
 * (or not at all): only the keys a classic Bolt app uses are allowed (no run-on-Slack functions,
 * workflows or datastores), scopes and bot events come from a known list, URLs must be https,
 * background_color must be a hex colour (Slack's schema spells that rule `regex`, which JSON Schema
 * validators ignore), and in HTTP mode every request URL must be present.
 */

const MANIFEST_URL = new URL("../../manifest.yml", import.meta.url);

/** The bot scopes korus-bot asks for, and why (mirrors the comments in manifest.yml). */
const BOT_SCOPES = [
  "commands", // the /korus slash command and the message shortcut
  "chat:write", // status replies, weekly briefs, alerts, tracking messages, DMs
  "channels:join", // join a public channel before the first post there (instead of chat:write.public: see below)
  "im:write", // open DMs to section owners, approvers, schedule owners
  "im:history", // receive message.im; find a DM already sent before repeating it
  "files:write", // upload long memos as .md files, Word exports as .docx, charts as PNGs
  "users:read", // people by name (users.info)
  "canvases:write", // optional: publish an assembled memo as a canvas, and update it
  "channels:history", // optional: find a brief already posted to a public channel before repeating it
  "groups:history", // optional: the same in private channels
] as const;

/**
 * The scopes an admin may decline at install (`bot_optional`): the bot works without each, as
 * test/integration/slack-scopes.test.ts shows.
 */
const OPTIONAL_BOT_SCOPES = ["canvases:write", "channels:history", "groups:history"] as const;

/**
 * What in the code uses each scope (a Web API call or an event the bot handles), so that a scope nobody uses is
 * caught. `chat:write.public` is not asked for: the bot joins a public channel (channels:join) before its first post
 * there, which it must anyway to upload files, make canvases and read its history in that channel.
 */
const SCOPE_EVIDENCE: Record<(typeof BOT_SCOPES)[number], RegExp> = {
  commands: /app\.command\(COMMAND/,
  "chat:write": /chat\.postMessage\(/,
  "channels:join": /conversations\.join\(/,
  "im:write": /conversations\.open\(/,
  "im:history": /app\.event\("message"/,
  "files:write": /files\.uploadV2\(/,
  "users:read": /users\.info\(/,
  "canvases:write": /canvases\.(create|edit)\(/,
  "channels:history": /conversations\.history\(/,
  "groups:history": /conversations\.history\(/,
};

/**
 * Scopes asked for ahead of the code that uses them, each with the work that brings it. The test below fails once
 * that code is in (move the scope to the evidence check then), so the list cannot outlive its reason. Empty now:
 * `users:read` came in with issue 21's names (src/slack/people.ts calls users.info).
 */
const SCOPES_AHEAD_OF_CODE: Partial<Record<(typeof BOT_SCOPES)[number], string>> = {};

/** Web API methods that would need a scope the manifest does not ask for. */
const UNSCOPED_CALLS = /\busers\.lookupByEmail\(|\busergroups\.|\breactions\.|\bpins\./;

function sourceFiles(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(new URL(`${entry.name}/`, dir)) : entry.name.endsWith(".ts") ? [readFileSync(new URL(entry.name, dir), "utf8")] : [],
  );
}
const SOURCE = sourceFiles(new URL("../../src/", import.meta.url)).join("\n");

/** Bot scopes Slack grants (a subset of api.slack.com/scopes); a typo in the manifest fails here, not at install. */
const KNOWN_BOT_SCOPES = [
  "app_mentions:read",
  "assistant:write",
  "bookmarks:read",
  "bookmarks:write",
  "calls:read",
  "calls:write",
  "canvases:write",
  "channels:history",
  "channels:join",
  "channels:manage",
  "channels:read",
  "chat:write",
  "chat:write.customize",
  "chat:write.public",
  "commands",
  "dnd:read",
  "emoji:read",
  "files:read",
  "files:write",
  "groups:history",
  "groups:read",
  "groups:write",
  "im:history",
  "im:read",
  "im:write",
  "incoming-webhook",
  "links:read",
  "links:write",
  "metadata.message:read",
  "mpim:history",
  "mpim:read",
  "mpim:write",
  "pins:read",
  "pins:write",
  "reactions:read",
  "reactions:write",
  "reminders:read",
  "reminders:write",
  "team:read",
  "usergroups:read",
  "usergroups:write",
  "users.profile:read",
  "users:read",
  "users:read.email",
  "users:write",
] as const;

/** Bot events the manifest may subscribe to (the ones a Bolt app like this could handle). */
const KNOWN_BOT_EVENTS = [
  "app_home_opened",
  "app_mention",
  "app_uninstalled",
  "member_joined_channel",
  "message.channels",
  "message.groups",
  "message.im",
  "message.mpim",
  "tokens_revoked",
  "user_change",
] as const;

const httpsUrl = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^https:\/\/[^\s/]+\/\S*$/, "must be an https:// URL");

const unique = <T extends z.ZodType>(item: T) => z.array(item).refine((items) => new Set(items).size === items.length, "must not repeat an item");

const displayInformation = z.strictObject({
  name: z.string().min(1).max(35),
  description: z.string().min(1).max(140),
  long_description: z.string().min(175).max(4000).optional(),
  background_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/, "must be #rgb or #rrggbb")
    .optional(),
});

const slashCommand = z.strictObject({
  command: z
    .string()
    .min(2)
    .max(32)
    .regex(/^\//, 'must start with "/"')
    .regex(/^\/[a-z0-9][a-z0-9._-]*$/, "must be lowercase with no spaces"),
  url: httpsUrl(3000).optional(),
  description: z.string().min(1).max(2000),
  usage_hint: z.string().min(1).max(1000).optional(),
  should_escape: z.boolean().optional(),
});

const features = z.strictObject({
  app_home: z
    .strictObject({
      home_tab_enabled: z.boolean().optional(),
      messages_tab_enabled: z.boolean().optional(),
      messages_tab_read_only_enabled: z.boolean().optional(),
    })
    .optional(),
  bot_user: z.strictObject({
    display_name: z.string().min(1).max(80),
    always_online: z.boolean().optional(),
  }),
  slash_commands: z
    .array(slashCommand)
    .min(1)
    .max(50)
    .refine((cmds) => new Set(cmds.map((c) => c.command)).size === cmds.length, "commands must be unique")
    .optional(),
  // Slack's schema: name 1-24, callback_id 1-255, description 1-150, type global or message; at most 10.
  shortcuts: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(24),
        type: z.enum(["global", "message"]),
        callback_id: z.string().min(1).max(255),
        description: z.string().min(1).max(150),
      }),
    )
    .max(10)
    .optional(),
});

const scopeList = unique(z.enum(KNOWN_BOT_SCOPES)).max(255);

const oauthConfig = z.strictObject({
  redirect_urls: unique(z.string().max(2500)).max(1000).optional(),
  scopes: z.strictObject({
    bot: scopeList.min(1),
    bot_optional: scopeList.optional(),
    // User scopes are a different set; this bot asks for none.
    user: z.array(z.string().max(50)).max(0).optional(),
    user_optional: z.array(z.string().max(50)).max(0).optional(),
  }),
  token_management_enabled: z.boolean().optional(),
  pkce_enabled: z.boolean().optional(),
});

const settings = z.strictObject({
  event_subscriptions: z
    .strictObject({
      request_url: httpsUrl(3500).optional(),
      bot_events: unique(z.enum(KNOWN_BOT_EVENTS)).max(100).optional(),
      user_events: unique(z.string().max(50)).max(100).optional(),
    })
    .optional(),
  interactivity: z
    .strictObject({
      is_enabled: z.boolean(),
      request_url: httpsUrl(3500).optional(),
      message_menu_options_url: httpsUrl(3500).optional(),
    })
    .optional(),
  org_deploy_enabled: z.boolean().optional(),
  socket_mode_enabled: z.boolean().optional(),
  token_rotation_enabled: z.boolean().optional(),
});

/** Slack's manifest rules that matter to korus-bot. Unknown keys are rejected at every level, as in Slack's schema. */
const ManifestSchema = z
  .strictObject({
    _metadata: z
      .strictObject({
        major_version: z.literal(1).optional(),
        minor_version: z.number().int().optional(),
      })
      .optional(),
    display_information: displayInformation,
    features,
    oauth_config: oauthConfig,
    settings,
  })
  .superRefine((manifest, ctx) => {
    // The bot has modals and menus, so it must receive interactions.
    if (manifest.settings.interactivity?.is_enabled !== true) {
      ctx.addIssue({ code: "custom", path: ["settings", "interactivity", "is_enabled"], message: "interactivity must be enabled" });
    }
    const { bot, bot_optional: optional = [] } = manifest.oauth_config.scopes;
    optional.forEach((scope, i) => {
      // Optional scopes are marked among the scopes asked for (Slack's optional scopes, 2026-03; slack-cli #517).
      if (!bot.includes(scope)) ctx.addIssue({ code: "custom", path: ["oauth_config", "scopes", "bot_optional", i], message: `${scope} is not in oauth_config.scopes.bot` });
    });
    if (optional.includes("commands") || optional.includes("chat:write")) {
      ctx.addIssue({ code: "custom", path: ["oauth_config", "scopes", "bot_optional"], message: "the slash command and posting cannot be optional" });
    }
    if (manifest.features.slash_commands && !manifest.oauth_config.scopes.bot.includes("commands")) {
      ctx.addIssue({ code: "custom", path: ["oauth_config", "scopes", "bot"], message: 'slash commands need the "commands" scope' });
    }
    // Over HTTP, Slack needs somewhere to send each kind of request; in Socket Mode the URLs may be removed.
    if (manifest.settings.socket_mode_enabled === true) return;
    if (!manifest.settings.interactivity?.request_url) {
      ctx.addIssue({ code: "custom", path: ["settings", "interactivity", "request_url"], message: "required unless socket_mode_enabled" });
    }
    const events = manifest.settings.event_subscriptions;
    if (events && (events.bot_events?.length ?? 0) + (events.user_events?.length ?? 0) > 0 && !events.request_url) {
      ctx.addIssue({ code: "custom", path: ["settings", "event_subscriptions", "request_url"], message: "required unless socket_mode_enabled" });
    }
    manifest.features.slash_commands?.forEach((command, i) => {
      if (!command.url) {
        ctx.addIssue({ code: "custom", path: ["features", "slash_commands", i, "url"], message: "required unless socket_mode_enabled" });
      }
    });
  });

type Manifest = z.infer<typeof ManifestSchema>;

const text = readFileSync(MANIFEST_URL, "utf8");
const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
const raw: unknown = document.toJS();

function parsed(): Manifest {
  const result = ManifestSchema.safeParse(raw);
  if (!result.success) throw new Error(`manifest.yml is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** A deep copy of the manifest with `edit` applied, for the negative tests. */
// biome-ignore lint/suspicious/noExplicitAny: the negative tests reach into any path of the parsed YAML to break it.
type Editable = Record<string, any>;

function variant(edit: (m: Editable) => void): unknown {
  const copy = structuredClone(raw) as Editable;
  edit(copy);
  return copy;
}

/** Where the schema finds fault with `candidate`, one entry per path ("" is the top level). */
function issuePaths(candidate: unknown): string[] {
  const result = ManifestSchema.safeParse(candidate);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join(".")))];
}

describe("manifest.yml", () => {
  it("is well-formed YAML with no warnings or duplicate keys", () => {
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
    expect(raw).toBeTypeOf("object");
  });

  it("satisfies Slack's manifest rules", () => {
    expect(() => parsed()).not.toThrow();
  });

  it("names the app korus-bot and describes what it follows", () => {
    const info = parsed().display_information;
    expect(info.name).toBe("korus-bot");
    for (const topic of ["KORUS", "status", "cited facts", "briefing memos", "weekly brief"]) {
      expect(info.description).toContain(topic);
    }
  });

  it("uses every scope it asks for, and calls nothing that needs another", () => {
    for (const scope of parsed().oauth_config.scopes.bot) {
      const evidence = SCOPE_EVIDENCE[scope as keyof typeof SCOPE_EVIDENCE];
      const ahead = SCOPES_AHEAD_OF_CODE[scope as keyof typeof SCOPES_AHEAD_OF_CODE];
      if (ahead) expect(evidence.test(SOURCE), `${scope} is used now (${ahead}): remove it from SCOPES_AHEAD_OF_CODE`).toBe(false);
      else expect(SOURCE, `code using ${scope}`).toMatch(evidence);
    }
    expect(SOURCE).not.toMatch(UNSCOPED_CALLS);
  });

  it("answers its writable Messages tab: message.im is subscribed, with the im:history it needs", () => {
    const m = parsed();
    expect(m.features.app_home?.messages_tab_read_only_enabled).toBe(false);
    expect(m.settings.event_subscriptions?.bot_events).toContain("message.im");
    expect(m.oauth_config.scopes.bot).toContain("im:history");
  });

  it("keeps people's names current: user_change is subscribed and handled, with the users:read it needs", () => {
    const m = parsed();
    expect(m.settings.event_subscriptions?.bot_events).toContain("user_change");
    expect(m.oauth_config.scopes.bot).toContain("users:read");
    expect(m.oauth_config.scopes.bot_optional ?? []).not.toContain("users:read");
    expect(SOURCE).toMatch(/app\.event\("user_change"/);
    expect(text).toMatch(/- user_change # .*name/);
  });

  it("has the korus bot user and an App Home with a writable Messages tab", () => {
    const { bot_user, app_home } = parsed().features;
    expect(bot_user).toEqual({ display_name: "korus", always_online: true });
    expect(app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('declares the one message shortcut the bot answers, "Save as KORUS fact"', () => {
    expect(parsed().features.shortcuts).toEqual([{ name: "Save as KORUS fact", type: "message", callback_id: SHORTCUT_IDS.saveAsFact, description: "Record this message as a dated, cited fact" }]);
    expect(SOURCE).toMatch(/app\.shortcut\(\{ type: "message_action", callback_id: SHORTCUT_IDS\.saveAsFact \}/);
  });

  it("declares exactly the /korus slash command the bot answers", () => {
    const commands = parsed().features.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual(["/korus"]);
    expect(commands[0]?.command).toBe(COMMAND);
    expect(commands[0]).toMatchObject({
      url: `https://YOUR-HOST${SLACK_EVENTS_PATH}`,
      usage_hint: "status [topic] [as-of DATE] · ask QUESTION · facts WORDS · figures · chart SERIES · fact add · memo new · brief · schedule · alerts · topics · timeline · help",
      should_escape: true,
    });
    expect(commands[0]?.description.length).toBeGreaterThan(0);
  });

  it("asks for every bot scope the bot needs, and no others; marks the ones it works without as optional", () => {
    const scopes = parsed().oauth_config.scopes;
    expect([...scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    expect([...(scopes.bot_optional ?? [])].sort()).toEqual([...OPTIONAL_BOT_SCOPES].sort());
    expect(scopes.bot).not.toContain("chat:write.public");
  });

  it("says beside each scope why the bot needs it, and beside an optional one what happens without it", () => {
    for (const list of ["bot", "bot_optional"]) {
      const seq = document.getIn(["oauth_config", "scopes", list], true);
      expect(isSeq(seq)).toBe(true);
      if (!isSeq(seq)) continue;
      for (const item of seq.items) {
        expect(isScalar(item)).toBe(true);
        if (!isScalar(item)) continue;
        const comment = item.comment?.trim() ?? "";
        expect(comment, `comment for ${String(item.value)}`).toMatch(/\w{3,}/);
        if (list === "bot") {
          const optional = (OPTIONAL_BOT_SCOPES as readonly string[]).includes(String(item.value));
          expect(comment.startsWith("optional:"), `${String(item.value)}: "optional:" leads its comment exactly when it is optional`).toBe(optional);
          if (optional) expect(comment, `what happens without ${String(item.value)}`).toMatch(/without it/);
        }
      }
    }
  });

  it("sends events and interactions over HTTP to /slack/events", () => {
    const s = parsed().settings;
    expect(s.event_subscriptions).toEqual({
      request_url: `https://YOUR-HOST${SLACK_EVENTS_PATH}`,
      bot_events: ["app_home_opened", "message.im", "user_change"],
    });
    expect(s.interactivity).toEqual({ is_enabled: true, request_url: `https://YOUR-HOST${SLACK_EVENTS_PATH}` });
    expect(s.org_deploy_enabled).toBe(false);
    expect(s.socket_mode_enabled).toBe(false);
    expect(s.token_rotation_enabled).toBe(false);
  });

  it("explains in its header how to create the app, fill in the host and get the Socket Mode variant", () => {
    const header = document.commentBefore ?? "";
    expect(header).toContain("Create New App");
    expect(header).toContain("From a manifest");
    expect(header).toContain("YOUR-HOST");
    expect(header).toContain("korus manifest --host");
    expect(header).toContain("korus manifest --socket-mode");
    expect(header).toContain("bot_optional");
    expect(isMap(document.contents)).toBe(true);
  });
});

describe("the Socket Mode manifest (korus manifest --socket-mode)", () => {
  const socketText = renderManifest(text, { socketMode: true });
  const socketDoc = parseDocument(socketText, { uniqueKeys: true });
  const socket = ManifestSchema.parse(socketDoc.toJS());

  it("satisfies Slack's manifest rules, with Socket Mode on and no request URL left", () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socketText).not.toContain("YOUR-HOST");
    expect(socketText).not.toMatch(/request_url|\burl:/);
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    expect(socket.settings.event_subscriptions).toEqual({ bot_events: ["app_home_opened", "message.im", "user_change"] });
  });

  it("is the HTTP manifest otherwise: the same command, shortcut, scopes and events, each scope's reason kept beside it", () => {
    const http = parsed();
    expect(socket.oauth_config).toEqual(http.oauth_config);
    expect(socket.display_information).toEqual(http.display_information);
    expect(socket.features.shortcuts).toEqual(http.features.shortcuts);
    expect(socket.features.slash_commands).toEqual(http.features.slash_commands?.map(({ url: _url, ...rest }) => rest));
    const original = document.getIn(["oauth_config", "scopes", "bot"], true);
    const kept = socketDoc.getIn(["oauth_config", "scopes", "bot"], true);
    expect(isSeq(kept) && isSeq(original)).toBe(true);
    if (isSeq(kept) && isSeq(original)) expect(kept.items.map((i) => (isScalar(i) ? i.comment : undefined))).toEqual(original.items.map((i) => (isScalar(i) ? i.comment : undefined)));
  });

  it("says in its header what Socket Mode needs: an app-level token with connections:write", () => {
    const header = socketDoc.commentBefore ?? "";
    expect(header).toContain("Socket Mode");
    expect(header).toContain("connections:write");
    expect(header).toContain("SLACK_APP_TOKEN");
    expect(header).not.toContain("YOUR-HOST");
  });
});

describe("the HTTP manifest with its host filled in (korus manifest --host)", () => {
  it("puts the host in every request URL and nowhere else", () => {
    const filled = renderManifest(text, { host: "korus.example.org" });
    const m = ManifestSchema.parse(parseDocument(filled).toJS());
    const url = `https://korus.example.org${SLACK_EVENTS_PATH}`;
    expect([m.features.slash_commands?.[0]?.url, m.settings.event_subscriptions?.request_url, m.settings.interactivity?.request_url]).toEqual([url, url, url]);
    expect(filled).not.toContain("YOUR-HOST");
    expect(parseDocument(filled).commentBefore).toContain(url);
    // The same host written as an https URL, or with a port.
    expect(renderManifest(text, { host: "https://korus.example.org/" })).toBe(filled);
    expect(renderManifest(text, { host: "korus.example.org:8443" })).toContain("https://korus.example.org:8443/slack/events");
  });

  it("refuses a host it cannot use, saying why", () => {
    expect(() => parseHost("http://korus.example.org")).toThrow("Slack sends requests only to https:// addresses");
    expect(() => parseHost("korus.example.org/slack/events")).toThrow("give the host only");
    expect(() => parseHost("korus example")).toThrow("is not a host name");
    expect(() => parseHost("YOUR-HOST")).toThrow("is not a host name");
    expect(() => parseHost("https://user:pw@korus.example.org")).toThrow("give the host only");
  });
});

describe("the manifest schema can fail", () => {
  it("rejects a 36-character app name", () => {
    const name = "k".repeat(36);
    expect(issuePaths(variant((m) => (m.display_information.name = name)))).toEqual(["display_information.name"]);
    // 35 is the limit, not 34.
    expect(issuePaths(variant((m) => (m.display_information.name = name.slice(1))))).toEqual([]);
  });

  it("rejects a slash command without a description", () => {
    expect(issuePaths(variant((m) => delete m.features.slash_commands[0].description))).toEqual(["features.slash_commands.0.description"]);
  });

  it("rejects a 141-character description and a too-short long_description", () => {
    expect(issuePaths(variant((m) => (m.display_information.description = "d".repeat(141))))).toEqual(["display_information.description"]);
    expect(issuePaths(variant((m) => (m.display_information.long_description = "too short")))).toEqual(["display_information.long_description"]);
  });

  it("rejects a command that does not start with / or is longer than 32 characters", () => {
    expect(issuePaths(variant((m) => (m.features.slash_commands[0].command = "korus")))).toEqual(["features.slash_commands.0.command"]);
    expect(issuePaths(variant((m) => (m.features.slash_commands[0].command = `/${"k".repeat(32)}`)))).toEqual(["features.slash_commands.0.command"]);
  });

  it("rejects unknown keys, as Slack's schema does", () => {
    expect(issuePaths(variant((m) => (m.functions = {})))).toEqual([""]);
    expect(issuePaths(variant((m) => (m.settings.interactivity.enabled = true)))).toEqual(["settings.interactivity"]);
  });

  it("rejects an optional scope that is not also asked for, and an optional slash command", () => {
    expect(issuePaths(variant((m) => m.oauth_config.scopes.bot_optional.push("reactions:read")))).toEqual(["oauth_config.scopes.bot_optional.3"]);
    expect(issuePaths(variant((m) => m.oauth_config.scopes.bot_optional.push("commands")))).toEqual(["oauth_config.scopes.bot_optional"]);
  });

  it("rejects an unknown scope", () => {
    expect(issuePaths(variant((m) => m.oauth_config.scopes.bot.push("chat:writes")))).toEqual(["oauth_config.scopes.bot.10"]);
  });

  it("rejects disabled interactivity and a plain-http or missing request URL over HTTP", () => {
    expect(issuePaths(variant((m) => (m.settings.interactivity.is_enabled = false)))).toEqual(["settings.interactivity.is_enabled"]);
    expect(issuePaths(variant((m) => (m.settings.interactivity.request_url = "http://YOUR-HOST/slack/events")))).toEqual(["settings.interactivity.request_url"]);
    expect(issuePaths(variant((m) => delete m.settings.interactivity.request_url))).toEqual(["settings.interactivity.request_url"]);
  });

  it("accepts Socket Mode with the request URLs removed", () => {
    const socketMode = variant((m) => {
      m.settings.socket_mode_enabled = true;
      delete m.settings.interactivity.request_url;
      delete m.settings.event_subscriptions.request_url;
      delete m.features.slash_commands[0].url;
    });
    expect(issuePaths(socketMode)).toEqual([]);
  });
});
