// Package draft proposes a claim sheet from an article's plain text: its one job is to
// read sentences and propose the facts they state, each with the rule that found it and a
// confidence, for a person to review before loading. It works offline, by rules: entities
// from a Lexicon (the store's names), relations from the verb patterns of schema, modality
// from schema's cue words, dates resolved against the publication date.
package draft

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// DefaultThreshold is the confidence below which a proposed fact is written commented out.
const DefaultThreshold = 0.5

// Options are a draft's settings.
type Options struct {
	Title     string  // the source's title
	Published string  // the publication date, ISO 8601: relative dates resolve against it
	URL       string  // where the source can be read
	Threshold float64 // facts below it are disabled; 0 means DefaultThreshold
	// Patterns are the verb patterns to use; nil means schema.Patterns().
	Patterns []schema.PredicatePatterns
	// Vocabulary checks objects against predicates' ranges; nil means schema.Default().
	Vocabulary *schema.Vocabulary
}

// Report says what a draft did, for the person who runs it.
type Report struct {
	Sentences   int      `json:"sentences"`    // sentences read, headings aside
	Headings    []string `json:"headings"`     // lines taken for headings: never evidence
	Claims      int      `json:"claims"`       // claims proposed
	Facts       int      `json:"facts"`        // facts proposed, disabled ones included
	Disabled    int      `json:"disabled"`     // facts below the threshold
	NewEntities int      `json:"new_entities"` // entities proposed as new
	Skipped     int      `json:"skipped"`      // sentences with no proposal
	Negated     []string `json:"negated"`      // patterns a negation undid ("not reject")
	Unresolved  []string `json:"unresolved"`   // date expressions the publication date cannot resolve
}

// drafter holds one draft's state.
type drafter struct {
	lex      *Lexicon
	patterns *patternSet
	vocab    *schema.Vocabulary
	pub      published
	ctx      context
}

// Draft reads an article and proposes its claim sheet: one claim per sentence, speaker,
// modality, date and condition, each claim's evidence the sentence verbatim with its byte
// offsets in text (which the sheet's source holds). Facts below the threshold are
// disabled; sentences with no proposal are listed in the sheet's Skipped.
func Draft(text string, lex *Lexicon, opt Options) (*sheet.Sheet, Report) {
	d := &drafter{lex: lex, vocab: opt.Vocabulary}
	if d.lex == nil {
		d.lex = NewLexicon(nil)
	}
	if d.vocab == nil {
		d.vocab = schema.Default()
	}
	pats := opt.Patterns
	if pats == nil {
		pats = schema.Patterns()
	}
	d.patterns = compilePatterns(pats)
	threshold := opt.Threshold
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	var rep Report
	pub, err := parsePublished(opt.Published)
	if err != nil {
		rep.Unresolved = append(rep.Unresolved, fmt.Sprintf("publication date: %v", err))
	}
	d.pub = pub
	sh := &sheet.Sheet{Source: sheet.Source{Title: opt.Title, Published: opt.Published, URL: opt.URL, Text: text}}
	newEntities := map[string]bool{}
	for _, sn := range Sentences(text) {
		if sn.Heading {
			rep.Headings = append(rep.Headings, sn.Text)
			continue
		}
		rep.Sentences++
		s := d.analyse(sn)
		props, negated := d.relations(s)
		rep.Negated = append(rep.Negated, negated...)
		if len(props) == 0 {
			sh.Skipped = append(sh.Skipped, sn.Text)
			rep.Skipped++
			continue
		}
		date := d.date(s, &rep)
		for _, c := range d.claims(s, props, date, threshold) {
			sh.Claims = append(sh.Claims, c)
			rep.Claims++
			for _, f := range c.Facts {
				rep.Facts++
				if f.Disabled {
					rep.Disabled++
				}
			}
		}
		for _, p := range props {
			for _, m := range []mention{p.subj, p.obj.mention} {
				key := strings.ToLower(m.name)
				if m.entity < 0 && m.name != "" && !newEntities[key] {
					newEntities[key] = true
					sh.Entities = append(sh.Entities, sheet.Entity{Name: m.name, Type: m.typ, New: true})
				}
			}
		}
	}
	rep.NewEntities = len(sh.Entities)
	return sh, rep
}

// analyse tokenizes a sentence and finds its names, attribution and patterns.
func (d *drafter) analyse(sn Sentence) *sentence {
	s := &sentence{Sentence: sn, toks: tokenize(sn.Text)}
	s.ms = findMentions(s.toks, d.lex, &d.ctx)
	s.findAttribution(&d.ctx)
	if s.speaker != nil {
		sp := *s.speaker
		d.ctx.lastSpeaker = &sp
	}
	s.matches = d.patterns.find(s.toks)
	if s.speaker != nil && s.attrAt >= 0 && (len(s.matches) == 0 || s.attrAt < s.matches[0].start) {
		first := []mention{*s.speaker} // "Kallas said … and warned that …": the sentence's subject
		s.first = &first
	}
	s.question = strings.Contains(sn.Text, "?") || slices.ContainsFunc(s.toks, func(t token) bool { return t.norm == "whether" })
	return s
}

// date resolves the sentence's date expression, if any.
func (d *drafter) date(s *sentence, rep *Report) string {
	m, _, _ := schema.ExpectedModality(s.Text)
	dt, ok := findDate(s.toks, d.pub, m == schema.ModalityPlanned)
	if !ok {
		return ""
	}
	if dt.date == "" {
		rep.Unresolved = append(rep.Unresolved, fmt.Sprintf("%q in %q", dt.text, s.Text))
	}
	return dt.date
}

// modality applies schema's modality rule to the clause of the sentence a fact's pattern
// sits in (schema.ClauseAt); a fact in a question is hedged.
func (d *drafter) modality(s *sentence, p proposal) (string, string) {
	clause := schema.ClauseAt(s.Text, s.toks[p.matchStart].start)
	m, cue, ok := schema.ExpectedModality(clause)
	switch {
	case s.question && s.inQuestion(p.matchStart) && (!ok || m == schema.ModalityAttributed || m == schema.ModalityPlanned):
		return schema.ModalityHedged, "a question"
	case !ok && s.toks[p.matchStart].quoted && s.speaker != nil:
		return schema.ModalityAttributed, "a quotation"
	case !ok:
		return schema.ModalityAsserted, ""
	}
	return m, "“" + cue + "”"
}

// speaker is whoever the fact's words are attributed to: the quoted speaker for a fact
// inside a quotation or after the attribution ("Starmer announced that …"), else the
// subject of a speech act (rejects, demands).
func (d *drafter) speaker(s *sentence, p proposal) string {
	t := s.toks[p.matchStart]
	if s.speaker != nil && (s.whole || t.quoted || s.attrAt >= 0 && p.matchStart > s.attrAt || p.subj.speaker) {
		return s.speaker.name
	}
	if p.speech && p.subj.actor() {
		return p.subj.name
	}
	return ""
}

// claims groups a sentence's proposals into claims: one per speaker, modality, date and
// condition, in the order the facts come.
func (d *drafter) claims(s *sentence, props []proposal, date string, threshold float64) []sheet.Claim {
	var out []sheet.Claim
	for _, p := range props {
		mod, cue := d.modality(s, p)
		speaker := d.speaker(s, p)
		if mod == schema.ModalityAsserted {
			speaker = "" // the reporter's own voice has no speaker (the modality rule)
		}
		i := slices.IndexFunc(out, func(c sheet.Claim) bool {
			return c.Speaker == speaker && c.Modality == mod && c.Condition == p.condition
		})
		if i < 0 {
			out = append(out, sheet.Claim{Evidence: s.Text, Offset: []int{s.Start, s.End}, Speaker: speaker,
				Modality: mod, Date: date, Condition: p.condition})
			i = len(out) - 1
		}
		rules := p.rules
		if cue != "" {
			rules = append(rules, "modality "+mod+": "+cue)
		}
		f := sheet.Fact{Subject: p.subj.name, Predicate: p.pred, Object: p.obj.name,
			Comment: strings.Join(rules, "; "), Confidence: round2(p.conf), Disabled: p.conf < threshold}
		if !slices.ContainsFunc(out[i].Facts, func(g sheet.Fact) bool {
			return g.Subject == f.Subject && g.Predicate == f.Predicate && g.Object == f.Object
		}) {
			out[i].Facts = append(out[i].Facts, f)
		}
	}
	return out
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }
