package draft

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley/parley/schema"
)

// mention is a name of an entity in a sentence: a known one, a new one, or a pronoun.
type mention struct {
	start, end int    // tokens [start, end)
	entity     int    // lexicon index, or -1 for a new entity
	name       string // the name to write: a known entity's label, else the text
	typ        string
	possessive bool // followed by "’s"
	pronoun    bool // he, she: resolved to the last person named
	speaker    bool // we, I inside a quotation: resolved to the quotation's speaker
	rule       string
}

func (m mention) actor() bool {
	return m.typ == schema.TypePerson || m.typ == schema.TypeState || m.typ == schema.TypeOrganization
}

// context is what mention finding carries from one sentence to the next.
type context struct {
	lastPerson  *mention
	lastSpeaker *mention // the last sentence's attribution: a quotation alone continues it
}

var locative = map[string]bool{"in": true, "at": true, "near": true, "from": true, "into": true, "to": true, "across": true, "outside": true, "inside": true}

// findMentions finds the entities a sentence names: the lexicon's names (longest first),
// roles resolved to their one holder or merged into the name that follows them, pronouns
// resolved to the last person named, and capitalized phrases the lexicon does not know,
// proposed as new entities with a guessed type.
func findMentions(toks []token, lx *Lexicon, ctx *context) []mention {
	var ms []mention
	for i := 0; i < len(toks); {
		if m, ok := lx.longest(toks, i); ok {
			ms = append(ms, m)
			i = m.end
			continue
		}
		i++
	}
	ms = newNames(toks, ms)
	ms = mergeRoles(toks, lx, ms)
	ms = pronouns(toks, ms, ctx)
	for i := range ms {
		if ms[i].end < len(toks) && toks[ms[i].end].norm == "'s" {
			ms[i].possessive = true
		}
	}
	return ms
}

// longest finds the longest lexicon name starting at token i; among entities that share
// it, a place after a locative preposition ("in Moscow"), else an actor ("Moscow said").
func (lx *Lexicon) longest(toks []token, i int) (mention, bool) {
	if !toks[i].word {
		return mention{}, false
	}
	var found []name
	end := 0
	for _, n := range lx.names[toks[i].norm] {
		if len(found) > 0 && len(n.words) < len(found[0].words) {
			break
		}
		if e, ok := lx.matches(toks, i, n); ok {
			found, end = append(found, n), e
		}
	}
	if len(found) == 0 {
		return mention{}, false
	}
	place := i > 0 && locative[toks[i-1].norm]
	score := func(n name) int {
		e := lx.entities[n.entity]
		s := 0
		isPlace := e.Type == schema.TypePlace
		isActor := e.Type == schema.TypePerson || e.Type == schema.TypeState || e.Type == schema.TypeOrganization
		if (place && (isPlace || e.Type == schema.TypeState)) || (!place && isActor) {
			s += 4
		}
		if n.label {
			s += 2
		}
		if !n.surname {
			s++
		}
		return s
	}
	best := found[0]
	for _, n := range found[1:] {
		if score(n) > score(best) {
			best = n
		}
	}
	e := lx.entities[best.entity]
	return mention{start: i, end: end, entity: best.entity, name: e.Label, typ: e.Type, rule: "lexicon"}, true
}

// matches reports whether name n is written at token i, and the token after it.
func (lx *Lexicon) matches(toks []token, i int, n name) (int, bool) {
	j := i
	for _, w := range n.words {
		for j < len(toks) && !toks[j].word && strings.Contains("-“”\"‘’", toks[j].text) && j > i {
			j++ // "“ironclad” security guarantees"
		}
		if j >= len(toks) || !toks[j].word || toks[j].norm != w {
			return 0, false
		}
		if n.proper && !capitalized(toks[j].text) && w != "of" && w != "the" {
			return 0, false
		}
		j++
	}
	return j, true
}

func capitalized(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// notNames are capitalized words that start sentences and clauses without naming anything.
var notNames = map[string]bool{"the": true, "a": true, "an": true, "however": true, "meanwhile": true, "while": true,
	"when": true, "with": true, "asked": true, "now": true, "last": true, "this": true, "that": true, "these": true,
	"those": true, "it": true, "he": true, "she": true, "they": true, "we": true, "i": true, "but": true, "and": true,
	"in": true, "on": true, "at": true, "after": true, "before": true, "since": true, "as": true, "if": true,
	"maybe": true, "still": true, "yet": true, "also": true, "today": true, "yesterday": true, "tomorrow": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"are": true, "is": true, "what": true, "who": true, "why": true, "how": true, "our": true, "his": true, "her": true,
	"their": true, "its": true, "any": true, "all": true, "some": true, "both": true, "according": true, "despite": true,
	"for": true, "by": true, "of": true, "to": true, "from": true, "president": true, "prime": true, "minister": true,
	"we'll": true, "we're": true, "we've": true, "i'm": true, "i'll": true, "you": true, "my": true}

var orgHeads = []string{"union", "council", "ministry", "organization", "organisation", "party", "agency", "committee",
	"commission", "army", "forces", "bank", "fund", "alliance", "parliament", "government", "office", "department",
	"media", "kremlin", "nations", "court", "assembly", "service", "group", "company"}

var placeHeads = []string{"region", "oblast", "city", "province", "sea", "river", "island", "district", "valley", "plant", "port"}

var titleWords = map[string]bool{"president": true, "minister": true, "secretary": true, "envoy": true, "adviser": true,
	"advisor": true, "chief": true, "spokesman": true, "spokeswoman": true, "spokesperson": true, "chancellor": true,
	"general": true, "ambassador": true, "commander": true, "leader": true, "senator": true, "mayor": true, "governor": true}

// newNames proposes capitalized phrases the lexicon does not know as new entities.
func newNames(toks []token, ms []mention) []mention {
	covered := make([]bool, len(toks))
	for _, m := range ms {
		for k := m.start; k < m.end; k++ {
			covered[k] = true
		}
	}
	for i := 0; i < len(toks); i++ {
		if covered[i] || !toks[i].word || !upperStart(toks[i].text) {
			continue
		}
		j := i
		for j < len(toks) && !covered[j] && toks[j].word && toks[j].norm != "'s" {
			if !upperStart(toks[j].text) && !(toks[j].norm == "of" && j+1 < len(toks) && upperStart(toks[j+1].text) && j > i) {
				break
			}
			j++
		}
		// Skip a capitalized word that only starts the sentence, a quotation or a clause.
		initial := i == 0 || !toks[i-1].word && strings.ContainsAny(toks[i-1].text, "“\":;—(.…?!")
		for i < j && (notNames[toks[i].norm] || initial && j-i == 1 || demonym(toks, i, j)) {
			i++
			initial = false
		}
		// A title before a name: "Spokesman Dmitry Peskov", "Secretary of State Marco Rubio".
		titled := false
		for k := j - 2; k >= i; k-- {
			if titleWords[toks[k].norm] {
				i, titled = k+1, true
				if toks[i].norm == "of" {
					i += 2
				}
				break
			}
		}
		if i >= j {
			i = j
			continue
		}
		var parts []string
		for k := i; k < j; k++ {
			parts = append(parts, toks[k].text)
		}
		typ := guessType(toks, i, j)
		if titled {
			typ = schema.TypePerson
		}
		ms = append(ms, mention{start: i, end: j, entity: -1, name: strings.Join(parts, " "), typ: typ, rule: "capitalized"})
		i = j
	}
	slices.SortFunc(ms, func(a, b mention) int { return a.start - b.start })
	return ms
}

func upperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// demonym reports an adjective of nationality used as an adjective ("Russian media",
// "Western sanctions"): a capitalized word ending -an, -ern, -ese, -ish or -ic before a
// lowercase word.
func demonym(toks []token, i, j int) bool {
	if j-i != 1 || j >= len(toks) || !toks[j].word || capitalized(toks[j].text) {
		return false
	}
	w := toks[i].norm
	for _, suf := range []string{"an", "ern", "ese", "ish", "ic", "ian"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// guessType guesses the type of a new name from its words and its neighbours.
func guessType(toks []token, i, j int) string {
	last := toks[j-1].norm
	switch {
	case slices.Contains(orgHeads, last):
		return schema.TypeOrganization
	case slices.Contains(placeHeads, last):
		return schema.TypePlace
	case i > 0 && titleWords[toks[i-1].norm]:
		return schema.TypePerson
	case i > 0 && locative[toks[i-1].norm]:
		return schema.TypePlace
	case strings.ToUpper(toks[i].text) == toks[i].text && j-i == 1:
		return schema.TypeOrganization
	case j < len(toks) && isAttribution(toks[j].norm):
		return schema.TypePerson
	case j-i == 2:
		return schema.TypePerson
	}
	return schema.TypeOrganization
}

// mergeRoles folds a role into the person named after it ("US President Donald Trump")
// and resolves a role named alone to its one holder ("the Kremlin's spokesman" aside).
func mergeRoles(toks []token, lx *Lexicon, ms []mention) []mention {
	var out []mention
	for k := 0; k < len(ms); k++ {
		m := ms[k]
		if m.typ != schema.TypeRole {
			out = append(out, m)
			continue
		}
		if k+1 < len(ms) && ms[k+1].start == m.end && (ms[k+1].typ == schema.TypePerson || ms[k+1].entity < 0) {
			next := ms[k+1]
			next.start = m.start
			next.typ = schema.TypePerson
			next.rule = "title and name"
			out = append(out, next)
			k++
			continue
		}
		if m.entity >= 0 {
			if holders := lx.entities[m.entity].Holders; len(holders) == 1 {
				if h, ok := lx.byID[holders[0]]; ok {
					m.entity, m.name, m.typ, m.rule = h, lx.entities[h].Label, lx.entities[h].Type, "role's holder"
				}
			}
		}
		out = append(out, m)
	}
	return out
}

var personPronouns = map[string]bool{"he": true, "she": true, "him": true, "his": true, "her": true}
var speakerPronouns = map[string]bool{"we": true, "i": true, "we'll": true, "we're": true, "i'm": true, "i'll": true, "we've": true}

// pronouns adds he/she (the last person named before it, in this sentence or an earlier
// one) and, inside a quotation, we/I (the quotation's speaker, resolved later).
func pronouns(toks []token, ms []mention, ctx *context) []mention {
	var out []mention
	k := 0
	for i, t := range toks {
		for k < len(ms) && ms[k].start <= i {
			if ms[k].typ == schema.TypePerson {
				m := ms[k]
				ctx.lastPerson = &m
			}
			out = append(out, ms[k])
			k++
		}
		switch {
		case t.word && personPronouns[t.norm] && ctx.lastPerson != nil:
			m := *ctx.lastPerson
			m.start, m.end, m.pronoun, m.rule = i, i+1, true, "“"+t.text+"”: the last person named"
			m.possessive = t.norm == "his" || t.norm == "her"
			out = append(out, m)
		case t.word && t.quoted && speakerPronouns[t.norm]:
			out = append(out, mention{start: i, end: i + 1, entity: -1, speaker: true, typ: schema.TypePerson, rule: "“" + t.text + "” in a quotation: its speaker"})
		}
	}
	return append(out, ms[k:]...)
}
