package draft

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley/parley/schema"
)

// proposal is one fact a sentence states, before it is written into a claim.
type proposal struct {
	pred       string
	subj       mention
	obj        object
	conf       float64
	rules      []string
	speaker    string
	modality   string
	condition  string
	speech     bool
	matchStart int
}

// object is a fact's object: a mention, or a phrase proposed as a new position.
type object struct {
	mention
	phrase bool // a new position whose label is the phrase
}

// sentence is one sentence under analysis.
type sentence struct {
	Sentence
	toks     []token
	ms       []mention
	matches  []match
	speaker  *mention // the attribution's speaker ("X said", "according to X")
	attrAt   int      // the attribution verb's token, -1 when none
	whole    bool     // the attribution covers the whole sentence: "according to X"
	question bool
	first    *[]mention // the subjects of the sentence's first verb
}

var auxiliaries = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"has": true, "have": true, "had": true, "will": true, "would": true, "could": true, "should": true, "may": true,
	"might": true, "must": true, "can": true, "do": true, "does": true, "did": true, "also": true, "then": true,
	"later": true, "still": true, "likely": true, "now": true, "already": true, "recently": true, "truly": true,
	"remain": true, "remains": true, "remained": true, "stay": true, "stays": true, "stayed": true, "seem": true,
	"seems": true, "seemed": true, "appear": true, "appears": true, "appeared": true, "again": true, "firmly": true,
	"publicly": true, "reportedly": true, "apparently": true, "openly": true, "repeatedly": true, "strongly": true,
	"to": true, "not": true, "never": true, "further": true, "quickly": true, "swiftly": true, "flatly": true}

var beForms = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"remain": true, "remains": true, "remained": true, "stay": true, "stays": true, "stayed": true, "seem": true,
	"seems": true, "seemed": true, "appear": true, "appears": true, "appeared": true, "'s": true, "'re": true,
	"get": true, "got": true}

var prepositions = map[string]bool{"of": true, "in": true, "at": true, "on": true, "from": true, "to": true, "for": true,
	"with": true, "by": true, "about": true, "over": true, "into": true, "against": true, "between": true,
	"among": true, "aboard": true, "under": true, "toward": true, "towards": true, "than": true, "like": true}

// clauseEnders end an object: a new clause, a condition or a time starts with them.
var clauseEnders = map[string]bool{"while": true, "but": true, "which": true, "who": true, "whereas": true,
	"although": true, "though": true, "because": true, "as": true, "when": true, "after": true, "before": true,
	"since": true, "despite": true, "amid": true, "until": true, "unless": true, "if": true, "provided": true,
	"that": true, "so": true, "where": true, "whether": true}

var conditionWords = map[string]bool{"until": true, "unless": true}

var determiners = map[string]bool{"a": true, "an": true, "the": true, "that": true, "this": true, "these": true, "those": true}

func isAttribution(w string) bool { return attributionForms[w] }

var attributionForms = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range schema.AttributionVerbs() {
		m[f] = true
	}
	return m
}()

var negations = func() [][]string {
	var out [][]string
	for _, c := range schema.NegationCues() {
		out = append(out, strings.Fields(normalize(c)))
	}
	return out
}()

// mentionAt returns the mention covering token i.
func (s *sentence) mentionAt(i int) (mention, bool) {
	for _, m := range s.ms {
		if m.start <= i && i < m.end {
			return m, true
		}
	}
	return mention{}, false
}

// resolve turns a "we" inside a quotation into the quotation's speaker.
func (s *sentence) resolve(m mention) (mention, bool) {
	if !m.speaker {
		return m, true
	}
	if s.speaker == nil {
		return mention{}, false
	}
	r := *s.speaker
	r.start, r.end, r.speaker, r.rule = m.start, m.end, true, m.rule
	return r, true
}

// findAttribution finds who the sentence quotes or paraphrases: "X said", "X told
// reporters", "said X", "according to X".
func (s *sentence) findAttribution(ctx *context) {
	s.attrAt = -1
	for i, t := range s.toks {
		if t.quoted || !t.word {
			continue
		}
		if t.norm == "according" && i+2 < len(s.toks) && s.toks[i+1].norm == "to" {
			at := i + 2
			if determiners[s.toks[at].norm] && at+1 < len(s.toks) {
				at++ // "according to the Kremlin"
			}
			if m, ok := s.mentionAt(at); ok && m.actor() {
				s.speaker, s.attrAt, s.whole = &m, i, true
				return
			}
		}
		if !isAttribution(t.norm) || !unicode.IsLower([]rune(t.text)[0]) {
			continue // "Secretary of State" states nothing
		}
		if m, ok := s.subjectBefore(i, false); ok {
			s.speaker, s.attrAt = &m, i
			return
		}
		if m, ok := s.mentionAt(i + 1); ok && m.actor() {
			s.speaker, s.attrAt = &m, i
			return
		}
	}
	// A sentence that is all quotation continues the last one's speaker.
	if len(s.toks) > 0 && s.toks[0].text == "“" && ctx.lastSpeaker != nil {
		s.speaker = ctx.lastSpeaker
	}
}

// subjectBefore finds the nearest actor named before token i in its clause: not a
// possessive, not the object of a preposition unless right before the verb ("with
// Ukraine backing").
func (s *sentence) subjectBefore(i int, quoted bool) (mention, bool) {
	for j := i - 1; j >= 0; j-- {
		t := s.toks[j]
		if !t.word && strings.ContainsAny(t.text, ";:—–(") || t.text == "“" && quoted || t.text == "”" && !quoted {
			break
		}
		m, ok := s.mentionAt(j)
		if !ok {
			continue
		}
		j = m.start
		if m.possessive || (!m.actor() && !m.speaker) {
			continue
		}
		adjacent := s.adjacent(m.end, i)
		if m.start > 0 && prepositions[s.toks[m.start-1].norm] && !adjacent {
			continue
		}
		if r, ok := s.resolve(m); ok {
			return r, true
		}
	}
	return mention{}, false
}

// adjacent reports whether only auxiliaries and adverbs stand between tokens from and to.
func (s *sentence) adjacent(from, to int) bool {
	for k := from; k < to; k++ {
		if !auxiliaries[s.toks[k].norm] {
			return false
		}
	}
	return true
}

// coordinated adds the actors joined to m by "and" or commas: "the UK and France".
func (s *sentence) coordinated(m mention) []mention {
	out := []mention{m}
	for cur := m; cur.start >= 2; {
		sep := s.toks[cur.start-1].norm
		if sep != "and" && (sep != "," || len(out) == 1) { // "A, B and C"; "According to A, B" is no list
			break
		}
		prev, ok := s.mentionAt(cur.start - 2)
		if !ok || !prev.actor() || prev.possessive {
			break
		}
		out = append([]mention{prev}, out...)
		cur = prev
	}
	return out
}

// conjunct reports whether the verb at i continues an earlier verb's clause: "and is
// demanding", "but remained tight-lipped".
func (s *sentence) conjunct(i int) bool {
	j := i - 1
	for j >= 0 && auxiliaries[s.toks[j].norm] {
		j--
	}
	return j >= 0 && (s.toks[j].norm == "and" || s.toks[j].norm == "but") && !s.mentionBetween(j, i)
}

func (s *sentence) mentionBetween(from, to int) bool {
	for _, m := range s.ms {
		if m.start >= from && m.end <= to {
			return true
		}
	}
	return false
}

// negated reports the negation cue before the verb at i in its verb group, if any.
func (s *sentence) negated(i int) string {
	lo := max(0, i-4)
	for j := i - 1; j >= lo; j-- {
		t := s.toks[j]
		if !t.word || t.norm == "and" || t.norm == "but" {
			break
		}
		if strings.HasSuffix(t.norm, "n't") {
			return t.text
		}
		for _, cue := range negations {
			if j+len(cue) <= i && slices.Equal(normsOf(s.toks[j:j+len(cue)]), cue) {
				return strings.Join(cue, " ")
			}
		}
	}
	return ""
}

func normsOf(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.norm
	}
	return out
}

// passive reports whether the match is a passive: a participle after a form of be.
func (s *sentence) passive(m match) bool {
	if !m.c.participle {
		return false
	}
	for j := m.start - 1; j >= max(0, m.start-3); j-- {
		if beForms[s.toks[j].norm] {
			return !(s.toks[j].norm == "has" || s.toks[j].norm == "have")
		}
		if !auxiliaries[s.toks[j].norm] {
			return false
		}
	}
	return false
}

// objectEnd finds where the object after token i ends, and a condition it carries
// ("until the war is fully resolved"). clause is true for a that-clause, which only
// hard punctuation ends.
func (s *sentence) objectEnd(i, limit int, clause, quoted, short bool) (end int, cond string) {
	for j := i; j < limit; j++ {
		t := s.toks[j]
		switch {
		case !t.word && strings.ContainsAny(t.text, ";:—–()?!.…"):
			return j, ""
		case t.text == "”" && !quoted:
			continue
		case t.text == "”":
			return j, ""
		case short && (t.text == "," || finite[t.norm]):
			return j, ""
		case t.text == ",":
			if j+1 < len(s.toks) {
				n := s.toks[j+1]
				if n.text == "”" || n.norm == "including" || n.norm == "and" || n.norm == "or" {
					continue
				}
				if clauseEnders[n.norm] || commaEnders[n.norm] || pronounWords[n.norm] || strings.HasSuffix(n.norm, "ing") ||
					s.attributionAfter(j+1) || s.clauseSubjectAt(j+1) {
					return j, ""
				}
			}
		case t.word && j > i && !clause && clauseEnders[t.norm]:
			if conditionWords[t.norm] {
				return j, s.phrase(j, s.clauseEnd(j))
			}
			return j, ""
		}
	}
	return limit, ""
}

// finite are auxiliaries that start a verb phrase: they end a noun's object ("Trump’s
// push for diplomacy has intensified …").
var finite = map[string]bool{"has": true, "have": true, "had": true, "is": true, "are": true, "was": true,
	"were": true, "will": true, "would": true, "could": true, "should": true, "may": true, "might": true, "must": true}

var objectPronouns = map[string]bool{"it": true, "them": true, "this": true, "that": true, "these": true, "those": true, "him": true, "her": true, "us": true}

var pronounWords = map[string]bool{"he": true, "she": true, "they": true, "we": true, "it": true, "i": true}

// commaEnders start a new phrase after a comma: ", with Moscow expressing …".
var commaEnders = map[string]bool{"with": true, "saying": true, "adding": true, "according": true, "the": false}

// clauseSubjectAt reports an actor at token i followed by a verb rather than a list:
// ", Trump prepares", ", President Zelensky remains".
func (s *sentence) clauseSubjectAt(i int) bool {
	for k := 0; k < 2 && i < len(s.toks) && titleWords[s.toks[i].norm] && capitalized(s.toks[i].text); k++ {
		i++ // "President Volodymyr Zelensky"
	}
	m, ok := s.mentionAt(i)
	if !ok || m.start != i || !m.actor() || m.possessive || m.end >= len(s.toks) {
		return false
	}
	n := s.toks[m.end]
	return n.word && n.norm != "and" && n.norm != "or"
}

// attributionAfter reports "X said" or "he told" starting at token i.
// ", Ukrainian officials said".
func (s *sentence) attributionAfter(i int) bool {
	for j := i; j < min(len(s.toks), i+5) && s.toks[j].word; j++ {
		if j > i && isAttribution(s.toks[j].norm) {
			return true
		}
	}
	return false
}

func (s *sentence) clauseEnd(i int) int {
	for j := i; j < len(s.toks); j++ {
		if !s.toks[j].word && strings.ContainsAny(s.toks[j].text, ",;:—–”") || j == len(s.toks)-1 && s.toks[j].text == "." {
			return j
		}
	}
	return len(s.toks)
}

// phrase returns the text of tokens [i, j) as written.
func (s *sentence) phrase(i, j int) string {
	if i >= j {
		return ""
	}
	return s.Text[s.toks[i].start:s.toks[j-1].end]
}

// splitItems splits an object at commas, "and", "or" and "including" into its items;
// a that-clause stays whole.
func (s *sentence) splitItems(i, j int, clause, quoted bool) [][2]int {
	if clause || i < len(s.toks) && s.toks[i].norm == "that" {
		return [][2]int{{i, j}}
	}
	var out [][2]int
	start := i
	for k := i; k < j; k++ {
		t := s.toks[k]
		if t.quoted && !quoted {
			continue
		}
		if t.text == "," || t.norm == "and" || t.norm == "or" || t.norm == "including" {
			if k > start {
				out = append(out, [2]int{start, k})
			}
			start = k + 1
		}
	}
	if j > start {
		out = append(out, [2]int{start, j})
	}
	return out
}

// objectOf turns tokens [i, j) into an object: the entity they name when a mention covers
// them (determiners and quotes aside), else a phrase proposed as a new position.
func (s *sentence) objectOf(i, j int) (object, bool) {
	for i < j && (!s.toks[i].word || determiners[s.toks[i].norm]) {
		i++
	}
	for j > i && !s.toks[j-1].word {
		j--
	}
	if i >= j {
		return object{}, false
	}
	if j == i+1 && objectPronouns[s.toks[i].norm] {
		return object{}, false // "dismissed it": a reviewer's question, not a fact
	}
	if m, ok := s.mentionAt(i); ok && m.start == i && m.end == j {
		if r, ok := s.resolve(m); ok {
			return object{mention: r}, true
		}
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		t := s.toks[k]
		if !t.word && strings.ContainsAny(t.text, "“”\"‘") {
			continue
		}
		if k > i && (t.word || strings.ContainsAny(t.text, "(")) && !(t.norm == "'s") {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	label := upperFirst(strings.Join(strings.Fields(b.String()), " "))
	return object{mention: mention{start: i, end: j, entity: -1, name: label, typ: schema.TypePosition, rule: "new position"}, phrase: true}, true
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// relativeObject finds the object of a verb in a relative clause: "a 30-day ceasefire
// proposal that Ukraine recently accepted".
func (s *sentence) relativeObject(subj mention) (int, int, bool) {
	k := subj.start - 1
	if k < 1 || (s.toks[k].norm != "that" && s.toks[k].norm != "which") {
		return 0, 0, false
	}
	for j := k - 1; j >= max(0, k-7); j-- {
		t := s.toks[j]
		if !t.word || prepositions[t.norm] {
			return j + 1, k, j+1 < k
		}
		if determiners[t.norm] {
			return j, k, true
		}
	}
	return 0, 0, false
}

func describe(format string, args ...any) string { return fmt.Sprintf(format, args...) }
