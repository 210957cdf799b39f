package draft

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// StancePredicates are the predicates the quality goals count: an actor's stance
// toward a position.
var StancePredicates = []string{schema.PredDemands, schema.PredInsistsOn, schema.PredSeeks, schema.PredProposes,
	schema.PredAccepts, schema.PredSupports, schema.PredConsiders, schema.PredRejects, schema.PredOpposes,
	schema.PredDismisses, schema.PredWarns, schema.PredWarnsAgainst}

// PatternPredicates are the predicates with verb patterns: every fact a draft can propose.
func PatternPredicates() []string {
	var out []string
	for _, pp := range schema.Patterns() {
		out = append(out, pp.Predicate)
	}
	return out
}

// Gold is hand-coded truth to score a draft against: the facts of claims, with their
// evidence, speaker and modality, and the names of every entity.
type Gold struct {
	Facts []GoldFact
	names map[string][]string // normalized name -> entity IDs
	ids   map[string][]string // entity ID -> its names, normalized
}

// GoldFact is one fact of a hand-coded claim.
type GoldFact struct {
	Subject, Predicate, Object  string // IDs
	Evidence, Speaker, Modality string // the claim's; Speaker an ID
}

// ReadQuads reads N-Quads.
func ReadQuads(r io.Reader) ([]quad.Quad, error) {
	rd := nquads.NewReader(r, nquads.Options{})
	var out []quad.Quad
	for {
		q, line, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, q)
	}
}

// GoldFromQuads reads the facts and names of hand-coded quads.
func GoldFromQuads(quads []quad.Quad) *Gold {
	g := &Gold{names: map[string][]string{}, ids: map[string][]string{}}
	type claim struct{ evidence, speaker, modality string }
	claims := map[string]*claim{}
	get := func(id string) *claim {
		if claims[id] == nil {
			claims[id] = &claim{}
		}
		return claims[id]
	}
	for _, q := range quads {
		switch p := idOf(q.Predicate); p {
		case schema.PredLabel, schema.PredAlias:
			n := nameKey(textOf(q.Object))
			id := idOf(q.Subject)
			g.names[n] = append(g.names[n], id)
			g.ids[id] = append(g.ids[id], n)
		case schema.PredEvidence:
			get(idOf(q.Subject)).evidence = textOf(q.Object)
		case schema.PredSpeaker:
			get(idOf(q.Subject)).speaker = idOf(q.Object)
		case schema.PredModality:
			get(idOf(q.Subject)).modality = textOf(q.Object)
		}
	}
	for _, q := range quads {
		if q.Label == nil || !slices.Contains(PatternPredicates(), idOf(q.Predicate)) {
			continue
		}
		c := get(idOf(q.Label))
		g.Facts = append(g.Facts, GoldFact{Subject: idOf(q.Subject), Predicate: idOf(q.Predicate), Object: idOf(q.Object),
			Evidence: c.evidence, Speaker: c.speaker, Modality: c.modality})
	}
	return g
}

func nameKey(s string) string {
	ws := words(s)
	if len(ws) > 1 && ws[0] == "the" {
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}

// Scope limits a score to some predicates and some sentences.
type Scope struct {
	Predicates []string
	Evidence   func(string) bool // nil: every sentence
}

func (sc Scope) has(pred, evidence string) bool {
	return slices.Contains(sc.Predicates, pred) && (sc.Evidence == nil || sc.Evidence(evidence))
}

// Score is a draft measured against gold.
type Score struct {
	Predicted int     `json:"predicted"` // facts proposed (enabled) in scope
	Gold      int     `json:"gold"`      // gold facts in scope
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// Of the matched facts, how many have the gold's speaker and modality.
	SpeakerRight  int `json:"speaker_right"`
	ModalityRight int `json:"modality_right"`
	// Claims whose evidence is the source's text at its offsets, of all claims.
	Verbatim int `json:"verbatim"`
	Claims   int `json:"claims"`
	// What was missed, what was wrong and which matched facts have another speaker or
	// modality than the gold's, for a reader.
	Missed, Wrong, Differ []string `json:"-"`
}

// Evaluate scores a draft against gold: a proposed fact matches a gold fact of the same
// sentence with the same predicate when its subject is a name of the gold's subject and
// its object a name of the gold's object, or, for a new position, shares enough words
// with one (Dice coefficient of content words, ≥ 0.5). Facts match one to one, the
// closest first. Disabled facts are not counted.
func Evaluate(sh *sheet.Sheet, g *Gold, sc Scope) Score {
	type pred struct {
		f sheet.Fact
		c *sheet.Claim
	}
	var preds []pred
	var sco Score
	for i := range sh.Claims {
		c := &sh.Claims[i]
		sco.Claims++
		if len(c.Offset) == 2 && c.Offset[0] >= 0 && c.Offset[1] <= len(sh.Source.Text) && sh.Source.Text[c.Offset[0]:c.Offset[1]] == c.Evidence {
			sco.Verbatim++
		}
		for _, f := range c.Facts {
			if !f.Disabled && sc.has(f.Predicate, c.Evidence) {
				preds = append(preds, pred{f, c})
			}
		}
	}
	var golds []GoldFact
	for _, gf := range g.Facts {
		if sc.has(gf.Predicate, gf.Evidence) {
			golds = append(golds, gf)
		}
	}
	type pair struct {
		p, g  int
		score float64
	}
	var pairs []pair
	for i, p := range preds {
		for j, gf := range golds {
			if p.f.Predicate != gf.Predicate || strings.TrimSpace(p.c.Evidence) != strings.TrimSpace(gf.Evidence) ||
				!slices.Contains(g.names[nameKey(p.f.Subject)], gf.Subject) {
				continue
			}
			if s := g.objectScore(p.f.Object, gf.Object); s >= 0.5 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(b.score, a.score) })
	usedP, usedG := map[int]bool{}, map[int]bool{}
	for _, pr := range pairs {
		if usedP[pr.p] || usedG[pr.g] {
			continue
		}
		usedP[pr.p], usedG[pr.g] = true, true
		sco.Matched++
		p, gf := preds[pr.p], golds[pr.g]
		speakerOK := p.c.Speaker == "" && gf.Speaker == "" || slices.Contains(g.names[nameKey(p.c.Speaker)], gf.Speaker)
		if speakerOK {
			sco.SpeakerRight++
		}
		if p.c.Modality == gf.Modality {
			sco.ModalityRight++
		}
		if !speakerOK || p.c.Modality != gf.Modality {
			sco.Differ = append(sco.Differ, fmt.Sprintf("%s %s %q: speaker %q modality %s; gold %q %s", p.f.Subject, p.f.Predicate,
				p.f.Object, p.c.Speaker, p.c.Modality, gf.Speaker, gf.Modality))
		}
	}
	sco.Predicted, sco.Gold = len(preds), len(golds)
	for i, p := range preds {
		if !usedP[i] {
			sco.Wrong = append(sco.Wrong, fmt.Sprintf("%s %s %q", p.f.Subject, p.f.Predicate, p.f.Object))
		}
	}
	for j, gf := range golds {
		if !usedG[j] {
			sco.Missed = append(sco.Missed, fmt.Sprintf("%s %s %s  (%.50s…)", gf.Subject, gf.Predicate, gf.Object, gf.Evidence))
		}
	}
	if sco.Predicted > 0 {
		sco.Precision = float64(sco.Matched) / float64(sco.Predicted)
	}
	if sco.Gold > 0 {
		sco.Recall = float64(sco.Matched) / float64(sco.Gold)
	}
	return sco
}

// objectScore is 1 when name is a name of the gold object, else the best Dice
// coefficient of its content words with one of the gold object's names.
func (g *Gold) objectScore(name, goldID string) float64 {
	key := nameKey(name)
	if slices.Contains(g.names[key], goldID) {
		return 1
	}
	best := 0.0
	for _, n := range g.ids[goldID] {
		best = max(best, dice(contentStems(key), contentStems(n)))
	}
	return best
}

var stopwords = map[string]bool{"the": true, "a": true, "an": true, "of": true, "in": true, "on": true, "to": true,
	"for": true, "from": true, "and": true, "or": true, "its": true, "their": true, "his": true, "her": true,
	"that": true, "this": true, "any": true, "be": true, "is": true, "are": true, "was": true, "were": true,
	"will": true, "would": true, "must": true, "with": true, "by": true, "about": true, "as": true, "at": true,
	"'s": true, "it": true, "we": true, "they": true}

func contentStems(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if !stopwords[w] {
			out = append(out, stem(w))
		}
	}
	return out
}

// stem is a crude English stemmer, enough to match "renounces" with "renounce" and
// "ending" with "end".
func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return strings.TrimRight(w, "e")
}

func dice(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	used := make([]bool, len(b))
	for _, x := range a {
		for j, y := range b {
			if !used[j] && x == y {
				used[j] = true
				common++
				break
			}
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// Halves splits an article's sentences (headings aside) into the odd ones (half A: the
// first, third, …) and the even ones (half B), for cross-validation.
func Halves(text string) (a, b func(evidence string) bool) {
	half := map[string]int{}
	n := 0
	for _, s := range Sentences(text) {
		if s.Heading {
			continue
		}
		n++
		half[strings.TrimSpace(s.Text)] = n % 2
	}
	return func(e string) bool { h, ok := half[strings.TrimSpace(e)]; return ok && h == 1 },
		func(e string) bool { h, ok := half[strings.TrimSpace(e)]; return ok && h == 0 }
}

// PatternsFrom returns the verb patterns of the given origins (schema.OriginLexicon,
// OriginSeedA, OriginSeedB).
func PatternsFrom(origins ...string) []schema.PredicatePatterns {
	var out []schema.PredicatePatterns
	for _, pp := range schema.Patterns() {
		kept := pp
		kept.Patterns = nil
		for _, p := range pp.Patterns {
			if slices.Contains(origins, p.Origin) {
				kept.Patterns = append(kept.Patterns, p)
			}
		}
		out = append(out, kept)
	}
	return out
}
