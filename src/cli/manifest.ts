/** `korus manifest`: the Slack app manifest to paste at api.slack.com/apps, for HTTP or Socket Mode. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { ManifestError, parseHost, readManifest, renderManifest } from "../slack/manifest.js";

/** Registers `korus manifest [--host HOST | --socket-mode]`. */
export function registerManifestCommand(program: Command): void {
  program
    .command("manifest")
    .description("print the Slack app manifest (manifest.yml) to paste at api.slack.com/apps > Create New App > From a manifest")
    .addOption(
      new Option("--host <host>", "the public host that reaches the bot over HTTPS, filled in for YOUR-HOST (like korus.example.org)").argParser((value: string) => {
        try {
          return parseHost(value);
        } catch (error) {
          if (error instanceof ManifestError) throw new InvalidArgumentError(error.message);
          throw error;
        }
      }),
    )
    .addOption(new Option("--socket-mode", "the Socket Mode variant: no public host, no request URLs (development)").conflicts("host"))
    .action((options: { host?: string; socketMode?: boolean }) => {
      process.stdout.write(renderManifest(readManifest(), { ...(options.host ? { host: options.host } : {}), ...(options.socketMode ? { socketMode: true } : {}) }));
    });
}
