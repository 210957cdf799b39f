package graph

import (
	"context"
	"fmt"
	"sort"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Selection picks a piece of the graph. Selectors combine: a fact is selected when it
// fits every selector given; no selector selects every fact.
type Selection struct {
	Around     []string // entity names: the neighbourhood of each, both directions
	Depth      int      // hops from Around; 0 means 1
	Query      string   // a Gizmo query: the facts its paths traverse
	Sources    []string // source names: facts resting on a claim of one of them
	Predicates []string // predicate names or readings
	Types      []string // entity types: facts whose entities (both ends) have one of them
}

// NodeInfo is an entity of a subgraph with what renderers need.
type NodeInfo struct {
	ID      string   `json:"id"`
	Label   string   `json:"label"`
	Types   []string `json:"types"`
	Aliases []string `json:"aliases,omitempty"`
}

// Subgraph is a self-contained piece of the graph: its facts with their provenance, the
// entities they name, and every quad that carries them (the facts, the labels and types
// of every node, the claims and their sources).
type Subgraph struct {
	Quads []quad.Quad `json:"-"`
	Facts []Fact      `json:"facts"`
	Nodes []NodeInfo  `json:"nodes"`
}

// Select returns the subgraph a selection picks.
func (s *Store) Select(ctx context.Context, sel Selection) (*Subgraph, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	facts, err := s.factQuads(ctx)
	if err != nil {
		return nil, err
	}
	filters, err := s.selectionFilters(ctx, sel, facts)
	if err != nil {
		return nil, err
	}
	var picked []quad.Quad
	for _, q := range facts {
		keep := true
		for _, f := range filters {
			if keep = f(q); !keep {
				break
			}
		}
		if keep {
			picked = append(picked, q)
		}
	}
	return s.closure(ctx, picked)
}

// factQuads returns every quad that states a fact: relations and foreign predicates, not
// the descriptive and provenance quads that describe entities and claims.
func (s *Store) factQuads(ctx context.Context) ([]quad.Quad, error) {
	all, err := s.allQuads(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, q := range all {
		if s.isFactPredicate(q.Predicate) {
			out = append(out, q)
		}
	}
	return out, nil
}

type quadFilter func(quad.Quad) bool

func (s *Store) selectionFilters(ctx context.Context, sel Selection, facts []quad.Quad) ([]quadFilter, error) {
	var filters []quadFilter
	if len(sel.Around) > 0 {
		depth := sel.Depth
		if depth <= 0 {
			depth = 1
		}
		var starts []quad.Value
		for _, name := range sel.Around {
			iri, err := s.ResolveEntity(ctx, name)
			if err != nil {
				return nil, fmt.Errorf("--around: %w", err)
			}
			starts = append(starts, iri)
		}
		near := neighbourhood(facts, starts, depth)
		filters = append(filters, func(q quad.Quad) bool { return near[q] })
	}
	if sel.Query != "" {
		traversed, err := s.TraversedQuads(ctx, sel.Query)
		if err != nil {
			return nil, fmt.Errorf("--query: %w", err)
		}
		set := make(map[quad.Quad]bool, len(traversed))
		for _, q := range traversed {
			set[q] = true
		}
		filters = append(filters, func(q quad.Quad) bool { return set[q] })
	}
	if len(sel.Sources) > 0 {
		claims := map[quad.Value]bool{}
		for _, name := range sel.Sources {
			src, err := s.ResolveEntity(ctx, name)
			if err != nil {
				return nil, fmt.Errorf("--source: %w", err)
			}
			cs, err := s.Subjects(ctx, schema.PredSource, src)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				claims[c] = true
			}
		}
		filters = append(filters, func(q quad.Quad) bool { return q.Label != nil && claims[q.Label] })
	}
	if len(sel.Predicates) > 0 {
		preds := map[quad.Value]bool{}
		for _, name := range sel.Predicates {
			iri, _, err := s.resolvePredicate(ctx, name)
			if err != nil {
				return nil, fmt.Errorf("--predicate: %w", err)
			}
			preds[iri] = true
		}
		filters = append(filters, func(q quad.Quad) bool { return preds[q.Predicate] })
	}
	if len(sel.Types) > 0 {
		want := map[string]bool{}
		for _, t := range sel.Types {
			want[t] = true
		}
		typeOf := map[quad.Value]bool{}
		known := storeKnown{ctx: ctx, s: s}
		hasType := func(v quad.Value) bool {
			if !isNode(v) {
				return true // a literal takes the type of the fact it ends
			}
			ok, seen := typeOf[v]
			if !seen {
				types, _ := known.Types(v)
				for _, t := range types {
					ok = ok || want[t]
				}
				typeOf[v] = ok
			}
			return ok
		}
		filters = append(filters, func(q quad.Quad) bool { return hasType(q.Subject) && hasType(q.Object) })
	}
	return filters, nil
}

// neighbourhood returns the facts within depth hops of the starts, edges taken both ways.
func neighbourhood(facts []quad.Quad, starts []quad.Value, depth int) map[quad.Quad]bool {
	byNode := map[quad.Value][]quad.Quad{}
	for _, q := range facts {
		byNode[q.Subject] = append(byNode[q.Subject], q)
		if isNode(q.Object) {
			byNode[q.Object] = append(byNode[q.Object], q)
		}
	}
	picked := map[quad.Quad]bool{}
	seen := map[quad.Value]bool{}
	frontier := starts
	for _, v := range starts {
		seen[v] = true
	}
	for hop := 0; hop < depth && len(frontier) > 0; hop++ {
		var next []quad.Value
		for _, v := range frontier {
			for _, q := range byNode[v] {
				picked[q] = true
				for _, w := range []quad.Value{q.Subject, q.Object} {
					if isNode(w) && !seen[w] {
						seen[w] = true
						next = append(next, w)
					}
				}
			}
		}
		frontier = next
	}
	return picked
}

func isNode(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return true
	}
	return false
}

// closure completes picked facts into a self-contained subgraph: the claims behind them
// with their sources, and the type, label and alias quads of every node they name.
func (s *Store) closure(ctx context.Context, picked []quad.Quad) (*Subgraph, error) {
	set := map[quad.Quad]bool{}
	var quads []quad.Quad
	add := func(q quad.Quad) {
		if !set[q] {
			set[q] = true
			quads = append(quads, q)
		}
	}
	nodes := map[quad.Value]bool{}    // every node to describe with its type, label and aliases
	entities := map[quad.Value]bool{} // the nodes the facts connect, for renderers
	described := map[quad.Value]bool{}
	for _, q := range picked {
		add(q)
		for _, v := range []quad.Value{q.Subject, q.Object} {
			if isNode(v) {
				nodes[v], entities[v] = true, true
			}
		}
	}
	// Claims, then what they point to (sources, speakers), are described in full.
	var claims []quad.Value
	for _, q := range picked {
		if q.Label != nil && !described[q.Label] {
			described[q.Label] = true
			claims = append(claims, q.Label)
		}
	}
	for _, c := range claims {
		cq, err := s.QuadsWith(ctx, quad.Subject, c)
		if err != nil {
			return nil, err
		}
		for _, q := range cq {
			if q.Label == nil {
				add(q)
				if isNode(q.Object) && idOf(q.Predicate) != schema.PredType {
					nodes[q.Object] = true
				}
			}
		}
	}
	sub := &Subgraph{Facts: []Fact{}, Nodes: []NodeInfo{}}
	for v := range nodes {
		info := NodeInfo{ID: idOf(v), Label: s.Label(ctx, v), Types: []string{}}
		vq, err := s.QuadsWith(ctx, quad.Subject, v)
		if err != nil {
			return nil, err
		}
		isSource := false // a source is described in full: title, published, url
		for _, q := range vq {
			switch idOf(q.Predicate) {
			case schema.PredType:
				info.Types = append(info.Types, idOf(q.Object))
				isSource = isSource || idOf(q.Object) == schema.TypeSource
			case schema.PredAlias:
				info.Aliases = append(info.Aliases, textOf(q.Object))
			}
		}
		for _, q := range vq {
			p := s.vocab.Predicate(idOf(q.Predicate))
			if p != nil && (p.Kind == schema.Descriptive || isSource && p.Kind == schema.Provenance) && q.Label == nil {
				add(q)
			}
		}
		sort.Strings(info.Types)
		sort.Strings(info.Aliases)
		if entities[v] {
			sub.Nodes = append(sub.Nodes, info)
		}
	}
	sort.Slice(sub.Nodes, func(i, j int) bool { return sub.Nodes[i].ID < sub.Nodes[j].ID })
	facts, err := s.Facts(ctx, picked)
	if err != nil {
		return nil, err
	}
	sub.Facts = facts
	sort.Slice(quads, func(i, j int) bool { return quads[i].NQuad() < quads[j].NQuad() })
	sub.Quads = quads
	return sub, nil
}
