package schema

import "strings"

// Form is the grammatical shape of a verb pattern: how its words sit between the subject
// and the object.
type Form string

// The forms of a pattern.
const (
	// FormVerb is SUBJECT VERB[ particle] OBJECT, "Russia rejected peacekeeping forces": the
	// pattern's first word is inflected (rejects, rejected, rejecting) and the rest kept.
	FormVerb Form = "verb"
	// FormNoun is SUBJECT's NOUN OBJECT, "Ukraine's acceptance of the ceasefire".
	FormNoun Form = "noun"
	// FormAdjective is SUBJECT BE ADJECTIVE OBJECT, "Moscow is optimistic about the talks";
	// BE is any form of be, remain, stay, seem or appear.
	FormAdjective Form = "adjective"
)

// Where a pattern comes from: the draft's evaluation scores each half of the seed article
// with the patterns that were not written looking at it.
const (
	// OriginLexicon: general verb lists (PETRARCH's CAMEO verb dictionary, common synonyms),
	// written before the patterns were scored on the seed article.
	OriginLexicon = "lexicon"
	// OriginSeedA and OriginSeedB: added after reading a miss in the first or the second
	// half of the seed article's sentences (odd and even sentences, counting from one).
	OriginSeedA = "seed-a"
	OriginSeedB = "seed-b"
)

// VerbPattern is one way a sentence states a predicate: words that, with the subject
// before them and the object after them, make the fact SUBJECT predicate OBJECT.
type VerbPattern struct {
	Predicate string `json:"predicate"`
	Form      Form   `json:"form"`
	// Words are the pattern's words, lowercase; for a verb, the lemma first ("insist on").
	Words string `json:"words"`
	// Inflections of the first word of a verb when they are irregular, in the order third
	// person, past, past participle, -ing: "seeks sought sought seeking". Empty: derived.
	Irregular string `json:"irregular,omitempty"`
	// Passive: "X was rejected by Y" states Y rejects X.
	Passive bool `json:"passive,omitempty"`
	// Clause: the object may be a that-clause ("warned that hurdles remain").
	Clause bool `json:"clause,omitempty"`
	// Confidence is how often the pattern, matched, states the predicate: 0 to 1.
	Confidence float64 `json:"confidence"`
	Origin     string  `json:"origin"`
}

// PredicatePatterns are the patterns of one predicate.
type PredicatePatterns struct {
	Predicate string `json:"predicate"`
	// SpeechAct: stating the fact is something the subject says (rejects, demands, warns),
	// so the subject is the claim's speaker when the sentence quotes no one else.
	SpeechAct bool          `json:"speech_act,omitempty"`
	Patterns  []VerbPattern `json:"patterns"`
}

// pat builds patterns in the table below; its methods return modified copies.
type pat VerbPattern

func verb(words string) pat {
	return pat{Form: FormVerb, Words: words, Confidence: 0.8, Origin: OriginLexicon}
}
func noun(words string) pat {
	return pat{Form: FormNoun, Words: words, Confidence: 0.65, Origin: OriginLexicon}
}
func adj(words string) pat {
	return pat{Form: FormAdjective, Words: words, Confidence: 0.7, Origin: OriginLexicon}
}

func (p pat) passive() pat             { p.Passive = true; return p }
func (p pat) clause() pat              { p.Clause = true; return p }
func (p pat) irregular(f string) pat   { p.Irregular = f; return p }
func (p pat) confidence(c float64) pat { p.Confidence = c; return p }
func (p pat) from(origin string) pat   { p.Origin = origin; return p }

func patternsOf(pred string, speech bool, ps ...pat) PredicatePatterns {
	out := PredicatePatterns{Predicate: pred, SpeechAct: speech, Patterns: make([]VerbPattern, len(ps))}
	for i, p := range ps {
		p.Predicate = pred
		out.Patterns[i] = VerbPattern(p)
	}
	return out
}

const speech, deed = true, false

// verbPatterns is the table: per predicate a sentence can state, its patterns. Verb lists
// start from PETRARCH's CAMEO 2.0 verb dictionary (DEMAND, REFUSE, SUPPORT, WARN,
// CONSIDER, APPEAL synsets), written anew for parley's predicates.
var verbPatterns = []PredicatePatterns{
	patternsOf(PredDemands, speech,
		verb("demand").passive().clause(), verb("call for"), verb("press for"), verb("urge").clause(),
		verb("insist that").confidence(0.7), noun("demand for"), noun("demands for"), noun("call for")),
	patternsOf(PredInsistsOn, speech,
		verb("insist on"), verb("insist upon"), verb("stand firm on"), adj("adamant that"), adj("adamant about"),
		adj("firm that").from(OriginSeedA), adj("firm on"), noun("insistence on")),
	patternsOf(PredSeeks, deed,
		verb("seek").irregular("seeks sought sought seeking").passive(), verb("push for"), verb("strive for"),
		verb("appeal for"), verb("aim for"), verb("want").confidence(0.6).from(OriginSeedB), verb("hope for"),
		noun("push for").from(OriginSeedA), noun("quest for"), noun("bid for").confidence(0.55)),
	patternsOf(PredProposes, speech,
		verb("propose").passive().clause(), verb("suggest").clause().confidence(0.6), verb("put forward").passive(),
		verb("offer").confidence(0.6), noun("proposal for"), noun("proposal of")),
	patternsOf(PredAccepts, deed,
		verb("accept").passive(), verb("embrace").confidence(0.65), verb("sign on to"), noun("acceptance of").from(OriginSeedA)),
	patternsOf(PredAgreesTo, deed,
		verb("agree to"), verb("consent to"), verb("agree on"), verb("take").irregular("takes took taken taking").confidence(0.35).from(OriginSeedB)),
	patternsOf(PredSupports, deed,
		verb("support").passive(), verb("back").passive(), verb("endorse").passive(), verb("favour"),
		verb("favor"), verb("champion"), verb("stand behind"), noun("support for"), noun("backing for"),
		adj("in favour of"), adj("in favor of"), adj("supportive of")),
	patternsOf(PredConsiders, deed,
		verb("consider").passive(), verb("weigh").passive(), verb("contemplate").passive(), verb("mull"),
		verb("ponder"), verb("explore").confidence(0.6), adj("open to").confidence(0.6)),
	patternsOf(PredRejects, speech,
		verb("reject").passive(), verb("rule out").passive(), verb("refuse").confidence(0.7), verb("spurn"),
		verb("turn down").passive(), verb("repudiate"), verb("veto").passive(), noun("rejection of")),
	patternsOf(PredOpposes, speech,
		verb("oppose").passive(), verb("object to"), verb("resist").confidence(0.6), verb("condemn").passive(),
		verb("criticize").passive(), verb("criticise").passive(), verb("denounce").passive(),
		adj("opposed to"), adj("against").confidence(0.5), noun("opposition to")),
	patternsOf(PredDismisses, speech,
		verb("dismiss").passive(), verb("brush off"), verb("brush aside"), verb("scoff at"), verb("shrug off"),
		verb("deride"), verb("decry")),
	patternsOf(PredWarns, speech,
		verb("warn").clause(), verb("caution").clause(), verb("warn of"), noun("warning that")),
	patternsOf(PredYetToAnswer, deed,
		adj("yet to respond to"), adj("yet to answer"), adj("yet to reply to"), noun("no answer to").confidence(0.5)),
	patternsOf(PredWarnsAgainst, speech,
		verb("warn against"), verb("caution against"), noun("warning against")),
	patternsOf(PredDenies, speech,
		verb("deny").passive().clause(), verb("refute").passive(), noun("denial of")),
	patternsOf(PredAsserts, speech,
		verb("maintain").clause().confidence(0.6).from(OriginSeedB), verb("argue").clause().confidence(0.55).from(OriginSeedB),
		verb("assert").clause(), verb("contend").clause(), verb("emphasize").clause().confidence(0.55).from(OriginSeedA),
		verb("emphasise").clause().confidence(0.55).from(OriginSeedA), verb("stress").clause().confidence(0.55).from(OriginSeedB)),
	patternsOf(PredAnnounces, speech,
		verb("announce").passive().clause(), verb("unveil").passive(), verb("declare").clause().confidence(0.6)),
	patternsOf(PredConfirms, speech,
		verb("confirm").passive().clause()),
	patternsOf(PredDeclinesToComment, speech,
		verb("decline to comment on"), verb("refuse to comment on"), verb("decline to discuss"),
		adj("tight-lipped on").from(OriginSeedB), adj("tight-lipped about").from(OriginSeedB), adj("silent on"), adj("silent about")),
	patternsOf(PredOptimisticAbout, speech,
		adj("optimistic about"), adj("hopeful about"), adj("upbeat about"), noun("optimism about"),
		verb("express optimism about").from(OriginSeedA)),
	patternsOf(PredDiscusses, deed,
		verb("discuss").passive(), verb("talk about").from(OriginSeedB), verb("negotiate").passive().confidence(0.6),
		verb("refer to").irregular("refers referred referred referring").confidence(0.6).from(OriginSeedA), verb("raise").confidence(0.5)),
	patternsOf(PredAttacks, deed,
		verb("attack").passive(), verb("strike").irregular("strikes struck struck striking").passive(),
		verb("shell").passive(), verb("bomb").passive(), verb("target").passive().confidence(0.6),
		verb("launch * strikes on").from(OriginSeedB), verb("launch strikes on").from(OriginSeedB),
		noun("attack on"), noun("strikes on")),
	patternsOf(PredOccupies, deed,
		verb("occupy").passive(), verb("seize").passive(), verb("capture").passive(), verb("annex").passive(),
		verb("hold").irregular("holds held held holding").confidence(0.4), noun("occupation of")),
	patternsOf(PredGainsGroundIn, deed,
		verb("gain ground in"), verb("advance in"), verb("make gains in").irregular("makes made made making")),
	patternsOf(PredClashesWith, deed,
		verb("clash with"), verb("quarrel with"), verb("spar with").irregular("spars sparred sparred sparring"),
		verb("feud with")),
	patternsOf(PredParticipatesIn, deed,
		verb("take part in").irregular("takes took taken taking"), verb("attend").passive().confidence(0.7),
		verb("join").confidence(0.5), verb("participate in")),
	patternsOf(PredDelivers, deed,
		verb("deliver").passive().confidence(0.6), verb("convey").passive().confidence(0.6), verb("hand over")),
	patternsOf(PredLeavesEarly, deed,
		verb("walk out of"), verb("storm out of"), verb("leave early").irregular("leaves left left leaving")),
	patternsOf(PredMemberOf, deed,
		verb("join").confidence(0.4), adj("a member of"), adj("member of")),
}

// Patterns returns the verb patterns of every predicate a sentence can state, in the
// table's order: a copy, so that its users cannot change the table.
func Patterns() []PredicatePatterns {
	out := make([]PredicatePatterns, len(verbPatterns))
	for i, p := range verbPatterns {
		out[i] = p
		out[i].Patterns = append([]VerbPattern(nil), p.Patterns...)
	}
	return out
}

// NegationCues are the words that, between the subject and the pattern, undo it: "did
// not reject" is no rejection, "never accepted" no acceptance.
var negationCues = []string{"not", "n't", "never", "no longer", "neither", "nor", "refused to", "declined to",
	"failed to", "cannot", "won't", "didn't", "doesn't", "don't", "isn't", "wasn't", "hasn't", "haven't"}

// NegationCues returns the words that negate a pattern placed before it, lowercase.
func NegationCues() []string { return append([]string(nil), negationCues...) }

// attributionVerbs are the verbs that attribute words to a speaker: "X said", "X told
// reporters", "said X". "according to X" is the one prepositional attribution.
var attributionVerbs = []string{"say", "tell", "add", "stress", "emphasize", "emphasise", "argue", "insist",
	"reply", "explain", "note", "claim", "warn", "state", "announce", "declare", "write", "tweet", "caution",
	"maintain", "hint", "acknowledge", "admit", "reiterate", "suggest"}

// AttributionVerbs returns the verbs that attribute words to their subject, with their
// inflections: "said", "tells", "told", "stressing".
func AttributionVerbs() []string {
	var out []string
	for _, v := range attributionVerbs {
		irr := ""
		switch v {
		case "say":
			irr = "says said said saying"
		case "tell":
			irr = "tells told told telling"
		case "write":
			irr = "writes wrote written writing"
		}
		out = append(out, Inflect(v, irr)...)
	}
	return out
}

// Inflect returns a verb's forms: the lemma, third person, past, past participle and -ing
// form, without repeats. irregular overrides the derived forms ("seeks sought sought
// seeking"); otherwise they follow the regular rules of English spelling (tries, tried;
// pushes; agrees, agreeing; proposes, proposing). Doubled consonants (banned) need the
// irregular list.
func Inflect(lemma, irregular string) []string {
	forms := []string{lemma}
	if f := strings.Fields(irregular); len(f) == 4 {
		forms = append(forms, f...)
	} else {
		forms = append(forms, thirdPerson(lemma), past(lemma), past(lemma), ing(lemma))
	}
	out := forms[:0]
	seen := map[string]bool{}
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// Participle returns a verb's past participle: the third of the irregular forms, else
// the regular past ("rejected", "tried").
func Participle(lemma, irregular string) string {
	if f := strings.Fields(irregular); len(f) == 4 {
		return f[2]
	}
	return past(lemma)
}

func consonantY(w string) bool {
	return len(w) > 1 && w[len(w)-1] == 'y' && !strings.ContainsRune("aeiou", rune(w[len(w)-2]))
}

func thirdPerson(w string) string {
	switch {
	case consonantY(w):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "sh"), strings.HasSuffix(w, "ch"),
		strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"), strings.HasSuffix(w, "o"):
		return w + "es"
	}
	return w + "s"
}

func past(w string) string {
	switch {
	case consonantY(w):
		return w[:len(w)-1] + "ied"
	case strings.HasSuffix(w, "e"):
		return w + "d"
	}
	return w + "ed"
}

func ing(w string) string {
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && len(w) > 2 {
		return w[:len(w)-1] + "ing"
	}
	return w + "ing"
}
