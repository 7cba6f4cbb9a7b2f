/** `korus manifest`: the chat app's manifest to paste at api.slack.com/apps, for HTTP or Socket Mode. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { KorusError } from "../errors.js";

/** The app manifest, handed by src/cli/korus.ts from the chat adapter (src/slack/manifest.ts `appManifest`). */
export interface AppManifest {
  /** The public host given to --host, made canonical; throws a KorusError saying what is wrong with it. */
  parseHost(value: string): string;
  /** The manifest to paste: for HTTP (with `host` filled in, when given) or for Socket Mode. */
  render(options: { host?: string; socketMode?: boolean }): string;
}

/** Registers `korus manifest [--host HOST | --socket-mode]`. */
export function registerManifestCommand(program: Command, manifest: AppManifest): void {
  program
    .command("manifest")
    .description("print the Slack app manifest (manifest.yml) to paste at api.slack.com/apps > Create New App > From a manifest")
    .addOption(
      new Option("--host <host>", "the public host that reaches the bot over HTTPS, filled in for YOUR-HOST (like korus.example.org)").argParser((value: string) => {
        try {
          return manifest.parseHost(value);
        } catch (error) {
          if (error instanceof KorusError) throw new InvalidArgumentError(error.message);
          throw error;
        }
      }),
    )
    .addOption(new Option("--socket-mode", "the Socket Mode variant: no public host, no request URLs (development)").conflicts("host"))
    .action((options: { host?: string; socketMode?: boolean }) => {
      process.stdout.write(manifest.render({ ...(options.host ? { host: options.host } : {}), ...(options.socketMode ? { socketMode: true } : {}) }));
    });
}
