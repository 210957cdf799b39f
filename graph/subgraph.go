package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"

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
	// QuadsOnly says the caller needs only the subgraph's Quads (an N-Quads or JSON-LD
	// export): a selection of everything then skips rendering facts and nodes.
	QuadsOnly bool
	// Limits bound the Query while it runs (the zero value: the defaults).
	Limits QueryLimits
}

// Subgraph is a self-contained piece of the graph: its facts with their provenance, the
// entities they name, and every quad that carries them (the facts, the labels and types
// of every node, the claims and their sources).
type Subgraph struct {
	Quads []quad.Quad `json:"-"`
	Facts []Fact      `json:"facts"`
	Nodes []Entity    `json:"nodes"`
}

// Select returns the subgraph a selection picks. Selectors that name entities, claims or
// predicates start from the store's indexes; only a selection by type alone scans every
// fact. With no selector, the subgraph is the whole store, entities without facts too.
func (s *Store) Select(ctx context.Context, sel Selection) (*Subgraph, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if sel.empty() && sel.QuadsOnly {
		all, err := s.allQuads(ctx)
		if err != nil {
			return nil, err
		}
		sortQuads(all)
		return &Subgraph{Quads: all, Facts: []Fact{}, Nodes: []Entity{}}, nil
	}
	filters, candidates, err := s.selectionFilters(ctx, sel)
	if err != nil {
		return nil, err
	}
	if candidates == nil {
		if candidates, err = s.factQuads(ctx); err != nil {
			return nil, err
		}
	}
	var picked []quad.Quad
	for _, q := range candidates {
		keep := true
		for _, f := range filters {
			if keep, err = f(q); err != nil {
				return nil, err
			} else if !keep {
				break
			}
		}
		if keep {
			picked = append(picked, q)
		}
	}
	sub, err := s.closure(ctx, picked)
	if err != nil || !sel.empty() {
		return sub, err
	}
	return s.withEverything(ctx, sub)
}

func (sel Selection) empty() bool {
	return len(sel.Around) == 0 && sel.Query == "" && len(sel.Sources) == 0 && len(sel.Predicates) == 0 && len(sel.Types) == 0
}

// withEverything adds to a subgraph of every fact the quads no fact carries: entities
// without facts, claims no fact rests on.
func (s *Store) withEverything(ctx context.Context, sub *Subgraph) (*Subgraph, error) {
	all, err := s.allQuads(ctx)
	if err != nil {
		return nil, err
	}
	have := make(map[quad.Quad]bool, len(sub.Quads))
	for _, q := range sub.Quads {
		have[q] = true
	}
	listed := map[string]bool{}
	for _, n := range sub.Nodes {
		listed[n.ID] = true
	}
	for _, q := range all {
		if have[q] {
			continue
		}
		sub.Quads = append(sub.Quads, q)
		if schema.ID(q.Predicate) == schema.PredType && !listed[schema.ID(q.Subject)] && !s.isKind(q.Object, schema.TypeClaim, schema.TypeSource) {
			listed[schema.ID(q.Subject)] = true
			info, err := s.nodeInfo(ctx, q.Subject)
			if err != nil {
				return nil, err
			}
			sub.Nodes = append(sub.Nodes, info)
		}
	}
	slices.SortFunc(sub.Nodes, func(a, b Entity) int { return cmp.Compare(a.ID, b.ID) })
	sortQuads(sub.Quads)
	return sub, nil
}

func (s *Store) isKind(v quad.Value, types ...string) bool {
	for _, t := range types {
		if schema.ID(v) == t {
			return true
		}
	}
	return false
}

// factQuads returns every quad that states a fact: relations and foreign predicates, not
// the descriptive and provenance quads that describe entities and claims.
func (s *Store) factQuads(ctx context.Context) ([]quad.Quad, error) {
	all, err := s.allQuads(ctx)
	return s.onlyFacts(all), err
}

// FactsWith returns the quads with v in direction d that state facts (relations and
// foreign predicates, not the descriptive and provenance quads), from the store's index
// for d.
func (s *Store) FactsWith(ctx context.Context, d quad.Direction, v quad.Value) ([]quad.Quad, error) {
	quads, err := s.QuadsWith(ctx, d, v)
	return s.onlyFacts(quads), err
}

// onlyFacts keeps, in place, the quads that state facts.
func (s *Store) onlyFacts(quads []quad.Quad) []quad.Quad {
	out := quads[:0]
	for _, q := range quads {
		if s.isFactPredicate(q.Predicate) {
			out = append(out, q)
		}
	}
	return out
}

// quadFilter tells whether a selection keeps a quad.
type quadFilter func(quad.Quad) (bool, error)

// selectionFilters turns a selection into filters, and into the candidate facts of its
// most selective index-backed selector (nil: every fact is a candidate).
func (s *Store) selectionFilters(ctx context.Context, sel Selection) ([]quadFilter, []quad.Quad, error) {
	var filters []quadFilter
	var candidates []quad.Quad
	candidate := func(qs []quad.Quad) {
		if candidates == nil || len(qs) < len(candidates) {
			candidates = qs
			if candidates == nil {
				candidates = []quad.Quad{}
			}
		}
	}
	if len(sel.Around) > 0 {
		depth := sel.Depth
		if depth <= 0 {
			depth = 1
		}
		var starts []quad.Value
		for _, name := range sel.Around {
			v, err := s.ResolveNode(ctx, name)
			if err != nil {
				return nil, nil, fmt.Errorf("--around: %w", err)
			}
			starts = append(starts, v)
		}
		near, err := s.NearFacts(ctx, starts, depth, nil)
		if err != nil {
			return nil, nil, err
		}
		set := make(map[quad.Quad]bool, len(near))
		for _, q := range near {
			set[q] = true
		}
		candidate(near)
		filters = append(filters, func(q quad.Quad) (bool, error) { return set[q], nil })
	}
	if sel.Query != "" {
		traversed, err := s.TraversedQuads(ctx, sel.Query, sel.Limits)
		if err != nil {
			return nil, nil, fmt.Errorf("--query: %w", err)
		}
		set := make(map[quad.Quad]bool, len(traversed))
		var facts []quad.Quad
		for _, q := range traversed {
			if s.isFactPredicate(q.Predicate) {
				set[q] = true
				facts = append(facts, q)
			}
		}
		candidate(facts)
		filters = append(filters, func(q quad.Quad) (bool, error) { return set[q], nil })
	}
	if len(sel.Sources) > 0 {
		claims := map[quad.Value]bool{}
		for _, name := range sel.Sources {
			src, err := s.ResolveEntity(ctx, name)
			if err != nil {
				return nil, nil, fmt.Errorf("--source: %w", err)
			}
			cs, err := s.Subjects(ctx, schema.PredSource, src)
			if err != nil {
				return nil, nil, err
			}
			for _, c := range cs {
				claims[c] = true
			}
		}
		var facts []quad.Quad
		for c := range claims {
			qs, err := s.claimFacts(ctx, c)
			if err != nil {
				return nil, nil, err
			}
			facts = append(facts, qs...)
		}
		candidate(facts)
		filters = append(filters, func(q quad.Quad) (bool, error) {
			return q.Label != nil && claims[q.Label] && s.isFactPredicate(q.Predicate), nil
		})
	}
	if len(sel.Predicates) > 0 {
		preds := map[quad.Value]bool{}
		for _, name := range sel.Predicates {
			iri, _, err := s.resolvePredicate(ctx, name)
			if err != nil {
				return nil, nil, fmt.Errorf("--predicate: %w", err)
			}
			preds[iri] = true
		}
		var facts []quad.Quad
		for p := range preds {
			qs, err := s.QuadsWith(ctx, quad.Predicate, p)
			if err != nil {
				return nil, nil, err
			}
			facts = append(facts, qs...)
		}
		candidate(facts)
		filters = append(filters, func(q quad.Quad) (bool, error) { return preds[q.Predicate], nil })
	}
	if len(sel.Types) > 0 {
		want := map[string]bool{}
		for _, t := range sel.Types {
			want[t] = true
		}
		typeOf := map[quad.Value]bool{}
		known := storeKnown{ctx: ctx, s: s}
		hasType := func(v quad.Value) (bool, error) {
			if !schema.IsNode(v) {
				return true, nil // a literal takes the type of the fact it ends
			}
			ok, seen := typeOf[v]
			if !seen {
				types, err := known.Types(v)
				if err != nil {
					return false, fmt.Errorf("types of %s: %w", v, err)
				}
				for _, t := range types {
					ok = ok || want[t]
				}
				typeOf[v] = ok
			}
			return ok, nil
		}
		filters = append(filters, func(q quad.Quad) (bool, error) {
			if ok, err := hasType(q.Subject); !ok || err != nil {
				return false, err
			}
			return hasType(q.Object)
		})
		if candidates == nil {
			// The facts of the entities of those types, found through the object index
			// (<x> <type> <T>) and the subject index, not in a scan of every fact.
			facts := []quad.Quad{}
			for t := range want {
				subjects, err := s.Subjects(ctx, schema.PredType, quad.IRI(t))
				if err != nil {
					return nil, nil, err
				}
				for _, x := range subjects {
					qs, err := s.FactsWith(ctx, quad.Subject, x)
					if err != nil {
						return nil, nil, err
					}
					facts = append(facts, qs...)
				}
			}
			candidate(facts)
		}
	}
	return filters, candidates, nil
}

// NearFacts returns the facts within depth hops of the starts (no bound when depth ≤ 0),
// edges taken both ways, walking the store's indexes from the starts outwards: it reads
// the facts of the entities at distance 0, 1, … and stops after distance depth-1, once
// target (unless nil) has been reached, or when nothing is left. What it returns holds
// every shortest path from the starts to what it reached; it costs what the walk
// reaches, not the store.
func (s *Store) NearFacts(ctx context.Context, starts []quad.Value, depth int, target quad.Value) ([]quad.Quad, error) {
	picked := map[quad.Quad]bool{}
	var out []quad.Quad
	seen := map[quad.Value]bool{}
	frontier := starts
	for _, v := range starts {
		seen[v] = true
	}
	for hop := 0; (depth <= 0 || hop < depth) && len(frontier) > 0; hop++ {
		if target != nil && seen[target] {
			break
		}
		var next []quad.Value
		for _, v := range frontier {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, d := range []quad.Direction{quad.Subject, quad.Object} {
				qs, err := s.FactsWith(ctx, d, v)
				if err != nil {
					return nil, err
				}
				for _, q := range qs {
					if picked[q] {
						continue
					}
					picked[q] = true
					out = append(out, q)
					for _, w := range []quad.Value{q.Subject, q.Object} {
						if schema.IsNode(w) && !seen[w] {
							seen[w] = true
							next = append(next, w)
						}
					}
				}
			}
		}
		frontier = next
	}
	return out, nil
}

// closure completes picked facts into a self-contained subgraph: the type, label and
// alias quads of every node they name, an event's dates, and the claims behind all of
// these with their sources (described in full) and speakers.
func (s *Store) closure(ctx context.Context, picked []quad.Quad) (*Subgraph, error) {
	c := &closing{s: s, ctx: ctx, set: map[quad.Quad]bool{}, described: map[quad.Value]bool{}, entities: map[quad.Value]bool{}}
	for _, q := range picked {
		c.add(q)
		for _, v := range []quad.Value{q.Subject, q.Object} {
			if schema.IsNode(v) {
				c.entities[v] = true
			}
		}
	}
	for v := range c.entities {
		if err := c.describe(v); err != nil {
			return nil, err
		}
	}
	// Describing claims names speakers and sources, which are described in turn.
	for len(c.pending) > 0 {
		v := c.pending[0]
		c.pending = c.pending[1:]
		if err := c.describe(v); err != nil {
			return nil, err
		}
	}
	sub := &Subgraph{Facts: []Fact{}, Nodes: []Entity{}}
	for v := range c.entities {
		info, err := s.nodeInfo(ctx, v)
		if err != nil {
			return nil, err
		}
		sub.Nodes = append(sub.Nodes, info)
	}
	slices.SortFunc(sub.Nodes, func(a, b Entity) int { return cmp.Compare(a.ID, b.ID) })
	facts, err := s.Facts(ctx, picked)
	if err != nil {
		return nil, err
	}
	sub.Facts = facts
	sortQuads(c.quads)
	sub.Quads = c.quads
	return sub, nil
}

// closing is the state of one closure.
type closing struct {
	s         *Store
	ctx       context.Context
	set       map[quad.Quad]bool
	quads     []quad.Quad
	described map[quad.Value]bool
	pending   []quad.Value
	entities  map[quad.Value]bool // the nodes the facts connect, for renderers
}

// add includes a quad, and queues the claim it rests on for description.
func (c *closing) add(q quad.Quad) {
	if c.set[q] {
		return
	}
	c.set[q] = true
	c.quads = append(c.quads, q)
	if q.Label != nil && !c.described[q.Label] {
		c.pending = append(c.pending, q.Label)
	}
}

// describe includes what describes a node: its type, label and aliases; an event's date;
// everything about a claim or a source, queueing the nodes those name.
func (c *closing) describe(v quad.Value) error {
	if c.described[v] {
		return nil
	}
	c.described[v] = true
	quads, err := c.s.QuadsWith(c.ctx, quad.Subject, v)
	if err != nil {
		return err
	}
	whole := false // a claim or a source is described in full
	for _, q := range quads {
		if schema.ID(q.Predicate) == schema.PredType && c.s.isKind(q.Object, schema.TypeClaim, schema.TypeSource) {
			whole = true
		}
	}
	for _, q := range quads {
		p := c.s.vocab.Predicate(schema.ID(q.Predicate))
		switch {
		case p == nil:
			continue
		case p.Kind == schema.Descriptive, p.Name == schema.PredDate, whole && p.Kind == schema.Provenance:
			c.add(q)
			if schema.IsNode(q.Object) && p.Name != schema.PredType && !c.described[q.Object] {
				c.pending = append(c.pending, q.Object)
			}
		}
	}
	return nil
}

// nodeInfo gathers what renderers show of a node.
func (s *Store) nodeInfo(ctx context.Context, v quad.Value) (Entity, error) {
	info := Entity{ID: schema.ID(v), Label: s.Label(ctx, v), Types: []string{}}
	quads, err := s.QuadsWith(ctx, quad.Subject, v)
	if err != nil {
		return info, fmt.Errorf("describe %s: %w", v, err)
	}
	for _, q := range quads {
		switch schema.ID(q.Predicate) {
		case schema.PredType:
			info.Types = append(info.Types, schema.ID(q.Object))
		case schema.PredAlias:
			info.Aliases = append(info.Aliases, schema.Text(q.Object))
		}
	}
	slices.Sort(info.Types)
	slices.Sort(info.Aliases)
	return info, nil
}

// sortQuads orders quads by their N-Quads text, computing each text once.
func sortQuads(quads []quad.Quad) {
	type keyed struct {
		key string
		q   quad.Quad
	}
	ks := make([]keyed, len(quads))
	for i, q := range quads {
		ks[i] = keyed{q.NQuad(), q}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	for i, k := range ks {
		quads[i] = k.q
	}
}
