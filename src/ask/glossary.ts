/**
 * The reviewed glossary `/korus ask` matches words with: equivalences in trade and KORUS usage, each true outside any
 * evaluation (a reviewer should be able to check every entry against a trade glossary, a dictionary or the public
 * record, using its note). A question term that is one of an entry's terms also finds facts that say another of them.
 *
 * Rules for an entry: the terms are interchangeable in what a trade team reads and writes (not merely related: "steel"
 * and "aluminum" are not one entry); a term may be a phrase ("national assembly"), matched as its words in order; the
 * note says why it holds. Words that appear in every fact ("KORUS", "agreement") are not entries: they carry no
 * subject. Equivalences the fact store itself states (an acronym defined in a title or source, "Ministry of Trade,
 * Industry and Energy (MOTIE)") are read from the store at answer time, not written here.
 */

/** One entry: interchangeable terms and why they are. */
export interface GlossaryEntry {
  terms: readonly string[];
  note: string;
  /**
   * The terms name the agreement's own course (its negotiation, renegotiation, amendment, review): every position a side
   * takes on the record is a stance in it, so a position question's words of this kind rank the positions without
   * excluding those that do not repeat them ("what does Washington want out of the review").
   */
  course?: true;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  // Legislatures and their acts.
  {
    terms: ["national assembly", "parliament", "legislature", "lawmakers", "legislators", "assembly"],
    note: "Korea's unicameral legislature is the National Assembly; English-language reporting calls it parliament and its members lawmakers or legislators.",
  },
  {
    terms: ["congress", "lawmakers", "legislators", "legislature", "house and senate", "capitol hill"],
    note: "The U.S. legislature; its members are lawmakers or legislators, and 'Capitol Hill' is the usual metonym for it.",
  },
  {
    terms: ["ratify", "ratification", "approve", "approval", "pass", "adopt", "consent", "okay", "sign off", "green light", "greenlight"],
    note: "A legislature ratifies or approves a treaty or passes its implementing bill; 'okay' and 'sign off on' are the colloquial verbs (dictionary: okay, v., to approve).",
  },
  {
    terms: ["implementing bill", "implementing legislation", "implementing act", "implementing law", "implementation act"],
    note: "The U.S. statute putting an FTA into domestic law: H.R.3080, the United States-Korea Free Trade Agreement Implementation Act, Public Law 112-41.",
  },
  // Parties and agencies.
  { terms: ["korea", "south korea", "republic of korea", "rok", "seoul", "korean"], note: "The KORUS party; 'Seoul' is the usual metonym for its government." },
  { terms: ["united states", "usa", "america", "american", "washington"], note: "The KORUS party; 'Washington' is the usual metonym for its government (and also the city)." },
  {
    terms: ["washington", "washington dc", "washington d.c.", "dc", "d.c.", "district of columbia"],
    note: "The U.S. capital, Washington, District of Columbia: 'DC' (or 'D.C.') is its standard abbreviation, and the city is where talks held in the United States usually meet.",
  },
  {
    terms: ["ustr", "trade representative", "united states trade representative", "lighthizer"],
    note: "The Office of the U.S. Trade Representative; Robert Lighthizer was the Trade Representative from May 2017 to January 2021, so 'Lighthizer's office' is USTR.",
  },
  { terms: ["motie", "trade ministry", "ministry of trade, industry and energy", "ministry of trade"], note: "Korea's Ministry of Trade, Industry and Energy negotiated the 2018 KORUS amendments." },
  { terms: ["commerce", "commerce department", "department of commerce"], note: "The U.S. Department of Commerce runs Section 232 investigations." },
  { terms: ["president", "white house", "leaders", "heads of state"], note: "The heads of state of the two parties; a summit is their meeting." },
  { terms: ["article", "art"], note: "'Art.' is the usual abbreviation of 'Article' in citations of a treaty's text (KORUS Art. 22.2.4)." },
  { terms: ["joint committee", "kjc"], note: "The KORUS Joint Committee (Article 22.2), which meets in regular and special sessions." },
  // Trade remedies and measures.
  {
    terms: ["section 232", "sec 232", "national security tariffs", "232 tariffs"],
    note: "Section 232 of the Trade Expansion Act of 1962: tariffs on imports found to threaten national security (steel and aluminum 2018, autos investigation 2018-19). 'Sec.' is the usual abbreviation of section in statute citations.",
  },
  {
    terms: ["section 201", "sec 201", "safeguard", "safeguards", "global safeguard", "escape clause"],
    note: "Section 201 of the Trade Act of 1974, the U.S. safeguard ('escape clause') statute; 2018 safeguards on washers and solar cells.",
  },
  { terms: ["tariff", "tariffs", "duty", "duties", "levy", "levies"], note: "A tax on imports." },
  { terms: ["quota", "cap", "capped", "ceiling", "limit"], note: "A quantitative limit on imports (Korea's 2018 steel quota caps exports at 70% of the 2015-2017 average)." },
  { terms: ["exemption", "exempted", "exempt", "carve-out", "spared"], note: "Relief from a measure for one country." },
  {
    terms: ["proclamation", "presidential proclamation", "proclaim", "proclaims", "proclaimed", "announce", "announces", "announced", "announcement"],
    note: "The instrument by which the U.S. President imposes or adjusts Section 201 and 232 measures; a measure so imposed is proclaimed (the verb of the noun, which stemming does not join). To proclaim is to announce officially (dictionary: proclaim, to announce publicly and officially).",
  },
  {
    terms: ["enter", "enters", "entered", "come in", "comes in", "coming in", "came in"],
    note: "Customs usage: imported goods are entered (19 CFR 141, entry for consumption: 'goods entered on or after May 1, 2018'); in plain words they come in. (Entry into force is an entry of its own.)",
  },
  // Goods.
  { terms: ["light truck", "light trucks", "pickup", "pickups", "pickup truck", "chicken tax"], note: "The 25% U.S. tariff on light trucks (pickups) is known as the 'chicken tax'." },
  { terms: ["car", "cars", "auto", "autos", "automobile", "automobiles", "vehicle", "vehicles", "passenger vehicles"], note: "Motor vehicles; KORUS and Section 232 use 'automobiles' and 'autos'." },
  {
    terms: ["automaker", "automakers", "carmaker", "carmakers", "car manufacturer", "manufacturer", "maker", "makers"],
    note: "A maker of motor vehicles ('maker' is the dictionary synonym of manufacturer: 'each maker' is each manufacturer).",
  },
  {
    terms: ["U.S.-standard", "U.S. standard", "U.S. safety standards", "fmvss", "American standards", "U.S.-spec", "U.S. spec", "U.S. specification", "U.S. specifications", "American-spec"],
    note: "Cars built to U.S. Federal Motor Vehicle Safety Standards (FMVSS), which Korea accepts up to a number per maker; the automotive trade calls them U.S.-spec (built to U.S. specifications). Written with 'U.S.' so that the tokenizer reads the country, not the pronoun 'us'.",
  },
  { terms: ["washer", "washers", "washing machine", "washing machines", "residential washers"], note: "Large residential washers, the subject of the 2018 Section 201 safeguard." },
  {
    terms: ["solar cells", "solar panels", "solar modules", "photovoltaic", "photovoltaic cells"],
    note: "Crystalline silicon photovoltaic cells and modules, the subject of the 2018 Section 201 safeguard.",
  },
  {
    terms: ["agriculture", "agricultural", "ag", "farm", "farm products", "farming", "farmers"],
    note: "Farm goods and the farm sector; 'ag' is the usual short form in U.S. trade usage (USDA's 'ag exports', 'ag trade').",
  },
  { terms: ["pharmaceuticals", "drugs", "medicines", "drug pricing"], note: "Medicines; KORUS has a chapter on pharmaceuticals and medical devices." },
  { terms: ["aluminum", "aluminium"], note: "American and British spelling." },
  // Trade flows.
  {
    terms: ["deficit", "trade deficit", "trade gap", "trade imbalance", "imbalance", "trade balance", "shortfall", "gap", "goods gap"],
    note: "Imports over exports; 'trade gap' (or 'the gap' in a trade context) and 'imbalance' are the press's words for the deficit.",
  },
  { terms: ["billion", "bn"], note: "'bn' is the financial press's abbreviation of billion ($27.7bn)." },
  { terms: ["goods", "merchandise"], note: "Goods trade is merchandise trade (as opposed to services)." },
  // Negotiation.
  { terms: ["negotiations", "negotiation", "negotiate", "negotiating", "talks"], note: "Trade negotiations are reported as talks (a round is one session of them, not a synonym).", course: true },
  {
    terms: ["renegotiation", "renegotiate", "amendment negotiations", "revision talks", "renegotiated", "reopen", "reopened", "reopening"],
    note: "The 2018 KORUS renegotiation was, formally, negotiations on amendments; to reopen a trade agreement is press usage for renegotiating it.",
    course: true,
  },
  {
    terms: [
      "amend",
      "amended",
      "amendment",
      "amendments",
      "revise",
      "revised",
      "revision",
      "revisions",
      "modify",
      "modification",
      "modifications",
      "updated",
      "renegotiated",
      "changes to the agreement",
      "changes to the pact",
      "changes to the deal",
      "changes to korus",
      "changes to the fta",
      "change the agreement",
      "change the pact",
      "change the deal",
      "change korus",
      "change the fta",
    ],
    note: "Changes to a treaty's text, and to change it (changing KORUS), are its amendment; the 2018 result is called the amended, revised, updated or renegotiated KORUS.",
    course: true,
  },
  {
    terms: ["supplemental agreement", "supplementary agreement", "supplement", "side agreement", "side deal"],
    note: "An agreement that adds to a treaty is a supplemental or side agreement (NAFTA's labor and environment side agreements; the 2010 KORUS autos supplement, reported as a side deal).",
  },
  {
    terms: ["conclude", "concluded", "conclusion", "wrap up", "wrapped up", "finalize", "finalized", "finalise", "finalised"],
    note: "To bring negotiations or an agreement to an end: dictionary synonyms (conclude, finalize, wrap up).",
  },
  {
    terms: ["reach", "reached", "reaches", "strike", "strikes", "struck", "clinch", "clinched", "clinches", "seal", "sealed", "seals"],
    note: "Of a deal: to strike, clinch or seal one is to reach it (dictionary: strike a deal, to reach an agreement). Not of figures, which the record says 'rise to'.",
  },
  {
    terms: ["agreement in principle", "aip", "deal in principle", "tentative agreement", "preliminary agreement", "tentative deal"],
    note: "Agreement on the main terms before a text is signed; 'AIP' is its usual abbreviation in trade reporting and government releases.",
  },
  {
    terms: [
      "enter into force",
      "enters into force",
      "entered into force",
      "entry into force",
      "take effect",
      "takes effect",
      "took effect",
      "come into force",
      "came into force",
      "come into effect",
      "came into effect",
      "go into effect",
      "went into effect",
      "in force",
      "in effect",
      "start to apply",
      "started to apply",
      "starts to apply",
      "begin to apply",
      "began to apply",
      "start applying",
      "starts applying",
      "started applying",
      "begin applying",
      "began applying",
      "apply from",
      "applies from",
      "start date",
      "effective date",
      "kick in",
      "kicks in",
      "kicked in",
      "go live",
      "goes live",
      "went live",
      "gone live",
      "become effective",
      "became effective",
      "become operative",
      "became operative",
      "effective from",
      "effective on",
      "is effective",
      "was effective",
      "be effective",
    ],
    note: "The day a treaty or measure starts to apply (its start date or effective date); a measure 'kicks in' when it takes effect (dictionary: kick in, to take effect), a system or scheme 'goes live' when it starts to operate, and a provision is 'operative' when in force (dictionary: operative, in force, in effect). 'Effective' only in phrases ('effective from', 'became effective'): alone it stems as 'effect', and 'the effects of KORUS' are not its entry into force.",
  },
  {
    terms: ["sign", "signs", "signed", "signing", "signature", "signatory", "signatories", "ink", "inked", "inking", "put pen to paper", "put their names to", "put his name to", "put her name to"],
    note: "Signing a treaty text ('ink' in press usage; 'put one's name to' and 'put pen to paper' are dictionary idioms for signing).",
  },
  {
    terms: ["lead", "leads", "led", "head", "heads", "headed"],
    note: "To head a delegation, team or round of talks is to lead it (dictionary: head, v., to be in charge of; the record writes 'led by'). Not 'leading' ('the leading exporter' is the largest); 'heading into' a session is going toward it (src/ask/question.ts reads it so).",
  },
  { terms: ["special session", "special meeting"], note: "A meeting of the Joint Committee called at a party's request (KORUS Article 22.2)." },
  {
    terms: ["meet", "meets", "met", "meeting", "session", "convene", "convened", "held", "hold", "holds", "take place", "took place"],
    note: "A body meets in session; a meeting is held, or takes place.",
  },
  { terms: ["summit", "leaders meeting", "summit meeting", "presidents meeting", "heads of state meeting"], note: "A summit is a meeting of heads of state (presidents)." },
  { terms: ["request", "requests", "requested", "ask", "asks", "asked", "call for", "called for", "seek", "sought"], note: "A party requests (asks for, calls for) a meeting or action." },
  { terms: ["propose", "proposes", "proposed", "proposal", "suggest", "suggests", "suggested", "put forward"], note: "Dictionary synonyms: to put forward for consideration." },
  {
    terms: ["study", "review", "assessment", "analysis", "examine", "evaluate", "evaluation"],
    note: "An examination of the agreement's effects; reviewing an agreement is one of its courses (the 2017 KORUS review).",
    course: true,
  },
  { terms: ["defer", "deferred", "delay", "delayed", "postpone", "postponed", "put off"], note: "To move a decision to a later date." },
  { terms: ["withdraw", "withdrawal", "terminate", "termination", "exit", "pull out"], note: "Leaving a treaty: KORUS Article 24.5 lets a party terminate it on 180 days' notice." },
  { terms: ["publish", "published", "release", "released", "make public", "made public"], note: "To put a text out for the public." },
  { terms: ["report", "findings"], note: "An investigation's written result (a Section 232 report)." },
  {
    terms: ["update", "report back", "reported back", "reports back", "reporting back", "progress report"],
    note: "To report back is to return with an account of progress (dictionary: report back); what is so given is an update, or progress report.",
  },
  { terms: ["deadline", "due date", "time limit", "cutoff"], note: "The day by which something must happen." },
  { terms: ["decide", "decides", "decided", "decision"], note: "Forms of one verb." },
  {
    terms: ["open", "opens", "opened", "opening", "start", "starts", "started", "starting", "begin", "begins", "began", "begun", "launch", "launches", "launched"],
    note: "Of negotiations, talks, sessions and investigations, to open one is to start, begin or launch it (dictionary: open, v., to begin; 'open talks', 'launch an investigation').",
  },
  // Standard abbreviations of common words (dictionary abbreviations, as typed in chat).
  { terms: ["government", "govt", "gov't"], note: "'Govt' is the dictionary abbreviation of government." },
  { terms: ["reorganization", "reorganisation", "reorganize", "reorganise", "reorg"], note: "'Reorg' is the dictionary short form of reorganization (of a government or company)." },
  { terms: ["department", "dept"], note: "'Dept.' is the dictionary abbreviation of department." },
  { terms: ["administration", "admin"], note: "'Admin' is the short form of administration (the Trump administration)." },
];
