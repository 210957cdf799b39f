package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// HasQuad reports whether the store holds q exactly, label included.
func (s *Store) HasQuad(ctx context.Context, q quad.Quad) (bool, error) {
	want := make(map[quad.Direction]any, 4)
	for _, d := range quad.Directions {
		v := q.Get(d)
		if v == nil {
			want[d] = nil
			continue
		}
		ref, err := s.qs.ValueOf(v)
		if err != nil {
			return false, fmt.Errorf("look up %s: %w", v, err)
		}
		if ref == nil {
			return false, nil
		}
		want[d] = ref.Key()
	}
	// Scan the quads of the subject or the object, whichever has fewer.
	dir := quad.Subject
	sref, _ := s.qs.ValueOf(q.Subject)
	oref, _ := s.qs.ValueOf(q.Object)
	ss, err1 := s.qs.QuadIteratorSize(ctx, quad.Subject, sref)
	os, err2 := s.qs.QuadIteratorSize(ctx, quad.Object, oref)
	start := sref
	if err1 == nil && err2 == nil && os.Value < ss.Value {
		dir, start = quad.Object, oref
	}
	found := false
	err := s.eachQuadRef(ctx, dir, start, func(ref graph.Ref) (bool, error) {
		for _, d := range quad.Directions {
			if want[d] == nil {
				// No label wanted. Backends differ in how they return a missing label's
				// ref (the SQL backend gives a hash of nothing), so ask the quad itself.
				stored, err := s.qs.Quad(ref)
				if err != nil {
					return false, err
				}
				if stored.Get(d) != nil {
					return true, nil
				}
				continue
			}
			got, err := s.qs.QuadDirection(ref, d)
			if err != nil {
				return false, err
			}
			if got == nil || got.Key() != want[d] {
				return true, nil
			}
		}
		found = true
		return false, nil
	})
	return found, err
}

// eachQuadRef calls fn for each quad with v in direction d until fn returns false.
func (s *Store) eachQuadRef(ctx context.Context, d quad.Direction, v graph.Ref, fn func(graph.Ref) (bool, error)) error {
	it := s.qs.QuadIterator(d, v).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		more, err := fn(it.Result())
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return it.Err()
}

// Ready returns an error unless the store is initialised: a store file that 'parley
// init' never set up opens, but has nothing to read.
func (s *Store) Ready() error { return s.ready() }

// QuadsWith returns the quads with v in direction d.
func (s *Store) QuadsWith(ctx context.Context, d quad.Direction, v quad.Value) ([]quad.Quad, error) {
	if d == quad.Predicate {
		var out []quad.Quad
		err := s.eachWithPredicate(ctx, v, func(q quad.Quad) { out = append(out, q) })
		return out, err
	}
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return nil, err
	}
	var out []quad.Quad
	err = s.eachQuadRef(ctx, d, ref, func(r graph.Ref) (bool, error) {
		q, err := s.qs.Quad(r)
		if err != nil {
			return false, err
		}
		out = append(out, q)
		return true, nil
	})
	return out, err
}

// Objects returns the objects of x's quads with predicate pred.
func (s *Store) Objects(ctx context.Context, x quad.Value, pred string) ([]quad.Value, error) {
	return path.StartPath(s.qs, x).Out(quad.IRI(pred)).Iterate(ctx).AllValues(s.qs)
}

// Subjects returns the subjects of quads with predicate pred and object x.
func (s *Store) Subjects(ctx context.Context, pred string, x quad.Value) ([]quad.Value, error) {
	return path.StartPath(s.qs, x).In(quad.IRI(pred)).Iterate(ctx).AllValues(s.qs)
}

// storeKnown answers validation's questions from the store, or from the store as it will
// be once the quads removed are out of it (a replace).
type storeKnown struct {
	ctx     context.Context
	s       *Store
	removed map[quad.Quad]bool // nil: none
}

// objects are x's objects of pred outside removed.
func (k storeKnown) objects(x quad.Value, pred string) ([]quad.Value, error) {
	vals, err := k.s.Objects(k.ctx, x, pred)
	if err != nil || k.removed == nil {
		return vals, err
	}
	return slices.DeleteFunc(vals, func(v quad.Value) bool {
		return k.removed[quad.Make(x, quad.IRI(pred), v, nil)]
	}), nil
}

func (k storeKnown) Types(x quad.Value) ([]string, error) {
	vals, err := k.objects(x, schema.PredType)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if iri, ok := v.(quad.IRI); ok {
			out = append(out, string(iri))
		}
	}
	return out, nil
}

func (k storeKnown) HasLabel(x quad.Value) (bool, error) {
	return k.HasProperty(x, schema.PredLabel)
}

func (k storeKnown) HasProperty(x quad.Value, pred string) (bool, error) {
	vals, err := k.objects(x, pred)
	return len(vals) > 0, err
}

// Label returns x's human label, or its IRI or literal text when it has none.
func (s *Store) Label(ctx context.Context, x quad.Value) string {
	if x == nil {
		return ""
	}
	iri, ok := x.(quad.IRI)
	if !ok {
		if _, isB := x.(quad.BNode); isB {
			return x.String()
		}
		return schema.Text(x)
	}
	if l, ok := s.labels[string(iri)]; ok {
		return l
	}
	label := string(iri)
	for _, pred := range []string{schema.PredLabel, schema.ForeignName} {
		if vals, err := s.Objects(ctx, x, pred); err == nil && len(vals) > 0 {
			label = schema.Text(vals[0])
			break
		}
	}
	if s.labels == nil {
		s.labels = make(map[string]string)
	}
	s.labels[string(iri)] = label
	return label
}

// Candidate is one entity a name may refer to.
type Candidate struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Via   string `json:"via"` // "id", "label" or "alias"
}

// AmbiguousError lists the entities a name may refer to.
type AmbiguousError struct {
	Name       string
	Candidates []Candidate
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q is ambiguous; it may name:", e.Name)
	for _, c := range e.Candidates {
		fmt.Fprintf(&b, "\n  <%s>  %s (%s)", c.ID, c.Label, c.Via)
	}
	b.WriteString("\nname one by its ID, e.g. <" + e.Candidates[0].ID + ">")
	return b.String()
}

// NotFoundError says no entity has a name.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no entity is named %q (by ID, label or alias)", e.Name)
}

// ResolveNode is ResolveEntity for questions that may start from a blank node of foreign
// data: "_:b" names the blank node b when some quad has it.
func (s *Store) ResolveNode(ctx context.Context, name string) (quad.Value, error) {
	if b, ok := strings.CutPrefix(strings.TrimSpace(name), "_:"); ok && b != "" {
		if err := s.ready(); err != nil {
			return nil, err
		}
		if ok, err := s.hasNode(quad.BNode(b)); err != nil || !ok {
			if err == nil {
				err = &NotFoundError{Name: name}
			}
			return nil, err
		}
		return quad.BNode(b), nil
	}
	iri, err := s.ResolveEntity(ctx, name)
	if err != nil {
		return nil, err
	}
	return iri, nil
}

// ResolveEntity finds the entity a user means by name: "<id>" names an ID exactly;
// otherwise an ID, a label or an alias, case-insensitively, and failing those the first
// words of a label or alias. Several entities named so (one by its ID and another by its
// label or alias: "Moscow" the city and the Kremlin's alias) is an *AmbiguousError, never
// silently one of them.
func (s *Store) ResolveEntity(ctx context.Context, name string) (quad.IRI, error) {
	if err := s.ready(); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if strings.HasPrefix(name, "<") && strings.HasSuffix(name, ">") {
		iri := quad.IRI(schema.Compact(name[1 : len(name)-1]))
		if ok, err := s.hasNode(iri); err != nil || !ok {
			if err == nil {
				err = &NotFoundError{Name: name}
			}
			return "", err
		}
		return iri, nil
	}
	var byID quad.IRI // an entity whose ID the name is; another's name makes it ambiguous
	for _, id := range []string{name, strings.ToLower(name)} {
		if ok, err := s.hasNode(quad.IRI(id)); err != nil {
			return "", err
		} else if ok {
			byID = quad.IRI(id)
			break
		}
	}
	// The exact name first, from the object index: a store of millions of foreign names
	// answers it as fast as the seed. Case and first words come from parley's name index
	// on the embedded store, and elsewhere from a scan of labels and aliases.
	found, err := s.namesExactly(ctx, name)
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		// Another case, or the first words: one pass over labels and aliases finds both,
		// and a whole name wins over first words.
		lower := strings.ToLower(name)
		var starts map[quad.IRI]string
		var indexed bool
		found, starts, indexed, err = s.indexedNames(ctx, name)
		if err == nil && !indexed {
			found, starts, err = s.namesMatching(ctx,
				func(label string) bool { return strings.ToLower(label) == lower },
				func(label string) bool { return strings.HasPrefix(strings.ToLower(label), lower+" ") })
		}
		if err != nil {
			return "", err
		}
		if len(found) == 0 && byID == "" {
			found = starts
		}
	}
	if byID != "" {
		if found == nil {
			found = map[quad.IRI]string{}
		}
		if _, ok := found[byID]; !ok {
			found[byID] = "id"
		}
	}
	switch len(found) {
	case 0:
		return "", &NotFoundError{Name: name}
	case 1:
		for iri := range found {
			return iri, nil
		}
	}
	amb := &AmbiguousError{Name: name}
	for iri, via := range found {
		amb.Candidates = append(amb.Candidates, Candidate{ID: string(iri), Label: s.Label(ctx, iri), Via: via})
	}
	slices.SortFunc(amb.Candidates, func(a, b Candidate) int { return cmp.Compare(a.ID, b.ID) })
	return "", amb
}

// indexedNames answers namesMatching from the index: the entities a label or alias
// names whole (any case), and those it names by its first words. ok is false when the
// store has no index.
func (s *Store) indexedNames(ctx context.Context, name string) (wholes, starts map[quad.IRI]string, ok bool, err error) {
	ix, ok := s.be.(indexer)
	if !ok {
		return nil, nil, false, nil
	}
	wholeQuads, startQuads, ok, err := ix.names(name)
	if err != nil || !ok {
		return nil, nil, ok, err
	}
	wholes, starts = make(map[quad.IRI]string), make(map[quad.IRI]string)
	for _, m := range []struct {
		hits  []quad.Quad
		found map[quad.IRI]string
	}{{wholeQuads, wholes}, {startQuads, starts}} {
		hits, err := s.stillHas(ctx, m.hits)
		if err != nil {
			return nil, nil, true, err
		}
		// Labels before aliases, as the scan finds them.
		for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
			for _, q := range hits {
				iri := q.Subject.(quad.IRI)
				if _, seen := m.found[iri]; !seen && schema.ID(q.Predicate) == pred {
					m.found[iri] = pred
				}
			}
		}
	}
	return wholes, starts, true, nil
}

// stillHas returns the quads the store still has, in place.
func (s *Store) stillHas(ctx context.Context, quads []quad.Quad) ([]quad.Quad, error) {
	out := quads[:0]
	for _, q := range quads {
		if has, err := s.HasQuad(ctx, q); err != nil {
			return nil, err
		} else if has {
			out = append(out, q)
		}
	}
	return out, nil
}

// namePredicates are the predicates whose objects name their subject, in order of trust.
var namePredicates = []string{schema.PredLabel, schema.PredAlias, schema.ForeignName}

// namesExactly returns the entities named exactly name (as a plain string) by a label,
// an alias or a foreign name, looked up in the object index.
func (s *Store) namesExactly(ctx context.Context, name string) (map[quad.IRI]string, error) {
	found := make(map[quad.IRI]string)
	quads, err := s.QuadsWith(ctx, quad.Object, quad.String(name))
	if err != nil {
		return nil, err
	}
	for _, pred := range namePredicates {
		for _, q := range quads {
			iri, ok := q.Subject.(quad.IRI)
			if !ok || schema.ID(q.Predicate) != pred {
				continue
			}
			if _, seen := found[iri]; !seen {
				found[iri] = pred
			}
		}
	}
	return found, nil
}

// namesMatching returns the entities with a label or alias that fits whole, and those
// with one that fits start, each with the predicate that named it. It reads every label
// and alias once (on the embedded store, which has no predicate index, that is a scan);
// foreign names are matched exactly only, by namesExactly.
func (s *Store) namesMatching(ctx context.Context, whole, start func(string) bool) (map[quad.IRI]string, map[quad.IRI]string, error) {
	wholes, starts := make(map[quad.IRI]string), make(map[quad.IRI]string)
	for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
		err := s.eachWithPredicate(ctx, quad.IRI(pred), func(q quad.Quad) {
			iri, ok := q.Subject.(quad.IRI)
			if !ok {
				return
			}
			text := schema.Text(q.Object)
			for _, m := range []struct {
				fits  func(string) bool
				found map[quad.IRI]string
			}{{whole, wholes}, {start, starts}} {
				if _, seen := m.found[iri]; !seen && m.fits(text) {
					m.found[iri] = pred
				}
			}
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return wholes, starts, nil
}

// hasNode reports whether some quad names x. Where a ref proves it (refProvesNode), a
// ref is enough; elsewhere (Cayley's SQL backend) a quad must be found: for a predicate,
// by a scan of every quad, as neither store indexes predicates.
func (s *Store) hasNode(x quad.Value) (bool, error) {
	ref, err := s.qs.ValueOf(x)
	if err != nil || ref == nil || s.be.refProvesNode() {
		return ref != nil, err
	}
	ctx := context.Background()
	// Subject and object first: Cayley's SQL backend finds them by index; predicates by a
	// scan.
	for _, d := range []quad.Direction{quad.Subject, quad.Object, quad.Label, quad.Predicate} {
		found := false
		err := s.eachQuadRef(ctx, d, ref, func(graph.Ref) (bool, error) {
			found = true
			return false, nil
		})
		if err != nil || found {
			return found, err
		}
	}
	return false, nil
}

// eachWithPredicate calls fn for every quad with predicate pred. Neither of Cayley's
// stores indexes predicates: the embedded store reads its log, resolving the values of
// the quads with pred only; elsewhere Cayley scans.
func (s *Store) eachWithPredicate(ctx context.Context, pred quad.Value, fn func(quad.Quad)) error {
	return s.be.eachWithPredicate(ctx, pred, func(q quad.Quad) error { fn(q); return nil })
}

// eachQuad calls fn with every quad of the store: on the embedded store from Cayley's
// log, elsewhere through Cayley's iterator.
func (s *Store) eachQuad(ctx context.Context, fn func(quad.Quad) error) error {
	return s.be.eachQuad(ctx, fn)
}
