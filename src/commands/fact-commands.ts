/**
 * `/korus facts ...` and `/korus fact ...` (either word for each): their declarations for the registry
 * (src/commands/registry.ts).
 */
import { type CommandSpec, grammar, noArgs, numberArg } from "./spec.js";

const FACT_USAGE = "/korus fact show|edit|retract|history ID";
const SEARCH_USAGE = "/korus facts [words] [kind:K] [since:YYYY-MM-DD] [until:YYYY-MM-DD] [actor:A] [topic:T]";

function factNumber(verb: string) {
  return numberArg(`\`fact ${verb}\` needs a fact number, like \`fact ${verb} 12\`.`);
}

/** The fact commands, in the order help lists them. */
export const FACT_COMMANDS = {
  /** A fact search; `query` is the raw text after `facts`, for parseFactQuery. */
  facts: {
    path: ["facts"],
    also: [["search"], ["facts", "search"]],
    usage: SEARCH_USAGE,
    help: {
      usage: SEARCH_USAGE,
      description: "Search the facts: words are ranked, then newest first; 10 at a time. Each result has a menu to edit, retract or show its history.",
      example: "/korus facts special session kind:deadline since:2017-07-01",
    },
    ack: "queued",
    args: grammar((input) => ({ query: input.text.trim() })),
    freeText: true,
  },
  "fact-add": {
    path: ["fact", "add"],
    also: [["fact", "new"]],
    usage: "/korus fact add",
    help: { usage: "/korus fact add", description: "Add a dated, cited fact in a form. A deadline can be a date or N days after another fact.", example: "/korus fact add" },
    console: {
      usage: "fact add --kind K --date D --title T --actor A --source-title T [--source-url URL] [--summary S] [--due-kind obligation|effective]",
    },
    ack: "form",
    args: noArgs("`fact add` takes nothing more: it opens a form."),
  },
  "fact-show": {
    path: ["fact", "show"],
    summary: "show one fact by its number",
    usage: FACT_USAGE,
    help: {
      usage: FACT_USAGE,
      description: "One fact by its number: show it, edit or retract it (its author or an admin), or list every change to it.",
      example: "/korus fact history 1",
    },
    ack: "queued",
    args: factNumber("show"),
  },
  "fact-edit": {
    path: ["fact", "edit"],
    summary: "edit a fact (its author or an admin)",
    usage: FACT_USAGE,
    console: { usage: "fact edit ID [--date D] [--title T] [--summary S] [--actor A] [--source-title T] [--source-url URL] [--reason R]" },
    ack: "form",
    args: factNumber("edit"),
  },
  "fact-retract": {
    path: ["fact", "retract"],
    summary: "retract a fact, with the reason",
    usage: FACT_USAGE,
    console: { usage: "fact retract ID --reason R" },
    ack: "form",
    args: factNumber("retract"),
  },
  "fact-history": { path: ["fact", "history"], summary: "every change to a fact", usage: FACT_USAGE, ack: "queued", args: factNumber("history") },
  "fact-close": {
    path: ["fact", "close"],
    usage: "/korus fact close ID",
    help: {
      usage: "/korus fact close ID",
      description:
        "Mark a deadline met, missed, extended or withdrawn, by a fact on record (the session that was held) or a new one, in a form. Status, briefs, alerts and the calendar then count it closed from the day that fact became known.",
      example: "/korus fact close 2",
    },
    console: {
      usage: "fact close ID --outcome met|missed|extended|withdrawn (--by FACT | --on YYYY-MM-DD --source-title T [--source-url URL] [--title T] [--to YYYY-MM-DD]) [--reason R]",
      note: "a deadline's outcome, by a fact on record or a new one",
    },
    ack: "form",
    args: factNumber("close"),
  },
} as const satisfies Record<string, CommandSpec>;
