package seed

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/parley/parley/schema"
)

const (
	xsdDate       = "http://www.w3.org/2001/XMLSchema#date"
	xsdGYearMonth = "http://www.w3.org/2001/XMLSchema#gYearMonth"
	xsdGYear      = "http://www.w3.org/2001/XMLSchema#gYear"
)

// stmt is one quad of the seed with the line it stands on.
type stmt struct {
	line int
	q    quad.Quad
}

func (s stmt) String() string {
	return fmt.Sprintf("%s:%d: %s", Name, s.line, s.q.NQuad())
}

// seedGraph is the parsed seed with the indexes the checks share.
type seedGraph struct {
	stmts  []stmt
	types  map[string][]string // entity IRI -> its types
	labels map[string]int      // entity IRI -> number of labels
	claims map[string]stmt     // claim IRI -> its <type> <Claim> quad
}

// load parses the seed line by line (Cayley's reader reports no line numbers) and fails
// the test on any line that does not parse, listing every such line.
func load(t *testing.T) *seedGraph {
	t.Helper()
	g := &seedGraph{types: map[string][]string{}, labels: map[string]int{}, claims: map[string]stmt{}}
	for i, raw := range bytes.Split(Quads(), []byte("\n")) {
		text := strings.TrimSpace(string(raw))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, err := nquads.Parse(text)
		if err != nil {
			t.Errorf("%s:%d: %v", Name, i+1, err)
			continue
		}
		if !q.IsValid() {
			t.Errorf("%s:%d: incomplete quad", Name, i+1)
			continue
		}
		g.stmts = append(g.stmts, stmt{line: i + 1, q: q})
	}
	if t.Failed() {
		t.FailNow()
	}
	for _, s := range g.stmts {
		subj, _ := iri(s.q.Subject)
		switch pred(s) {
		case schema.PredType:
			if typ, ok := iri(s.q.Object); ok {
				g.types[subj] = append(g.types[subj], typ)
				if typ == schema.TypeClaim {
					g.claims[subj] = s
				}
			}
		case schema.PredLabel:
			g.labels[subj]++
		}
	}
	return g
}

// iri returns the IRI a value names, if it is one.
func iri(v quad.Value) (string, bool) {
	i, ok := v.(quad.IRI)
	return string(i), ok
}

// pred returns the predicate IRI of a statement ("" if the predicate is not an IRI).
func pred(s stmt) string {
	p, _ := iri(s.q.Predicate)
	return p
}

// isLiteral reports whether v is a literal (plain, typed or language-tagged string, or a
// value Cayley converted from a typed string).
func isLiteral(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return false
	}
	return v != nil
}

func TestFileIsUTF8WithoutUnicodeEscapes(t *testing.T) {
	for i, raw := range bytes.Split(Quads(), []byte("\n")) {
		if !utf8.Valid(raw) {
			t.Errorf("%s:%d: not valid UTF-8", Name, i+1)
		}
		if bytes.Contains(raw, []byte(`\u`)) || bytes.Contains(raw, []byte(`\U`)) {
			t.Errorf("%s:%d: \\u escape: write the UTF-8 character itself", Name, i+1)
		}
	}
}

func TestParses(t *testing.T) {
	g := load(t)
	if len(g.stmts) == 0 {
		t.Fatalf("%s: no quads", Name)
	}
	for _, s := range g.stmts {
		for _, v := range []quad.Value{s.q.Subject, s.q.Predicate, s.q.Label} {
			if v == nil {
				continue
			}
			if _, ok := iri(v); !ok {
				t.Errorf("%s: subject, predicate and label must be IRIs, got %v", s, v)
			}
		}
	}
}

func TestEvidenceIsVerbatim(t *testing.T) {
	g := load(t)
	article := Article()
	for _, s := range g.stmts {
		if pred(s) != schema.PredEvidence {
			continue
		}
		ev, ok := s.q.Object.(quad.String)
		switch {
		case !ok:
			t.Errorf("%s: evidence must be a plain string literal", s)
		case strings.TrimSpace(string(ev)) == "":
			t.Errorf("%s: empty evidence", s)
		case !strings.Contains(article, string(ev)):
			t.Errorf("%s: evidence does not occur verbatim in the article", s)
		}
	}
}

func TestClaims(t *testing.T) {
	g := load(t)
	if len(g.claims) == 0 {
		t.Fatalf("%s: no claims", Name)
	}
	sources, evidence, modalities, used := map[string]int{}, map[string]int{}, map[string]int{}, map[string]bool{}
	for _, s := range g.stmts {
		subj, _ := iri(s.q.Subject)
		if l, ok := iri(s.q.Label); ok {
			used[l] = true
			if _, isClaim := g.claims[l]; !isClaim {
				t.Errorf("%s: graph label <%s> is not a claim", s, l)
			}
		}
		if _, isClaim := g.claims[subj]; !isClaim {
			continue
		}
		if s.q.Label != nil {
			t.Errorf("%s: claim metadata takes no graph label", s)
		}
		switch pred(s) {
		case schema.PredSource:
			sources[subj]++
			src, _ := iri(s.q.Object)
			if !strings.HasPrefix(subj, src+"#") {
				t.Errorf("%s: claim <%s> is not scoped by its source <%s> (want <%s#cNN>)", s, subj, src, src)
			}
		case schema.PredEvidence:
			evidence[subj]++
		case schema.PredModality:
			modalities[subj]++
			m, ok := s.q.Object.(quad.String)
			if !ok || !slices.Contains(schema.Modalities(), string(m)) {
				t.Errorf("%s: modality must be one of %s", s, strings.Join(schema.Modalities(), ", "))
			}
		}
	}
	for c, s := range g.claims {
		if sources[c] != 1 {
			t.Errorf("%s: claim <%s> has %d sources, want 1", s, c, sources[c])
		}
		if evidence[c] != 1 {
			t.Errorf("%s: claim <%s> has %d evidence strings, want 1", s, c, evidence[c])
		}
		if modalities[c] != 1 {
			t.Errorf("%s: claim <%s> has %d modalities, want 1", s, c, modalities[c])
		}
		if !used[c] {
			t.Errorf("%s: claim <%s> labels no quad", s, c)
		}
	}
}

func TestEntitiesAreTypedAndLabelled(t *testing.T) {
	g := load(t)
	vocab := schema.Default()
	reported := map[string]bool{}
	need := func(s stmt, e string) {
		if reported[e] {
			return
		}
		if len(g.types[e]) == 0 {
			reported[e] = true
			t.Errorf("%s: <%s> has no type", s, e)
		}
		if g.labels[e] == 0 {
			reported[e] = true
			t.Errorf("%s: <%s> has no label", s, e)
		}
	}
	for _, s := range g.stmts {
		if pred(s) == schema.PredSpeaker {
			if obj, ok := iri(s.q.Object); ok {
				need(s, obj)
			}
			continue
		}
		if p := vocab.Predicate(pred(s)); p == nil || p.Kind != schema.Relation {
			continue
		}
		subj, _ := iri(s.q.Subject)
		need(s, subj)
		if obj, ok := iri(s.q.Object); ok {
			need(s, obj)
		}
	}
	// Every typed thing has exactly one known type, and every entity exactly one label.
	first := map[string]int{} // "type <x>" or "label <x>" -> line of the first such quad
	for _, s := range g.stmts {
		name := pred(s)
		if name != schema.PredType && name != schema.PredLabel {
			continue
		}
		subj, _ := iri(s.q.Subject)
		if name == schema.PredType {
			if typ, ok := iri(s.q.Object); !ok || vocab.Type(typ) == nil {
				t.Errorf("%s: unknown type %v", s, s.q.Object)
			}
		}
		key := name + " <" + subj + ">"
		if at, seen := first[key]; seen {
			t.Errorf("%s: second %s of <%s>, the first is on line %d", s, name, subj, at)
			continue
		}
		first[key] = s.line
	}
	for _, s := range g.stmts {
		typ, _ := iri(s.q.Object)
		if pred(s) != schema.PredType || typ == schema.TypeClaim {
			continue
		}
		if e, _ := iri(s.q.Subject); g.labels[e] == 0 && !reported[e] {
			reported[e] = true
			t.Errorf("%s: <%s> has no label", s, e)
		}
	}
}

func TestDescriptiveQuadsHaveNoLabel(t *testing.T) {
	g := load(t)
	vocab := schema.Default()
	for _, s := range g.stmts {
		if p := vocab.Predicate(pred(s)); p != nil && p.Kind == schema.Descriptive && s.q.Label != nil {
			t.Errorf("%s: %s names an entity and takes no graph label", s, p.Name)
		}
	}
}

func TestRelationsCarryAClaim(t *testing.T) {
	g := load(t)
	vocab := schema.Default()
	for _, s := range g.stmts {
		p := vocab.Predicate(pred(s))
		if p == nil || p.Kind != schema.Relation {
			continue
		}
		l, ok := iri(s.q.Label)
		if !ok {
			t.Errorf("%s: relation %s needs a claim as graph label", s, p.Name)
			continue
		}
		if _, isClaim := g.claims[l]; !isClaim {
			t.Errorf("%s: label <%s> of relation %s is not a claim", s, l, p.Name)
		}
	}
}

func TestDomainAndRange(t *testing.T) {
	g := load(t)
	vocab := schema.Default()
	for _, s := range g.stmts {
		name := pred(s)
		p := vocab.Predicate(name)
		if p == nil {
			t.Errorf("%s: predicate <%s> is not in the vocabulary", s, name)
			continue
		}
		subj, _ := iri(s.q.Subject)
		if !schema.Allows(p.Domain, g.types[subj]) {
			t.Errorf("%s: subject <%s> of type %v is outside the domain %v of %s", s, subj, g.types[subj], p.Domain, name)
		}
		switch {
		case name == schema.PredType:
			// The object is a type name; TestEntitiesAreTypedAndLabelled checks it.
		case p.Literal:
			if !isLiteral(s.q.Object) {
				t.Errorf("%s: %s takes a literal, got %v", s, name, s.q.Object)
			}
		default:
			obj, ok := iri(s.q.Object)
			if !ok {
				t.Errorf("%s: %s takes an entity, got the literal %v", s, name, s.q.Object)
				continue
			}
			if !schema.Allows(p.Range, g.types[obj]) {
				t.Errorf("%s: object <%s> of type %v is outside the range %v of %s", s, obj, g.types[obj], p.Range, name)
			}
		}
		if name == schema.PredDate || name == schema.PredPublished {
			ts, ok := s.q.Object.(quad.TypedString)
			if !ok || !slices.Contains([]quad.IRI{xsdDate, xsdGYearMonth, xsdGYear}, ts.Type) {
				t.Errorf("%s: %s takes an xsd:date, xsd:gYearMonth or xsd:gYear literal", s, name)
			}
		}
	}
}

func TestNoDuplicateQuads(t *testing.T) {
	g := load(t)
	first := map[string]int{}
	for _, s := range g.stmts {
		key := s.q.NQuad()
		if at, dup := first[key]; dup {
			t.Errorf("%s: duplicate of line %d", s, at)
			continue
		}
		first[key] = s.line
	}
}
