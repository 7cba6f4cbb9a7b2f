/**
 * The Slack app manifest an admin pastes at api.slack.com/apps, made from manifest.yml (the one source, with a comment
 * beside every scope): as it is (HTTP), with the public host filled in, or as the Socket Mode variant (no request URLs,
 * `socket_mode_enabled: true`). `korus manifest` prints it.
 */
import { readFileSync } from "node:fs";
import { isScalar, parseDocument, visit } from "yaml";
import { KorusError } from "../errors.js";
import { packagePath } from "../paths.js";

/** The placeholder manifest.yml writes where the bot's public host goes. */
export const HOST_PLACEHOLDER = "YOUR-HOST";

/** The request URLs Slack needs over HTTP, and Socket Mode does without (paths in the manifest). */
const REQUEST_URLS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ["settings", "event_subscriptions", "request_url"],
  ["settings", "interactivity", "request_url"],
];

const SOCKET_MODE_HEADER = ` Slack app manifest for korus-bot in Socket Mode (printed by \`korus manifest --socket-mode\` from manifest.yml):
 no public address needed; Slack delivers slash commands, interactions and events over a WebSocket that the bot
 opens with an app-level token. Slack recommends HTTP (manifest.yml) for production.

 To create the app: https://api.slack.com/apps > Create New App > From a manifest, pick the workspace, paste this.
 Then Install to Workspace, and under Basic Information > App-Level Tokens generate a token with the
 connections:write scope. Set SLACK_BOT_TOKEN (xoxb-..., OAuth & Permissions) and SLACK_APP_TOKEN (xapp-...).

 Scopes: each is explained beside it; those under bot_optional may be declined at install.`;

/** The header of the HTTP manifest with its host filled in. */
function hostHeader(host: string): string {
  return ` Slack app manifest for korus-bot over HTTP (printed by \`korus manifest --host ${host}\` from
 manifest.yml): Slack sends slash commands, interactions and events to https://${host}/slack/events.

 To create the app: https://api.slack.com/apps > Create New App > From a manifest, pick the workspace, paste this.
 Then Install to Workspace, and set SLACK_BOT_TOKEN (xoxb-..., OAuth & Permissions) and SLACK_SIGNING_SECRET
 (Basic Information > App Credentials).

 Scopes: each is explained beside it; those under bot_optional may be declined at install.`;
}

/** A host the manifest cannot use, said the way `korus manifest --host` reports it. */
export class ManifestError extends KorusError<"manifest_host"> {
  constructor(message: string) {
    super("manifest_host", message);
  }
}

/**
 * The public host for the request URLs: `korus.example.org`, `korus.example.org:8443`, or the same as an https://
 * URL with no path. Slack sends requests only to https.
 */
export function parseHost(value: string): string {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ManifestError(`"${value}" is not a host name; give the public host that reaches the bot, like korus.example.org`);
  }
  if (url.protocol !== "https:") throw new ManifestError(`Slack sends requests only to https:// addresses, not ${url.protocol}//`);
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username || url.password) {
    throw new ManifestError(`give the host only (like korus.example.org); the bot's path, /slack/events, is in the manifest already`);
  }
  if (!/^[a-z0-9.-]+$/i.test(url.hostname) || url.hostname === HOST_PLACEHOLDER.toLowerCase()) {
    throw new ManifestError(`"${value}" is not a host name; give the public host that reaches the bot, like korus.example.org`);
  }
  return url.host;
}

/**
 * manifest.yml's text as the admin needs it: `host` replaces YOUR-HOST in the request URLs; `socketMode` removes them
 * and enables Socket Mode. The comments (the reason beside every scope) are kept.
 */
export function renderManifest(text: string, options: { socketMode?: boolean; host?: string } = {}): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`manifest.yml is not valid YAML: ${doc.errors[0]!.message}`);
  if (options.socketMode) {
    for (const path of REQUEST_URLS) doc.deleteIn(path);
    const commands = doc.getIn(["features", "slash_commands"]) as { items?: unknown[] } | undefined;
    for (let i = 0; i < (commands?.items?.length ?? 0); i++) doc.deleteIn(["features", "slash_commands", i, "url"]);
    doc.setIn(["settings", "socket_mode_enabled"], true);
    doc.commentBefore = SOCKET_MODE_HEADER;
  } else if (options.host !== undefined) {
    const host = parseHost(options.host);
    doc.commentBefore = hostHeader(host);
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && typeof node.value === "string" && node.value.includes(`//${HOST_PLACEHOLDER}/`)) {
          node.value = node.value.replace(`//${HOST_PLACEHOLDER}/`, `//${host}/`);
        }
      },
    });
  }
  return doc.toString({ lineWidth: 0 });
}

/** manifest.yml as shipped in the package. */
export function readManifest(): string {
  return readFileSync(packagePath("manifest.yml"), "utf8");
}

/** What `korus manifest` is handed (src/cli/manifest.ts `AppManifest`): the host's reader and the shipped manifest. */
export const appManifest = {
  parseHost,
  render: (options: { socketMode?: boolean; host?: string }) => renderManifest(readManifest(), options),
};
