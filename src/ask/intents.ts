/**
 * What a question asks for (its intent), read from how it is put: patterns of how a trade team asks, not of any one
 * question (src/ask/question.ts reads the rest of a question).
 */

/** What a question asks for. */
export const INTENTS = [
  "next-deadline",
  "overdue",
  "deadline-state",
  "deadline",
  "countdown",
  "span",
  "state",
  "what-changed",
  "peak",
  "change",
  "how-much",
  "position",
  "sources",
  "who",
  "where",
  "when",
  "what",
] as const;
export type Intent = (typeof INTENTS)[number];

/** Intent rules, first match wins; each reads the lowercased question. */
const INTENT_RULES: ReadonlyArray<[Intent, RegExp]> = [
  // What a rule allows or requires ("how long does the FTA give the parties to meet", "how many days does KORUS allow
  // for", "when is USTR supposed to report"): a deadline's rule and date, not a span between two facts.
  ["deadline", /\bhow (?:long|much time|many (?:days|weeks|months)) (?:does|do|did|will|would) .+ (?:give|allow|grant|permit)\b|\b(?:supposed|required|obliged|obligated) to\b/],
  ["sources", /\b(?:sources?|sourcing|sourced|cites?|citations?|according to whom|who (?:says|reported)|where (?:does|do|did) .+ come from|basis for|documented)\b/],
  [
    "span",
    /\bhow (?:many|much) (?:days|weeks|months|years|time)\b.*\b(?:between|from|after)\b|\bhow (?:many|much) (?:days|weeks|months|years|time) (?:separated?|elapsed|passed|went by)\b|^\s*(?:from|between)\b.+\b(?:to|and|until)\b.+\bhow (?:many|much) (?:days|weeks|months|years|time)\b|\bhow long (?:from|between)\b|^\s*(?:the )?(?:number of )?(?:days|weeks|months) (?:between|from)\b|\bhow long did (?:it|.+) take\b|\bhow long (?:was|were) (?:it|there) between\b|\bhow long after\b|\b(?:gap|interval|lag|stretch|time|days|weeks|months) (?:(?:in|of) (?:days|weeks|months|time) |elapsed |passed )?between\b/,
  ],
  // A countdown runs to something ahead ("until", "left"); "how many days was X deferred" asks an amount.
  [
    "countdown",
    /\bhow long (?:has|have|had)\b|\bhow (?:many|much) (?:days|weeks|months|years|time)\b.*\b(?:until|till|left|remaining|to go|before|away|ago|since)\b|\bdays (?:left|remaining|to go)\b|\bhow long (?:until|till|before|to go)\b|\bhow soon\b/,
  ],
  // Where things stood on a day: the latest step on record by then ("where did KORUS stand on D", "what stage", "status of").
  [
    "state",
    /\bwhere (?:are|were|was|is) (?:things|matters)\b|\bwhere (?:did|do|does|had|has) (?:[\w'-]+ ){1,4}stand\b(?! on (?:the )?(?!\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d))|\b(?:what|which) stage\b|\b(?:status|state) of (?:the |play)|\b(?:latest|most recent|newest|last) (?:step|development|move|milestone|event)\b/,
  ],
  // "Which deadlines were extended?": the deadlines closed so.
  [
    "deadline-state",
    /\bdeadlines?\b.*\b(?:met|extended|withdrawn)\b|\b(?:was|were|did)\b.*\bwithin (?:the )?\S+ days\b|\b(?:on time|in time|(?<!running )late|(?:meet|met|miss|missed|keep|kept) (?:to )?the (?:[\w.-]+ ){0,4}(?:deadline|requirement|time limit|cut-?off)|was .+ met|were .+ met|(?:was|were|been) met|kept to)\b/,
  ],
  [
    "overdue",
    /\b(?:overdue|running (?:late|behind)|outstanding|past[- ]due|past (?:its|their|the) (?:due date|deadline)s?|miss|missed|slip|slips|slipped|slipping|behind|lapsed|late on|(?:blow|blew|blown) (?:through|past))\b/,
  ],
  [
    "next-deadline",
    /\b(?:open|pending) deadlines?\b|\bdeadlines? (?:(?:are|were|was|is|still) )+(?:open|pending)\b|\b(?:next|upcoming|coming up|due next|due soon|pending|looming|ahead)\b.*\b(?:deadlines?|due|dates?|obligations?|requirements?)\b|\b(?:deadlines?|due|obligations?|requirements?)\b.*\b(?:next|upcoming|coming|ahead)\b|\bwhat(?:'s| is) (?:coming up|next|due|pending)\b|\b(?:anything|what) (?:is )?(?:due|pending)\b|\b(?:are|were|is|was) (?:still )?pending\b|\bcoming (?:up|due)\b|\bon the clock\b|\b(?:what(?:'s| is) )?on deck\b/,
  ],
  // "the 180-day clock", "the 30-day window": a span counted from something is a deadline.
  [
    "deadline",
    /\b(?:deadlines?|due|by when|by (?:what|which) (?:date|day)|must .+ (?:be|by)|time ?limit|expires?|cut-?off|within how many days)\b|\b\d+-day (?:clock|window|period|limit|countdown)\b/,
  ],
  ["peak", /\b(?:peak|peaked|highest|largest|biggest|record|lowest|smallest|maximum|minimum|top)\b/],
  [
    "change",
    /\b(?:change|changed|rise|rose|risen|fall|fell|fallen|drop|dropped|grow|grew|widen|widened|narrow|narrowed|shrink|shrank|increase|increased|decrease|decreased|go up|go down|went up|went down|up or down)\b.*\b(?:from|between|since)\b|\b(?:widen|narrow)\b/,
  ],
  [
    "what-changed",
    /\bwhat (?:has |have )?changed\b|\bwhat(?:'s| is) new\b|\banything new\b|\bwhat(?:'s| has| had)? happened\b|\bany (?:news|changes|developments)\b|\b(?:latest|recent) (?:news|developments?|changes)\b|\bwhat did we (?:learn|hear)\b|\bwhat(?:'s| was) the latest\b|\bwhat (?:went|was going|is going|has been going) on\b|\banything (?:happen|happened|going on)\b|\bany updates?\b/,
  ],
  [
    "how-much",
    /\bhow (?:much|many|big|large|high|low|long will)\b|\bwhat (?:was|is|were) the (?:value|amount|level|size|figure|number|total)\b|\bwhat (?:was|is|were) (?:the|[\w.-]+'s|its|their) .*\b(?:deficit|surplus|balance|figure|quota|rate|value)\b/,
  ],
  [
    "position",
    /\bwhat (?:did|does|do|has|have|had) .+ (?:say|said|says|state|stated|claim|claimed)\b|\bwhat (?:is|are|was|were) (?:[\w.'-]+ ){1,3}after\b(?=\s*(?:in|on|with|from|\?|$))|\b\w+(?:'s|s') line\b|\b(?:position|stance|view|views|stand on|stands on|think|thinks|wants?|demands?|arguing|argue|insists?|red lines?|priorities|priority|objectives?|goals?|aims?|concerns?)\b|\bhow (?:did|does|do) .+ see (?:it|things|the|this|that)\b/,
  ],
  ["who", /^\s*(?:who|whom|whose)\b|\bwhich (?:side|country|party|official|agency|government|body|ministry|department)\b|\bwho\b/],
  ["where", /\bwhere\b|\bin (?:which|what) (?:city|country|place|capital)\b/],
  ["when", /\bwhen\b|\bwhat (?:date|day|year)\b|\bwhich (?:date|day|year)\b|\bhow long ago\b/],
];

/** "Where do the US and Korea each stand", "where did Seoul stand": a side's or the parties' stand is their position. */
const SIDES_STAND = /\bwhere (?:do|does|did|will|would) (?:[\w.'-]+ )*?(?:korea|korean|seoul|rok|u\.?s\.?|usa|america|american|washington|sides?|parties|party|each|both)(?: [\w.'-]+)*? stand\b/;

/** The intent of a question: the first rule its lowercased words match, else "what". */
export function intentOf(text: string): Intent {
  const t = ` ${text.toLowerCase().replace(/[’]/g, "'")} `;
  if (SIDES_STAND.test(t)) return "position";
  for (const [intent, re] of INTENT_RULES) {
    if (!re.test(t)) continue;
    // "Where did the U.S. want the session held?": a question opening with "where" asks a place, whatever a side wanted
    // ("where does Korea stand on rice" still asks its position).
    if (intent === "position" && /^\s*where\b/.test(t) && !/\bstands?\b/.test(t)) return "where";
    // "What is Korea's view on the deficit?": someone's stance on a figure is a position, not the figure.
    if (intent === "how-much" && /\b\w+(?:'s|s') (?:position|stance|view|views|line)\b/.test(t)) return "position";
    return intent;
  }
  return "what";
}
