package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// What a source takes with it when it goes (unload --source, and the old version of a
// source that load --replace replaces):
//
//   - its claims: every quad whose subject is a claim with <source> the source, in the
//     default graph (type, source, evidence, speaker, modality, date, condition), and
//     every fact the claim labels. A claim that names another source too keeps all of
//     that, and loses only its <source> quad to this one;
//   - the source's own quads: every quad whose subject is the source, in the default
//     graph (type, label, title, published, url);
//   - the names of the entities nothing else names: an entity that a removed quad named
//     loses its type, label and alias quads when no quad left in the store names it, as
//     subject or object, besides those. An entity that any other claim or fact (of any
//     source) still names keeps them: names and types belong to entities, not to the
//     sources that introduced them.
//
// Nothing else is removed. If a quad left in the store still named the source or one
// of its claims (a fact about the source document itself), the removal is refused.

// Removed counts what taking sources out of the store removed.
type Removed struct {
	Sources  []string `json:"sources"`  // the sources' IDs
	Quads    int      `json:"quads"`    // quads removed in all
	Claims   int      `json:"claims"`   // claims removed with their provenance
	Facts    int      `json:"facts"`    // facts those claims labelled
	Entities int      `json:"entities"` // entities no longer named by anything, whose type, label and alias quads went too
	DryRun   bool     `json:"dry_run,omitempty"`
}

// removal is a removal planned before anything is removed: the quads, each once.
type removal struct {
	sources []quad.IRI
	quads   []quad.Quad
	in      map[quad.Quad]bool
	going   map[quad.Value]bool // entities whose names and types go, nothing else naming them
}

func (r *removal) take(q quad.Quad) {
	if !r.in[q] {
		r.in[q] = true
		r.quads = append(r.quads, q)
	}
}

// without returns the removal less the quads keep holds: those a replacement gives again.
func (r *removal) without(keep map[quad.Quad]bool) *removal {
	out := &removal{sources: r.sources, in: map[quad.Quad]bool{}, going: r.going}
	for _, q := range r.quads {
		if !keep[q] {
			out.take(q)
		}
	}
	return out
}

// count says what the removal removes; named are the entities a replacement names
// (their names and types may be given again).
func (r *removal) count(named map[quad.Value]bool) Removed {
	out := Removed{Quads: len(r.quads)}
	for _, src := range r.sources {
		out.Sources = append(out.Sources, string(src))
	}
	for _, q := range r.quads {
		switch {
		case q.Label != nil:
			out.Facts++
		case q.Predicate == quad.IRI(schema.PredType) && q.Object == quad.IRI(schema.TypeClaim):
			out.Claims++
		}
	}
	for e := range r.going {
		if !named[e] {
			out.Entities++
		}
	}
	return out
}

// planRemoval plans the removal of sources (IRIs of sources the store has), by the
// rules above, reading the store only.
func (s *Store) planRemoval(ctx context.Context, sources []quad.IRI) (*removal, error) {
	r := &removal{sources: sources, in: map[quad.Quad]bool{}, going: map[quad.Value]bool{}}
	removing := map[quad.Value]bool{}
	for _, src := range sources {
		removing[src] = true
	}
	claims := map[quad.Value]bool{}
	for _, src := range sources {
		cs, err := s.Subjects(ctx, schema.PredSource, src)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			others, err := s.Objects(ctx, c, schema.PredSource)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(others, func(o quad.Value) bool { return !removing[o] }) {
				r.take(quad.Make(c, quad.IRI(schema.PredSource), src, nil))
				continue
			}
			claims[c] = true
			if err := s.takeOwn(ctx, r, c); err != nil {
				return nil, err
			}
			facts, err := s.claimFacts(ctx, c)
			if err != nil {
				return nil, err
			}
			for _, q := range facts {
				r.take(q)
			}
		}
		if err := s.takeOwn(ctx, r, src); err != nil {
			return nil, err
		}
	}
	// The entities the removed quads name, in the order first named.
	var named []quad.Value
	seen := map[quad.Value]bool{}
	for _, q := range r.quads {
		for _, v := range []quad.Value{q.Subject, q.Object} {
			if q.Predicate == quad.IRI(schema.PredType) && v == q.Object || removing[v] || claims[v] || seen[v] || !schema.IsNode(v) {
				continue
			}
			seen[v] = true
			named = append(named, v)
		}
	}
	for _, e := range named {
		names, used, err := s.usesOf(ctx, e, r.in)
		if err != nil {
			return nil, err
		}
		if used || len(names) == 0 {
			continue
		}
		r.going[e] = true
		for _, q := range names {
			r.take(q)
		}
	}
	return r, nil
}

// takeOwn adds x's own quads to the removal: those with x as subject, in the default
// graph.
func (s *Store) takeOwn(ctx context.Context, r *removal, x quad.Value) error {
	own, err := s.QuadsWith(ctx, quad.Subject, x)
	if err != nil {
		return err
	}
	for _, q := range own {
		if q.Label == nil {
			r.take(q)
		}
	}
	return nil
}

// isName reports whether q is one of its subject's names or types: a descriptive quad
// (type, label, alias) in the default graph.
func (s *Store) isName(q quad.Quad) bool {
	iri, ok := q.Predicate.(quad.IRI)
	if !ok || q.Label != nil {
		return false
	}
	d := s.vocab.Predicate(string(iri))
	return d != nil && d.Kind == schema.Descriptive
}

// usesOf reads the quads of e outside removed: its names and types (descriptive
// quads), and whether any other quad names it, as subject or object (it stops at the
// first).
func (s *Store) usesOf(ctx context.Context, e quad.Value, removed map[quad.Quad]bool) (names []quad.Quad, used bool, err error) {
	ref, err := s.qs.ValueOf(e)
	if err != nil || ref == nil {
		return nil, false, err
	}
	for _, d := range []quad.Direction{quad.Subject, quad.Object} {
		err := s.eachQuadRef(ctx, d, ref, func(r graph.Ref) (bool, error) {
			q, err := s.qs.Quad(r)
			if err != nil {
				return false, err
			}
			switch {
			case removed[q]:
			case d == quad.Subject && s.isName(q):
				names = append(names, q)
			default:
				used = true
				return false, nil
			}
			return true, nil
		})
		if err != nil || used {
			return nil, used, err
		}
	}
	return names, false, nil
}

// dangling refuses a removal that would leave quads naming a source or a claim whose
// type it removes.
func (s *Store) dangling(ctx context.Context, r *removal) error {
	for _, q := range r.quads {
		if q.Predicate != quad.IRI(schema.PredType) || q.Label != nil {
			continue
		}
		if q.Object != quad.IRI(schema.TypeSource) && q.Object != quad.IRI(schema.TypeClaim) {
			continue
		}
		_, used, err := s.usesOf(ctx, q.Subject, r.in)
		if err != nil {
			return err
		}
		if used {
			return fmt.Errorf("%s is still named by quads that are not its source's (a fact about it?); removing it would leave them naming nothing, so nothing was removed (see 'parley describe %s')", q.Subject, q.Subject)
		}
	}
	return nil
}

// ResolveSource finds the source a name means: by ID, label or title, any case.
func (s *Store) ResolveSource(ctx context.Context, name string) (quad.IRI, error) {
	if err := s.ready(); err != nil {
		return "", err
	}
	known := storeKnown{ctx: ctx, s: s}
	isSource := func(iri quad.IRI) (bool, error) {
		types, err := known.Types(iri)
		return slices.Contains(types, schema.TypeSource), err
	}
	iri, err := s.ResolveEntity(ctx, name)
	var amb *AmbiguousError
	switch {
	case err == nil:
		if ok, err := isSource(iri); ok || err != nil {
			return iri, err
		}
	case errors.As(err, &amb):
		var sources []Candidate
		for _, c := range amb.Candidates {
			ok, err := isSource(quad.IRI(c.ID))
			if err != nil {
				return "", err
			}
			if ok {
				sources = append(sources, c)
			}
		}
		if len(sources) == 1 {
			return quad.IRI(sources[0].ID), nil
		}
		if len(sources) > 1 {
			return "", &AmbiguousError{Name: name, Candidates: sources}
		}
	case !errors.As(err, new(*NotFoundError)):
		return "", err
	}
	if iri, ok, err := s.sourceByTitle(ctx, name); ok || err != nil {
		return iri, err
	}
	return "", fmt.Errorf("no source is named %q (by ID, label or title; 'parley sources' lists them)", name)
}

// sourceByTitle finds a source by its title, any case: the sources are few, and found
// through the object index.
func (s *Store) sourceByTitle(ctx context.Context, title string) (quad.IRI, bool, error) {
	sources, err := s.Subjects(ctx, schema.PredType, quad.IRI(schema.TypeSource))
	if err != nil {
		return "", false, err
	}
	for _, src := range sources {
		titles, err := s.Objects(ctx, src, schema.PredTitle)
		if err != nil {
			return "", false, err
		}
		for _, t := range titles {
			if iri, ok := src.(quad.IRI); ok && strings.EqualFold(schema.Text(t), title) {
				return iri, true, nil
			}
		}
	}
	return "", false, nil
}

// UnloadSource removes a source (its IRI, from ResolveSource) by the rules above, in
// one transaction, all or nothing. A dry run counts and removes nothing.
func (s *Store) UnloadSource(ctx context.Context, src quad.IRI, opt LoadOptions) (Removed, error) {
	if err := s.ready(); err != nil {
		return Removed{}, err
	}
	r, err := s.planRemoval(ctx, []quad.IRI{src})
	if err != nil {
		return Removed{}, err
	}
	if err := s.dangling(ctx, r); err != nil {
		return Removed{}, err
	}
	res := r.count(nil)
	res.DryRun = opt.DryRun
	if opt.DryRun || len(r.quads) == 0 {
		return res, nil
	}
	if err := s.writable(); err != nil {
		return res, err
	}
	deltas := make([]graph.Delta, len(r.quads))
	for i, q := range r.quads {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	if err := s.be.removeQuads(deltas, false); err != nil {
		if rerr := s.reattach(); rerr != nil {
			return Removed{}, fmt.Errorf("unload %s: %w (and reopening the store failed: %v)", src, err, rerr)
		}
		return Removed{}, fmt.Errorf("unload %s: %w", src, err)
	}
	s.labels = nil
	return res, nil
}
