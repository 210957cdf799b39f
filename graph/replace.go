package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// A replace (load --replace) gives new versions of sources: for each source its input
// describes (by the source's ID), the store ends with exactly the new version, or, after
// any problem or failure, as it was. The old version is what UnloadSource would remove
// (see unloadsource.go), less the quads the new version gives again, which stay
// untouched; the names and types of the entities only the old version named go with it,
// so a new version that still names them declares them again (and may correct them).
// The removal and the new quads are written in one all-or-nothing operation: on the
// embedded store the journal records the removed quads before they go, so that a failure
// or a crash rolls back both the removal and what was added; elsewhere, one transaction.

// Replacement is a replace planned before its new versions are compiled: the sources it
// replaces and what their old versions take out of the store.
type Replacement struct {
	sources  []quad.IRI
	existing map[quad.IRI]bool // those the store has
	rm       *removal          // what the old versions would remove, before the new are known
}

// ReplaceResult counts what a replace did.
type ReplaceResult struct {
	LoadResult          // what the new versions added
	Removed    Removed  `json:"removed"`       // what went of the old versions
	New        []string `json:"new,omitempty"` // sources the store did not have
}

// PlanReplace plans the replacement of sources (by their IRIs, from SourcesOf and
// SheetSources): what their versions in the store would take with them. A source the
// store does not have is simply added.
func (s *Store) PlanReplace(ctx context.Context, sources []quad.IRI) (*Replacement, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	p := &Replacement{existing: map[quad.IRI]bool{}}
	known := storeKnown{ctx: ctx, s: s}
	var old []quad.IRI
	for _, src := range sources {
		if slices.Contains(p.sources, src) {
			continue
		}
		p.sources = append(p.sources, src)
		types, err := known.Types(src)
		if err != nil {
			return nil, err
		}
		if slices.Contains(types, schema.TypeSource) {
			p.existing[src] = true
			old = append(old, src)
		}
	}
	rm, err := s.planRemoval(ctx, old)
	if err != nil {
		return nil, err
	}
	p.rm = rm
	return p, nil
}

// replacing reports whether the replace gives a new version of src.
func (p *Replacement) replacing(src quad.IRI) bool { return p != nil && p.existing[src] }

// going reports whether e's names and types go with the old versions.
func (p *Replacement) going(e quad.Value) bool { return p != nil && p.rm.going[e] }

// Replace writes the new versions of the plan's sources, compiled into stmts (with the
// problems found reading and compiling them, as for LoadCompiled), and removes what is
// left of the old: all or nothing. Validation sees the store as it will be, without the
// old versions. stmts must describe exactly the plan's sources.
func (s *Store) Replace(ctx context.Context, p *Replacement, stmts []schema.Statement, problems *schema.ValidationError, files []string, opt LoadOptions) (ReplaceResult, error) {
	var res ReplaceResult
	if err := s.ready(); err != nil {
		return res, err
	}
	if got := SourcesOf(stmts); !sameSources(got, p.sources) {
		return res, fmt.Errorf("the input describes the sources %v, but the replace was planned for %v", got, p.sources)
	}
	keep := make(map[quad.Quad]bool, len(stmts))
	named := map[quad.Value]bool{}
	for _, st := range stmts {
		keep[st.Quad] = true
		for _, v := range []quad.Value{st.Quad.Subject, st.Quad.Object, st.Quad.Label} {
			if schema.IsNode(v) {
				named[v] = true
			}
		}
	}
	rm := p.rm.without(keep)
	err := s.dangling(ctx, rm)
	if err != nil {
		return res, err
	}
	res.Removed = rm.count(named)
	res.Removed.DryRun = opt.DryRun
	for _, src := range p.sources {
		if !p.existing[src] {
			res.New = append(res.New, string(src))
		}
	}
	res.LoadResult, err = s.loadCompiled(ctx, stmts, problems, files, opt, rm)
	return res, err
}

func sameSources(a, b []quad.IRI) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// SourcesOf returns the sources statements describe (subjects of <type> <Source>), each
// once, in order.
func SourcesOf(stmts []schema.Statement) []quad.IRI {
	var out []quad.IRI
	for _, st := range stmts {
		q := st.Quad
		if q.Predicate != quad.IRI(schema.PredType) || q.Object != quad.IRI(schema.TypeSource) {
			continue
		}
		if iri, ok := q.Subject.(quad.IRI); ok && !slices.Contains(out, iri) {
			out = append(out, iri)
		}
	}
	return out
}

// SheetSources returns the IRIs of the sheets' sources, as SheetStatements makes them:
// the id, else src- and the title's slug.
func SheetSources(sheets []sheet.Sheet) []quad.IRI {
	var out []quad.IRI
	for _, sh := range sheets {
		iri := sheetSourceIRI(sh.Source)
		if !slices.Contains(out, iri) {
			out = append(out, iri)
		}
	}
	return out
}

func sheetSourceIRI(src sheet.Source) quad.IRI {
	if src.ID == "" {
		return sourceIRI(src.Title)
	}
	return quad.IRI(schema.Compact(src.ID))
}
