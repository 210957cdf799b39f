package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// WriteSheet writes the subgraph as claim sheets (Sheets), which 'parley load' reads back
// into the same quads.
func WriteSheet(w io.Writer, g *graph.Subgraph, opt Options) error {
	sheets, err := Sheets(g, opt.vocabulary())
	if err != nil {
		return err
	}
	return sheet.Write(w, sheets)
}

// Sheets turns a subgraph into claim sheets, one per source, in the order of the
// sources' IDs: each declares, with their IDs, the entities its claims name, and gives
// its claims with their IDs and their facts by names (an entity's label, or its <id> when
// the label names several of the sheets' entities). Entities no claim names are declared
// in the first sheet. Loaded into an empty store, the sheets give back exactly the
// subgraph's quads; a quad a sheet has no place for (a second label, a foreign literal)
// is an error.
func Sheets(g *graph.Subgraph, vocab *schema.Vocabulary) ([]sheet.Sheet, error) {
	b := &sheetBuilder{vocab: vocab, about: map[quad.Value][]int{}, facts: map[quad.Value][]int{}, used: make([]bool, len(g.Quads)), quads: g.Quads}
	for i, q := range g.Quads {
		if q.Label != nil {
			b.facts[q.Label] = append(b.facts[q.Label], i)
		} else {
			b.about[q.Subject] = append(b.about[q.Subject], i)
		}
	}
	var sources, claims, entities []quad.Value
	for _, q := range g.Quads {
		if q.Label != nil || schema.ID(q.Predicate) != schema.PredType {
			continue
		}
		switch schema.ID(q.Object) {
		case schema.TypeSource:
			sources = append(sources, q.Subject)
		case schema.TypeClaim:
			claims = append(claims, q.Subject)
		default:
			if !slices.Contains(entities, q.Subject) {
				entities = append(entities, q.Subject)
			}
		}
	}
	b.declare(entities)
	sortNatural(sources)
	sortNatural(claims)
	var out []sheet.Sheet
	named := map[quad.Value]bool{}
	for _, src := range sources {
		sh, names := b.sheet(src, claims)
		for _, v := range names {
			named[v] = true
		}
		out = append(out, sh)
	}
	var unnamed []sheet.Entity
	for _, v := range entities {
		if !named[v] {
			unnamed = append(unnamed, b.declared[v])
		}
	}
	if len(unnamed) > 0 {
		if len(out) == 0 {
			return nil, fmt.Errorf("%d entities and no source: a sheet is a source's", len(unnamed))
		}
		out[0].Entities = mergeEntities(out[0].Entities, unnamed)
	}
	return out, b.leftovers()
}

// sheetBuilder is the state of one Sheets.
type sheetBuilder struct {
	vocab    *schema.Vocabulary
	quads    []quad.Quad
	used     []bool
	about    map[quad.Value][]int // unlabelled quads by subject
	facts    map[quad.Value][]int // labelled quads by claim
	declared map[quad.Value]sheet.Entity
	names    map[string]int // how many declared entities each lowercased name names
}

// take returns the objects of x's unlabelled quads with predicate pred, marking them used.
func (b *sheetBuilder) take(x quad.Value, pred string) []quad.Value {
	var out []quad.Value
	for _, i := range b.about[x] {
		if q := b.quads[i]; !b.used[i] && schema.ID(q.Predicate) == pred {
			b.used[i] = true
			out = append(out, q.Object)
		}
	}
	return out
}

// one is the only value of x's pred, or "" (leaving a second one unused, for leftovers).
func (b *sheetBuilder) one(x quad.Value, pred string) quad.Value {
	for _, i := range b.about[x] {
		if q := b.quads[i]; !b.used[i] && schema.ID(q.Predicate) == pred {
			b.used[i] = true
			return q.Object
		}
	}
	return nil
}

// plain is a literal's text when it is a plain string, else ok is false.
func plain(v quad.Value) (string, bool) {
	s, ok := v.(quad.String)
	return string(s), ok
}

// date is a date literal's text when it is typed as schema.ParseDate types its text.
func date(v quad.Value) (string, bool) {
	t := schema.Text(v)
	want, err := schema.ParseDate(t)
	return t, err == nil && want == v
}

func (b *sheetBuilder) declare(entities []quad.Value) {
	b.declared = map[quad.Value]sheet.Entity{}
	b.names = map[string]int{}
	for _, v := range entities {
		e := sheet.Entity{ID: schema.ID(v)}
		if t := b.one(v, schema.PredType); t != nil {
			e.Type = schema.ID(t)
		}
		if l, ok := plain(b.one(v, schema.PredLabel)); ok {
			e.Name = l
		}
		for _, a := range b.take(v, schema.PredAlias) {
			if s, ok := plain(a); ok {
				e.Aliases = append(e.Aliases, s)
			}
		}
		slices.Sort(e.Aliases)
		b.declared[v] = e
		for _, n := range uniqueFold(append([]string{e.ID, e.Name}, e.Aliases...)) {
			b.names[n]++
		}
	}
}

func uniqueFold(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.ToLower(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// name is how a fact names v: its label when that names no other declared entity, else
// its ID.
func (b *sheetBuilder) name(v quad.Value) string {
	if e, ok := b.declared[v]; ok && e.Name != "" && b.names[strings.ToLower(e.Name)] == 1 &&
		!strings.HasPrefix(e.Name, "<") {
		return e.Name
	}
	return "<" + schema.ID(v) + ">"
}

// predicate is how a fact writes a predicate: its reading, when the reading gives it back.
func (b *sheetBuilder) predicate(p quad.Value) string {
	d := b.vocab.Predicate(schema.ID(p))
	if d == nil {
		return "<" + schema.ID(p) + ">"
	}
	if got, reverse, ok := b.vocab.Resolve(d.Reading); ok && got.Name == d.Name && !reverse && len(strings.Fields(d.Reading)) > 0 {
		return d.Reading
	}
	return d.Name
}

// sheet is one source's sheet, and the entities its claims name.
func (b *sheetBuilder) sheet(src quad.Value, claims []quad.Value) (sheet.Sheet, []quad.Value) {
	sh := sheet.Sheet{Source: sheet.Source{ID: schema.ID(src)}}
	b.one(src, schema.PredType)
	title, _ := plain(b.one(src, schema.PredTitle))
	sh.Source.Title = title
	for _, i := range b.about[src] {
		if q := b.quads[i]; !b.used[i] && schema.ID(q.Predicate) == schema.PredLabel {
			if l, ok := plain(q.Object); ok && l == title {
				b.used[i] = true
			}
		}
	}
	if p := b.one(src, schema.PredPublished); p != nil {
		sh.Source.Published, _ = date(p) // a date of another form is left for validation
	}
	sh.Source.URL, _ = plain(b.one(src, schema.PredURL))
	var names []quad.Value
	for _, c := range claims {
		if !slices.ContainsFunc(b.about[c], func(i int) bool {
			q := b.quads[i]
			return schema.ID(q.Predicate) == schema.PredSource && q.Object == src
		}) {
			continue
		}
		cl, named := b.claim(c)
		sh.Claims = append(sh.Claims, cl)
		names = append(names, named...)
	}
	var ents []sheet.Entity
	for _, v := range names {
		if e, ok := b.declared[v]; ok {
			ents = mergeEntities(ents, []sheet.Entity{e})
		}
	}
	sh.Entities = ents
	return sh, names
}

func (b *sheetBuilder) claim(c quad.Value) (sheet.Claim, []quad.Value) {
	cl := sheet.Claim{ID: schema.ID(c)}
	var names []quad.Value
	b.one(c, schema.PredType)
	b.one(c, schema.PredSource)
	cl.Evidence, _ = plain(b.one(c, schema.PredEvidence))
	cl.Modality, _ = plain(b.one(c, schema.PredModality))
	if sp := b.one(c, schema.PredSpeaker); sp != nil {
		cl.Speaker = b.name(sp)
		names = append(names, sp)
	}
	if d := b.one(c, schema.PredDate); d != nil {
		cl.Date, _ = date(d)
	}
	cl.Condition, _ = plain(b.one(c, schema.PredCondition))
	for _, i := range b.facts[c] {
		q := b.quads[i]
		f := sheet.Fact{Subject: b.name(q.Subject), Predicate: b.predicate(q.Predicate)}
		names = append(names, q.Subject)
		d := b.vocab.Predicate(schema.ID(q.Predicate))
		switch {
		case d != nil && d.Name == schema.PredDate:
			t, ok := date(q.Object)
			if !ok {
				continue
			}
			f.Object = t
		case d != nil && d.Literal:
			t, ok := plain(q.Object)
			if !ok {
				continue
			}
			f.Object = t
		default:
			if _, ok := q.Object.(quad.IRI); !ok {
				continue
			}
			f.Object = b.name(q.Object)
			names = append(names, q.Object)
		}
		if _, ok := q.Subject.(quad.IRI); !ok {
			continue
		}
		b.used[i] = true
		cl.Facts = append(cl.Facts, f)
	}
	return cl, names
}

// leftovers is an error naming the quads no sheet holds, if any.
func (b *sheetBuilder) leftovers() error {
	var left []string
	for i, q := range b.quads {
		if !b.used[i] {
			left = append(left, q.NQuad())
		}
	}
	if len(left) == 0 {
		return nil
	}
	n, more := len(left), ""
	if n > 3 {
		more = fmt.Sprintf(" and %d more", n-3)
		left = left[:3]
	}
	return fmt.Errorf("%d quads have no place in a sheet (export them as nquads): %s%s", n, strings.Join(left, " "), more)
}

// mergeEntities appends to ents those of more it does not have, keeping the order.
func mergeEntities(ents, more []sheet.Entity) []sheet.Entity {
	for _, e := range more {
		if !slices.ContainsFunc(ents, func(x sheet.Entity) bool { return x.ID == e.ID }) {
			ents = append(ents, e)
		}
	}
	return ents
}

// sortNatural orders nodes by ID, a trailing number by its value: c2 before c10.
func sortNatural(vs []quad.Value) {
	slices.SortFunc(vs, func(a, b quad.Value) int {
		pa, na := splitNumber(schema.ID(a))
		pb, nb := splitNumber(schema.ID(b))
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(na, nb), cmp.Compare(schema.ID(a), schema.ID(b)))
	})
}

func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return s[:i], n
}
