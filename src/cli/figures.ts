/**
 * `korus figures [series]`, `korus chart <series> --out FILE.png|svg` and `korus ask "question"`: the terminal twins of
 * the slash commands, over the same domain code.
 */
import { extname } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { parseBound } from "../commands/figure-commands.js";
import { PeriodError } from "../figures/period.js";
import { CliFailure } from "./facts.js";
import { checkOutputFile, writeOutputFile } from "./output-file.js";
import { readRegistryWords } from "./registry-commands.js";
import type { CommandDeps } from "./command-deps.js";
import { printMarkdown } from "./screen.js";
import { counted } from "../render/count.js";

function boundOption(which: "since" | "until") {
  return (value: string) => {
    try {
      return parseBound(value, which);
    } catch (error) {
      if (error instanceof PeriodError) throw new InvalidArgumentError(`a date YYYY-MM-DD or a period: ${error.message}`);
      throw error;
    }
  };
}

/** Registers the figure, chart and ask commands. */
export function registerFigureCommands(program: Command, deps: CommandDeps): void {
  program
    .command("figures")
    .description("the figure series with their latest value, change and sources; with a series, every period")
    .argument("[series]", "a series key, like us-goods-deficit-korea")
    .option("--as-of <date>", "as known on this date (YYYY-MM-DD)", deps.isoDate)
    .action(async (series: string | undefined, options: { asOf?: string }) => {
      const answer = await deps.withServices((services) => services.figures.answer({ ...(series ? { series: series.toLowerCase() } : {}), ...(options.asOf ? { asOf: options.asOf } : {}) }));
      printMarkdown(answer.markdown);
      if (!answer.ok) process.exitCode = 1;
    });

  program
    .command("chart")
    .description("draw a series as a bar chart, to a PNG or SVG file; prints its caption (title, unit, periods, sources)")
    .argument("<series>", "a series key, like us-goods-deficit-korea (korus figures lists them)")
    .argument("[bounds...]", "as in Slack: since:PERIOD until:PERIOD")
    .requiredOption("--out <file>", "the file to write: FILE.png or FILE.svg")
    .option("--since <period>", "periods from this one (a date or a period: 2014, 2018-Q1)", boundOption("since"))
    .option("--until <period>", "periods up to this one", boundOption("until"))
    .option("--force", "replace the --out file if it exists (a symbolic link is replaced, never followed)")
    .action(async (series: string, bounds: string[], options: { out: string; since?: string; until?: string; force?: boolean }) => {
      // The registry's words (`chart us-goods-deficit-korea since:2014`), then the flags, which win.
      const fromWords = readRegistryWords("chart", [series, ...bounds], "--out FILE.png|FILE.svg [--since P] [--until P] [--force]");
      options.since ??= fromWords.since;
      options.until ??= fromWords.until;
      const kind = extname(options.out).toLowerCase();
      if (kind !== ".png" && kind !== ".svg") throw new CliFailure(`--out: ${options.out} must end in .png or .svg`, 2);
      await checkOutputFile(options.out, { force: options.force });
      if (options.since && options.until && options.since > options.until) throw new CliFailure("--since is after --until", 2);
      const { ChartError } = await import("../figures/service.js");
      try {
        const chart = await deps.withServices((services) =>
          services.figures.chart({ series: series.toLowerCase(), png: kind === ".png", ...(options.since ? { since: options.since } : {}), ...(options.until ? { until: options.until } : {}) }),
        );
        const bytes = kind === ".png" ? chart.png! : Buffer.from(chart.svg, "utf8");
        await writeOutputFile(options.out, bytes, { force: options.force });
        process.stderr.write(`korus: wrote ${options.out} (${kind.slice(1).toUpperCase()}, ${counted(bytes.length, "byte")}, ${counted(chart.series.points.length, "period")})\n`);
        printMarkdown(chart.captionMarkdown);
      } catch (error) {
        if (error instanceof ChartError) throw new CliFailure(error.message.trim(), 1);
        throw error;
      }
    });

  program
    .command("ask")
    .description("ask a question in plain words; the answer is the best 1-3 facts with their dates and sources")
    .argument("<question...>", 'the question, like "when must the special session be held?"')
    .action(async (words: string[]) => {
      const [{ answerMarkdown }, { TERMINAL_ASK_COMMANDS }] = await Promise.all([import("../ask/markdown.js"), import("./ask-commands.js")]);
      const question = words.join(" ").trim();
      if (!question) throw new CliFailure("ask needs a question", 2);
      const answer = await deps.withServices((services) => services.ask(question));
      printMarkdown(answerMarkdown(answer, TERMINAL_ASK_COMMANDS));
    });
}
