package schema

import (
	"regexp"
	"slices"
	"strings"
)

// ModalityRule states in a few lines how a claim's modality follows from its evidence:
// 'parley schema' prints it and the README quotes it. ModalityCues holds its cue words.
const ModalityRule = `Modality follows from the cue words of the evidence's clause the claim rests on (clauses are
joined by "but", "while", "whereas" or ";"):
  refused     "declined to comment", "tight-lipped": the actor would not say
  hedged      "hinted", "likely", "appears", "apparently", "reportedly": the source is not sure
  considered  "considering", "considers": the actor weighs it
  attributed  "said", "told", "announced", "confirmed", "stressed", "maintains", "argued", "insists", "is demanding": X's words, X the claim's speaker
  planned     "will", "would", "plans to", "prepares to": announced for the future
  asserted    no cue word: the reporter's own voice
  inferred    the coder's inference: the text implies it but does not say it (no cue makes it, none contradicts it)
Clauses are also split at a dash and before ", with"; an opening "While ...," or "Asked ...," phrase is a
clause of its own, and the words of an indirect question ("whether the US would back") give nothing.
A clause may report an act of speech and what was said: "Trump announced plans to speak with Putin"
is Trump's announcement (attributed) and the call it announces (planned). A claim takes any cue of its
clause, except that a hedge or a refusal qualifies the act of speech itself ("hinted ... he said" is
hedged); on a clause with no cue it is asserted. A sentence that is wholly a quotation is attributed
to the one quoted. Background facts (roles, membership, places, parts, what a thing is about, the
order of events) are the reporter's own description: asserted in any sentence.`

// ModalityCue is one row of the modality rule: the cue words that give a modality.
type ModalityCue struct {
	Modality string   `json:"modality"`
	Cues     []string `json:"cues"` // words or phrases, lowercase, matched as whole words
	Doc      string   `json:"doc"`
}

// modalityCues is the rule's table, in order of precedence.
var modalityCues = []ModalityCue{
	{ModalityRefused, []string{"declined to comment", "declines to comment", "declined to confirm", "refused to comment",
		"would not comment", "tight-lipped", "no comment"}, "the actor would not say"},
	{ModalityHedged, []string{"hinted", "hints", "likely", "appears", "appeared", "apparently", "reportedly", "seems", "seemed"},
		"the source is not sure"},
	{ModalityConsidered, []string{"considering", "considers", "weighing"}, "the actor weighs it"},
	{ModalityAttributed, []string{"said", "says", "told", "tells", "stressed", "stresses", "stressing", "maintains", "maintained",
		"argued", "argues", "arguing", "insists", "insisted", "is demanding", "are demanding", "according to", "warned", "warns",
		"announced", "announces", "confirmed", "confirms", "replied", "replies", "emphasized", "emphasizes",
		"expressed", "expressing", "dismissed", "dismisses", "remains firm", "remained firm"},
		"someone's words: the claim's speaker said them"},
	{ModalityPlanned, []string{"will", "would", "plans to", "planning to", "announced plans", "is set to", "are set to",
		"is scheduled to", "are scheduled to", "prepares to", "preparing to"}, "announced for the future"},
}

// ModalityCues returns the modality rule as data: for each modality a cue can give, its
// cue words, in order of precedence. The reporter's own voice (asserted) and the coder's
// inference (inferred) have no cue. A copy: the rule is not changed by its users.
func ModalityCues() []ModalityCue {
	out := make([]ModalityCue, len(modalityCues))
	for i, c := range modalityCues {
		out[i] = ModalityCue{c.Modality, append([]string(nil), c.Cues...), c.Doc}
	}
	return out
}

// cuePatterns are the cues compiled: one pattern per modality, each cue between
// non-letters (Go's \b knows ASCII letters only; evidence has curly quotes and accents).
var cuePatterns = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(modalityCues))
	for i, c := range modalityCues {
		alts := make([]string, len(c.Cues))
		for j, cue := range c.Cues {
			alts[j] = strings.Join(strings.Fields(regexp.QuoteMeta(cue)), `\s+`)
		}
		out[i] = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(` + strings.Join(alts, "|") + `)(?:$|[^\p{L}\p{N}])`)
	}
	return out
}()

// clauseBreak separates the clauses of a sentence that the rule reads one by one: at a
// semicolon, a dash, "but", "while" and "whereas", and before an absolute phrase (", with").
var clauseBreak = regexp.MustCompile(`(?i)\s*;\s*|\s*[—–]\s*(?:but\s+|while\s+|whereas\s+)?|,?\s+(?:but|while|whereas)\s+|,\s+with\s+`)

// leadPhrase is a sentence's opening subordinate phrase, up to its comma ("While Ukraine
// accepted the proposal, ...", "Asked on ABC whether ..., Waltz replied"): a clause of its own.
var leadPhrase = regexp.MustCompile(`(?i)^\s*(?:with|while|whereas|although|though|as|after|asked|when)\s[^,]*,`)

// question is an indirect question ("whether the US would back a deal"): it asks, and its
// words give no modality.
var question = regexp.MustCompile(`(?i)(?:^|[^\p{L}])whether\s[^,;]*`)

// Clauses splits evidence into the clauses the modality rule reads one by one: "The
// Kremlin confirmed the call but remained tight-lipped on land" is a confirmation
// (attributed) and a refusal (refused).
func Clauses(evidence string) []string {
	var out []string
	for _, sp := range clauseSpans(evidence) {
		out = append(out, evidence[sp[0]:sp[1]])
	}
	return out
}

// ClauseAt returns the clause of text that holds byte offset at (the last clause when at
// is past the end): the clause whose cue words give the modality of a fact stated there.
func ClauseAt(text string, at int) string {
	spans := clauseSpans(text)
	for _, sp := range spans {
		if at < sp[1] {
			return text[sp[0]:sp[1]]
		}
	}
	if len(spans) == 0 {
		return text
	}
	last := spans[len(spans)-1]
	return text[last[0]:last[1]]
}

// clauseSpans are the [start, end) byte spans of the clauses of text, blank ones left out.
func clauseSpans(text string) [][2]int {
	var out [][2]int
	add := func(start, end int) {
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
	}
	from := 0
	if loc := leadPhrase.FindStringIndex(text); loc != nil {
		add(0, loc[1]-1) // without its comma
		from = loc[1]
	}
	for _, loc := range clauseBreak.FindAllStringIndex(text[from:], -1) {
		add(from, from+loc[0])
		from += loc[1]
	}
	add(from, len(text))
	return out
}

// ClauseModalities applies the modality rule to each clause of evidence and returns the
// modalities a claim resting on it may have, each once, with the cue that gives each. A
// clause gives the modality of its act of speech (refused or hedged when the act is
// qualified, else attributed when it has a speech verb) and of what was said (considered,
// planned), or asserted when it has no cue; a quotation is attributed.
func ClauseModalities(evidence string) (modalities, cues []string) {
	add := func(m, cue string) {
		if !slices.Contains(modalities, m) {
			modalities, cues = append(modalities, m), append(cues, cue)
		}
	}
	if IsQuotation(evidence) {
		add(ModalityAttributed, "a quotation")
	}
	for _, c := range Clauses(evidence) {
		c = question.ReplaceAllString(c, " ")
		found, qualified := false, false
		for i, re := range cuePatterns {
			m := re.FindStringSubmatch(c)
			if m == nil {
				continue
			}
			mod := modalityCues[i].Modality
			switch {
			case mod == ModalityRefused || mod == ModalityHedged:
				if qualified {
					continue // the first qualifier of the act of speech wins
				}
				qualified = true
			case mod == ModalityAttributed && qualified:
				continue // "hinted … he said" is a hint: the act of speech is hedged
			}
			add(mod, strings.ToLower(strings.Join(strings.Fields(m[1]), " ")))
			found = true
		}
		if !found {
			add(ModalityAsserted, "")
		}
	}
	return modalities, cues
}

// IsQuotation reports whether evidence is wholly someone's quoted words: it opens and
// closes with a quotation mark and holds no other quotation.
func IsQuotation(evidence string) bool {
	e := strings.TrimSpace(evidence)
	for _, q := range [][2]string{{"“", "”"}, {`"`, `"`}} {
		inner, ok := strings.CutPrefix(e, q[0])
		if !ok {
			continue
		}
		inner, ok = strings.CutSuffix(inner, q[1])
		if ok && !strings.Contains(inner, q[0]) && !strings.Contains(inner, q[1]) {
			return true
		}
	}
	return false
}

// ExpectedModality applies the modality rule to a claim's evidence: the modality its cue
// words give and the cue found (as written in the evidence, lowercased), or ok false when
// the evidence has no cue, and so is the reporter's own voice (asserted) or a coder's
// inference (inferred). Cues match as whole words, case-insensitively; when cues of several
// modalities appear, the first in ModalityCues wins: a hedge beats the words it hedges
// ("hinted … We'll be talking" is hedged), and an attribution beats a "will" in the
// words attributed ("Peskov said Putin will call" is attributed).
func ExpectedModality(evidence string) (modality, cue string, ok bool) {
	for i, re := range cuePatterns {
		if m := re.FindStringSubmatch(evidence); m != nil {
			return modalityCues[i].Modality, strings.ToLower(strings.Join(strings.Fields(m[1]), " ")), true
		}
	}
	return "", "", false
}
